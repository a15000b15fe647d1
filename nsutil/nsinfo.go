package nsutil

import (
	"fmt"
	"strconv"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Read-only questions about namespaces, asked of an open namespace file
// (nsfs) or of a socket: the nsfs ioctls of linux/nsfs.h and SIOCGSKNS.
// lsns uses them to relate namespaces to each other; nsenter needs the same
// ones for --user-parent and --net-socket. Every fd they return is
// close-on-exec (the kernel opens related namespaces with O_CLOEXEC).

// ioctl request numbers: _IO(0xb7, n) and SIOCGSKNS from linux/sockios.h.
const (
	nsGetUserns   = 0xb701
	nsGetParent   = 0xb702
	nsGetNSType   = 0xb703
	nsGetOwnerUID = 0xb704
	siocGSKNS     = 0x894c
)

// NSIoctlName is the name util-linux prints for an nsfs ioctl in its
// "Unsupported ioctl NS_GET_PARENT" warning.
type NSIoctlName string

// The nsfs ioctls by the names their warnings use.
const (
	IoctlGetUserns   NSIoctlName = "NS_GET_USERNS"
	IoctlGetParent   NSIoctlName = "NS_GET_PARENT"
	IoctlGetNSType   NSIoctlName = "NS_GET_NSTYPE"
	IoctlGetOwnerUID NSIoctlName = "NS_GET_OWNER_UID"
)

// NSIoctlError is a failed nsfs ioctl; Unsupported says the kernel does
// not know the request at all (ENOTTY or ENOSYS).
type NSIoctlError struct {
	Name  NSIoctlName
	Errno unix.Errno
}

func (e *NSIoctlError) Error() string { return fmt.Sprintf("%s: %v", e.Name, e.Errno) }

// Unwrap exposes the errno to errors.Is.
func (e *NSIoctlError) Unwrap() error { return e.Errno }

// Unsupported reports whether the kernel lacks the ioctl.
func (e *NSIoctlError) Unsupported() bool {
	return e.Errno == unix.ENOTTY || e.Errno == unix.ENOSYS
}

func nsIoctl(fd int, req uint, name NSIoctlName) (int, error) {
	r, err := unix.IoctlRetInt(fd, req)
	if err != nil {
		return -1, &NSIoctlError{Name: name, Errno: err.(unix.Errno)}
	}
	return r, nil
}

// NSParentFd opens the parent of the pid or user namespace open on fd
// (NS_GET_PARENT). The initial namespace has none: EPERM.
func NSParentFd(fd int) (int, error) { return nsIoctl(fd, nsGetParent, IoctlGetParent) }

// NSOwnerFd opens the user namespace that owns the namespace open on fd
// (NS_GET_USERNS); EPERM when that is outside the caller's reach.
func NSOwnerFd(fd int) (int, error) { return nsIoctl(fd, nsGetUserns, IoctlGetUserns) }

// NSKindOf tells the type of the namespace open on fd (NS_GET_NSTYPE).
// ok is false for a CLONE_NEW* value nsbox does not know.
func NSKindOf(fd int) (t NSType, ok bool, err error) {
	flag, err := nsIoctl(fd, nsGetNSType, IoctlGetNSType)
	if err != nil {
		return NSType{}, false, err
	}
	t, ok = NSByFlag(uintptr(flag))
	return t, ok, nil
}

// NSOwnerUID returns the uid that created the user namespace open on fd
// (NS_GET_OWNER_UID); other namespace types give EINVAL.
func NSOwnerUID(fd int) (uint32, error) {
	var uid uint32
	_, _, e := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), nsGetOwnerUID, uintptr(unsafe.Pointer(&uid)))
	if e != 0 {
		return 0, &NSIoctlError{Name: IoctlGetOwnerUID, Errno: e}
	}
	return uid, nil
}

// SocketNetNSFd opens the network namespace a socket belongs to
// (SIOCGSKNS).
func SocketNetNSFd(sockFd int) (int, error) {
	r, err := unix.IoctlRetInt(sockFd, siocGSKNS)
	if err != nil {
		return -1, fmt.Errorf("SIOCGSKNS: %w", err)
	}
	return r, nil
}

// FdInode is the inode number of the file open on fd: for an nsfs file,
// the namespace identifier lsns and /proc/PID/ns links show.
func FdInode(fd int) (uint64, error) {
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return 0, fmt.Errorf("fstat: %w", err)
	}
	return st.Ino, nil
}

// ProcessFd duplicates file descriptor fd of process pid into this
// process (pidfd_open + pidfd_getfd, which need ptrace access to pid).
func ProcessFd(pid, fd int) (int, error) {
	pidfd, err := unix.PidfdOpen(pid, 0)
	if err != nil {
		return -1, fmt.Errorf("pidfd_open %d: %w", pid, err)
	}
	defer unix.Close(pidfd)
	nfd, err := unix.PidfdGetfd(pidfd, fd, 0)
	if err != nil {
		return -1, fmt.Errorf("pidfd_getfd %d/%d: %w", pid, fd, err)
	}
	return nfd, nil
}

// ParseNSLink splits what readlink returns for a namespace file or an fd
// open on one ("net:[4026531840]") into the type name and inode. Paths of
// ordinary files always start with '/', so they never match.
func ParseNSLink(s string) (name string, ino uint64, ok bool) {
	i := strings.IndexByte(s, ':')
	if i <= 0 || len(s) < i+4 || s[i+1] != '[' || s[len(s)-1] != ']' {
		return "", 0, false
	}
	n, err := strconv.ParseUint(s[i+2:len(s)-1], 10, 64)
	if err != nil {
		return "", 0, false
	}
	return s[:i], n, true
}
