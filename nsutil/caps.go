package nsutil

import (
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"nsbox/nsutil/prestage"
)

// Capabilities are per thread: everything here acts on the locked main
// thread, the one that execs the program.

// lastCap is the highest capability this kernel knows.
func lastCap() (int, error) {
	b, err := os.ReadFile("/proc/sys/kernel/cap_last_cap")
	if err != nil {
		return 0, errf(err, "cannot read /proc/sys/kernel/cap_last_cap")
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		return 0, errxf("cannot parse /proc/sys/kernel/cap_last_cap")
	}
	return n, nil
}

// allCaps lists every capability of this kernel.
func allCaps() ([]uintptr, error) {
	last, err := lastCap()
	if err != nil {
		return nil, err
	}
	caps := make([]uintptr, last+1)
	for i := range caps {
		caps[i] = uintptr(i)
	}
	return caps, nil
}

func capGet() (unix.CapUserHeader, [2]unix.CapUserData, error) {
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var data [2]unix.CapUserData
	err := unix.Capget(&hdr, &data[0])
	return hdr, data, err
}

// permittedToAmbient is --keep-caps: make every permitted capability
// inheritable, then raise each effective one into the ambient set so that
// it survives exec of a program run by a non-root uid.
func permittedToAmbient() error {
	hdr, data, err := capGet()
	if err != nil {
		return errf(err, "capget failed")
	}
	data[0].Inheritable = data[0].Permitted
	data[1].Inheritable = data[1].Permitted
	if err := unix.Capset(&hdr, &data[0]); err != nil {
		return errf(err, "capset failed")
	}
	last, err := lastCap()
	if err != nil {
		return err
	}
	effective := uint64(data[1].Effective)<<32 | uint64(data[0].Effective)
	for c := 0; c <= last && c < 64; c++ {
		if effective&(1<<c) == 0 {
			continue
		}
		if err := unix.Prctl(unix.PR_CAP_AMBIENT, unix.PR_CAP_AMBIENT_RAISE, uintptr(c), 0, 0); err != nil {
			return errf(err, "prctl(PR_CAP_AMBIENT) failed")
		}
	}
	return nil
}

// dropAmbient adds the steps that empty the ambient and inheritable sets
// again: a new user namespace starts with both empty, and that is what
// the program gets from util-linux.
func (s *steps) dropAmbient() {
	s.op(planOp{Kind: prestage.OpPrctl, Arg: unix.PR_CAP_AMBIENT, Arg2: unix.PR_CAP_AMBIENT_CLEAR_ALL}, "prctl(PR_CAP_AMBIENT) failed")
	s.op(planOp{Kind: prestage.OpNoInherit}, "")
}

// noInheritable empties the inheritable set; phase 1 is the capset.
func noInheritable() (phase int, err error) {
	hdr, data, err := capGet()
	if err != nil {
		return 0, err
	}
	data[0].Inheritable, data[1].Inheritable = 0, 0
	return 1, unix.Capset(&hdr, &data[0])
}
