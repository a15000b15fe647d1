// benchfloor is the least a Go program can do for "unshare -n PROG":
// start the runtime, unshare the network namespace on the locked main
// thread, and exec PROG through PATH as execvp does. make bench times it
// next to nsbox and util-linux, to show how much of nsbox's time is the
// Go runtime's start, which no Go implementation avoids.
package main

import (
	"os"
	"runtime"
	"strings"
	"syscall"
)

func init() { runtime.LockOSThread() }

func main() {
	args := os.Args[1:]
	if len(args) > 0 && args[0] == "-n" {
		if err := syscall.Unshare(syscall.CLONE_NEWNET); err != nil {
			os.Exit(1)
		}
		args = args[1:]
	}
	if len(args) == 0 {
		os.Exit(1)
	}
	env := os.Environ()
	for _, dir := range strings.Split(os.Getenv("PATH"), ":") {
		syscall.Exec(dir+"/"+args[0], args, env)
	}
	os.Exit(127)
}
