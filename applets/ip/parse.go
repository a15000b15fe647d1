package ip

import (
	"fmt"

	"nsbox/nsutil"
)

// The parse step: a command line (argv after "ip") or a batch line turned
// into what ip is asked to do, or into the refusal iproute2 would print,
// without touching the system. The execution (ip.go, netns.go and the
// subcommands) acts on the result and prints a refusal at the point where
// iproute2 prints it, which is not always at once: see failStage.

// cmdLine is a whole command line.
type cmdLine struct {
	// netns are the -n NAMEs in order. iproute2 switches to each while
	// it reads the options, so everything after it (a refusal included)
	// happens inside; a bad name is a refusal after the switches before
	// it.
	netns                    []string
	all, json, pretty, force bool
	version                  bool   // -V: print the version, exit 0
	batch                    bool   // -b FILE: run the file; words after the options are ignored
	batchFile                string // "-" is stdin
	fail                     *parseError
	cmd                      command // when none of fail, version, batch
}

// command is one "OBJECT ARGS..." with its arguments checked. Only the
// netns object is run; every other one is a refusal.
type command struct {
	sub      string   // canonical netns subcommand (netnsCommands; "list" for none)
	all      bool     // -all delete / -all exec: every name in the run directory
	name     string   // NAME of add, attach, set, delete, pids and exec
	pid      int32    // attach PID
	proc     string   // identify: "self" or the PID's digits
	nsid     int32    // set: the id, nsutil.NSIDUnassigned for "auto"
	target   int32    // list-id target-nsid, -1 when not given
	id       int32    // list-id nsid, -1 when not given
	argv     []string // exec: the program and its arguments, as given
	fail     *parseError
	failWhen failStage
}

// failStage is where iproute2 reports a command's refusal; the steps
// before it act (they open sockets, read the run directory) and may print
// their own errors first, so the order is kept.
type failStage int

const (
	atObject failStage = iota // at once: object lookup
	atNetns                   // after "ip netns" opened its id socket
	atListID                  // after list-id filled the id cache and asked the kernel for nsid support
)

// parseError is a refusal: the exact stderr text and how ip ends.
// iproute2 either calls exit() (bad names, usage, bad values: mostly 255;
// exit) or has the subcommand return an error, which is the exit status
// of a single command but only fails the line of a batch file.
type parseError struct {
	msg  string
	code int  // exit status, never 0
	exit bool // ends ip at once, in a batch too
}

func exitError(format string, a ...any) *parseError {
	return &parseError{msg: fmt.Sprintf(format, a...), code: 255, exit: true}
}

// returnError is a subcommand's "return -1": status 1.
func returnError(msg string) *parseError {
	return &parseError{msg: msg, code: 1}
}

// invargError is iproute2's invarg(); a missing argument is C's NULL.
func invargError(msg string, arg *string) *parseError {
	a := "(null)"
	if arg != nil {
		a = *arg
	}
	return exitError("Error: argument \"%s\" is wrong: %s\n", a, msg)
}

var (
	usageError     = &parseError{msg: ipUsage, code: 255, exit: true}
	netnsHelpError = &parseError{msg: netnsUsage, code: 255, exit: true}
)

func badNameError(name string) *parseError {
	return exitError("Invalid netns name \"%s\"\n", name)
}

// nsPath is the file of a (checked) name in the run directory.
func nsPath(name string) string { return runDir + "/" + name }

