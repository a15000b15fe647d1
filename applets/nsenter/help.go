package nsenter

import "nsbox/nsutil"

// helpText is nsbox's own help for nsenter.
const helpText = `
Usage:
 nsenter [options] [<program> [<argument>...]]

Run a program (by default your login shell) in the namespaces of another
process, or in namespaces kept on files.

Where to go:
 -t, --target <pid>[:<inode>]  the process whose namespaces to enter
                                 (:<inode> pins it by its pidfd inode)
 -a, --all                     every namespace of the target
 -m, --mount[=<file>|=:<id>]   the mount namespace (of the target, of
                                 <file>, or with namespace id <id>)
 -u, --uts[=<file>|=:<id>]     the UTS namespace
 -i, --ipc[=<file>|=:<id>]     the IPC namespace
 -n, --net[=<file>|=:<id>]     the network namespace
 -N, --net-socket <fd>         the network namespace of the target's
                                 socket <fd> (needs --target)
 -p, --pid[=<file>|=:<id>]     the PID namespace (the program is forked)
 -C, --cgroup[=<file>|=:<id>]  the cgroup namespace
 -U, --user[=<file>|=:<id>]    the user namespace
     --user-parent             the parent of that user namespace
 -T, --time[=<file>|=:<id>]    the time namespace

What to run as, and where:
 -S, --setuid <uid>|follow     uid to run as (follow: the target's)
 -G, --setgid <gid>|follow     gid to run as (follow: the target's)
     --preserve-credentials    keep our ids when entering a user namespace
     --keep-caps               keep the capabilities the user namespace
                                 gives across the program's start
 -r, --root[=<dir>]            root directory (default: the target's)
 -w, --wd[=<dir>]              working directory (default: the target's)
 -W, --wdns[=<dir>]            working directory, as a path inside
 -e, --env                     the target's environment
 -c, --join-cgroup             the target's cgroup (cgroup v2)
 -F, --no-fork                 do not fork, even for a PID namespace

 -h, --help                    show this help
 -V, --version                 show the version

See nsenter(1).
`

func usage() error { return nsutil.Print(name, helpText) }

func version() error { return nsutil.Print(name, nsutil.VersionLine(name)) }
