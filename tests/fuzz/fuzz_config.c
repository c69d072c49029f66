/*
 * The YAML configuration (capsuled.yml): random bytes as the file of
 * -c, read by config_load as at start-up, then checked by
 * config_validate.  A bad file must be refused with a message, never
 * crash or leak.
 */
#define _GNU_SOURCE	/* memfd_create */

#include <sys/mman.h>

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "serve/serve.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int	 fd = -1, devnull = -1;
	struct config	 cfg;
	char		 path[64], *argv[] = { "capsuled", "-c", path, NULL };
	int		 saved;

	if (fd == -1 && ((fd = memfd_create("capsuled.yml", 0)) == -1 ||
	    (devnull = open("/dev/null", O_WRONLY)) == -1))
		abort();
	if (ftruncate(fd, 0) == -1 || pwrite(fd, data, size, 0) !=
	    (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	/* The messages of a refused file are not the fuzzer's output. */
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	dup2(devnull, STDERR_FILENO);
	if (config_load(&cfg, 3, argv) == 0)
		(void)config_validate(&cfg);
	config_free(&cfg);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	return 0;
}