// parseCmdLine reads the global options, then the command, the way
// iproute2 6.1's main() does: options in order, the first bad one wins,
// and -V, -help and a missing option value end the reading at once.
func parseCmdLine(args []string) *cmdLine {
	cl := &cmdLine{}
	refuse := func(e *parseError) *cmdLine {
		cl.fail = e
		return cl
	}
	for len(args) > 0 {
		a := args[0]
		if a == "--" {
			args = args[1:]
			break
		}
		if a == "" || a[0] != '-' {
			break
		}
		opt := a
		if len(opt) > 1 && opt[1] == '-' {
			opt = opt[1:] // "--json" is "-json"
		}
		switch globalOption(opt) {
		case "-loops":
			args = args[1:]
			if len(args) == 0 {
				return refuse(usageError)
			}
		case "-family":
			args = args[1:]
			if len(args) == 0 || args[0] == "help" {
				return refuse(usageError)
			}
			if !knownFamily(args[0]) {
				return refuse(invargError("invalid protocol family", &args[0]))
			}
		case "-Version":
			cl.version = true
			return cl
		case "-force":
			cl.force = true
		case "-batch":
			args = args[1:]
			if len(args) == 0 {
				return refuse(usageError)
			}
			cl.batch, cl.batchFile = true, args[0]
		case "-json":
			cl.json = true
		case "-pretty":
			cl.pretty = true
		case "-rcvbuf":
			args = args[1:]
			if len(args) == 0 {
				return refuse(usageError)
			}
			if _, ok := getUnsigned(args[0], 0); !ok {
				return refuse(exitError("Invalid rcvbuf size '%s'\n", args[0]))
			}
		case "-help":
			return refuse(usageError)
		case "-netns":
			// The name is the next word, or C's NULL printed as
			// "(null)" (then nothing is consumed). It is checked
			// (iproute2 joins "/run/netns/" + NAME as is), so that
			// -n cannot leave the run directory.
			args = args[1:]
			name := "(null)"
			if len(args) > 0 {
				name = args[0]
			}
			if invalidName(name) {
				return refuse(badNameError(name))
			}
			cl.netns = append(cl.netns, name)
			if len(args) == 0 {
				continue
			}
		case "-all":
			cl.all = true
		case "":
			return refuse(exitError("Option \"%s\" is unknown, try \"ip -help\".\n", opt))
		default:
			// display options of other objects: no effect on netns
		}
		args = args[1:]
	}
	if cl.batch {
		return cl
	}
	if len(args) == 0 {
		return refuse(usageError)
	}
	cl.cmd = parseCommand(args[0], args[1:], cl.all)
	return cl
}

// parseCommand reads "OBJECT ARGS..." (a command line's or a batch
// line's); all is -all.
func parseCommand(object string, args []string, all bool) command {
	switch firstMatch(object, objects) {
	case "netns":
		return parseNetns(args, all)
	case "help":
		return command{fail: usageError}
	}
	return command{fail: returnError(fmt.Sprintf("Object \"%s\" is unknown, try \"ip help\".\n", object))}
}

