package ip

import (
	"fmt"

	"nsbox/nsutil"
)

// netnsUsage is ip netns's usage, printed on stderr by "ip netns help"
// and for a bad list-id argument; scripts compare it, so it is kept byte
// for byte (a TAB after "Usage:" and at the start of the other lines).
const netnsUsage = "Usage:\tip netns list\n" +
	"\tip netns add NAME\n" +
	"\tip netns attach NAME PID\n" +
	"\tip netns set NAME NETNSID\n" +
	"\tip [-all] netns delete [NAME]\n" +
	"\tip netns identify [PID]\n" +
	"\tip netns pids NAME\n" +
	"\tip [-all] netns exec [NAME] cmd ...\n" +
	"\tip netns monitor\n" +
	"\tip netns list-id [target-nsid POSITIVE-INT] [nsid POSITIVE-INT]\n" +
	"NETNSID := auto | POSITIVE-INT\n"

// ipUsage is the top-level usage. It names only what this ip implements
// (the netns object and the options that matter to it); the other
// iproute2 options are accepted and have no effect on netns output.
const ipUsage = "Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n" +
	"       ip [ -force ] -batch filename\n" +
	"where  OBJECT := { help | netns }\n" +
	"       OPTIONS := { -V[ersion] | -a[ll] | -j[son] | -p[retty] | -force |\n" +
	"                    -b[atch] filename | -n[etns] name }\n" +
	"(nsbox implements the netns object of iproute2 " + nsutil.IPRouteRelease + ")\n"

// version is -V's line: the iproute2 release whose behaviour this follows,
// then nsbox's own version where iproute2 names its libbpf.
func version() string {
	return fmt.Sprintf("ip utility, iproute2-%s, nsbox %s\n", nsutil.IPRouteRelease, nsutil.Version)
}
