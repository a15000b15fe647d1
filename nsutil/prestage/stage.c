//go:build cgo

// The pre-runtime stage. It runs as a constructor, before the Go runtime
// starts its threads, because the kernel refuses to create or join a user
// namespace, or to join a time namespace, from a multithreaded process.
//
// On every start it notes the standard fds, signal mask and ignored
// signals the process inherited (cheap: a few dozen system calls), and
// beyond that it does nothing unless the environment names a plan fd
// written by the previous incarnation of this same process (nsbox re-executes itself;
// the PID stays). The plan is a list of setns/unshare/prctl calls; the
// stage runs them in order and records what happened for Go to read. It
// holds no policy: it does not format, allocate or decide anything.

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "stage.h"

int nsbox_stage_ran;          /* 1 once a valid plan was read */
int nsbox_stage_failed = -1;  /* index of the op that failed fatally */
int nsbox_stage_errno;        /* its errno */
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
}

__attribute__((constructor)) static void nsbox_stage(void)
{
	const char *s = getenv(NSBOX_STAGE_ENV);
	struct nsbox_plan plan;
	int fd = 0;

	nsbox_record_inherited();
	if (!s || !*s)
		return;
	for (; *s >= '0' && *s <= '9'; s++)
		fd = fd * 10 + (*s - '0');
	if (*s || pread(fd, &plan, sizeof(plan), 0) != sizeof(plan))
		return;
	if (plan.magic != NSBOX_PLAN_MAGIC || plan.count > NSBOX_MAX_OPS)
		return;
	nsbox_stage_ran = 1;

	for (uint32_t i = 0; i < plan.count; i++) {
		struct nsbox_op *op = &plan.ops[i];
		long rc = 0;

		/* A retry runs only if the op it refers to failed, a
		 * follow-up only if it succeeded. */
		if ((op->flags & NSBOX_OP_IF_FAILED) && (nsbox_stage_done >> op->ref & 1))
			continue;
		if ((op->flags & NSBOX_OP_IF_DONE) && !(nsbox_stage_done >> op->ref & 1))
			continue;
		switch (op->kind) {
		case NSBOX_OP_SETNS:
			rc = setns(op->fd, (int)op->arg);
			break;
		case NSBOX_OP_UNSHARE:
			rc = unshare((int)op->arg);
			break;
		case NSBOX_OP_DUMPABLE:
			rc = prctl(PR_SET_DUMPABLE, (unsigned long)op->arg, 0, 0, 0);
			break;
		default:
			rc = -1;
			errno = EINVAL;
		}
		if (rc == 0) {
			nsbox_stage_done |= (uint64_t)1 << i;
			nsbox_stage_errs[i] = 0;
			continue;
		}
		nsbox_stage_errs[i] = errno;
		if (!(op->flags & NSBOX_OP_IGNORE_ERROR)) {
			nsbox_stage_failed = i;
			nsbox_stage_errno = errno;
			return;
		}
	}
}
