package nsutil

import (
	"errors"
	"path/filepath"
	"strings"
	"syscall"
)

// Exit codes of a failed exec, as util-linux's errexec uses them and as a
// shell reports them.
const (
	ExitExecNotFound = 127 // ENOENT
	ExitExecFailed   = 126 // anything else
)

// ExecExitCode is the exit code util-linux uses when exec fails with err.
func ExecExitCode(err error) int {
	if errors.Is(err, syscall.ENOENT) {
		return ExitExecNotFound
	}
	return ExitExecFailed
}

// lookupEnv finds NAME in an environment list, as getenv would in the
// program's environment.
func lookupEnv(env []string, name string) (string, bool) {
	for i := len(env) - 1; i >= 0; i-- {
		if v, ok := strings.CutPrefix(env[i], name+"="); ok {
			return v, true
		}
	}
	return "", false
}

// Execvp replaces the process with file, searched in PATH the way glibc's
// execvp does: a name with a '/' is used as it is; otherwise each entry of
// env's PATH is tried (default "/bin:/usr/bin"), EACCES is remembered and the
// search goes on, and a file the kernel cannot run (ENOEXEC) is handed to
// /bin/sh. It runs on the calling thread, which must be the locked main
// thread so that the program gets its namespaces, root and credentials.
// It returns only on failure.
func Execvp(file string, argv, env []string) error {
	sawEACCES := false
	var last error = syscall.ENOENT
	for _, path := range execCandidates(file, env) {
		err := execOne(path, argv, env)
		switch {
		case errors.Is(err, syscall.EACCES):
			sawEACCES = true
		case errors.Is(err, syscall.ENOENT), errors.Is(err, syscall.ENOTDIR),
			errors.Is(err, syscall.ESTALE), errors.Is(err, syscall.ENODEV),
			errors.Is(err, syscall.ETIMEDOUT):
		default:
			return err
		}
		last = err
	}
	if sawEACCES {
		return syscall.EACCES
	}
	return last
}

// execCandidates are the paths execvp tries for file, in order: file
// itself when it has a '/', else file in each entry of env's PATH
// (default "/bin:/usr/bin"; an empty entry is the current directory),
// and none for an empty name.
func execCandidates(file string, env []string) []string {
	if file == "" {
		return nil
	}
	if strings.Contains(file, "/") {
		return []string{file}
	}
	path, ok := lookupEnv(env, "PATH")
	if !ok {
		path = "/bin:/usr/bin"
	}
	var cands []string
	for _, dir := range filepath.SplitList(path) {
		if dir == "" {
			dir = "."
		}
		cands = append(cands, dir+"/"+file)
	}
	return cands
}

// execOne execs path, falling back to /bin/sh for a script without #!.
func execOne(path string, argv, env []string) error {
	prepareExec()
	err := syscall.Exec(path, argv, env)
	if errors.Is(err, syscall.ENOEXEC) {
		sh := append([]string{"/bin/sh", path}, argv[1:]...)
		if err2 := syscall.Exec("/bin/sh", sh, env); err2 != nil {
			return err
		}
	}
	return err
}

// LookPath finds file the way Execvp would run it, for starting it in a
// new process: the first PATH entry holding an executable regular file.
func LookPath(file string, env []string) (string, error) {
	if strings.Contains(file, "/") {
		return file, canExec(file)
	}
	path, ok := lookupEnv(env, "PATH")
	if !ok {
		path = "/bin:/usr/bin"
	}
	var found error = syscall.ENOENT
	for _, dir := range filepath.SplitList(path) {
		if dir == "" {
			dir = "."
		}
		p := dir + "/" + file
		err := canExec(p)
		if err == nil {
			return p, nil
		}
		if errors.Is(err, syscall.EACCES) {
			found = err
		}
	}
	return "", found
}

func canExec(path string) error {
	var st syscall.Stat_t
	if err := syscall.Stat(path, &st); err != nil {
		return err
	}
	if st.Mode&syscall.S_IFMT == syscall.S_IFDIR {
		return syscall.EACCES
	}
	return syscall.Access(path, 1)
}
