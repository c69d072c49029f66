/*
 * Messages and the access log.  Destination from the settings
 * (cfg->log_dest: stderr by default, a file, syslog or nothing).
 * Every function here may be called from any worker thread at any time
 * after log_init; each line is written whole (one write per line).
 */
#ifndef CAPSULED_LOG_H
#define CAPSULED_LOG_H

#include <sys/socket.h>

#include <stdbool.h>
#include <stddef.h>


/*
 * Open the destination of cfg (the log file, or syslog).  Before it is
 * called, messages go to stderr.  Returns -1 (reason on stderr) when the
 * log file cannot be opened.
 */
/* LOGDEST_: syslog.h owns the LOG_ prefix (LOG_SYSLOG is a facility). */
enum log_dest {
	LOGDEST_STDERR,
	LOGDEST_FILE,
	LOGDEST_SYSLOG,
	LOGDEST_NONE,
};

/*
 * Send messages and the access log to dest (file: the path to append
 * to); anonymize truncates client addresses.  -1 (said on stderr) when
 * the file cannot be opened.  Lines start with their time from then
 * on; before, with "capsuled: ", as a command's messages do.
 */
int	log_init(enum log_dest dest, const char *file, bool anonymize);
/*
 * Open the log file again by its name (SIGUSR1, once logrotate has
 * moved it away): 1 when reopened, 0 when there is no log file, -1
 * (errno set) when it cannot be opened, the old one kept then.  Safe
 * while other threads log.
 */
int	log_reopen(void);
/* The log file's path, NULL when the log is not a file. */
const char *log_file_path(void);
/*
 * The descriptor messages are written to (stderr, or the log file), for
 * a process started to log where this one does; -1 with syslog.
 */
int	log_out_fd(void);
/* Switch stderr logging to syslog (after --daemon detached). */
void	log_detach(void);

/* An error or a warning, and an informational message. */
/*
 * As in OpenBSD: log_warn adds ": " and the text of errno (which it
 * keeps), log_warnx does not; fatal and fatalx do the same, then exit
 * with status 1.
 */
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));

/* One served request. */
struct access_entry {
	const struct sockaddr	*peer;	/* client; truncated when
					   cfg->log_anonymize */
	const char		*proto;	/* "gemini" or "gopher" */
	const char		*host;	/* TLS SNI, NULL when none */
	const char		*site;	/* the virtual host, NULL: one site */
	const char		*path;	/* decoded path or selector */
	int			 status;
	size_t			 bytes;	/* sent: header and body */
	double			 seconds;	/* accept to last byte */
};

/*
 * Time, client, host, path, status, bytes, duration (and site=NAME,
 * with sites): one line.  Returns
 * true when the line waits in this thread's batch for log_flush.
 */
bool	log_access(const struct access_entry *);

/*
 * Batching (for a worker thread, whose loop calls log_flush after each
 * round of events): this thread's access log lines to stderr or a file
 * are kept and written together, at the latest when the buffer fills or
 * before any other line of the thread.  Messages are never kept.
 */
void	log_batch(bool on);
void	log_flush(void);

/*
 * The parts of log_access, for tests.  The client address as text, its
 * last bits zeroed when anonymize is set (IPv4 to its /24, IPv6 to its
 * /48; an IPv4-mapped IPv6 address is shown as IPv4); out holds
 * LOG_ADDR_MAX bytes.  The line without its time and newline: host and
 * path have bytes outside printable ASCII, the quote and the backslash
 * escaped as \xHH.
 */
#define LOG_ADDR_MAX	64
void	log_format_addr(const struct sockaddr *, bool anonymize, char *out);
size_t	log_format_access(char *out, size_t outsz,
	    const struct access_entry *, bool anonymize);

#endif
