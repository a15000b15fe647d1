package ip

import (
	"errors"
	"strings"

	"golang.org/x/sys/unix"

	"nsbox/cli"
	"nsbox/nsutil"
)

// nsidState is what iproute2 keeps about NETNSIDs for a whole run (a batch
// file included): whether the kernel has them, its two rtnetlink sockets,
// and the name cache that list-id uses to put names on ids.
type nsidState struct {
	probed, have bool
	main         *nsutil.Route // requests, the dump and set (iproute2's rth)
	ids          *nsutil.Route // per-name id queries (iproute2's rtnsh)
	cacheInit    bool
	cache        []cachedID
}

// cachedID maps an id (as the current namespace sees it) to a name.
type cachedID struct {
	nsid int32
	name string
}

// openRoute opens an rtnetlink socket in the calling thread's network
// namespace with extended acks (and, for dumps, strict checking) on.
func openRoute(strict bool) (*nsutil.Route, error) {
	r, err := nsutil.OpenRoute()
	if err != nil {
		return nil, err
	}
	r.EnableExtAck() // older kernels: plain errno replies
	if strict {
		r.EnableStrictCheck()
	}
	return r, nil
}

// mainRoute returns the main socket, opening it on first use.
func (s *session) mainRoute() *nsutil.Route {
	if s.nsid.main == nil {
		r, err := openRoute(true)
		if err != nil {
			s.errorf("Cannot open netlink socket: %s\n", cli.Strerror(err))
			s.exit(1)
		}
		s.nsid.main = r
	}
	return s.nsid.main
}

// haveNSID probes once whether the kernel answers RTM_GETNSID, by asking
// for the id of our own namespace.
func (s *session) haveNSID() bool {
	if s.nsid.probed {
		return s.nsid.have
	}
	s.nsid.probed = true
	fd, err := unix.Open(nsutil.ThreadNetnsFile, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		s.errorf("/proc/self/ns/net: %s. Continuing anyway.\n", cli.Strerror(err))
		return false
	}
	defer unix.Close(fd)
	_, err = s.mainRoute().NSIDOfFD(fd)
	var ae *nsutil.NetlinkAckError
	switch {
	case errors.As(err, &ae):
		s.nsid.have = ae.Errno != unix.EOPNOTSUPP && ae.Errno != unix.EINVAL
	case err != nil:
		s.errorf("request send failed: %s\n", cli.Strerror(err))
		s.exit(1)
	default:
		s.nsid.have = true
	}
	return s.nsid.have
}

// nsidSocketInit opens the id-query socket when the kernel has nsids.
func (s *session) nsidSocketInit() {
	if s.nsid.ids != nil || !s.haveNSID() {
		return
	}
	r, err := openRoute(false)
	if err != nil {
		s.errorf("Cannot open rtnetlink\n")
		s.exit(1)
	}
	s.nsid.ids = r
}

// netlinkError prints a failed request the way libnetlink does: the
// kernel's explanation as "Error: ...." when there is one.
func (s *session) netlinkError(err error) {
	var ae *nsutil.NetlinkAckError
	if !errors.As(err, &ae) {
		s.errorf("Cannot talk to rtnetlink: %s\n", cli.Strerror(err))
		return
	}
	if ae.Msg != "" {
		s.errorf("Error: %s\n", withPeriod(ae.Msg))
		return
	}
	s.errorf("RTNETLINK answers: %s\n", cli.Strerror(ae.Errno))
}

// withPeriod ends a kernel message with a period, as libnetlink does.
func withPeriod(msg string) string {
	if strings.HasSuffix(msg, ".") {
		return msg
	}
	return msg + "."
}

// nsidOfName is iproute2's get_netnsid_from_name: the id the current
// namespace has for runDir/NAME, -1 when unassigned or when the file
// cannot be opened, -2 (after the kernel's message) when the kernel
// refuses, e.g. for a stale plain file.
func (s *session) nsidOfName(name string) int32 {
	s.nsidSocketInit()
	fd, err := unix.Open(runDir+"/"+name, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1
	}
	defer unix.Close(fd)
	r := s.nsid.ids
	if r == nil {
		r = s.mainRoute()
	}
	id, err := r.NSIDOfFD(fd)
	if err != nil {
		s.netlinkError(err)
		return -2
	}
	return id
}

// nsidCacheInit fills the name cache once per run: the first name (in
// directory order) for each assigned id.
func (s *session) nsidCacheInit() {
	if s.nsid.cacheInit || !s.haveNSID() {
		return
	}
	names, err := runDirNames()
	if err != nil {
		return // tried again next time, as in iproute2
	}
	for _, n := range names {
		if id := s.nsidOfName(n); id >= 0 {
			s.cacheAdd(id, n)
		}
	}
	s.nsid.cacheInit = true
}

func (s *session) cacheAdd(nsid int32, name string) {
	if _, ok := s.cacheFind(nsid); !ok {
		s.nsid.cache = append(s.nsid.cache, cachedID{nsid, name})
	}
}

func (s *session) cacheFind(nsid int32) (int, bool) {
	if nsid < 0 {
		return 0, false
	}
	for i, c := range s.nsid.cache {
		if c.nsid == nsid {
			return i, true
		}
	}
	return 0, false
}

func (s *session) cacheDel(i int) {
	s.nsid.cache = append(s.nsid.cache[:i], s.nsid.cache[i+1:]...)
}

// nameOfNSID scans the run directory for the first name with that id.
func (s *session) nameOfNSID(nsid int32) (string, bool) {
	if nsid < 0 {
		return "", false
	}
	names, err := runDirNames()
	if err != nil {
		return "", false
	}
	for _, n := range names {
		if id := s.nsidOfName(n); id >= 0 && id == nsid {
			return n, true
		}
	}
	return "", false
}
