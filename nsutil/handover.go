package nsutil

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"

	"nsbox/nsutil/prestage"
)

// A process hands work to a new incarnation of this binary (itself after
// execve, keeping its PID, or a helper or child it starts) on a memfd: the
// pre-runtime stage's plan header first, then a JSON document saying what
// the new incarnation is to do. The memfd and the other fds named in the
// document are the only fds nsbox lets cross an exec; the receiver closes
// them (or marks them close-on-exec) before anything else.

// Roles a resumed process can have.
const (
	roleUnshareStage2 = "unshare-stage2" // unshare after the pre-runtime stage
	roleHelper        = "helper"         // id maps or bind mounts from outside
	roleChild         = "child"          // the forked child of unshare --fork
	roleEnterStage2   = "nsenter-stage2" // nsenter after the pre-runtime stage
	roleProgram       = "program"        // a child that runs a program (programJob)
	roleIgnore        = "ignore"         // a child that ignores Ignore, then runs its argv
)

// handover is the JSON document.
type handover struct {
	Role    string
	Unshare *unshareState
	Enter   *enterState
	Helper  *helperJob
	Program *programJob
	Ignore  uint64 // for roleIgnore: bit n-1, signal n
	// A variable of the handover's name that came from elsewhere: the
	// handover takes its place in the environment, and the new
	// incarnation puts it back for the program.
	ForeignStage *string
}

// planOp is one pre-runtime stage operation (struct nsbox_op); Strs are
// its strings, which go to the plan's string table.
type planOp struct {
	Kind  uint32
	Fd    int32
	Arg   uint64
	Arg2  uint64
	Flags uint32
	Ref   uint32
	OkErr int32 // an errno that counts as success
	Strs  []string
}

// writeHandover puts ops and doc on a new memfd that survives exec; the
// caller starts or becomes the receiver and then closes the fd.
func writeHandover(ops []planOp, doc handover) (int, error) {
	if len(ops) > prestage.MaxOps {
		return -1, fmt.Errorf("plan of %d operations is too long", len(ops))
	}
	buf := make([]byte, prestage.HeaderSize)
	var table []byte
	for i, op := range ops {
		o := buf[24+i*prestage.OpSize:]
		binary.NativeEndian.PutUint32(o[0:], op.Kind)
		binary.NativeEndian.PutUint32(o[4:], uint32(op.Fd))
		binary.NativeEndian.PutUint64(o[8:], op.Arg)
		binary.NativeEndian.PutUint64(o[16:], op.Arg2)
		binary.NativeEndian.PutUint32(o[24:], op.Flags)
		binary.NativeEndian.PutUint32(o[28:], op.Ref)
		binary.NativeEndian.PutUint32(o[32:], uint32(op.OkErr))
		binary.NativeEndian.PutUint32(o[36:], uint32(len(table)))
		binary.NativeEndian.PutUint32(o[40:], uint32(len(op.Strs)))
		for _, s := range op.Strs {
			table = append(append(table, s...), 0)
		}
	}
	if v, ok := os.LookupEnv(prestage.EnvName); ok {
		doc.ForeignStage = &v
	}
	// The name the new incarnation goes by: ours (it would be "63",
	// the fd it is executed through).
	comm := len(table) + 1
	table = append(append(table, ownComm()...), 0)
	payload := encodeHandover(doc)
	binary.NativeEndian.PutUint64(buf[0:], prestage.Magic)
	binary.NativeEndian.PutUint32(buf[8:], uint32(len(ops)))
	binary.NativeEndian.PutUint32(buf[12:], uint32(len(table)))
	binary.NativeEndian.PutUint32(buf[16:], uint32(len(payload)))
	binary.NativeEndian.PutUint32(buf[20:], uint32(comm))
	buf = append(append(buf, table...), payload...)
	fd, err := unix.MemfdCreate("nsbox-handover", unix.MFD_CLOEXEC)
	if err != nil {
		return -1, errf(err, "memfd_create failed")
	}
	if _, err := unix.Pwrite(fd, buf, 0); err != nil {
		unix.Close(fd)
		return -1, errf(err, "writing handover failed")
	}
	if fd, err = inheritable(fd); err != nil {
		return -1, err
	}
	return fd, nil
}

// ownComm is the calling thread's name (comm), which execve set from the
// file we were run as.
func ownComm() string {
	var b [16]byte
	if err := unix.Prctl(unix.PR_GET_NAME, uintptr(unsafe.Pointer(&b[0])), 0, 0, 0); err != nil {
		return appletName()
	}
	n := bytes.IndexByte(b[:], 0)
	if n < 0 {
		n = len(b)
	}
	return string(b[:n])
}

// inheritable makes fd survive exec, moving it above 2 so that it can
// never be mistaken for (or clobbered as) standard input or output.
func inheritable(fd int) (int, error) {
	if fd <= 2 {
		nfd, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 3)
		unix.Close(fd)
		if err != nil {
			return -1, errf(err, "moving fd %d", fd)
		}
		fd = nfd
	}
	if _, err := unix.FcntlInt(uintptr(fd), unix.F_SETFD, 0); err != nil {
		unix.Close(fd)
		return -1, errf(err, "fcntl failed")
	}
	return fd, nil
}

