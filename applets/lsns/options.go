package lsns

import (
	"errors"
	"fmt"
	"os"
	"syscall"

	"nsbox/cli"
	"nsbox/getopt"
	"nsbox/nsutil"
)

// nsKind is a namespace type in lsns's own order (mnt, net, pid, uts,
// ipc, user, cgroup, time), which is how it indexes per-type data.
type nsKind int

const (
	kMnt nsKind = iota
	kNet
	kPid
	kUts
	kIpc
	kUser
	kCgroup
	kTime
	numKinds
)

var kindNames = [numKinds]string{"mnt", "net", "pid", "uts", "ipc", "user", "cgroup", "time"}

// kindByName finds a type by its exact lsns name.
func kindByName(name string) (nsKind, bool) {
	for i, n := range kindNames {
		if n == name {
			return nsKind(i), true
		}
	}
	return 0, false
}

// kindOf maps nsutil's type description to lsns's index.
func kindOf(t nsutil.NSType) (nsKind, bool) { return kindByName(t.Name) }

// treeMode is the --tree relation.
type treeMode int

const (
	treeNone treeMode = iota
	treeProcess
	treeOwner
	treeParent
)

// config is the parsed command line.
type config struct {
	json, raw, noHeadings, noTrunc, noWrap bool
	persist, forceList, listColumns        bool
	tree                                   treeMode
	types                                  [numKinds]bool
	pid                                    int // -p, 0 for none
	cols                                   []colID
	filter                                 *filter // nil without -Q
	hasNSArg                               bool
	nsArg                                  uint64
}

const keyOutputAll = 0x100

// shortOptions is lsns's getopt string: no '+', so options may follow
// the namespace argument (GNU permutation).
const shortOptions = "JlPp:o:nruhVt:T::WQ:H"

// Options is the long options, for the manual's check.
func Options() []getopt.Long { return longOptions }

// ShortOptions is the short-option string, for the same check.
func ShortOptions() string { return shortOptions }

var longOptions = []getopt.Long{
	{Name: "json", Arg: getopt.NoArg, Key: 'J'},
	{Name: "task", Arg: getopt.Required, Key: 'p'},
	{Name: "help", Arg: getopt.NoArg, Key: 'h'},
	{Name: "output", Arg: getopt.Required, Key: 'o'},
	{Name: "output-all", Arg: getopt.NoArg, Key: keyOutputAll},
	{Name: "persistent", Arg: getopt.NoArg, Key: 'P'},
	{Name: "filter", Arg: getopt.Required, Key: 'Q'},
	{Name: "notruncate", Arg: getopt.NoArg, Key: 'u'},
	{Name: "version", Arg: getopt.NoArg, Key: 'V'},
	{Name: "noheadings", Arg: getopt.NoArg, Key: 'n'},
	{Name: "nowrap", Arg: getopt.NoArg, Key: 'W'},
	{Name: "list", Arg: getopt.NoArg, Key: 'l'},
	{Name: "raw", Arg: getopt.NoArg, Key: 'r'},
	{Name: "type", Arg: getopt.Required, Key: 't'},
	{Name: "tree", Arg: getopt.Optional, Key: 'T'},
	{Name: "list-columns", Arg: getopt.NoArg, Key: 'H'},
}

// exclusive are lsns's mutually exclusive pairs that its check really
// enforces (its -l/-T pair never fires because of the table's order).
var exclusive = [][2]int{{'J', 'r'}, {'P', 'p'}}

// errExit is a parse outcome that ends the program with code.
type errExit struct{ code int }

func (e errExit) Error() string { return fmt.Sprintf("exit %d", e.code) }

func longName(key int) string {
	for _, l := range longOptions {
		if l.Key == key {
			return l.Name
		}
	}
	return string(rune(key))
}

