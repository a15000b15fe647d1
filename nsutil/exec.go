package nsutil

import (
	"errors"
	"path/filepath"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
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
	prepareExec()
	sawEACCES := false
	var last error = syscall.ENOENT
	for _, path := range execCandidates(file, env) {
		// A path that is not there fails execve with the same error;
		// a stat finds that out without copying argv and env again.
		var st syscall.Stat_t
		if err := syscall.Stat(path, &st); err == syscall.ENOENT || err == syscall.ENOTDIR {
			last = err
			continue
		}
		err := execOne(path, argv, env)
		switch {
		case err == syscall.EACCES:
			sawEACCES = true
		case !notHere(err):
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
// (default "/bin:/usr/bin"; an empty entry is the current directory,
// tried by the bare name as execvp does),
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
	dirs := filepath.SplitList(path)
	if path == "" {
		dirs = []string{""} // one empty entry, as execvp reads it
	}
	var cands []string
	for _, dir := range dirs {
		if len(dir)+1+len(file)+1 > unix.PathMax {
			continue // execvp skips an entry too long to join
		}
		if dir == "" {
			cands = append(cands, file) // the current directory, by the bare name
			continue
		}
		cands = append(cands, dir+"/"+file)
	}
	return cands
}

// execOne execs path, falling back to /bin/sh for a script without #!;
// then the error is the shell's, as with glibc (no /bin/sh in a new
// root: ENOENT, and the PATH search goes on).
func execOne(path string, argv, env []string) error {
	err := syscall.Exec(path, argv, env)
	if err == syscall.ENOEXEC {
		sh := append([]string{"/bin/sh", path}, argv[1:]...)
		err = syscall.Exec("/bin/sh", sh, env)
	}
	return err
}

// LookPath finds file the way Execvp would run it, for starting it in a
// new process: the first candidate that is an executable regular file,
// with execvp's errors when none is (EACCES if one was seen, a "not here"
// error goes on to the next, any other ends the search).
func LookPath(file string, env []string) (string, error) {
	var last error = syscall.ENOENT
	sawEACCES := false
	for _, p := range execCandidates(file, env) {
		err := canExec(p)
		switch {
		case err == nil:
			return p, nil
		case errors.Is(err, syscall.EACCES):
			sawEACCES = true
		case !notHere(err):
			return "", err
		}
		last = err
	}
	if sawEACCES {
		return "", syscall.EACCES
	}
	return "", last
}

// notHere is the errors after which execvp tries the next PATH entry.
func notHere(err error) bool {
	switch err {
	case syscall.ENOENT, syscall.ENOTDIR, syscall.ESTALE, syscall.ENODEV, syscall.ETIMEDOUT:
		return true
	}
	return false
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
