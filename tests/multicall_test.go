package tests

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMulticall covers main.go's dispatch (ipnetns-busybox.md §3.6).
func TestMulticall(t *testing.T) {
	nsbox := Applet("nsbox")
	list := Run(t, Cmd{Argv: []string{nsbox, "--list"}})
	Want(t, list, "ip\nip-netns-lite\nlsns\nnsenter\nunshare\n", "", 0)
	Want(t, Run(t, Cmd{Argv: []string{nsbox, "--list-full"}}), "sbin/ip\nusr/bin/ip-netns-lite\nusr/bin/lsns\nusr/bin/nsenter\nusr/bin/unshare\n", "", 0)
	for _, args := range [][]string{{}, {"--help"}} {
		r := Run(t, Cmd{Argv: append([]string{nsbox}, args...)})
		if r.Code != 0 || r.Stderr != "" || !strings.Contains(r.Stdout, "Usage: nsbox APPLET [ARGUMENTS...]") || !strings.Contains(r.Stdout, "Applets: ip, ip-netns-lite, lsns, nsenter, unshare") {
			t.Errorf("nsbox %v: %s", args, r)
		}
	}
	// An applet by name, by path, through a link, and as a login shell
	// would name it ("-unshare").
	for _, c := range []Cmd{
		{Argv: []string{nsbox, "unshare", "-r", "id", "-u"}},
		{Argv: []string{nsbox, "/any/path/unshare", "-r", "id", "-u"}},
		{Argv: []string{Applet("unshare"), "-r", "id", "-u"}},
		{Argv: []string{nsbox, "-r", "id", "-u"}, Arg0: "-unshare"},
		{Argv: []string{nsbox, "-r", "id", "-u"}, Arg0: "/usr/bin/unshare"},
		{Argv: []string{nsbox, "unshare", "-r", "id", "-u"}, Arg0: "nsbox-amd64"},
	} {
		Want(t, Run(t, c), "0\n", "", 0)
	}
	// --help APPLET is the applet's help.
	r := Run(t, Cmd{Argv: []string{nsbox, "--help", "unshare"}})
	if r.Code != 0 || !strings.HasPrefix(r.Stdout, "\nUsage:\n unshare ") {
		t.Errorf("--help unshare: %s", r)
	}
	// Unknown names: busybox's message and 127.
	Want(t, Run(t, Cmd{Argv: []string{nsbox, "nosuch"}}), "", "nosuch: applet not found\n", 127)
	Want(t, Run(t, Cmd{Argv: []string{nsbox, "--bogus"}}), "", "--bogus: applet not found\n", 127)
	Want(t, Run(t, Cmd{Argv: []string{nsbox, "--help", "nosuch"}}), "", "nosuch: applet not found\n", 127)
	Want(t, Run(t, Cmd{Argv: []string{nsbox}, Arg0: "nosuchapplet"}), "", "nosuchapplet: applet not found\n", 127)
	Want(t, Run(t, Cmd{Argv: []string{nsbox}, Arg0: "-"}), "", ": applet not found\n", 127)
}