// parseNetns reads "ip netns ARGS...", with each subcommand's checks in
// iproute2's order. Extra words are ignored where iproute2 ignores them.
func parseNetns(args []string, all bool) command {
	c := command{sub: "list", failWhen: atNetns}
	refuse := func(e *parseError) command {
		c.fail = e
		return c
	}
	if len(args) == 0 {
		return c
	}
	// iproute2 checks the second word before knowing the subcommand, so
	// even "ip netns bogus .." is a bad name; -all turns the check off.
	if !all && len(args) > 1 && invalidName(args[1]) {
		return refuse(badNameError(args[1]))
	}
	word := args[0]
	c.sub, args = netnsCommand(word), args[1:]
	switch c.sub {
	case "list", "monitor":
	case "list-id":
		return parseListID(c, args)
	case "help":
		return refuse(netnsHelpError)
	case "add":
		if len(args) < 1 {
			return refuse(returnError("No netns name specified\n"))
		}
		return checkedName(c, args[0])
	case "attach":
		// the PID before the name: "-all netns attach ../x abc" is
		// an invalid PID
		if len(args) < 2 {
			return refuse(returnError("No netns name and PID specified\n"))
		}
		v, ok := getInteger(args[1], 0)
		if !ok || v == 0 {
			return refuse(returnError("Invalid PID: " + args[1] + "\n"))
		}
		c.pid = v
		return checkedName(c, args[0])
	case "set":
		if len(args) < 1 {
			return refuse(returnError("No netns name specified\n"))
		}
		if len(args) < 2 {
			return refuse(returnError("No nsid specified\n"))
		}
		c.nsid = nsutil.NSIDUnassigned // "auto": the kernel picks
		if args[1] != "auto" {
			v, ok := getInteger(args[1], 0)
			if !ok {
				return refuse(invargError("Invalid \"netnsid\" value", &args[1]))
			}
			if v < 0 {
				return refuse(invargError("\"netnsid\" value should be >= 0", &args[1]))
			}
			c.nsid = v
		}
		return checkedName(c, args[0])
	case "delete":
		// -all ignores the words; without it the name was checked above
		c.all = all
		if !all {
			if len(args) < 1 {
				return refuse(returnError("No netns name specified\n"))
			}
			c.name = args[0]
		}
	case "identify":
		c.proc = "self"
		switch {
		case len(args) > 1:
			return refuse(returnError("extra arguments specified\n"))
		case len(args) == 1:
			if !isPid(args[0]) {
				return refuse(returnError("Specified string '" + args[0] + "' is not a pid\n"))
			}
			c.proc = args[0]
		}
	case "pids":
		if len(args) < 1 {
			return refuse(returnError("No netns name specified\n"))
		}
		if len(args) > 1 {
			return refuse(returnError("extra arguments specified\n"))
		}
		return checkedName(c, args[0])
	case "exec":
		// under -all every word is the command (a NAME there is run
		// as a program, as in iproute2)
		c.all = all
		if len(args) < 1 && !all {
			return refuse(returnError("No netns name specified\n"))
		}
		if (len(args) < 2 && !all) || (len(args) < 1 && all) {
			return refuse(returnError("No command specified\n"))
		}
		if all {
			c.argv = args
		} else {
			c.name, c.argv = args[0], args[1:]
		}
	default:
		return refuse(exitError("Command \"%s\" is unknown, try \"ip netns help\".\n", word))
	}
	return c
}

// checkedName sets c's name, refusing a bad one. The check before the
// subcommand has done it already, except under -all, which iproute2 lets
// through here ("ip -all netns add ../x" creates a file elsewhere); nsbox
// refuses those names the same way as without -all.
func checkedName(c command, name string) command {
	if invalidName(name) {
		c.fail = badNameError(name)
		return c
	}
	c.name = name
	return c
}

// parseListID reads "list-id [target-nsid T] [nsid N]" (in any order).
// Its refusals come after list-id has asked the kernel, as in iproute2.
func parseListID(c command, args []string) command {
	c.target, c.id = -1, -1
	for len(args) > 0 {
		var e *parseError
		switch args[0] {
		case "target-nsid":
			c.target, e = listIDValue(&args, c.target, "target-nsid")
		case "nsid":
			c.id, e = listIDValue(&args, c.id, "nsid")
		default:
			e = netnsHelpError
		}
		if e != nil {
			c.fail, c.failWhen = e, atListID
			return c
		}
		args = args[1:]
	}
	return c
}

// listIDValue reads the value after keyword in *args (leaving *args on
// it), with iproute2's checks and messages: a repeated keyword, a missing
// or non-numeric value, a negative one (whose message names the word
// after the value, C's NULL when there is none: an upstream slip kept
// for exact output).
func listIDValue(args *[]string, cur int32, keyword string) (int32, *parseError) {
	a := *args
	if cur >= 0 {
		return 0, exitError("Error: duplicate \"%s\": \"%s\" is the second value.\n", keyword, a[0])
	}
	if len(a) < 2 {
		return 0, exitError("Command line is not complete. Try option \"help\"\n")
	}
	a = a[1:]
	*args = a
	v, ok := getInteger(a[0], 0)
	if !ok {
		return 0, invargError(fmt.Sprintf("\"%s\" value is invalid", keyword), &a[0])
	}
	if v < 0 {
		var next *string
		if len(a) > 1 {
			next = &a[1]
		}
		return 0, invargError(fmt.Sprintf("\"%s\" value should be >= 0", keyword), next)
	}
	return v, nil
}
