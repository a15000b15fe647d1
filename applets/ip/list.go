package ip

import (
	"errors"
	"fmt"

	"golang.org/x/sys/unix"

	"nsbox/cli"
	"nsbox/nsutil"
)

// list prints every entry of the run directory, in directory order, with
// " (id: N)" when the current namespace has an id for it. Stale entries
// (plain files) are listed too, after the kernel's complaint. A missing
// directory prints nothing at all, not even "[]" with -json.
func (s *session) list() int {
	names, err := runDirNames()
	if err != nil {
		return 0
	}
	var j *jsonOut
	if s.json {
		j = newJSON(s.out, s.pretty)
	}
	for _, n := range names {
		id := int32(-1)
		if s.haveNSID() {
			id = s.nsidOfName(n)
		}
		if j != nil {
			j.startObject()
			j.str("name", n)
			if id >= 0 {
				j.int("id", int64(id))
			}
			j.endObject()
			continue
		}
		s.out.WriteString(n)
		if id >= 0 {
			fmt.Fprintf(s.out, " (id: %d)", id)
		}
		s.out.WriteByte('\n')
	}
	if j != nil {
		j.close()
	}
	return 0
}

// listID is "list-id [target-nsid T] [nsid N]": the ids the current
// namespace (or the one it calls T) has assigned, with the names they
// belong to.
func (s *session) listID(c *command) int {
	if !s.haveNSID() {
		s.errorf("RTM_GETNSID is not supported by the kernel.\n")
		return -int(unix.ENOTSUP)
	}
	if c.fail != nil { // atListID: the arguments are looked at now
		return -s.refuse(c.fail)
	}
	target, nsid := c.target, c.id
	if nsid >= 0 {
		return s.lookupNSID(nsid, target)
	}
	infos, err := s.mainRoute().DumpNSIDs(target)
	var ae *nsutil.NetlinkAckError
	if err != nil && !errors.As(err, &ae) && !errors.Is(err, nsutil.ErrNoNSIDAttr) {
		s.errorf("Cannot send dump request: %s\n", cli.Strerror(err))
		s.exit(1)
	}
	var j *jsonOut
	if s.json {
		j = newJSON(s.out, s.pretty)
	}
	for _, info := range infos {
		s.printNSID(info, j)
	}
	if err != nil {
		// the kernel's reason comes while the dump runs, before the
		// JSON array is closed
		if ae != nil {
			s.dumpError(ae)
		} else {
			s.errorf("BUG: NETNSA_NSID is missing print_nsid\n")
		}
		if j != nil {
			j.close()
		}
		s.errorf("Dump terminated\n")
		s.exit(1)
	}
	if j != nil {
		j.close()
	}
	return 0
}

// lookupNSID answers "list-id nsid N [target-nsid T]" with one request.
func (s *session) lookupNSID(nsid, target int32) int {
	s.nsidSocketInit()
	info, err := s.nsid.ids.LookupNSID(nsid, target)
	if errors.Is(err, nsutil.ErrNoNSIDAttr) {
		s.errorf("BUG: NETNSA_NSID is missing print_nsid\n")
		return -1
	}
	if err != nil {
		s.netlinkError(err)
		return -2
	}
	var j *jsonOut
	if s.json {
		j = newJSON(s.out, s.pretty)
	}
	s.printNSID(info, j)
	if j != nil {
		j.close()
	}
	return 0
}

// printNSID prints one id line: "nsid N " (or "nsid unassigned "), then
// "current-nsid M " when the question named a target, then the name. A
// line without a name keeps its trailing space. The name is looked up by
// the current-namespace id in the cache (and then dropped from it);
// failing that, the run directory is scanned for the first name with id
// N, which is iproute2's behaviour even when N is the target's id.
func (s *session) printNSID(info nsutil.NSIDInfo, j *jsonOut) {
	if j != nil {
		j.startObject()
		defer j.endObject()
	}
	if info.Deleted {
		if j != nil {
			j.key("deleted")
			j.separate()
			j.w.WriteString("true")
		} else {
			s.out.WriteString("Deleted ")
		}
	}
	if info.NSID < 0 {
		if j == nil {
			s.out.WriteString("nsid unassigned ")
		}
	} else if j != nil {
		j.int("nsid", int64(info.NSID))
	} else {
		fmt.Fprintf(s.out, "nsid %d ", info.NSID)
	}
	key := info.NSID
	if info.HasCurrent {
		key = info.Current
		if info.Current < 0 {
			if j == nil {
				s.out.WriteString("current-nsid unassigned ")
			}
		} else if j != nil {
			j.int("current-nsid", int64(info.Current))
		} else {
			fmt.Fprintf(s.out, "current-nsid %d ", info.Current)
		}
	}
	name, found := "", false
	if i, ok := s.cacheFind(key); ok {
		name, found = s.nsid.cache[i].name, true
		s.cacheDel(i)
	} else if !info.Deleted {
		if name, found = s.nameOfNSID(info.NSID); found {
			s.cacheAdd(info.NSID, name)
		}
	}
	if found {
		if j != nil {
			j.str("name", name)
		} else {
			fmt.Fprintf(s.out, "(iproute2 netns name: %s)", name)
		}
	}
	if j == nil {
		s.out.WriteByte('\n')
	}
	s.out.Flush() // iproute2 flushes each id line
}

// dumpError prints why a dump ended, as libnetlink does: the kernel's
// explanation if any, silence for ENOENT/EOPNOTSUPP.
func (s *session) dumpError(ae *nsutil.NetlinkAckError) {
	switch {
	case ae.Msg != "":
		s.errorf("Error: %s\n", withPeriod(ae.Msg))
	case ae.Errno == unix.ENOENT || ae.Errno == unix.EOPNOTSUPP:
	case ae.Errno == unix.EMSGSIZE:
		s.errorf("Error: Buffer too small for object.\n")
	default:
		s.errorf("RTNETLINK answers: %s\n", cli.Strerror(ae.Errno))
	}
}
