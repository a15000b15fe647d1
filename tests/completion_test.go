package tests

import (
	"strings"
	"testing"
)

// complete runs the bash completion for a command line whose last word
// is being completed, and returns the candidates, space-separated.
func complete(t *testing.T, words ...string) string {
	t.Helper()
	fn := map[string]string{"unshare": "_nsbox_unshare", "nsenter": "_nsbox_nsenter", "lsns": "_nsbox_lsns",
		"ip-netns-lite": "_nsbox_ip", "nsbox": "_nsbox"}[words[0]]
	script := `source ../completion/nsbox.bash
compopt() { :; }
COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
` + fn + `
printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' '`
	r := Run(t, Cmd{Argv: append([]string{"bash", "-c", script, "bash"}, words...)})
	if r.Code != 0 || r.Stderr != "" {
		t.Fatalf("completion of %q: %s", words, r)
	}
	return strings.TrimSpace(r.Stdout)
}

func TestCompletion(t *testing.T) {
	Want(t, Sys(t, "bash", "-n", "../completion/nsbox.bash"), "", "", 0)
	for _, c := range []struct {
		words []string
		want  string
	}{
		{[]string{"unshare", "--prop"}, "--propagation"},
		{[]string{"unshare", "--propagation", ""}, "private shared slave unchanged"},
		{[]string{"unshare", "--setgroups", "d"}, "deny"},
		{[]string{"unshare", "--kill-child=TE"}, "TERM"},
		{[]string{"unshare", "--map-users", "a"}, "all auto"},
		{[]string{"unshare", "--mount-p"}, "--mount-proc --mount-proc="},
		{[]string{"nsenter", "--pres"}, "--preserve-credentials"},
		{[]string{"nsenter", "-S", "f"}, "follow"},
		{[]string{"lsns", "-t", "u"}, "user uts"},
		{[]string{"lsns", "-o", "NS,TY"}, "NS,TYPE"},
		{[]string{"lsns", "--output=+NETNS"}, "+NETNSID"},
		{[]string{"lsns", "--tree=p"}, "parent process"},
		{[]string{"lsns", "--per"}, "--persistent"},
		{[]string{"ip-netns-lite", "net"}, "netns"},
		{[]string{"ip-netns-lite", "netns", "ad"}, "add"},
		{[]string{"ip-netns-lite", "netns", "list-"}, "list-id"},
		{[]string{"ip-netns-lite", "-for"}, "-force"},
		{[]string{"ip-netns-lite", "netns", "set", "x", "a"}, "auto"},
		{[]string{"nsbox", "--li"}, "--list --list-full"},
		{[]string{"nsbox", "unshare", "--map-ro"}, "--map-root-user"},
	} {
		if got := complete(t, c.words...); got != c.want {
			t.Errorf("completion of %q = %q, want %q", c.words, got, c.want)
		}
	}
	// Targets are PIDs.
	if got := complete(t, "nsenter", "-t", "1"); !strings.Contains(" "+got+" ", " 1 ") {
		t.Errorf("nsenter -t 1<TAB>: %q", got)
	}
}
