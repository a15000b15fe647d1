//go:build cgo

// The pre-runtime stage. It runs as a constructor, before the Go runtime
// starts its threads, because the kernel refuses to create or join a user
// namespace, or to join a time namespace, from a multithreaded process.
//
// On every start it notes the standard fds, signal mask and ignored
// signals the process inherited (cheap: a few dozen system calls), and
// beyond that it does nothing unless the environment names a plan fd
// written by the previous incarnation of this same process (nsbox
// re-executes itself; the PID stays) or by its parent. The plan is a list
// of system calls: setns/unshare first, and, when everything after the
// namespaces is plain system calls too, the rest up to the program's
// execve, so that the Go runtime never starts a second time. The stage
// runs them in order and records what happened for Go to read if it
// returns. It holds no policy: it does not format or decide anything; Go
// chose every call and every argument, and reports every failure.

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "stage.h"

int nsbox_stage_ran;          /* 1 once a valid plan was read */
int nsbox_stage_failed = -1;  /* index of the op that failed fatally */
int nsbox_stage_errno;        /* its errno */
int nsbox_stage_phase;        /* which call of a two-call op failed: 0 or 1 */
uint64_t nsbox_stage_done;    /* bit i set: op i succeeded */
uint64_t nsbox_stage_errs[NSBOX_MAX_OPS]; /* errno of each op, 0 if ok */

/* What the process was started with, before the Go runtime changes it:
 * the runtime opens /dev/null on closed standard fds, unblocks the
 * signals it needs and replaces ignored dispositions with its handler.
 * The program nsbox execs must get the originals, as from util-linux. */
int nsbox_orig_valid;
int nsbox_orig_closed;        /* bit i: fd i (0..2) was closed */
uint64_t nsbox_orig_sigmask;  /* bit n-1: signal n was blocked */
uint64_t nsbox_orig_sigign;   /* bit n-1: signal n was ignored */

/* Signals whose default action ends a process, which the Go runtime
 * catches and drops until main gives them their default action back
 * (nsutil.ActLikeC): they are held blocked from here to then, so that
 * one sent in between still ends us, as it would a C program. The
 * runtime keeps the mask it starts with for its own threads. USR1, USR2,
 * PIPE, ALRM, STKFLT, XCPU, XFSZ, VTALRM, IO, PWR and real-time 34-64. */
uint64_t nsbox_held_sigs;

/* This binary, opened before anything is entered, for executing itself
 * again: the file stays the one the user ran, whatever happens to paths
 * in the namespaces nsbox goes into. Close-on-exec, and high (63, the last
 * of the kernel's first fd table), so that the fds nsbox opens get the
 * numbers util-linux's would, which some messages show. Under a limit of
 * 64 fds or fewer, where every fd counts, there is none, and nsbox
 * re-executes /proc/self/exe. */
int nsbox_self_fd = -1;

/* The kernel's struct sigaction; a zeroed one is SIG_DFL. */
struct nsbox_ksigaction {
	unsigned long handler, flags, restorer;
	uint64_t mask;
};

static void nsbox_record_inherited(void)
{
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF)
			nsbox_orig_closed |= 1 << fd;
	syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &nsbox_orig_sigmask, 8);
	for (int sig = 1; sig <= 64; sig++) {
		struct nsbox_ksigaction old;
		if (syscall(SYS_rt_sigaction, sig, NULL, &old, 8) == 0 && old.handler == 1 /* SIG_IGN */)
			nsbox_orig_sigign |= (uint64_t)1 << (sig - 1);
	}
	nsbox_orig_valid = 1;

	static const int held[] = {SIGUSR1, SIGUSR2, SIGPIPE, SIGALRM, SIGSTKFLT, SIGXCPU, SIGXFSZ,
				   SIGVTALRM, SIGIO, SIGPWR};
	for (unsigned i = 0; i < sizeof(held) / sizeof(held[0]); i++)
		nsbox_held_sigs |= (uint64_t)1 << (held[i] - 1);
	for (int sig = 34; sig <= 64; sig++)
		nsbox_held_sigs |= (uint64_t)1 << (sig - 1);
	syscall(SYS_rt_sigprocmask, SIG_BLOCK, &nsbox_held_sigs, NULL, 8);
}

