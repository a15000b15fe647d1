package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"nsbox/cli"
)

// install links every applet name to this binary, as busybox --install
// does: hard links by default, symlinks with -s, into DIR or each applet's
// own directory under /. Existing names are left alone; other failures are
// reported per name and do not change the exit status.
func install(args []string) int {
	symlink := false
	if len(args) > 0 && args[0] == "-s" {
		symlink = true
		args = args[1:]
	}
	dir := ""
	if len(args) > 0 {
		dir = args[0]
	}
	self, err := os.Readlink("/proc/self/exe")
	if err != nil {
		self = os.Args[0]
		if !filepath.IsAbs(self) {
			fmt.Fprintf(os.Stderr, "nsbox: '%s' is not an absolute path\n", self)
			return 1
		}
	}
	for _, a := range applets {
		target := filepath.Join("/", a.dir, a.name)
		if dir != "" {
			target = filepath.Join(dir, a.name)
		}
		if symlink {
			err = os.Symlink(self, target)
		} else {
			err = os.Link(self, target)
		}
		if err != nil && !errors.Is(err, os.ErrExist) {
			cli.Warn("nsbox", unwrapPathError(err), "%s", target)
		}
	}
	return 0
}

func unwrapPathError(err error) error {
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}
