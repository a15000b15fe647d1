// Package unshare is the unshare(1) applet: util-linux 2.42's command line
// turned into an nsutil.Unshare request. Options act in argv order, as
// util-linux's do: --help and --version stop at once, --map-users=auto
// reads /etc/subuid the moment it is seen.
package unshare

import (
	"fmt"
	"os"
	"strings"

	"golang.org/x/sys/unix"

	"nsbox/getopt"
	"nsbox/nsutil"
)

const name = "unshare"

// Keys of the long-only options.
const (
	optMountProc = 0x100 + iota
	optMountBinfmt
	optPropagation
	optSetgroups
	optKillChild
	optKeepCaps
	optMonotonic
	optBoottime
	optMapUser
	optMapUsers
	optMapGroup
	optMapGroups
	optMapAuto
	optMapSubids
	optOwner
	optForwardSignals
	optClearEnv
	optWhitelistEnv
)

const shortOpts = "+fhVmuinpCTUrR:w:S:G:cl:"

// longOpts is in util-linux's table order, which getopt's "ambiguous"
// diagnostic lists.
var longOpts = []getopt.Long{
	{Name: "help", Arg: getopt.NoArg, Key: 'h'},
	{Name: "version", Arg: getopt.NoArg, Key: 'V'},
	{Name: "mount", Arg: getopt.Optional, Key: 'm'},
	{Name: "uts", Arg: getopt.Optional, Key: 'u'},
	{Name: "ipc", Arg: getopt.Optional, Key: 'i'},
	{Name: "net", Arg: getopt.Optional, Key: 'n'},
	{Name: "pid", Arg: getopt.Optional, Key: 'p'},
	{Name: "user", Arg: getopt.Optional, Key: 'U'},
	{Name: "cgroup", Arg: getopt.Optional, Key: 'C'},
	{Name: "time", Arg: getopt.Optional, Key: 'T'},
	{Name: "fork", Arg: getopt.NoArg, Key: 'f'},
	{Name: "kill-child", Arg: getopt.Optional, Key: optKillChild},
	{Name: "forward-signals", Arg: getopt.NoArg, Key: optForwardSignals},
	{Name: "mount-proc", Arg: getopt.Optional, Key: optMountProc},
	{Name: "mount-binfmt", Arg: getopt.Optional, Key: optMountBinfmt},
	{Name: "map-user", Arg: getopt.Required, Key: optMapUser},
	{Name: "map-users", Arg: getopt.Required, Key: optMapUsers},
	{Name: "map-group", Arg: getopt.Required, Key: optMapGroup},
	{Name: "map-groups", Arg: getopt.Required, Key: optMapGroups},
	{Name: "map-root-user", Arg: getopt.NoArg, Key: 'r'},
	{Name: "map-current-user", Arg: getopt.NoArg, Key: 'c'},
	{Name: "map-auto", Arg: getopt.NoArg, Key: optMapAuto},
	{Name: "map-subids", Arg: getopt.NoArg, Key: optMapSubids},
	{Name: "owner", Arg: getopt.Required, Key: optOwner},
	{Name: "propagation", Arg: getopt.Required, Key: optPropagation},
	{Name: "setgroups", Arg: getopt.Required, Key: optSetgroups},
	{Name: "keep-caps", Arg: getopt.NoArg, Key: optKeepCaps},
	{Name: "setuid", Arg: getopt.Required, Key: 'S'},
	{Name: "setgid", Arg: getopt.Required, Key: 'G'},
	{Name: "root", Arg: getopt.Required, Key: 'R'},
	{Name: "wd", Arg: getopt.Required, Key: 'w'},
	{Name: "monotonic", Arg: getopt.Required, Key: optMonotonic},
	{Name: "boottime", Arg: getopt.Required, Key: optBoottime},
	{Name: "load-interp", Arg: getopt.Required, Key: 'l'},
	{Name: "clear-env", Arg: getopt.NoArg, Key: optClearEnv},
	{Name: "whitelist-env", Arg: getopt.Required, Key: optWhitelistEnv},
}

// Options is the names the man-page check compares with the manual.
func Options() []getopt.Long { return longOpts }

// ShortOptions is the short-option string, for the same check.
func ShortOptions() string { return shortOpts }

// Main runs unshare with argv (argv[0] is the name it was called by).
func Main(argv []string) int {
	return nsutil.AppletMain(name, func() (*nsutil.Unshare, error) { return parse(argv) })
}

