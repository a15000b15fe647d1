package lsns

import (
	"strconv"

	"nsbox/nsutil"
)

// userNames resolves uids to names from /etc/passwd, read once and only
// when a USER cell is needed; an unknown uid shows as its number.
type userNames struct {
	names map[uint32]string
}

func (u *userNames) name(uid uint32) string {
	if u.names == nil {
		u.names = nsutil.UserNames()
	}
	if n, ok := u.names[uid]; ok {
		return n
	}
	return strconv.FormatUint(uint64(uid), 10)
}
