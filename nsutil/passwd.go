package nsutil

import (
	"bufio"
	"os"
	"strconv"
	"strings"
)

// Account is one /etc/passwd or /etc/group entry, as far as nsbox needs it.
// The files are read directly (no NSS), so a static binary behaves the same
// as a dynamic one; LDAP/NIS users are not seen.
type Account struct {
	Name  string
	ID    uint32
	Shell string // passwd only
}

const (
	passwdFile = "/etc/passwd"
	groupFile  = "/etc/group"
)

// scanAccounts calls match for each well-formed line of file until it
// returns true; it reports the matching entry.
func scanAccounts(file string, match func(Account) bool) (Account, bool) {
	f, err := os.Open(file)
	if err != nil {
		return Account{}, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 4096), 1<<20)
	for sc.Scan() {
		fields := strings.Split(sc.Text(), ":")
		if len(fields) < 3 {
			continue
		}
		id, err := strconv.ParseUint(fields[2], 10, 32)
		if err != nil {
			continue
		}
		a := Account{Name: fields[0], ID: uint32(id)}
		if len(fields) >= 7 {
			a.Shell = fields[6]
		}
		if match(a) {
			return a, true
		}
	}
	return Account{}, false
}

// UserByID finds the passwd entry of uid.
func UserByID(uid uint32) (Account, bool) {
	return scanAccounts(passwdFile, func(a Account) bool { return a.ID == uid })
}

// UserByName finds the passwd entry called name.
func UserByName(name string) (Account, bool) {
	return scanAccounts(passwdFile, func(a Account) bool { return a.Name == name })
}

// GroupByName finds the group entry called name.
func GroupByName(name string) (Account, bool) {
	return scanAccounts(groupFile, func(a Account) bool { return a.Name == name })
}

// ParseID reads a user or group given as a decimal number (it need not
// exist) or a name (it must), as util-linux's ul_getuserpw_str does; ok is
// false for anything else, negative numbers and hex included.
func ParseID(s string, byName func(string) (Account, bool)) (uint32, bool) {
	if s == "" {
		return 0, false
	}
	if s[0] >= '0' && s[0] <= '9' {
		n, err := strconv.ParseUint(s, 10, 32)
		if err == nil {
			return uint32(n), true
		}
	}
	a, ok := byName(s)
	return a.ID, ok
}

// UserNames maps every uid in /etc/passwd to its name (the first entry
// for a uid, as getpwuid finds it), for tools that name many owners.
func UserNames() map[uint32]string {
	names := map[uint32]string{}
	scanAccounts(passwdFile, func(a Account) bool {
		if _, dup := names[a.ID]; !dup && a.Name != "" {
			names[a.ID] = a.Name
		}
		return false
	})
	return names
}
