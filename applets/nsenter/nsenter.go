// Package nsenter is the nsenter(1) applet: util-linux 2.42's command
// line turned into an nsutil.Enter request. As in util-linux, namespace
// files and -r/-w directories are opened while the options are read.
package nsenter

import (
	"fmt"
	"strings"

	"golang.org/x/sys/unix"

	"nsbox/getopt"
	"nsbox/nsutil"
)

const name = "nsenter"

const (
	optPreserveCred = 0x100 + iota
	optKeepCaps
	optUserParent
)

// -Z is util-linux's SELinux --follow-context: in the option string of a
// build without SELinux, with no handling, so it only gets "Try --help".
const shortOpts = "+ahVt:m::u::i::n::N:p::C::U::T::S:G:r::w::W::ecFZ"

// longOpts is in util-linux's table order (the order of "ambiguous").
var longOpts = []getopt.Long{
	{Name: "all", Arg: getopt.NoArg, Key: 'a'},
	{Name: "help", Arg: getopt.NoArg, Key: 'h'},
	{Name: "version", Arg: getopt.NoArg, Key: 'V'},
	{Name: "target", Arg: getopt.Required, Key: 't'},
	{Name: "mount", Arg: getopt.Optional, Key: 'm'},
	{Name: "uts", Arg: getopt.Optional, Key: 'u'},
	{Name: "ipc", Arg: getopt.Optional, Key: 'i'},
	{Name: "net", Arg: getopt.Optional, Key: 'n'},
	{Name: "net-socket", Arg: getopt.Required, Key: 'N'},
	{Name: "pid", Arg: getopt.Optional, Key: 'p'},
	{Name: "user", Arg: getopt.Optional, Key: 'U'},
	{Name: "cgroup", Arg: getopt.Optional, Key: 'C'},
	{Name: "time", Arg: getopt.Optional, Key: 'T'},
	{Name: "setuid", Arg: getopt.Required, Key: 'S'},
	{Name: "setgid", Arg: getopt.Required, Key: 'G'},
	{Name: "root", Arg: getopt.Optional, Key: 'r'},
	{Name: "wd", Arg: getopt.Optional, Key: 'w'},
	{Name: "wdns", Arg: getopt.Optional, Key: 'W'},
	{Name: "env", Arg: getopt.NoArg, Key: 'e'},
	{Name: "no-fork", Arg: getopt.NoArg, Key: 'F'},
	{Name: "join-cgroup", Arg: getopt.NoArg, Key: 'c'},
	{Name: "preserve-credentials", Arg: getopt.NoArg, Key: optPreserveCred},
	{Name: "keep-caps", Arg: getopt.NoArg, Key: optKeepCaps},
	{Name: "user-parent", Arg: getopt.NoArg, Key: optUserParent},
}

// Options is the names the man-page check compares with the manual.
func Options() []getopt.Long { return longOpts }

// ShortOptions is the short-option string, for the same check.
func ShortOptions() string { return shortOpts }

// Main runs nsenter with argv (argv[0] is the name it was called by).
func Main(argv []string) int {
	return nsutil.AppletMain(name, func() (*nsutil.Enter, error) { return parse(argv) })
}

// errTryHelp is -Z: known to getopt, handled by nothing, so only the
// "Try --help" line is printed.
var errTryHelp = &getopt.Error{}

func parse(argv []string) (*nsutil.Enter, error) {
	e := nsutil.NewEnter()
	p := getopt.New(argv, shortOpts, longOpts)
	exclusive := "" // the first of --wd/--wdns seen
	for {
		o, ok, err := p.Next()
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		if o.Key == 'w' || o.Key == 'W' {
			long := map[int]string{'w': "wd", 'W': "wdns"}[o.Key]
			if exclusive != "" && exclusive != long {
				return nil, &nsutil.Error{Msg: fmt.Sprintf("options --%s and --%s cannot be combined", exclusive, long), Code: 1}
			}
			exclusive = long
		}
		done, err := apply(e, o)
		if err != nil || done {
			return nil, err
		}
	}
	e.Argv = p.Rest()
	return e, nil
}

func apply(e *nsutil.Enter, o getopt.Opt) (done bool, err error) {
	for i, t := range nsutil.Namespaces {
		if int(t.Letter) != o.Key {
			continue
		}
		s := &e.Slots[i]
		if o.HasArg {
			fd, err := nsutil.OpenNSFile(stripEq(o.Arg))
			if err != nil {
				return false, err
			}
			if s.Fd >= 0 {
				unix.Close(s.Fd)
			}
			s.Fd = fd
		}
		s.Enabled = true
		return false, nil
	}
	switch o.Key {
	case 'h':
		return true, usage()
	case 'V':
		return true, version()
	case 'a':
		e.All = true
	case 't':
		pid, pidfd, err := nsutil.ParseTarget(o.Arg)
		if err != nil {
			return false, err
		}
		if e.TargetPidfd >= 0 {
			unix.Close(e.TargetPidfd)
		}
		e.Target, e.TargetPidfd = pid, pidfd
	case 'N':
		fd, err := nsutil.ParseFdArg(o.Arg, "failed to parse file descriptor")
		if err != nil {
			return false, err
		}
		e.NetSocket = fd
	case 'S', 'G':
		follow := o.Arg == "follow"
		var id uint32
		if !follow {
			msg := map[int]string{'S': "failed to parse uid", 'G': "failed to parse gid"}[o.Key]
			if id, err = nsutil.ParseUID32(o.Arg, msg); err != nil {
				return false, err
			}
		}
		if o.Key == 'S' {
			e.UID, e.FollowUID, e.ForceUID = id, follow, true
		} else {
			e.GID, e.FollowGID, e.ForceGID = id, follow, true
		}
	case 'F':
		e.NoFork = true
	case 'c':
		e.JoinCgroup = true
	case 'r':
		if !o.HasArg {
			e.TargetRoot = true
			break
		}
		fd, err := nsutil.OpenTarget(o.Arg) // no '=' stripping, as util-linux
		if err != nil {
			return false, err
		}
		if e.RootFd >= 0 {
			unix.Close(e.RootFd)
		}
		e.RootFd = fd
	case 'w':
		if !o.HasArg {
			e.TargetWd = true
			break
		}
		fd, err := nsutil.OpenTarget(stripEq(o.Arg))
		if err != nil {
			return false, err
		}
		if e.WdFd >= 0 {
			unix.Close(e.WdFd)
		}
		e.WdFd = fd
	case 'W':
		if o.HasArg {
			e.WdNS, e.HasWdNS = stripEq(o.Arg), true
		}
	case 'e':
		e.Env = true
	case optPreserveCred:
		e.PreserveCred = true
	case optKeepCaps:
		e.KeepCaps = true
	case optUserParent:
		e.UserParent = true
	default: // -Z
		return false, errTryHelp
	}
	return false, nil
}

// stripEq drops one leading '=' ("-n=FILE", "--net==FILE"), as util-linux
// does for namespace files, -w and -W (not for -r).
func stripEq(s string) string { return strings.TrimPrefix(s, "=") }