// parse builds the request; a nil request with a nil error means --help
// or --version was handled.
func parse(argv []string) (*nsutil.Unshare, error) {
	u := &nsutil.Unshare{
		Persist:     map[string]string{},
		EUID:        uint32(os.Geteuid()),
		EGID:        uint32(os.Getegid()),
		MapUser:     nsutil.NoID,
		MapGroup:    nsutil.NoID,
		OwnerUID:    nsutil.NoID,
		OwnerGID:    nsutil.NoID,
		Propagation: unix.MS_REC | unix.MS_PRIVATE,
	}
	p := getopt.New(argv, shortOpts, longOpts)
	for {
		o, ok, err := p.Next()
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		done, err := apply(u, o)
		if err != nil || done {
			return nil, err
		}
	}
	u.Argv = p.Rest()
	return u, nil
}

// apply records one option; done is true once --help or --version ran.
func apply(u *nsutil.Unshare, o getopt.Opt) (done bool, err error) {
	if t, ok := nsByLetter(o.Key); ok {
		u.Flags |= t.Flag
		if o.HasArg {
			u.Persist[t.Name] = o.Arg
		}
		return false, nil
	}
	switch o.Key {
	case 'h':
		return true, usage()
	case 'V':
		return true, version()
	case 'f':
		u.Fork = true
	case optKillChild:
		u.Fork = true
		u.KillSignal = unix.SIGKILL
		if o.HasArg {
			sig, ok := nsutil.SignalByName(o.Arg)
			if !ok {
				return false, &nsutil.Error{Msg: "unknown signal: " + o.Arg, Code: 1}
			}
			u.KillSignal = sig
		}
	case optForwardSignals:
		u.Fork, u.ForwardSignals = true, true
	case optMountProc:
		u.Flags |= unix.CLONE_NEWNS
		u.MountProc = str("/proc")
		if o.HasArg {
			u.MountProc = str(o.Arg)
		}
	case optMountBinfmt:
		u.Flags |= unix.CLONE_NEWNS | unix.CLONE_NEWUSER
		if o.HasArg {
			u.MountBinfmt = str(o.Arg)
		} else {
			defaultBinfmt(u)
		}
	case 'l':
		u.Flags |= unix.CLONE_NEWNS | unix.CLONE_NEWUSER
		if u.MountBinfmt == nil {
			defaultBinfmt(u)
		}
		u.LoadInterp = str(o.Arg)
	case optMapUser:
		u.Flags |= unix.CLONE_NEWUSER
		id, ok := nsutil.ParseID(o.Arg, nsutil.UserByName)
		if !ok {
			return false, &nsutil.Error{Msg: fmt.Sprintf("failed to parse uid '%s'", o.Arg), Code: 1}
		}
		u.MapUser = id
	case optMapGroup:
		u.Flags |= unix.CLONE_NEWUSER
		id, ok := nsutil.ParseID(o.Arg, nsutil.GroupByName)
		if !ok {
			return false, &nsutil.Error{Msg: fmt.Sprintf("failed to parse gid '%s'", o.Arg), Code: 1}
		}
		u.MapGroup = id
	case 'r':
		u.Flags |= unix.CLONE_NEWUSER
		u.MapUser, u.MapGroup = 0, 0
	case 'c':
		u.Flags |= unix.CLONE_NEWUSER
		u.MapUser, u.MapGroup = u.EUID, u.EGID
	case optMapUsers, optMapGroups:
		u.Flags |= unix.CLONE_NEWUSER
		groups := o.Key == optMapGroups
		ranges, err := mapSpec(o.Arg, groups, u.EUID)
		if err != nil {
			return false, err
		}
		if groups {
			u.GIDRanges = append(u.GIDRanges, ranges...)
		} else {
			u.UIDRanges = append(u.UIDRanges, ranges...)
		}
	case optMapAuto, optMapSubids:
		u.Flags |= unix.CLONE_NEWUSER
		identity := o.Key == optMapSubids
		ur, err := nsutil.SubIDRange("/etc/subuid", u.EUID, identity)
		if err != nil {
			return false, err
		}
		gr, err := nsutil.SubIDRange("/etc/subgid", u.EUID, identity)
		if err != nil {
			return false, err
		}
		u.UIDRanges = append(u.UIDRanges, ur)
		u.GIDRanges = append(u.GIDRanges, gr)
	case optOwner:
		u.Flags |= unix.CLONE_NEWUSER
		uid, gid, ok := parseOwner(o.Arg)
		if !ok {
			return false, &nsutil.Error{Msg: "failed to parse owner", Code: 1}
		}
		u.OwnerUID, u.OwnerGID = uid, gid
	case optSetgroups:
		if o.Arg != "allow" && o.Arg != "deny" {
			return false, &nsutil.Error{Msg: fmt.Sprintf("unsupported --setgroups argument '%s'", o.Arg), Code: 1}
		}
		u.Setgroups = o.Arg
	case optPropagation:
		prop, ok := propagations[o.Arg]
		if !ok {
			return false, &nsutil.Error{Msg: "unsupported propagation mode: " + o.Arg, Code: 1}
		}
		u.Propagation = prop
	case optKeepCaps:
		u.KeepCaps = true
	case 'S':
		id, err := nsutil.ParseUID32(o.Arg, "failed to parse uid")
		if err != nil {
			return false, err
		}
		u.SetUID, u.ForceUID = id, true
	case 'G':
		id, err := nsutil.ParseUID32(o.Arg, "failed to parse gid")
		if err != nil {
			return false, err
		}
		u.SetGID, u.ForceGID = id, true
	case 'R':
		u.Root = str(o.Arg)
	case 'w':
		u.Wd = str(o.Arg)
	case optMonotonic:
		v, err := nsutil.ParseInt64(o.Arg, "failed to parse monotonic offset")
		if err != nil {
			return false, err
		}
		u.Monotonic = &v
	case optBoottime:
		v, err := nsutil.ParseInt64(o.Arg, "failed to parse boottime offset")
		if err != nil {
			return false, err
		}
		u.Boottime = &v
	case optClearEnv:
		u.ClearEnv = true
	case optWhitelistEnv:
		// Values are taken now. util-linux keeps them in a list it
		// builds backwards and sets from its head, so they come out in
		// reverse; a name not set now is skipped, and with none set the
		// environment is left alone.
		for _, n := range strings.Split(o.Arg, ",") {
			if v, ok := os.LookupEnv(n); ok && n != "" {
				u.EnvKeep = append([]string{n + "=" + v}, u.EnvKeep...)
			}
		}
	}
	return false, nil
}

