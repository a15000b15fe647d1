package unshare

import "nsbox/nsutil"

// helpText is nsbox's own help for unshare.
const helpText = `
Usage:
 unshare [options] [<program> [<argument>...]]

Start a program (by default your login shell) in new namespaces.

Namespaces (with =<file>, keep the namespace alive on that file):
 -m, --mount[=<file>]      new mount namespace
 -u, --uts[=<file>]        new UTS namespace (host and domain name)
 -i, --ipc[=<file>]        new System V IPC and POSIX message queue namespace
 -n, --net[=<file>]        new network namespace
 -p, --pid[=<file>]        new PID namespace (for the program's children,
                             or for the program itself with --fork)
 -U, --user[=<file>]       new user namespace
 -C, --cgroup[=<file>]     new cgroup namespace
 -T, --time[=<file>]       new time namespace

Mounts and files:
 --mount-proc[=<dir>]      mount a proc for the new PID namespace on <dir>
                             (default /proc; implies --mount)
 --mount-binfmt[=<dir>]    mount binfmt_misc on <dir> (implies --user, --mount)
 -l, --load-interp <string>
                           register a binfmt_misc interpreter inside
                             (implies --mount-binfmt)
 --propagation slave|shared|private|unchanged
                           propagation of / in the new mount namespace
                             (default private)
 -R, --root <dir>          chroot to <dir> before running the program
 -w, --wd <dir>            working directory for the program

Users and groups:
 -S, --setuid <uid>        run the program as this uid
 -G, --setgid <gid>        run the program as this gid, without extra groups
 --map-user <uid>|<name>   be this user inside (implies --user)
 --map-group <gid>|<name>  be this group inside (implies --user)
 -r, --map-root-user       be root inside (implies --user)
 -c, --map-current-user    keep your own uid and gid inside (implies --user)
 --map-auto                map your /etc/subuid and /etc/subgid ranges
                             from 0 (implies --user)
 --map-subids              map those ranges onto themselves (implies --user)
 --map-users <inner>:<outer>:<count>
                           map <count> uids from <outer> to <inner>; also
                             auto, subids or all; may repeat (implies --user)
 --map-groups <inner>:<outer>:<count>
                           the same for gids (implies --user)
 --owner <uid>:<gid>       make the new user namespace belong to this user
                             (implies --user)
 --setgroups allow|deny    allow or deny setgroups(2) in the user namespace
 --keep-caps               let the program keep its capabilities in the
                             new user namespace

Processes:
 -f, --fork                run the program as a child and wait for it
 --kill-child[=<signal>]   kill the child with <signal> (default KILL)
                             when unshare dies (implies --fork)
 --forward-signals         pass SIGTERM and SIGINT on to the child
                             (implies --fork)

Time and environment:
 --monotonic <seconds>     offset of CLOCK_MONOTONIC in the time namespace
 --boottime <seconds>      offset of CLOCK_BOOTTIME in the time namespace
 --clear-env               start the program with an empty environment
 --whitelist-env <names>   keep only these comma-separated variables

 -h, --help                show this help
 -V, --version             show the version

See unshare(1).
`

func usage() error { return nsutil.Print(name, helpText) }

func version() error { return nsutil.Print(name, nsutil.VersionLine(name)) }
