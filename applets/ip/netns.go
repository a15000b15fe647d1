package ip

import (
	"errors"
	"os"

	"nsbox/cli"
	"nsbox/nsutil"
)

// runDir is where named namespaces live, shared with iproute2.
const runDir = nsutil.NetnsRunDir

// netns runs "ip netns ..." and returns the subcommand's C-style result.
func (s *session) netns(args []string) int {
	s.nsidSocketInit()
	if len(args) == 0 {
		s.nsidCacheInit()
		return s.list()
	}
	// iproute2 checks the second word before knowing the subcommand, so
	// even "ip netns bogus .." is a bad name; -all turns the check off.
	if !s.all && len(args) > 1 && invalidName(args[1]) {
		s.badName(args[1])
	}
	switch netnsCommand(args[0]) {
	case "list":
		s.nsidCacheInit()
		return s.list()
	case "list-id":
		s.nsidCacheInit()
		return s.listID(args[1:])
	case "help":
		s.netnsHelp()
	case "add":
		return s.add(args[1:], true)
	case "set":
		return s.set(args[1:])
	case "delete":
		return s.del(args[1:])
	case "identify":
		return s.identify(args[1:])
	case "pids":
		return s.pids(args[1:])
	case "exec":
		return s.exec(args[1:])
	case "monitor":
		return s.monitor()
	case "attach":
		return s.add(args[1:], false)
	}
	s.errorf("Command \"%s\" is unknown, try \"ip netns help\".\n", args[0])
	s.exit(255)
	return 0
}

// badName reports an unusable namespace name and exits 255.
func (s *session) badName(name string) {
	s.errorf("Invalid netns name \"%s\"\n", name)
	s.exit(255)
}

// checkName keeps a name inside the run directory. iproute2 skips its
// check under -all even where -all means nothing (add, attach, set,
// pids), which lets "ip -all netns add ../x" create files elsewhere;
// here those names are refused the same way as without -all.
func (s *session) checkName(name string) {
	if invalidName(name) {
		s.badName(name)
	}
}

// switchNetns is iproute2's netns_switch with its messages: join
// runDir/NAME, then a private mount namespace with a matching /sys and
// /etc. It returns false (after the message) when that failed; /etc
// overlay failures are only reported.
func (s *session) switchNetns(name string) bool {
	if invalidName(name) {
		// -n NAME is checked too, so that it cannot leave the run
		// directory either (iproute2 joins "/run/netns/" + NAME as is).
		s.errorf("Invalid netns name \"%s\"\n", name)
		return false
	}
	err := nsutil.SwitchNetns(runDir, name, func(src, dst string, err error) {
		s.errorf("Bind %s -> %s failed: %s\n", src, dst, cli.Strerror(err))
	})
	if err == nil {
		return true
	}
	msg := cli.Strerror(err)
	var ne *nsutil.NetnsError
	if !errors.As(err, &ne) {
		s.errorf("%s\n", msg)
		return false
	}
	switch ne.Step {
	case nsutil.NetnsStepOpen:
		s.errorf("Cannot open network namespace \"%s\": %s\n", name, msg)
	case nsutil.NetnsStepSetns:
		s.errorf("setting the network namespace \"%s\" failed: %s\n", name, msg)
	case nsutil.NetnsStepUnshareMnt:
		s.errorf("unshare failed: %s\n", msg)
	case nsutil.NetnsStepRslave:
		s.errorf("\"mount --make-rslave /\" failed: %s\n", msg)
	default:
		s.errorf("mount of /sys failed: %s\n", msg)
	}
	return false
}

// runDirNames lists the run directory in directory order (iproute2 does
// not sort: tmpfs gives newest first); ok is false when it cannot be read.
func runDirNames() (names []string, err error) {
	f, err := os.Open(runDir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.Readdirnames(-1)
}

// createRunDir makes the run directory when missing (mode 0755 before the
// umask, as iproute2 does).
func (s *session) createRunDir() bool {
	if err := os.Mkdir(runDir, 0o755); err != nil && !errors.Is(err, os.ErrExist) {
		s.errorf("mkdir %s failed: %s\n", runDir, cli.Strerror(err))
		return false
	}
	return true
}

// foreachName calls fn for every name in the run directory until fn
// fails; like iproute2's netns_foreach it reports success whatever
// happened (a missing directory is nothing to do).
func (s *session) foreachName(fn func(name string) bool) int {
	names, err := runDirNames()
	if err != nil {
		return 0
	}
	for _, n := range names {
		if !fn(n) {
			break
		}
	}
	return 0
}