// TestInstall: --install links every applet, hard by default, symbolic
// with -s; it skips names that exist and reports other failures per name.
func TestInstall(t *testing.T) {
	nsbox := Applet("nsbox")
	for _, sym := range []bool{false, true} {
		d := TempDir(t)
		args := []string{nsbox, "--install", d}
		if sym {
			args = []string{nsbox, "--install", "-s", d}
		}
		os.WriteFile(filepath.Join(d, "lsns"), []byte("mine"), 0o644)
		Want(t, Run(t, Cmd{Argv: args}), "", "", 0)
		Want(t, Run(t, Cmd{Argv: args}), "", "", 0) // again: a no-op
		if b, _ := os.ReadFile(filepath.Join(d, "lsns")); string(b) != "mine" {
			t.Errorf("--install replaced an existing file")
		}
		for _, name := range []string{"unshare", "ip", "ip-netns-lite"} {
			p := filepath.Join(d, name)
			fi, err := os.Lstat(p)
			if err != nil {
				t.Fatalf("%s not installed: %v", name, err)
			}
			if sym != (fi.Mode()&os.ModeSymlink != 0) {
				t.Errorf("%s: symlink=%v, want %v", name, !sym, sym)
			}
		}
		Want(t, Run(t, Cmd{Argv: []string{filepath.Join(d, "unshare"), "-r", "id", "-u"}}), "0\n", "", 0)
	}
	r := Run(t, Cmd{Argv: []string{nsbox, "--install", "/nonexistent-nsbox"}})
	Want(t, r, "", "nsbox: /nonexistent-nsbox/ip: No such file or directory\nnsbox: /nonexistent-nsbox/ip-netns-lite: No such file or directory\nnsbox: /nonexistent-nsbox/lsns: No such file or directory\nnsbox: /nonexistent-nsbox/nsenter: No such file or directory\nnsbox: /nonexistent-nsbox/unshare: No such file or directory\n", 0)
}

// TestMakeInstall installs into a scratch DESTDIR and removes it again.
func TestMakeInstall(t *testing.T) {
	d := TempDir(t)
	r := Run(t, Cmd{Argv: []string{"make", "-s", "-C", "..", "install", "DESTDIR=" + d, "PREFIX=/usr", "BIN=" + filepath.Join(d, "nsbox")}})
	if r.Code != 0 {
		t.Fatalf("make install: %s", r)
	}
	for _, f := range []string{"bin/nsbox", "bin/unshare", "bin/nsenter", "bin/lsns", "bin/ip-netns-lite",
		"share/man/man1/unshare.1", "share/man/man1/nsenter.1", "share/man/man1/nsbox.1",
		"share/bash-completion/completions/nsbox", "share/bash-completion/completions/unshare"} {
		if _, err := os.Lstat(filepath.Join(d, "usr", f)); err != nil {
			t.Errorf("not installed: %s", f)
		}
	}
	if _, err := os.Lstat(filepath.Join(d, "usr/sbin/ip")); err == nil {
		t.Errorf("sbin/ip installed without IP_LINK=yes")
	}
	Want(t, Run(t, Cmd{Argv: []string{filepath.Join(d, "usr/bin/unshare"), "-r", "id", "-u"}}), "0\n", "", 0)
	r = Run(t, Cmd{Argv: []string{"make", "-s", "-C", "..", "uninstall", "DESTDIR=" + d, "PREFIX=/usr"}})
	if r.Code != 0 {
		t.Fatalf("make uninstall: %s", r)
	}
	r = Run(t, Cmd{Argv: []string{"find", filepath.Join(d, "usr"), "-type", "f", "-o", "-type", "l"}})
	Want(t, r, "", "", 0)
}

// TestInstallDoesNotFollowLinks: a name that exists as a symlink (even a
// dangling one, even to a file elsewhere) is left alone; nothing is
// written through it.
func TestInstallDoesNotFollowLinks(t *testing.T) {
	for _, mode := range [][]string{{"--install"}, {"--install", "-s"}} {
		d := TempDir(t)
		victim := filepath.Join(TempDir(t), "victim")
		os.WriteFile(victim, []byte("keep"), 0o644)
		os.Symlink(victim, filepath.Join(d, "unshare"))
		dangling := filepath.Join(TempDir(t), "nothere")
		os.Symlink(dangling, filepath.Join(d, "nsenter"))
		Want(t, Run(t, Cmd{Argv: append(append([]string{Applet("nsbox")}, mode...), d)}), "", "", 0)
		if b, _ := os.ReadFile(victim); string(b) != "keep" {
			t.Errorf("%v wrote through a symlink", mode)
		}
		if _, err := os.Lstat(dangling); err == nil {
			t.Errorf("%v created the target of a dangling symlink", mode)
		}
		if l, _ := os.Readlink(filepath.Join(d, "unshare")); l != victim {
			t.Errorf("%v replaced an existing symlink", mode)
		}
	}
}