static void nsbox_open_self(void)
{
	struct rlimit nofile;
	int fd = open("/proc/self/exe", O_PATH | O_CLOEXEC);
	if (fd < 0)
		return;
	if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur > 64)
		nsbox_self_fd = fcntl(fd, F_DUPFD_CLOEXEC, 63);
	close(fd);
}

/* strs returns op's strings, checked to lie within the table, or NULL. */
static const char *nsbox_strs(const struct nsbox_op *op, const char *tab, uint32_t len)
{
	uint32_t at = op->str;
	for (uint32_t i = 0; i < op->nstr; i++) {
		const char *nul;
		if (at >= len || !(nul = memchr(tab + at, 0, len - at)))
			return NULL;
		at = (uint32_t)(nul - tab) + 1;
	}
	return op->nstr ? tab + op->str : "";
}

/* nsbox_vec fills v with n pointers to consecutive strings from s on and
 * a NULL, returning the string after them. */
static const char *nsbox_vec(const char *s, uint64_t n, char **v)
{
	for (uint64_t i = 0; i < n; i++) {
		v[i] = (char *)s;
		s += strlen(s) + 1;
	}
	v[n] = NULL;
	return s;
}

/* nsbox_exec tries Go's candidate paths as execvp would: on to the next
 * for the errors that mean "not here", stop at any other. It returns only
 * on failure; Go then runs its own execvp, which reports it. */
static int nsbox_exec(const struct nsbox_op *op, const char *s, int planfd)
{
	uint64_t ncand = op->arg, argc = op->arg2;
	uint64_t envc = op->nstr - ncand - argc;
	char **cand, **argv, **envp;

	if (ncand + argc > op->nstr) {
		errno = EINVAL;
		return -1;
	}
	if (!(cand = calloc(op->nstr + 3, sizeof(char *))))
		return -1;
	argv = cand + ncand + 1;
	envp = argv + argc + 1;
	s = nsbox_vec(s, ncand, cand);
	s = nsbox_vec(s, argc, argv);
	nsbox_vec(s, envc, envp);
	fcntl(planfd, F_SETFD, FD_CLOEXEC);
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &nsbox_orig_sigmask, NULL, 8);
	errno = ENOENT; /* no candidate: an empty name */
	for (uint64_t i = 0; i < ncand; i++) {
		execve(cand[i], argv, envp);
		if (errno != EACCES && errno != ENOENT && errno != ESTALE && errno != ENOTDIR &&
		    errno != ENODEV && errno != ETIMEDOUT)
			break;
	}
	int e = errno;
	syscall(SYS_rt_sigprocmask, SIG_BLOCK, &nsbox_held_sigs, NULL, 8);
	fcntl(planfd, F_SETFD, 0);
	free(cand);
	errno = e;
	return -1;
}

/* nsbox_write writes text to the control file path in one write. */
static int nsbox_write(const char *path, const char *text, int okerr)
{
	nsbox_stage_phase = 0;
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return okerr && errno == okerr ? 0 : -1;
	nsbox_stage_phase = 1;
	ssize_t n = write(fd, text, strlen(text));
	int e = errno;
	close(fd);
	errno = e;
	return n < 0 ? -1 : 0;
}

/* nsbox_alive fails with ESRCH once the process behind pidfd fd is gone. */
static int nsbox_alive(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	int n = poll(&p, 1, 0);
	if (n > 0) {
		errno = ESRCH;
		return -1;
	}
	return n < 0 ? -1 : 0;
}

/* The kernel's capget/capset structs, version 3 (not every libc has
 * linux/capability.h). */
struct nsbox_cap_header {
	uint32_t version;
	int pid;
};
struct nsbox_cap_data {
	uint32_t effective, permitted, inheritable;
};

/* nsbox_noinherit empties the inheritable capability set. */
static int nsbox_noinherit(void)
{
	struct nsbox_cap_header h = {.version = 0x20080522};
	struct nsbox_cap_data d[2];

	nsbox_stage_phase = 0;
	if (syscall(SYS_capget, &h, d))
		return -1;
	nsbox_stage_phase = 1;
	d[0].inheritable = d[1].inheritable = 0;
	return (int)syscall(SYS_capset, &h, d);
}

/* nsbox_wait_child waits for child and ends as it did, as nsenter's
 * parent does: a stop of the child stops us, and when we are continued
 * so is it; its exit status is ours; a signal that killed it is sent to
 * us (with the mask we started with, and the actions we inherited), and
 * if that leaves us alive we exit 1. It never returns. */
