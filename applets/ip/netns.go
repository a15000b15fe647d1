package ip

import (
	"errors"
	"os"

	"nsbox/cli"
	"nsbox/nsutil"
)

// runDir is where named namespaces live, shared with iproute2.
const runDir = nsutil.NetnsRunDir

// netns runs a parsed "ip netns ..." and returns the subcommand's
// C-style result.
func (s *session) netns(c *command) int {
	s.nsidSocketInit()
	if c.fail != nil && c.failWhen == atNetns {
		return -s.refuse(c.fail)
	}
	switch c.sub {
	case "list":
		s.nsidCacheInit()
		return s.list()
	case "list-id":
		s.nsidCacheInit()
		return s.listID(c)
	case "add":
		return s.add(c.name, 0, true)
	case "attach":
		return s.add(c.name, c.pid, false)
	case "set":
		return s.set(c.name, c.nsid)
	case "delete":
		return s.del(c)
	case "identify":
		return s.identify(c.proc)
	case "pids":
		return s.pids(c.name)
	case "exec":
		return s.exec(c)
	default: // "monitor", the only one left
		return s.monitor()
	}
}

// switchNetns is iproute2's netns_switch with its messages: join
// runDir/NAME (a name the parse step checked), then a private mount
// namespace with a matching /sys and /etc. It returns false (after the
// message) when that failed; /etc overlay failures are only reported.
func (s *session) switchNetns(name string) bool {
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
// fails; like iproute2's netns_foreach it reports success whatever fn
// did. A missing directory is nothing to do; one that cannot be read is
// an error.
func (s *session) foreachName(fn func(name string) bool) int {
	names, err := runDirNames()
	if errors.Is(err, os.ErrNotExist) {
		return 0
	}
	if err != nil {
		s.errorf("Failed to open directory %s: %s\n", runDir, cli.Strerror(err))
		return -1
	}
	for _, n := range names {
		if !fn(n) {
			break
		}
	}
	return 0
}
