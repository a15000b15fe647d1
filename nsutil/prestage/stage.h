/* The plan ABI shared by the pre-runtime stage (C) and Go (handover.go). */
#include <stdint.h>

#define NSBOX_STAGE_ENV "_NSBOX_STAGE"
#define NSBOX_PLAN_MAGIC 0x6e73626f78706c32ULL /* "nsboxpl2" */
#define NSBOX_MAX_OPS 64

enum {
	NSBOX_OP_SETNS = 1,     /* setns(fd, arg) */
	NSBOX_OP_UNSHARE = 2,   /* unshare(arg) */
	NSBOX_OP_PRCTL = 3,     /* prctl(arg, arg2, 0, 0, 0) */
	NSBOX_OP_WRITE = 4,     /* open strs[0] write-only, write strs[1] */
	NSBOX_OP_MOUNT = 5,     /* mount(strs[0], strs[1], strs[2] or NULL if "", arg, NULL) */
	NSBOX_OP_CHROOT = 6,    /* chroot(strs[0]) */
	NSBOX_OP_CHDIR = 7,     /* chdir(strs[0]) */
	NSBOX_OP_SETGROUPS = 8, /* setgroups(0, NULL) */
	NSBOX_OP_SETGID = 9,    /* setgid(arg) */
	NSBOX_OP_SETUID = 10,   /* setuid(arg) */
	NSBOX_OP_CLOEXEC = 11,  /* mark fd close-on-exec */
	NSBOX_OP_ALIVE = 12,    /* poll pidfd fd: fails with ESRCH once it is readable */
	NSBOX_OP_IGNORE = 13,   /* ignore signal arg */
	NSBOX_OP_EXEC = 14,     /* execve each of arg candidate paths in turn; then
	                         * arg2 argv strings, the rest envp */
	NSBOX_OP_NOINHERIT = 15, /* capget, then capset with no inheritable caps */
	NSBOX_OP_FORKWAIT = 16, /* fork: the child goes on with the next op, the
	                         * parent waits for it and ends as it did; strs:
	                         * the fork-failure lines for EAGAIN and ENOMEM,
	                         * then the prefix for any other errno */
};
/* PID_CHILDREN: once this op succeeded, our children are born in another
 * pid namespace, and the Go runtime cannot start its threads here: a
 * return to Go happens in a forked child, which the parent waits for. */
enum { NSBOX_OP_IGNORE_ERROR = 1, NSBOX_OP_IF_FAILED = 2, NSBOX_OP_IF_DONE = 4, NSBOX_OP_PID_CHILDREN = 8 };

struct nsbox_op {
	uint32_t kind;
	int32_t fd;
	uint64_t arg;
	uint64_t arg2;
	uint32_t flags;
	uint32_t ref;    /* the op IF_FAILED/IF_DONE look at */
	int32_t okerr;   /* an errno that counts as success (0: none) */
	uint32_t str;    /* offset of the op's first string in the string table */
	uint32_t nstr;   /* how many NUL-terminated strings it has there */
	uint32_t pad;
};

struct nsbox_plan {
	uint64_t magic;
	uint32_t count;
	uint32_t strings_len; /* the string table follows the header */
	uint32_t payload_len; /* then Go's opaque payload */
	uint32_t comm;        /* 1 + offset in the string table of the name
	                       * the process goes by (comm), 0 for none */
	struct nsbox_op ops[NSBOX_MAX_OPS];
};

extern int nsbox_stage_ran;
extern int nsbox_stage_failed;
extern int nsbox_stage_errno;
extern int nsbox_stage_phase;
extern uint64_t nsbox_stage_done;
extern uint64_t nsbox_stage_errs[NSBOX_MAX_OPS];
extern int nsbox_orig_valid;
extern int nsbox_orig_closed;
extern uint64_t nsbox_orig_sigmask;
extern uint64_t nsbox_orig_sigign;
extern int nsbox_self_fd;
extern uint64_t nsbox_held_sigs;
