package ip

import (
	"reflect"
	"strings"
	"testing"
)

// refusal is the parse step's refusal of a command line and where it is
// reported: "options" (while reading them), "object", "netns" or
// "list-id" (see failStage); nil when the line is accepted.
func refusal(cl *cmdLine) (*parseError, string) {
	if cl.fail != nil {
		return cl.fail, "options"
	}
	if cl.version || cl.batch || cl.cmd.fail == nil {
		return nil, ""
	}
	return cl.cmd.fail, [...]string{"object", "netns", "list-id"}[cl.cmd.failWhen]
}

// TestParseRefusals: the exact texts and statuses nsbox printed for these
// command lines before the parse step existed (recorded from the binary),
// and where each is reported. exit is false for a subcommand's return
// (a batch goes on with -force), true for iproute2's exit().
func TestParseRefusals(t *testing.T) {
	long := strings.Repeat("x", 256)
	usage := ipUsage
	help := netnsUsage
	cases := []struct {
		argv  string // words separated by '|'
		msg   string
		code  int
		exit  bool
		where string
		netns string // -n switches done before the refusal, '|'-separated
	}{
		{"", usage, 255, true, "options", ""},
		{"-x", "Option \"-x\" is unknown, try \"ip -help\".\n", 255, true, "options", ""},
		{"--x", "Option \"-x\" is unknown, try \"ip -help\".\n", 255, true, "options", ""},
		{"---json", "Option \"--json\" is unknown, try \"ip -help\".\n", 255, true, "options", ""},
		{"-", usage, 255, true, "options", ""},
		{"-loops", usage, 255, true, "options", ""},
		{"-loops|3|netns|bogus", "Command \"bogus\" is unknown, try \"ip netns help\".\n", 255, true, "netns", ""},
		{"-x|-V", "Option \"-x\" is unknown, try \"ip -help\".\n", 255, true, "options", ""},
		{"-h", usage, 255, true, "options", ""},
		{"-he|netns", usage, 255, true, "options", ""},
		{"-f", usage, 255, true, "options", ""},
		{"-f|help", usage, 255, true, "options", ""},
		{"-f|bogus", "Error: argument \"bogus\" is wrong: invalid protocol family\n", 255, true, "options", ""},
		{"-f|inet6|-x", "Option \"-x\" is unknown, try \"ip -help\".\n", 255, true, "options", ""},
		{"-rc", usage, 255, true, "options", ""},
		{"-rc|abc", "Invalid rcvbuf size 'abc'\n", 255, true, "options", ""},
		{"-rc|-1", "Invalid rcvbuf size '-1'\n", 255, true, "options", ""},
		{"-rc| 5|netns|bogus", "Command \"bogus\" is unknown, try \"ip netns help\".\n", 255, true, "netns", ""},
		{"-b", usage, 255, true, "options", ""},
		{"-batch", usage, 255, true, "options", ""},
		{"-b|/f|-x", "Option \"-x\" is unknown, try \"ip -help\".\n", 255, true, "options", ""},
		{"-n", usage, 255, true, "options", "(null)"},
		{"-n|..", "Invalid netns name \"..\"\n", 255, true, "options", ""},
		{"-n|", "Invalid netns name \"\"\n", 255, true, "options", ""},
		{"-n|a/b", "Invalid netns name \"a/b\"\n", 255, true, "options", ""},
		{"-n|.", "Invalid netns name \".\"\n", 255, true, "options", ""},
		{"-n|" + long, "Invalid netns name \"" + long + "\"\n", 255, true, "options", ""},
		{"-n|ok|-x", "Option \"-x\" is unknown, try \"ip -help\".\n", 255, true, "options", "ok"},
		{"-n|ok|-n|..|netns", "Invalid netns name \"..\"\n", 255, true, "options", "ok"},
		{"-x|-n|nosuch", "Option \"-x\" is unknown, try \"ip -help\".\n", 255, true, "options", ""},
		{"-color=bad", "Option \"-color=bad\" is unknown, try \"ip -help\".\n", 255, true, "options", ""},
		{"-c", usage, 255, true, "options", ""},
		{"-col=never|-j|-p|-force|-all|netns|bogus", "Command \"bogus\" is unknown, try \"ip netns help\".\n", 255, true, "netns", ""},
		{"--", usage, 255, true, "options", ""},
		{"--|-x", "Object \"-x\" is unknown, try \"ip help\".\n", 1, false, "object", ""},
		{"-j|-p|link", "Object \"link\" is unknown, try \"ip help\".\n", 1, false, "object", ""},
		{"n", "Object \"n\" is unknown, try \"ip help\".\n", 1, false, "object", ""},
		{"h", usage, 255, true, "object", ""},
		{"he|foo", usage, 255, true, "object", ""},
		{"helpx", "Object \"helpx\" is unknown, try \"ip help\".\n", 1, false, "object", ""},
		{"|netns", "Object \"\" is unknown, try \"ip help\".\n", 1, false, "object", ""},
		{"NETNS", "Object \"NETNS\" is unknown, try \"ip help\".\n", 1, false, "object", ""},
		{"-s|-d|-r|-o|-t|-ts|-i|-4|-6|-0|-M|-B|-N|-br|-echo|-human|-iec|netns|bogus", "Command \"bogus\" is unknown, try \"ip netns help\".\n", 255, true, "netns", ""},
		{"-ech", "Option \"-ech\" is unknown, try \"ip -help\".\n", 255, true, "options", ""},
		{"-e", "Option \"-e\" is unknown, try \"ip -help\".\n", 255, true, "options", ""},
		{"-all|netns|bogus|..", "Command \"bogus\" is unknown, try \"ip netns help\".\n", 255, true, "netns", ""},
		{"netns|bogus|..", "Invalid netns name \"..\"\n", 255, true, "netns", ""},
		{"netns||", "Invalid netns name \"\"\n", 255, true, "netns", ""},
		{"netns|", "Command \"\" is unknown, try \"ip netns help\".\n", 255, true, "netns", ""},
		{"netns|help", help, 255, true, "netns", ""},
		{"netns|h|extra", help, 255, true, "netns", ""},
		{"netns|help|..", "Invalid netns name \"..\"\n", 255, true, "netns", ""},
		{"netns|list|", "Invalid netns name \"\"\n", 255, true, "netns", ""},
		{"netns|s|a/b", "Invalid netns name \"a/b\"\n", 255, true, "netns", ""},
		{"netns|x|y|z", "Command \"x\" is unknown, try \"ip netns help\".\n", 255, true, "netns", ""},
		{"netns|add", "No netns name specified\n", 1, false, "netns", ""},
		{"netns|add|.", "Invalid netns name \".\"\n", 255, true, "netns", ""},
		{"netns|add|" + long, "Invalid netns name \"" + long + "\"\n", 255, true, "netns", ""},
		{"net|ad|../x", "Invalid netns name \"../x\"\n", 255, true, "netns", ""},
		{"-all|netns|add|../x", "Invalid netns name \"../x\"\n", 255, true, "netns", ""},
		{"-a|net|a|..", "Invalid netns name \"..\"\n", 255, true, "netns", ""},
		{"-all|netns|add", "No netns name specified\n", 1, false, "netns", ""},
		{"netns|attach", "No netns name and PID specified\n", 1, false, "netns", ""},
		{"netns|attach|y", "No netns name and PID specified\n", 1, false, "netns", ""},
		{"netns|at|y|abc", "Invalid PID: abc\n", 1, false, "netns", ""},
		{"netns|attach|y|0x0", "Invalid PID: 0x0\n", 1, false, "netns", ""},
		{"netns|attach|y| 0", "Invalid PID:  0\n", 1, false, "netns", ""},
		{"netns|attach|y|99999999999", "Invalid PID: 99999999999\n", 1, false, "netns", ""},
		{"-all|netns|attach|../x|abc", "Invalid PID: abc\n", 1, false, "netns", ""},
		{"-all|netns|attach|../x|1", "Invalid netns name \"../x\"\n", 255, true, "netns", ""},
		{"netns|set", "No netns name specified\n", 1, false, "netns", ""},
		{"netns|set|x", "No nsid specified\n", 1, false, "netns", ""},
		{"netns|set|x|abc", "Error: argument \"abc\" is wrong: Invalid \"netnsid\" value\n", 255, true, "netns", ""},
		{"netns|set|x|-3", "Error: argument \"-3\" is wrong: \"netnsid\" value should be >= 0\n", 255, true, "netns", ""},
		{"netns|se|x|2147483648", "Error: argument \"2147483648\" is wrong: Invalid \"netnsid\" value\n", 255, true, "netns", ""},
		{"netns|set|x|", "Error: argument \"\" is wrong: Invalid \"netnsid\" value\n", 255, true, "netns", ""},
		{"-all|netns|set|../x|abc", "Error: argument \"abc\" is wrong: Invalid \"netnsid\" value\n", 255, true, "netns", ""},
		{"-all|netns|set|../x", "No nsid specified\n", 1, false, "netns", ""},
		{"-all|netns|set|../x|auto", "Invalid netns name \"../x\"\n", 255, true, "netns", ""},
		{"netns|delete", "No netns name specified\n", 1, false, "netns", ""},
		{"netns|del|a/b|x", "Invalid netns name \"a/b\"\n", 255, true, "netns", ""},
		{"netns|identify|abc", "Specified string 'abc' is not a pid\n", 1, false, "netns", ""},
		{"netns|identify|1|2", "extra arguments specified\n", 1, false, "netns", ""},
		{"netns|identify|", "Invalid netns name \"\"\n", 255, true, "netns", ""},
		{"-all|netns|identify|x/y", "Specified string 'x/y' is not a pid\n", 1, false, "netns", ""},
		{"netns|pids", "No netns name specified\n", 1, false, "netns", ""},
		{"netns|pids|x|y", "extra arguments specified\n", 1, false, "netns", ""},
		{"-all|netns|pids|../x", "Invalid netns name \"../x\"\n", 255, true, "netns", ""},
		{"-all|netns|pids|a|b", "extra arguments specified\n", 1, false, "netns", ""},
		{"netns|exec", "No netns name specified\n", 1, false, "netns", ""},
		{"netns|exec|x", "No command specified\n", 1, false, "netns", ""},
		{"netns|e|..|true", "Invalid netns name \"..\"\n", 255, true, "netns", ""},
		{"-all|netns|exec", "No command specified\n", 1, false, "netns", ""},
		{"netns|exec|a/b", "Invalid netns name \"a/b\"\n", 255, true, "netns", ""},
		{"netns|list-id|bogus", help, 255, true, "list-id", ""},
		{"netns|list-id|nsid", "Command line is not complete. Try option \"help\"\n", 255, true, "list-id", ""},
		{"netns|list-id|nsid|x", "Error: argument \"x\" is wrong: \"nsid\" value is invalid\n", 255, true, "list-id", ""},
		{"netns|list-id|nsid|-1", "Error: argument \"(null)\" is wrong: \"nsid\" value should be >= 0\n", 255, true, "list-id", ""},
		{"netns|list-id|nsid|-1|target-nsid", "Error: argument \"target-nsid\" is wrong: \"nsid\" value should be >= 0\n", 255, true, "list-id", ""},
		{"netns|list-id|nsid|1|nsid|2", "Error: duplicate \"nsid\": \"nsid\" is the second value.\n", 255, true, "list-id", ""},
		{"netns|list-id|target-nsid|1|target-nsid", "Error: duplicate \"target-nsid\": \"target-nsid\" is the second value.\n", 255, true, "list-id", ""},
		{"netns|list-id|target-nsid|-5|x", "Error: argument \"x\" is wrong: \"target-nsid\" value should be >= 0\n", 255, true, "list-id", ""},
		{"netns|list-id|target-nsid|0x", "Error: argument \"0x\" is wrong: \"target-nsid\" value is invalid\n", 255, true, "list-id", ""},
		{"netns|list-|nsid|1|bogus", help, 255, true, "list-id", ""},
		{"netns|list-id|..", "Invalid netns name \"..\"\n", 255, true, "netns", ""},
		{"netns|list-id|nsid|5|target-nsid|x", "Error: argument \"x\" is wrong: \"target-nsid\" value is invalid\n", 255, true, "list-id", ""},
		{"-all|netns|list-id|..", help, 255, true, "list-id", ""},
	}
	for _, c := range cases {
		argv := words(c.argv)
		cl := parseCmdLine(argv)
		e, where := refusal(cl)
		if e == nil {
			t.Errorf("%q: accepted: %+v", argv, cl)
			continue
		}
		if e.msg != c.msg || e.code != c.code || e.exit != c.exit || where != c.where {
			t.Errorf("%q: got %q, %d, exit %v, at %s; want %q, %d, exit %v, at %s",
				argv, e.msg, e.code, e.exit, where, c.msg, c.code, c.exit, c.where)
		}
		if want := words(c.netns); !reflect.DeepEqual(cl.netns, want) {
			t.Errorf("%q: -n switches %q, want %q", argv, cl.netns, want)
		}
	}
}