static void nsbox_wait_child(pid_t child)
{
	int status = 0;
	pid_t r;

	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &nsbox_orig_sigmask, NULL, 8);
	for (;;) {
		r = waitpid(child, &status, WUNTRACED);
		if (r < 0 && errno == EINTR)
			continue;
		if (r != child || !WIFSTOPPED(status))
			break;
		kill(getpid(), SIGSTOP);
		kill(child, SIGCONT);
	}
	if (r == child && WIFEXITED(status))
		_exit(WEXITSTATUS(status));
	if (r == child && WIFSIGNALED(status))
		kill(getpid(), WTERMSIG(status));
	_exit(1);
}

/* nsbox_fork_failed writes Go's message for a failed fork (strs of a
 * FORKWAIT op: the lines for EAGAIN and ENOMEM, the prefix for others)
 * and exits 1, as nsenter does: with our children in another pid
 * namespace, the Go runtime could not start to say it. */
static void nsbox_fork_failed(const char *strs, uint32_t nstr)
{
	int e = errno;
	if (strs && nstr == 3) {
		const char *again = strs, *nomem = again + strlen(again) + 1, *prefix = nomem + strlen(nomem) + 1;
		const char *line = e == EAGAIN ? again : e == ENOMEM ? nomem : NULL;
		if (line) {
			write(2, line, strlen(line));
		} else {
			const char *text = strerror(e);
			write(2, prefix, strlen(prefix));
			write(2, text, strlen(text));
			write(2, "\n", 1);
		}
	}
	_exit(1);
}

/* nsbox_forked is set in the child of a FORKWAIT or of the fork before a
 * return to Go; nsbox_pid_children once an op flagged PID_CHILDREN ran. */
static int nsbox_forked, nsbox_pid_children;

/* nsbox_forkwait forks: it returns in the child, waits in the parent
 * (nsbox_wait_child), and ends the process with the message in strs if
 * the fork fails. SIGCHLD is reset first (an ignored one would leave the
 * parent nothing to wait for), as nsenter does; the child inherits that.
 * It is the FORKWAIT op, and the fork before a return to Go. */
static int nsbox_forkwait(const char *strs, uint32_t nstr)
{
	struct nsbox_ksigaction dfl = {0};
	pid_t child;

	syscall(SYS_rt_sigaction, SIGCHLD, &dfl, NULL, 8);
	child = fork();
	if (child < 0)
		nsbox_fork_failed(strs, nstr);
	if (child > 0)
		nsbox_wait_child(child);
	nsbox_forked = 1;
	return 0;
}

static long nsbox_run(const struct nsbox_op *op, const char *s, int planfd)
{
	const char *s1 = op->nstr > 1 ? s + strlen(s) + 1 : "";

	switch (op->kind) {
	case NSBOX_OP_SETNS:
		return setns(op->fd, (int)op->arg);
	case NSBOX_OP_UNSHARE:
		return unshare((int)op->arg);
	case NSBOX_OP_PRCTL:
		return prctl((int)op->arg, (unsigned long)op->arg2, 0UL, 0UL, 0UL);
	case NSBOX_OP_WRITE:
		if (op->nstr != 2)
			break;
		return nsbox_write(s, s1, op->okerr);
	case NSBOX_OP_MOUNT: {
		if (op->nstr != 3)
			break;
		const char *s2 = s1 + strlen(s1) + 1;
		return mount(s, s1, *s2 ? s2 : NULL, (unsigned long)op->arg, NULL);
	}
	case NSBOX_OP_CHROOT:
		return chroot(s);
	case NSBOX_OP_CHDIR:
		return chdir(s);
	/* Raw calls: there is one thread, and libc's wrappers would
	 * broadcast to threads that do not exist. */
	case NSBOX_OP_SETGROUPS:
		return syscall(SYS_setgroups, 0, NULL);
	case NSBOX_OP_SETGID:
		return syscall(SYS_setgid, (unsigned long)op->arg);
	case NSBOX_OP_SETUID:
		return syscall(SYS_setuid, (unsigned long)op->arg);
	case NSBOX_OP_CLOEXEC:
		return fcntl(op->fd, F_SETFD, FD_CLOEXEC);
	case NSBOX_OP_ALIVE:
		return nsbox_alive(op->fd);
	case NSBOX_OP_IGNORE: {
		/* Raw: libc refuses the real-time signals it keeps for itself,
		 * which may have been ignored all the same. */
		struct nsbox_ksigaction act = {.handler = 1 /* SIG_IGN */};
		return syscall(SYS_rt_sigaction, (int)op->arg, &act, NULL, 8);
	}
	case NSBOX_OP_EXEC:
		return nsbox_exec(op, s, planfd);
	case NSBOX_OP_NOINHERIT:
		return nsbox_noinherit();
	case NSBOX_OP_FORKWAIT:
		return nsbox_forkwait(s, op->nstr);
	}
	errno = EINVAL;
	return -1;
}

