/* benchrun N CMD... -- CMD...: runs the commands in turn, N rounds,
 * each one spawned and waited for, and prints each command's median
 * time in microseconds on a line of its own. Interleaving the commands
 * run by run means a change in the machine's load (a noisy neighbour on
 * a shared host) weighs on all of them alike, which separate loops of
 * one command each cannot promise. Output and errors go to /dev/null. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	enum { MAXCMDS = 8 };
	char **cmds[MAXCMDS];
	double *times[MAXCMDS];
	int n, ncmds = 0;
	posix_spawn_file_actions_t quiet;

	if (argc < 3 || (n = atoi(argv[1])) < 1) {
		fprintf(stderr, "usage: benchrun N CMD... [-- CMD...]\n");
		return 2;
	}
	cmds[ncmds++] = &argv[2];
	for (int i = 2; i < argc; i++)
		if (strcmp(argv[i], "--") == 0 && ncmds < MAXCMDS) {
			argv[i] = NULL;
			cmds[ncmds++] = &argv[i + 1];
		}
	posix_spawn_file_actions_init(&quiet);
	posix_spawn_file_actions_addopen(&quiet, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&quiet, 2, "/dev/null", O_WRONLY, 0);
	for (int c = 0; c < ncmds; c++)
		times[c] = calloc(n, sizeof(double));
	for (int i = 0; i < n; i++)
		for (int c = 0; c < ncmds; c++) {
			struct timespec t0, t1;
			pid_t pid;
			int status;
			clock_gettime(CLOCK_MONOTONIC, &t0);
			if (posix_spawn(&pid, cmds[c][0], &quiet, NULL, cmds[c], environ) != 0) {
				perror(cmds[c][0]);
				return 1;
			}
			waitpid(pid, &status, 0);
			clock_gettime(CLOCK_MONOTONIC, &t1);
			times[c][i] = (t1.tv_sec - t0.tv_sec) * 1e6 + (t1.tv_nsec - t0.tv_nsec) / 1e3;
		}
	for (int c = 0; c < ncmds; c++) {
		qsort(times[c], n, sizeof(double), by_value);
		printf("%.0f\n", times[c][n / 2]);
	}
	return 0;
}
