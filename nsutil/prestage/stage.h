/* The plan ABI shared by the pre-runtime stage (C) and Go (plan.go). */
#include <stdint.h>

#define NSBOX_STAGE_ENV "_NSBOX_STAGE"
#define NSBOX_PLAN_MAGIC 0x6e73626f78706c31ULL /* "nsboxpl1" */
#define NSBOX_MAX_OPS 32

enum { NSBOX_OP_SETNS = 1, NSBOX_OP_UNSHARE = 2, NSBOX_OP_DUMPABLE = 3 };
enum { NSBOX_OP_IGNORE_ERROR = 1, NSBOX_OP_IF_FAILED = 2, NSBOX_OP_IF_DONE = 4 };

struct nsbox_op {
	uint32_t kind;
	int32_t fd;
	uint64_t arg;
	uint32_t flags;
	uint32_t ref;
};

struct nsbox_plan {
	uint64_t magic;
	uint32_t count;
	uint32_t payload_len;
	struct nsbox_op ops[NSBOX_MAX_OPS];
	/* payload_len bytes of opaque payload follow */
};

extern int nsbox_stage_ran;
extern int nsbox_stage_failed;
extern int nsbox_stage_errno;
extern uint64_t nsbox_stage_done;
extern uint64_t nsbox_stage_errs[NSBOX_MAX_OPS];
extern int nsbox_orig_valid;
extern int nsbox_orig_closed;
extern uint64_t nsbox_orig_sigmask;
extern uint64_t nsbox_orig_sigign;
