package nsutil

import (
	"os"
	"path/filepath"
	"strconv"
	"unsafe"

	"golang.org/x/sys/unix"

	"nsbox/nsutil/prestage"
)

// Resume continues work handed to this process by an earlier incarnation
// of itself: the second half of the pre-runtime stage (same PID), a
// helper, or unshare's forked child. resumed is false for an ordinary
// start. It runs first thing in main, on the locked main thread.
func Resume() (rc int, resumed bool) {
	v, ok := os.LookupEnv(prestage.EnvName)
	if !ok {
		return 0, false
	}
	fd, err := strconv.Atoi(v)
	if err != nil || fd < 3 || !isHandover(fd) {
		// Not ours: a variable of that name from elsewhere changes
		// nothing, and goes on to the program as any other would.
		return 0, false
	}
	// The variable and the fd must not reach the program we exec.
	os.Unsetenv(prestage.EnvName)
	doc, err := readHandover(fd)
	unix.Close(fd)
	if err != nil {
		return Report(appletName(), err), true
	}
	if doc.ForeignStage != nil {
		os.Setenv(prestage.EnvName, *doc.ForeignStage)
	}
	// ps and lsns show the name we were run by, not the "exe" of
	// /proc/self/exe: the stage set it from the plan; without one (a
	// build without cgo) the applet's name does.
	if !prestage.Outcome().Ran {
		setComm(appletName())
	}
	name := appletName()
	if doc.Role == roleIgnore {
		// Raw, past the runtime, which handles these: ignored from
		// here through the exec of whatever program argv leads to.
		for sig := unix.Signal(1); sig <= sigRTMax; sig++ {
			if doc.Ignore&(1<<(sig-1)) != 0 {
				ignoreForExec(sig)
			}
		}
		return 0, false
	}
	switch doc.Role {
	case roleUnshareStage2:
		err = resumeUnshare(doc.Unshare, prestage.Outcome())
	case roleEnterStage2:
		err = resumeEnter(doc.Enter, prestage.Outcome())
	case roleChild:
		err = doc.Unshare.resumeChild(prestage.Outcome())
	case roleHelper:
		err = runHelper(doc.Helper)
	case roleProgram:
		err = doc.Program.resume(prestage.Outcome())
	default:
		err = errxf("unknown handover role %q", doc.Role)
	}
	if err == nil {
		return 0, true
	}
	return Report(name, err), true
}

// appletName is the name messages are prefixed with: argv[0]'s basename,
// or the applet after "nsbox".
func appletName() string {
	if len(os.Args) == 0 {
		return "nsbox"
	}
	name := filepath.Base(os.Args[0])
	if len(os.Args) > 1 && len(name) >= 5 && name[:5] == "nsbox" {
		return filepath.Base(os.Args[1])
	}
	return name
}

// setComm sets the thread's name (comm) as execve of argv[0] would have.
func setComm(name string) {
	b := []byte(name)
	if len(b) > 15 {
		b = b[:15]
	}
	b = append(b, 0)
	unix.Prctl(unix.PR_SET_NAME, uintptr(unsafe.Pointer(&b[0])), 0, 0, 0)
}