// parseArgs reads the command line. It prints help, the version, the
// column list and every diagnostic itself and then returns errExit.
func parseArgs(argv []string, out *cli.Output) (*config, error) {
	cfg := &config{}
	p := getopt.New(argv, shortOptions, longOptions)
	var outarg *string
	seen := make([]int, len(exclusive))
	ntypes := 0
	isNet := false
	for {
		opt, ok, err := p.Next()
		if err != nil {
			return nil, errExit{cli.Usage("lsns", err)}
		}
		if !ok {
			break
		}
		if err := checkExclusive(opt.Key, seen); err != nil {
			return nil, err
		}
		switch opt.Key {
		case 'J':
			cfg.json = true
		case 'l':
			cfg.forceList = true
		case 'o':
			a := opt.Arg
			outarg = &a
		case keyOutputAll:
			cfg.cols = cfg.cols[:0]
			for i := colID(0); i < numColumns; i++ {
				cfg.cols = append(cfg.cols, i)
			}
		case 'P':
			cfg.persist = true
		case 'p':
			pid, err := parsePID(opt.Arg)
			if err != nil {
				return nil, err
			}
			cfg.pid = pid
		case 'n':
			cfg.noHeadings = true
		case 'r':
			cfg.raw, cfg.noWrap = true, true
		case 'u':
			cfg.noTrunc = true
		case 't':
			k, ok := kindByName(opt.Arg)
			if !ok {
				cli.Warnx("lsns", "unknown namespace type: %s", opt.Arg)
				return nil, errExit{1}
			}
			cfg.types[k] = true
			ntypes++
			if k == kNet {
				isNet = true
			}
		case 'W':
			cfg.noWrap = true
		case 'T':
			cfg.tree = treeOwner
			if opt.HasArg {
				rel := opt.Arg
				if len(rel) > 0 && rel[0] == '=' {
					rel = rel[1:]
				}
				switch rel {
				case "parent":
					cfg.tree = treeParent
				case "process":
					cfg.tree = treeProcess
				case "owner":
				default:
					cli.Warnx("lsns", "unknown tree type: %s", rel)
					return nil, errExit{1}
				}
			}
		case 'Q':
			f, err := parseFilter(opt.Arg, out)
			if err != nil {
				cli.Warnx("lsns", "failed to parse \"%s\": %s", opt.Arg, err.Error())
				return nil, errExit{1}
			}
			cfg.filter = f
		case 'H':
			cfg.listColumns = true
		case 'h':
			printHelp(out)
			return nil, errExit{0}
		case 'V':
			fmt.Fprint(out, nsutil.VersionLine("lsns"))
			return nil, errExit{0}
		}
	}
	if cfg.listColumns {
		printColumnList(out, cfg.raw, cfg.json)
		return nil, errExit{0}
	}
	if ntypes == 0 {
		for i := range cfg.types {
			cfg.types[i] = true
		}
	}
	if rest := p.Rest(); len(rest) > 0 {
		if cfg.pid != 0 {
			cli.Warnx("lsns", "--task is mutually exclusive with <namespace>")
			return nil, errExit{1}
		}
		ino, err := parseNSArg(rest[0])
		if err != nil {
			return nil, err
		}
		cfg.hasNSArg, cfg.nsArg = ino != 0, ino
		if cfg.tree == treeNone && !cfg.forceList {
			cfg.tree = treeProcess
		}
		if len(cfg.cols) == 0 {
			cfg.cols = append(cfg.cols, colPID, colPPID, colUSER, colCOMMAND)
		}
	}
	if len(cfg.cols) == 0 {
		cfg.cols = append(cfg.cols, colNS, colTYPE, colNPROCS, colPID, colUSER)
		if isNet {
			cfg.cols = append(cfg.cols, colNETNSID, colNSFS)
		}
		cfg.cols = append(cfg.cols, colCOMMAND)
		if cfg.tree == treeNone && !cfg.forceList {
			cfg.tree = treeProcess
		}
	}
	if outarg != nil {
		cols, ok := applyOutputList(*outarg, cfg.cols)
		if !ok {
			return nil, errExit{1}
		}
		cfg.cols = cols
	}
	return cfg, nil
}

// checkExclusive reports "options --A and --B cannot be combined" when
// key clashes with an option seen earlier.
func checkExclusive(key int, seen []int) error {
	for i, pair := range exclusive {
		if key != pair[0] && key != pair[1] {
			continue
		}
		if seen[i] == 0 {
			seen[i] = key
		} else if seen[i] != key {
			cli.Warnx("lsns", "options --%s and --%s cannot be combined", longName(seen[i]), longName(key))
			return errExit{1}
		}
	}
	return nil
}

// parsePID is util-linux's strtopid_or_err: a decimal in 1..INT_MAX.
func parsePID(s string) (int, error) {
	n, errno := cStrtoimax(s)
	if errno == 0 && (n < 1 || n > 1<<31-1) {
		errno = syscall.ERANGE
	}
	if errno != 0 {
		return 0, numberError("invalid PID argument", s, errno)
	}
	return int(n), nil
}

// parseNSArg is util-linux's strtou64_or_err for the namespace argument:
// negative numbers are out of range.
func parseNSArg(s string) (uint64, error) {
	n, errno := cStrtou64(s)
	if errno != 0 {
		return 0, numberError("invalid namespace argument", s, errno)
	}
	return n, nil
}

// numberError prints util-linux's message for a bad number: err() with
// the errno text for ERANGE, errx() otherwise.
func numberError(msg, s string, errno syscall.Errno) error {
	if errno == syscall.ERANGE {
		cli.Warn("lsns", errno, "%s: '%s'", msg, s)
	} else {
		cli.Warnx("lsns", "%s: '%s'", msg, s)
	}
	return errExit{1}
}

// exitCode turns a parse error into the process exit code.
func exitCode(err error) int {
	var e errExit
	if errors.As(err, &e) {
		return e.code
	}
	fmt.Fprintf(os.Stderr, "lsns: %v\n", err)
	return 1
}
