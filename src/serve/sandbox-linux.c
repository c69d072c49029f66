/*
 * The sandbox of the serving process on Linux: capabilities dropped,
 * no new privileges, landlock around the file system, and a seccomp
 * allow-list of system calls (libseccomp).
 */
#define _GNU_SOURCE	/* syscall */

#include <sys/prctl.h>
#include <sys/syscall.h>

#include <linux/capability.h>
#include <linux/landlock.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <seccomp.h>

#include "serve-int.h"

/* Rights of landlock ABI 3 that older headers do not name. */
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE	(1ULL << 14)
#endif

/*
 * The sanitizers' runtime needs more at exit: LeakSanitizer stops the
 * threads from a clone of its own with ptrace, and reads /proc.
 */
#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED	1
#endif
#endif

int
sandbox_drop_caps(void)
{
	struct __user_cap_header_struct	 hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct	 data[2];

	memset(data, 0, sizeof(data));
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) == -1 &&
	    errno != EINVAL) {
		log_warn("clearing the ambient capabilities");
		return -1;
	}
	if (syscall(SYS_capset, &hdr, data) == -1) {
		log_warn("dropping capabilities");
		return -1;
	}
	return 0;
}

/* Allow rights beneath the folder fd (or the file) in ruleset rs. */
static int
allow(int rs, int fd, uint64_t rights)
{
	struct landlock_path_beneath_attr	 pb = {
		.allowed_access = rights, .parent_fd = fd };

	return syscall(SYS_landlock_add_rule, rs, LANDLOCK_RULE_PATH_BENEATH,
	    &pb, 0) == -1 ? -1 : 0;
}

/* The same for a path; a path that cannot be opened adds nothing. */
static int
allow_path(int rs, const char *path, uint64_t rights)
{
	int	 fd, rc;

	if ((fd = open(path, O_PATH | O_CLOEXEC)) == -1)
		return 0;
	rc = allow(rs, fd, rights);
	close(fd);
	return rc;
}

/* The real folder of a file (a certificate may be a link elsewhere). */
static int
allow_real_folder(int rs, const char *file, uint64_t rights)
{
	char	*real, *dir;
	int	 rc;

	if ((real = realpath(file, NULL)) == NULL)
		return 0;
	dir = file_dirname(real);
	rc = allow_path(rs, dir, rights);
	free(dir);
	free(real);
	return rc;
}

/* Reading beneath the folder of file, as named and as it really is. */
static int
allow_folders(int rs, const char *file, uint64_t rights)
{
	char	*dir;
	int	 rc;

	dir = file_dirname(file);
	rc = allow_path(rs, dir, rights);
	free(dir);
	return rc | allow_real_folder(rs, file, rights);
}

int
sandbox_restrict(const struct sandbox_paths *p)
{
	struct landlock_ruleset_attr	 attr;
	uint64_t			 all, rd, wr;
	size_t				 i;
	int				 abi, rs, rc = 0;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1) {
		log_warn("no_new_privs");
		return -1;
	}
	abi = syscall(SYS_landlock_create_ruleset, NULL, 0,
	    LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 1) {
		log_warnx("landlock is not available (%s): running without "
		    "it", strerror(errno));
		return 0;
	}
	rd = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR;
	wr = LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_MAKE_REG;
	all = (LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1;
	if (abi >= 2)
		all |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3) {
		all |= LANDLOCK_ACCESS_FS_TRUNCATE;
		wr |= LANDLOCK_ACCESS_FS_TRUNCATE;
	}
	memset(&attr, 0, sizeof(attr));
	attr.handled_access_fs = all;
	if ((rs = syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr),
	    0)) == -1) {
		log_warn("landlock");
		return -1;
	}
	for (i = 0; i < p->nroots; i++)
		rc |= allow_path(rs, p->roots[i], rd);
	for (i = 0; i < p->nfiles; i++)
		rc |= allow_folders(rs, p->files[i], rd);
	/* The log file, and the new one SIGUSR1 opens after a rotation. */
	if (p->logfile != NULL)
		rc |= allow_real_folder(rs, p->logfile, wr);
#ifdef SANITIZED
	rc |= allow_path(rs, "/proc", rd);
#endif
	if (rc != 0 || syscall(SYS_landlock_restrict_self, rs, 0) == -1) {
		log_warn("landlock");
		close(rs);
		return -1;
	}
	close(rs);
	return abi;
}

/*
 * What the serving process calls once serving: events, sockets it was
 * given, memory, threads waiting and ending, time, signals, reading the
 * tree on reload, asking the keeper for the certificate, writing the
 * log, removing the pidfile.  Not socket, connect, bind, execve,
 * ptrace, fork, setuid and the rest.
 */
