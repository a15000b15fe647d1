package ip

import "strings"

// matches reports whether word abbreviates keyword: iproute2 accepts any
// non-empty prefix of an object, subcommand or option name, and when
// several names share the prefix the first in its table wins.
func matches(word, keyword string) bool {
	return word != "" && strings.HasPrefix(keyword, word)
}

// firstMatch returns the first keyword of table that word abbreviates, or "".
func firstMatch(word string, table []string) string {
	for _, k := range table {
		if matches(word, k) {
			return k
		}
	}
	return ""
}

// objects is iproute2 6.1's object table in its order. Only netns and help
// are implemented here, but the order decides what an abbreviation means:
// "n" and "ne" are neighbor, "net" is netns, "s" is sr, not stats.
var objects = []string{
	"address", "addrlabel", "maddress", "route", "rule", "neighbor",
	"neighbour", "ntable", "ntbl", "link", "l2tp", "fou", "ila", "macsec",
	"tunnel", "tunl", "tuntap", "tap", "token", "tcpmetrics", "tcp_metrics",
	"monitor", "xfrm", "mroute", "mrule", "netns", "netconf", "vrf", "sr",
	"nexthop", "mptcp", "ioam", "help", "stats",
}

// netnsCommands are ip netns's subcommands in the order iproute2 tries
// them: "l" and "s" list, "a" is add (not attach), "se" is set, "list-"
// is list-id.
var netnsCommands = []string{
	"list", "show", "lst", "list-id", "help", "add", "set", "delete",
	"identify", "pids", "exec", "monitor", "attach",
}

// netnsCommand resolves a subcommand word to its canonical name, folding
// the list synonyms.
func netnsCommand(word string) string {
	switch k := firstMatch(word, netnsCommands); k {
	case "show", "lst":
		return "list"
	default:
		return k
	}
}

// invalidName is iproute2's rule for a namespace name: it must name a
// file directly in the run directory, so no '/', not "." or "..", not
// empty and not longer than NAME_MAX.
func invalidName(name string) bool {
	return name == "" || len(name) > 255 || strings.Contains(name, "/") ||
		name == "." || name == ".."
}

// isPid is iproute2's test for a PID argument: digits only (the empty
// string passes, as it does there).
func isPid(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
