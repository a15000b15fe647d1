package ip

import (
	"fmt"
	"os"

	"nsbox/cli"
	"nsbox/nsutil"
)

// exec is "exec NAME CMD..." and "-all exec CMD...".
//
// Alone, ip does not fork: this process joins the namespace, gets its
// mount namespace, and becomes CMD (same PID; the caller sees CMD's own
// exit status or signal). Setup failures exit 255, a failed exec 1.
//
// Under -all (and in a batch file) every run happens in a child, so that
// this process stays where it is: for each name, in directory order, a
// "\nnetns: NAME" header, then the child; the children's statuses are
// ignored under -all, but a child killed by a signal ends ip with 1 at
// once. A child whose setup fails just ends (iproute2 6.9 behaviour;
// before, it went on through the remaining names itself).
func (s *session) exec(c *command) int {
	if c.all {
		return s.foreachName(func(name string) bool {
			fmt.Fprintf(s.out, "\nnetns: %s\n", name)
			s.runChild(name, c.argv)
			return true
		})
	}
	// The handler's result is negated by the object dispatcher: a
	// child's status comes out as it is, a setup failure (1) as 255.
	if s.batch {
		return -s.runChild(c.name, c.argv)
	}
	s.out.Flush()
	s.vrfReset()
	if !s.switchNetns(c.name) {
		return 1
	}
	err := nsutil.Execvp(c.argv[0], c.argv, os.Environ())
	s.errorf("exec of \"%s\" failed: %s\n", c.argv[0], cli.Strerror(err))
	os.Exit(1)
	return 0
}

// runChild runs "ip netns exec NAME CMD..." as a child of our own binary
// and returns its exit status. The child starts from the main thread, so
// it has our namespaces (those chosen by -n included); the namespace work
// happens in it, as in iproute2's fork, and this process never leaves its
// own. It gets every file descriptor we inherited, as a fork would give
// it. If the child dies by a signal, ip exits 1.
func (s *session) runChild(name string, cmd []string) int {
	s.out.Flush()
	argv := append([]string{"ip", "netns", "exec", name}, cmd...)
	pid, err := nsutil.StartApplet(argv)
	if err != nil {
		s.errorf("fork: %s\n", cli.Strerror(err))
		s.exit(1)
	}
	ws, err := nsutil.WaitPid(pid)
	if err != nil {
		s.errorf("waitpid: %s\n", cli.Strerror(err))
		s.exit(1)
	}
	if !ws.Exited() {
		s.exit(1)
	}
	return ws.ExitStatus()
}