/* Defined by package prestage/enable, which only nsbox's main imports:
 * test binaries link this file too, and must start as plain programs. */
extern int nsbox_stage_enabled __attribute__((weak));

__attribute__((constructor)) static void nsbox_stage(void)
{
	const char *s = getenv(NSBOX_STAGE_ENV);
	struct nsbox_plan plan;
	char *tab = NULL;
	int fd = 0;

	if (!&nsbox_stage_enabled)
		return;
	nsbox_record_inherited();
	nsbox_open_self();
	if (!s || !*s)
		return;
	for (; *s >= '0' && *s <= '9'; s++)
		fd = fd * 10 + (*s - '0');
	if (*s || pread(fd, &plan, sizeof(plan), 0) != sizeof(plan))
		return;
	if (plan.magic != NSBOX_PLAN_MAGIC || plan.count > NSBOX_MAX_OPS)
		return;
	if (plan.strings_len) {
		tab = malloc(plan.strings_len);
		if (!tab || pread(fd, tab, plan.strings_len, sizeof(plan)) != (ssize_t)plan.strings_len) {
			free(tab);
			return;
		}
	}
	nsbox_stage_ran = 1;
	/* Executed through /proc/self/fd/63, the process would be called
	 * "63" (in ps, pgrep, and while it waits as nsenter's parent). */
	if (plan.comm && plan.comm <= plan.strings_len && memchr(tab + plan.comm - 1, 0, plan.strings_len - plan.comm + 1))
		prctl(PR_SET_NAME, (unsigned long)(tab + plan.comm - 1), 0UL, 0UL, 0UL);

	for (uint32_t i = 0; i < plan.count; i++) {
		struct nsbox_op *op = &plan.ops[i];
		const char *strs = nsbox_strs(op, tab, plan.strings_len);
		long rc;

		/* A retry runs only if the op it refers to failed, a
		 * follow-up only if it succeeded. */
		if ((op->flags & NSBOX_OP_IF_FAILED) && (nsbox_stage_done >> op->ref & 1))
			continue;
		if ((op->flags & NSBOX_OP_IF_DONE) && !(nsbox_stage_done >> op->ref & 1))
			continue;
		if (strs) {
			rc = nsbox_run(op, strs, fd);
		} else {
			rc = -1;
			errno = EINVAL;
		}
		if (rc != 0 && op->okerr && errno == op->okerr)
			rc = 0;
		if (rc == 0) {
			nsbox_stage_done |= (uint64_t)1 << i;
			nsbox_stage_errs[i] = 0;
			if (op->flags & NSBOX_OP_PID_CHILDREN)
				nsbox_pid_children = 1;
			continue;
		}
		nsbox_stage_errs[i] = errno;
		if (!(op->flags & NSBOX_OP_IGNORE_ERROR)) {
			nsbox_stage_failed = i;
			nsbox_stage_errno = errno;
			break;
		}
	}
	/* Go resumes from here (to report a failure). If our children are
	 * born in another pid namespace, the runtime could not make its
	 * threads: it resumes in a child, already in that namespace, and we
	 * end as the child does. The FORKWAIT op, if the plan has one, has
	 * the message for a failed fork. */
	if (nsbox_pid_children && !nsbox_forked) {
		const char *msg = NULL;
		uint32_t nmsg = 0;
		for (uint32_t i = 0; i < plan.count; i++)
			if (plan.ops[i].kind == NSBOX_OP_FORKWAIT) {
				msg = nsbox_strs(&plan.ops[i], tab, plan.strings_len);
				nmsg = plan.ops[i].nstr;
				break;
			}
		nsbox_forkwait(msg, nmsg);
	}
	free(tab);
}