// closeOnExec marks fd close-on-exec again once it has crossed.
func closeOnExec(fd int) {
	unix.FcntlInt(uintptr(fd), unix.F_SETFD, unix.FD_CLOEXEC)
}

// selfExe is the binary the user ran: the fd the pre-runtime stage
// opened on /proc/self/exe at start, before anything was entered, so that
// no path in a namespace we went into can swap it; in a build without the
// stage, /proc/self/exe itself; without /proc (early initramfs) argv[0],
// searched in PATH.
func selfExe() string {
	if fd := prestage.SelfFd(); fd >= 0 {
		return "/proc/self/fd/" + strconv.Itoa(fd)
	}
	if _, err := os.Stat("/proc/self/exe"); err == nil {
		return "/proc/self/exe"
	}
	if strings.Contains(os.Args[0], "/") {
		return os.Args[0]
	}
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		p := filepath.Join(dir, os.Args[0])
		if unix.Access(p, unix.X_OK) == nil {
			return p
		}
	}
	return os.Args[0]
}

// environWith is the current environment with our variable set to fd.
func environWith(fd int) []string {
	env := []string{prestage.EnvName + "=" + strconv.Itoa(fd)}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, prestage.EnvName+"=") {
			env = append(env, kv)
		}
	}
	return env
}

// reexec replaces this process with a new run of the same binary (same
// PID, same argv, so ps still shows what the user typed) whose
// pre-runtime stage runs ops and whose Go code resumes with doc.
func reexec(ops []planOp, doc handover) error {
	fd, err := writeHandover(ops, doc)
	if err != nil {
		return err
	}
	prepareExec()
	err = syscall.Exec(selfExe(), os.Args, environWith(fd))
	unix.Close(fd)
	return errf(err, "cannot re-execute %s", selfExe())
}

// StartApplet starts this binary again as argv (an applet's command
// line) from the calling (locked main) thread, with our environment, our
// standard fds and every other fd we inherited, as a fork would give
// them. Signals ignored when we started that Go's fork would reset
// (lostInFork) are ignored again in it before it reads argv, so that a
// program it execs gets them as from a C tool's fork.
func StartApplet(argv []string) (int, error) {
	attr := &syscall.ProcAttr{Env: os.Environ(), Files: stdFiles()}
	if lost := lostInFork(); lost != 0 && prestage.Compiled {
		fd, err := writeHandover(nil, handover{Role: roleIgnore, Ignore: lost})
		if err != nil {
			return 0, err
		}
		defer unix.Close(fd)
		attr.Env = environWith(fd)
	}
	return ForkExec("/proc/self/exe", argv, attr)
}

// startSelf starts a new process of this binary whose pre-runtime stage
// runs ops and whose Go code resumes with doc, sharing our standard fds,
// from the calling (locked main) thread.
func startSelf(ops []planOp, doc handover, sys *syscall.SysProcAttr) (int, error) {
	fd, err := writeHandover(ops, doc)
	if err != nil {
		return 0, err
	}
	defer unix.Close(fd)
	attr := &syscall.ProcAttr{Env: environWith(fd), Files: stdFiles(), Sys: sys}
	pid, err := ForkExec(selfExe(), os.Args, attr)
	if err != nil {
		return 0, errf(err, "cannot start %s", selfExe())
	}
	return pid, nil
}

// stdFiles passes 0, 1 and 2 through; one that is closed here, or was
// closed when we started (the Go runtime put /dev/null there), stays
// closed in the new process.
func stdFiles() []uintptr {
	files := make([]uintptr, 3)
	for i := range files {
		if _, err := unix.FcntlInt(uintptr(i), unix.F_GETFD, 0); err != nil || closedAtStart(i) {
			files[i] = ^uintptr(0)
		} else {
			files[i] = uintptr(i)
		}
	}
	return files
}

// isHandover tells whether fd is a handover: a memfd (only memfds and
// shared memory have seals) that starts with the plan's magic.
func isHandover(fd int) bool {
	if _, err := unix.FcntlInt(uintptr(fd), unix.F_GET_SEALS, 0); err != nil {
		return false
	}
	var magic [8]byte
	n, err := unix.Pread(fd, magic[:], 0)
	return err == nil && n == len(magic) && binary.NativeEndian.Uint64(magic[:]) == prestage.Magic
}

// readHandover reads the document the previous incarnation left on fd.
func readHandover(fd int) (handover, error) {
	var doc handover
	head := make([]byte, prestage.HeaderSize)
	if _, err := unix.Pread(fd, head, 0); err != nil {
		return doc, errf(err, "reading handover failed")
	}
	if binary.NativeEndian.Uint64(head) != prestage.Magic {
		return doc, fmt.Errorf("handover fd %d holds no plan", fd)
	}
	table := int64(binary.NativeEndian.Uint32(head[12:]))
	payload := make([]byte, binary.NativeEndian.Uint32(head[16:]))
	if _, err := unix.Pread(fd, payload, prestage.HeaderSize+table); err != nil {
		return doc, errf(err, "reading handover failed")
	}
	doc, err := decodeHandover(payload)
	if err != nil {
		return doc, errf(err, "decoding handover failed")
	}
	return doc, nil
}