// words splits a '|'-separated test argv; "" is no words.
func words(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "|")
}

// TestParseAccepted: what accepted command lines ask for.
func TestParseAccepted(t *testing.T) {
	cases := []struct {
		argv string
		want cmdLine
	}{
		{"-V", cmdLine{version: true}},
		{"-n|a|-Version|-x", cmdLine{netns: []string{"a"}, version: true}},
		{"-force|-b|/f|-n|x|netns|bogus", cmdLine{netns: []string{"x"}, force: true, batch: true, batchFile: "/f"}},
		{"-b|-|-b|g", cmdLine{batch: true, batchFile: "g"}},
		{"netns", cmdLine{cmd: command{sub: "list", failWhen: atNetns}}},
		{"-j|-p|net|s|x|y", cmdLine{json: true, pretty: true, cmd: command{sub: "list", failWhen: atNetns}}},
		{"--json|--|netns|lst", cmdLine{json: true, cmd: command{sub: "list", failWhen: atNetns}}},
		{"net|ad|a b|extra", cmdLine{cmd: command{sub: "add", name: "a b", failWhen: atNetns}}},
		{"netns|add|" + strings.Repeat("y", 255), cmdLine{cmd: command{sub: "add", name: strings.Repeat("y", 255), failWhen: atNetns}}},
		{"netns|attach|y|0x10", cmdLine{cmd: command{sub: "attach", name: "y", pid: 16, failWhen: atNetns}}},
		{"netns|attach|y|-5", cmdLine{cmd: command{sub: "attach", name: "y", pid: -5, failWhen: atNetns}}},
		{"netns|set|x|auto", cmdLine{cmd: command{sub: "set", name: "x", nsid: -1, failWhen: atNetns}}},
		{"netns|se|x|010", cmdLine{cmd: command{sub: "set", name: "x", nsid: 8, failWhen: atNetns}}},
		{"netns|d|x|y", cmdLine{cmd: command{sub: "delete", name: "x", failWhen: atNetns}}},
		{"-a|netns|d|../x", cmdLine{all: true, cmd: command{sub: "delete", all: true, failWhen: atNetns}}},
		{"-all|netns|delete", cmdLine{all: true, cmd: command{sub: "delete", all: true, failWhen: atNetns}}},
		{"netns|identify", cmdLine{cmd: command{sub: "identify", proc: "self", failWhen: atNetns}}},
		{"netns|i|007", cmdLine{cmd: command{sub: "identify", proc: "007", failWhen: atNetns}}},
		{"-all|netns|identify|", cmdLine{all: true, cmd: command{sub: "identify", proc: "", failWhen: atNetns}}},
		{"netns|p|x", cmdLine{cmd: command{sub: "pids", name: "x", failWhen: atNetns}}},
		{"netns|exec|x|--|sh|-c|exit 7", cmdLine{cmd: command{sub: "exec", name: "x", argv: []string{"--", "sh", "-c", "exit 7"}, failWhen: atNetns}}},
		{"-all|netns|exec|x|..", cmdLine{all: true, cmd: command{sub: "exec", all: true, argv: []string{"x", ".."}, failWhen: atNetns}}},
		{"netns|monitor|x", cmdLine{cmd: command{sub: "monitor", failWhen: atNetns}}},
		{"netns|list-id", cmdLine{cmd: command{sub: "list-id", target: -1, id: -1, failWhen: atNetns}}},
		{"netns|list-|nsid|0x2|target-nsid| 3", cmdLine{cmd: command{sub: "list-id", target: 3, id: 2, failWhen: atNetns}}},
		{"-n|a|-n|b|netns", cmdLine{netns: []string{"a", "b"}, cmd: command{sub: "list", failWhen: atNetns}}},
	}
	for _, c := range cases {
		argv := words(c.argv)
		if got := parseCmdLine(argv); !reflect.DeepEqual(*got, c.want) {
			t.Errorf("%q:\n got %+v\nwant %+v", argv, *got, c.want)
		}
	}
}

// TestParseBatchLine: a batch line's command is read the same way, with
// the command line's -all.
func TestParseBatchLine(t *testing.T) {
	if c := parseCommand("netns", []string{"exec", "x", "true"}, false); c.fail != nil || c.name != "x" || !reflect.DeepEqual(c.argv, []string{"true"}) {
		t.Errorf("exec: %+v", c)
	}
	if c := parseCommand("netns", []string{"delete", "../x"}, true); c.fail != nil || !c.all || c.name != "" {
		t.Errorf("-all delete: %+v", c)
	}
	if c := parseCommand("link", nil, false); c.fail == nil || c.fail.exit || c.fail.code != 1 || c.failWhen != atObject {
		t.Errorf("link: %+v", c)
	}
}
