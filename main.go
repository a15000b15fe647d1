// nsbox is one binary that answers as unshare, nsenter, lsns and ip (netns),
// chosen by the name it is run under, the way busybox does.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"nsbox/applets/ip"
	"nsbox/applets/lsns"
	"nsbox/applets/nsenter"
	"nsbox/applets/unshare"
	"nsbox/nsutil"
	_ "nsbox/nsutil/prestage/enable" // the pre-runtime stage acts in this binary only
)

// Every namespace, mount, chroot and exec call happens on the main
// goroutine; the kernel keeps that state per thread, so the goroutine must
// never move. Locking here, before main runs and before any namespace
// changes, also keeps the runtime's template thread clean.
func init() { runtime.LockOSThread() }

// applet is one command nsbox can be run as. dir is where util-linux and
// iproute2 install it, used by --list-full and --install without DIR.
type applet struct {
	name string
	dir  string
	main func(argv []string) int
}

// applets is the one table of commands, sorted by name.
var applets = []applet{
	{"ip", "sbin", ip.Main},
	{"ip-netns-lite", "usr/bin", ip.Main},
	{"lsns", "usr/bin", lsns.Main},
	{"nsenter", "usr/bin", nsenter.Main},
	{"unshare", "usr/bin", unshare.Main},
}

func lookup(name string) (applet, bool) {
	for _, a := range applets {
		if a.name == name {
			return a, true
		}
	}
	return applet{}, false
}

func main() {
	// Signals ignored by whoever started us stay ignored, as they would
	// in a C program (the Go runtime replaced them with its handler).
	nsutil.KeepInheritedIgnores()
	// And the rest end us as they end a C program.
	nsutil.ActLikeC()
	// A process re-executed for the pre-runtime stage or as a helper
	// continues the work it was handed instead of reading argv.
	if rc, resumed := nsutil.Resume(); resumed {
		os.Exit(rc)
	}
	os.Exit(dispatch(os.Args))
}

// dispatch runs the applet named by argv[0]: one leading '-' (login shells)
// is dropped and the basename taken; a name starting with "nsbox" is the
// multiplexer.
func dispatch(argv []string) int {
	name := ""
	if len(argv) > 0 {
		name = filepath.Base(strings.TrimPrefix(argv[0], "-"))
		if argv[0] == "" || argv[0] == "-" {
			name = ""
		}
	}
	if strings.HasPrefix(name, "nsbox") {
		return multiplexer(argv)
	}
	a, ok := lookup(name)
	if !ok {
		fmt.Fprintf(os.Stderr, "%s: applet not found\n", name)
		return 127
	}
	return a.main(argv)
}

func multiplexer(argv []string) int {
	args := argv[1:]
	if len(args) == 0 || (args[0] == "--help" && len(args) == 1) {
		usage()
		return 0
	}
	switch args[0] {
	case "--list", "--list-full":
		for _, a := range applets {
			if args[0] == "--list-full" {
				fmt.Println(a.dir + "/" + a.name)
			} else {
				fmt.Println(a.name)
			}
		}
		return 0
	case "--help":
		a, ok := lookup(filepath.Base(args[1]))
		if !ok {
			fmt.Fprintf(os.Stderr, "%s: applet not found\n", args[1])
			return 127
		}
		return a.main([]string{a.name, "--help"})
	case "--install":
		return install(args[1:])
	}
	// "nsbox APPLET ..." and "nsbox /path/APPLET ...": the applet sees the
	// name as its argv[0], as if run through a link.
	name := filepath.Base(args[0])
	a, ok := lookup(name)
	if !ok {
		fmt.Fprintf(os.Stderr, "%s: applet not found\n", args[0])
		return 127
	}
	return a.main(args)
}

func usage() {
	names := make([]string, len(applets))
	for i, a := range applets {
		names[i] = a.name
	}
	sort.Strings(names)
	fmt.Printf(`nsbox %s: Linux namespace tools in one binary.

Usage: nsbox APPLET [ARGUMENTS...]
   or: APPLET [ARGUMENTS...]          (run through a link named APPLET)
   or: nsbox --list | --list-full
   or: nsbox --install [-s] [DIR]     (hard links, or symlinks with -s)
   or: nsbox --help [APPLET]

Applets: %s
`, nsutil.Version, strings.Join(names, ", "))
}
