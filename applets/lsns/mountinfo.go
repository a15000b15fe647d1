package lsns

import (
	"bytes"
	"os"
	"strconv"
	"strings"
)

// nsfsMount is an nsfs entry of /proc/self/mountinfo: a namespace bound
// to a path. root is "net:[4026532448]".
type nsfsMount struct {
	root, target string
}

// inode parses the number between '[' and ']' of the root, as lsns does.
func (m nsfsMount) inode() (uint64, bool) {
	i := strings.IndexByte(m.root, '[')
	if i < 0 {
		return 0, false
	}
	rest := m.root[i+1:]
	j := 0
	for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
		j++
	}
	if j == 0 || j >= len(rest) || rest[j] != ']' {
		return 0, false
	}
	n, err := strconv.ParseUint(rest[:j], 10, 64)
	return n, err == nil
}

// readNsfsMounts returns the nsfs mounts in mountinfo order.
func readNsfsMounts(path string) ([]nsfsMount, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []nsfsMount
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		if !bytes.Contains(line, []byte(" nsfs ")) {
			continue
		}
		f := strings.Fields(string(line))
		sep := -1
		for i := 6; i < len(f); i++ {
			if f[i] == "-" {
				sep = i
				break
			}
		}
		if sep < 0 || sep+1 >= len(f) || f[sep+1] != "nsfs" || len(f) < 5 {
			continue
		}
		out = append(out, nsfsMount{root: unescapeMount(f[3]), target: unescapeMount(f[4])})
	}
	return out, nil
}

// unescapeMount undoes the kernel's \ooo escapes of mountinfo fields.
func unescapeMount(s string) string {
	if strings.IndexByte(s, '\\') < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) && isOctal(s[i+1]) && isOctal(s[i+2]) && isOctal(s[i+3]) {
			b = append(b, (s[i+1]-'0')<<6|(s[i+2]-'0')<<3|(s[i+3]-'0'))
			i += 3
			continue
		}
		b = append(b, s[i])
	}
	return string(b)
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }

// nsfsPaths is lsns's NSFS cell: the mount points of ns joined by sep,
// leaving out a path already in the list (util-linux's substring-based
// check, kept as it is).
func nsfsPaths(mounts []nsfsMount, kind nsKind, ino uint64, sep byte) (string, bool) {
	root := kindNames[kind] + ":[" + strconv.FormatUint(ino, 10) + "]"
	var set string
	found := false
	for _, m := range mounts {
		if m.root != root {
			continue
		}
		if !found {
			set, found = m.target, true
		} else if !pathIncluded(set, m.target, sep) {
			set = set + string(sep) + m.target
		}
	}
	return set, found
}

// pathIncluded mirrors util-linux's is_path_included: it looks only at
// the first occurrence of elt in set.
func pathIncluded(set, elt string, sep byte) bool {
	i := strings.Index(set, elt)
	if i < 0 {
		return false
	}
	end := i + len(elt)
	if i == 0 && (len(set) == len(elt) || set[len(elt)] == sep) {
		return true
	}
	if i > 0 && set[i-1] == sep && (end == len(set) || set[end] == sep) {
		return true
	}
	return false
}