static const char *const server_calls[] = {
	"read", "readv", "pread64", "write", "writev", "pwrite64",
	"recvfrom", "recvmsg", "sendto", "sendmsg", "sendmmsg",
	"accept", "accept4", "shutdown", "close", "getsockopt",
	"setsockopt", "getsockname", "getpeername",
	"epoll_wait", "epoll_pwait", "epoll_pwait2", "epoll_ctl", "poll",
	"ppoll", "select", "pselect6",
	"futex", "sched_yield", "nanosleep", "clock_nanosleep",
	"clock_gettime", "clock_getres", "gettimeofday", "time",
	"mmap", "munmap", "mremap", "mprotect", "madvise", "brk",
	"rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "sigaltstack",
	"restart_syscall", "exit", "exit_group",
	"getpid", "gettid", "getuid", "geteuid", "getgid", "getegid",
	"getrandom", "openat", "open", "newfstatat", "fstat", "stat",
	"lstat", "statx", "getdents64", "lseek", "fcntl", "readlink",
	"readlinkat", "getcwd", "access", "faccessat", "faccessat2",
	"dup", "dup2", "dup3", "ftruncate", "unlink", "unlinkat", "fsync",
	"fdatasync", "getrlimit", "prlimit64", "uname", "rseq", "tgkill",
	/* --watch: the folders a reload finds. */
	"inotify_add_watch",
	/* A reload's build threads (clone itself: sandbox_filter). */
	"set_robust_list",
};

/*
 * What the keeper calls: its requests and answers, reading the pairs,
 * memory, stopping.
 */
static const char *const keeper_calls[] = {
	"read", "write", "recvfrom", "sendto", "poll", "ppoll", "close",
	"openat", "open", "newfstatat", "fstat", "statx",
	"mmap", "munmap", "mremap", "madvise", "brk",
	"rt_sigreturn", "restart_syscall", "exit", "exit_group",
	"clock_gettime", "gettimeofday", "time", "getpid",
};

/*
 * The sanitizers' runtime, at exit and when it reports: LeakSanitizer
 * stops the threads from a clone of its own with ptrace.
 */
static const char *const sanitizer_calls[] = {
#ifdef SANITIZED
	"clone", "clone3", "ptrace", "wait4", "waitid", "prctl", "kill",
	"getppid", "sched_getaffinity", "setrlimit", "getdents",
	"set_robust_list", "getdents64", "readlink", "sigaltstack",
	"rt_sigaction", "rt_sigprocmask", "gettid", "tgkill", "sched_yield",
	"futex", "nanosleep", "mprotect", "lseek", "pread64", "uname",
#endif
	NULL
};

/* Allow the n calls of names in ctx; a name unknown here is skipped. */
static int
allow_calls(scmp_filter_ctx ctx, const char *const *names, size_t n,
    size_t *count)
{
	size_t	 i;
	int	 nr, rc = 0;

	for (i = 0; i < n && rc == 0 && names[i] != NULL; i++)
		if ((nr = seccomp_syscall_resolve_name(names[i])) !=
		    __NR_SCMP_ERROR) {
			rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
			(*count)++;
		}
	return rc;
}

int
sandbox_filter(enum sandbox_role role)
{
	scmp_filter_ctx	 ctx;
	size_t		 n = 0;
	int		 rc;

	if ((ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM))) == NULL) {
		log_warnx("seccomp: cannot make a filter");
		return -1;
	}
	/* Every thread, the workers that run already included. */
	rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1);
	if (rc == 0 && role == SANDBOX_SERVER)
		rc = allow_calls(ctx, server_calls, nitems(server_calls), &n);
	/*
	 * The build threads of a reload: clone for a thread alone (a
	 * fork is not one), and clone3, whose flags a filter cannot read,
	 * missing, so that the C library falls back to clone.
	 */
	if (rc == 0 && role == SANDBOX_SERVER)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
		    SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD));
	if (rc == 0 && role == SANDBOX_SERVER)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS),
		    SCMP_SYS(clone3), 0);
	else if (rc == 0)
		rc = allow_calls(ctx, keeper_calls, nitems(keeper_calls), &n);
	if (rc == 0)
		rc = allow_calls(ctx, sanitizer_calls, nitems(sanitizer_calls),
		    &n);
	if (rc == 0)
		rc = seccomp_load(ctx);
	seccomp_release(ctx);
	if (rc != 0) {
		log_warnx("seccomp: %s", strerror(-rc));
		return -1;
	}
	return (int)n;
}