// defaultBinfmt is --mount-binfmt without a directory: the usual place,
// under a /proc that must then be mounted for the new namespaces too.
func defaultBinfmt(u *nsutil.Unshare) {
	if u.MountProc == nil {
		u.MountProc = str("/proc")
	}
	u.MountBinfmt = str("/proc/sys/fs/binfmt_misc")
}

// str is a pointer to a copy of s: an option value that was given.
func str(s string) *string { return &s }

var propagations = map[string]uintptr{
	"slave":     unix.MS_REC | unix.MS_SLAVE,
	"private":   unix.MS_REC | unix.MS_PRIVATE,
	"shared":    unix.MS_REC | unix.MS_SHARED,
	"unchanged": 0,
}

// nsByLetter maps the namespace short options to their type.
func nsByLetter(key int) (nsutil.NSType, bool) {
	for _, t := range nsutil.Namespaces {
		if int(t.Letter) == key {
			return t, true
		}
	}
	return nsutil.NSType{}, false
}

// mapSpec reads one --map-users/--map-groups value.
func mapSpec(spec string, groups bool, euid uint32) ([]nsutil.IDRange, error) {
	subFile, kernelFile := "/etc/subuid", "/proc/self/uid_map"
	if groups {
		subFile, kernelFile = "/etc/subgid", "/proc/self/gid_map"
	}
	switch spec {
	case "auto", "subids":
		r, err := nsutil.SubIDRange(subFile, euid, spec == "subids")
		return []nsutil.IDRange{r}, err
	case "all":
		return nsutil.KernelMapRanges(kernelFile)
	}
	r, err := nsutil.ParseIDRange(spec)
	return []nsutil.IDRange{r}, err
}

// parseOwner reads --owner's "uid:gid", both plain numbers.
func parseOwner(s string) (uid, gid uint32, ok bool) {
	a, b, found := strings.Cut(s, ":")
	if !found {
		return 0, 0, false
	}
	r1, err1 := nsutil.ParseIDRange(a + ":0:0")
	r2, err2 := nsutil.ParseIDRange(b + ":0:0")
	if err1 != nil || err2 != nil {
		return 0, 0, false
	}
	return r1.Inner, r2.Inner, true
}
