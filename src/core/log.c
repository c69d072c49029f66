#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "core-int.h"

#define LINE_MAX_LEN	8192
#define BATCH_MAX	(2 * LINE_MAX_LEN)

static enum log_dest	dest = LOGDEST_STDERR;
static int		log_fd = STDERR_FILENO;
static char	       *log_path;	/* LOGDEST_FILE: for log_reopen */
static bool		anonymize;
/* Before log_init (a command, not the daemon): "capsuled: ", no time. */
static bool		serving;

/* A thread's access log lines, kept for log_flush when batching. */
static _Thread_local struct {
	bool	 on;
	size_t	 len;
	char	 buf[BATCH_MAX];
} batch;

/* The time stamp of the current second, made once per second. */
static _Thread_local struct {
	time_t	 when;
	size_t	 len;
	char	 text[32];
} stamp = { -1, 0, "" };

static int
open_log(const char *file)
{
	return open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
}

int
log_init(enum log_dest to, const char *file, bool anon)
{
	int	fd;

	switch (to) {
	case LOGDEST_FILE:
		if ((fd = open_log(file)) == -1) {
			fprintf(stderr, "capsuled: log file %s: %s\n",
			    file, strerror(errno));
			return -1;
		}
		if (dest == LOGDEST_FILE)
			close(log_fd);	/* opened again: the old one goes */
		log_fd = fd;
		free(log_path);
		log_path = xstrdup(file);
		break;
	case LOGDEST_SYSLOG:
		openlog("capsuled", LOG_PID | LOG_NDELAY, LOG_DAEMON);
		break;
	case LOGDEST_STDERR:
	case LOGDEST_NONE:
		break;
	}
	dest = to;
	anonymize = anon;
	serving = true;
	return 0;
}

int
log_reopen(void)
{
	int	fd;

	if (dest != LOGDEST_FILE)
		return 0;
	if ((fd = open_log(log_path)) == -1)
		return -1;
	/*
	 * In place of the descriptor every thread writes to: a line goes
	 * whole to the old file or to the new one.
	 */
	if (dup2(fd, log_fd) == -1) {
		close(fd);
		return -1;
	}
	close(fd);
	return 1;
}

const char *
log_file_path(void)
{
	return dest == LOGDEST_FILE ? log_path : NULL;
}

void
log_detach(void)
{
	if (dest != LOGDEST_STDERR)
		return;
	openlog("capsuled", LOG_PID | LOG_NDELAY, LOG_DAEMON);
	dest = LOGDEST_SYSLOG;
}

/* Write all of a line, retrying short writes; errors are dropped. */
static void
write_line(int fd, const char *s, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		n = write(fd, s, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		s += n;
		len -= n;
	}
}

static int
out_fd(void)
{
	return dest == LOGDEST_FILE ? log_fd : STDERR_FILENO;
}

int
log_out_fd(void)
{
	return dest == LOGDEST_SYSLOG ? -1 : out_fd();
}

/* "2026-11-22T03:00:19Z " into out (at least 32 bytes). */
static size_t
timestamp(char *out)
{
	struct tm	tm;
	time_t		now = time(NULL);

	if (now != stamp.when) {
		gmtime_r(&now, &tm);
		stamp.len = strftime(stamp.text, sizeof(stamp.text),
		    "%Y-%m-%dT%H:%M:%SZ ", &tm);
		stamp.when = now;
	}
	memcpy(out, stamp.text, stamp.len);
	return stamp.len;
}

void
log_batch(bool on)
{
	log_flush();
	batch.on = on;
}

void
log_flush(void)
{
	if (batch.len > 0)
		write_line(out_fd(), batch.buf, batch.len);
	batch.len = 0;
}

/*
 * Emit a formatted line (text without time or newline); an access log
 * line may wait in the batch (true then).  Messages with LOGDEST_NONE
 * still go to stderr: only the access log is turned off.
 */
static bool
emit(int prio, const char *text, bool access)
{
	char	line[LINE_MAX_LEN + 2];
	size_t	n;

	if (dest == LOGDEST_SYSLOG) {
		syslog(prio, "%s", text);
		return false;
	}
	if (serving)
		n = timestamp(line);
	else
		n = strlen(strcpy(line, "capsuled: "));
	n += snprintf(line + n, LINE_MAX_LEN - n, "%s", text);
	if (n > LINE_MAX_LEN)
		n = LINE_MAX_LEN;
	line[n++] = '\n';
	if (access && batch.on) {
		if (batch.len + n > sizeof(batch.buf))
			log_flush();
		memcpy(batch.buf + batch.len, line, n);
		batch.len += n;
		return true;
	}
	/* Keep the order of this thread's lines. */
	log_flush();
	write_line(out_fd(), line, n);
	return false;
}

/* A message, followed by ": " and the text of errnum unless it is 0. */
static void
vmessage(int prio, int errnum, const char *fmt, va_list ap)
{
	char	text[LINE_MAX_LEN];
	int	n;

	n = vsnprintf(text, sizeof(text), fmt, ap);
	if (errnum != 0 && n >= 0 && (size_t)n < sizeof(text))
		snprintf(text + n, sizeof(text) - n, ": %s", strerror(errnum));
	emit(prio, text, false);
}

void
log_info(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vmessage(LOG_INFO, 0, fmt, ap);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list	ap;
	int	saved = errno;

	va_start(ap, fmt);
	vmessage(LOG_WARNING, saved, fmt, ap);
	va_end(ap);
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vmessage(LOG_WARNING, 0, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list	ap;
	int	saved = errno;

	va_start(ap, fmt);
	vmessage(LOG_CRIT, saved, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vmessage(LOG_CRIT, 0, fmt, ap);
	va_end(ap);
	exit(1);
}

void
log_format_addr(const struct sockaddr *sa, bool anon, char *out)
{
	struct in_addr	a4;
	struct in6_addr	a6;

	if (sa != NULL && sa->sa_family == AF_INET6) {
		memcpy(&a6, &((const struct sockaddr_in6 *)(const void *)sa)->
		    sin6_addr, sizeof(a6));
		if (!IN6_IS_ADDR_V4MAPPED(&a6)) {
			if (anon)
				memset(a6.s6_addr + 6, 0, 10);
			inet_ntop(AF_INET6, &a6, out, LOG_ADDR_MAX);
			return;
		}
		/* An IPv4 client of a dual-stack socket. */
		memcpy(&a4, a6.s6_addr + 12, sizeof(a4));
	} else if (sa != NULL && sa->sa_family == AF_INET)
		a4 = ((const struct sockaddr_in *)(const void *)sa)->sin_addr;
	else {
		snprintf(out, LOG_ADDR_MAX, "-");
		return;
	}
	if (anon)
		((unsigned char *)&a4)[3] = 0;
	inet_ntop(AF_INET, &a4, out, LOG_ADDR_MAX);
}

/* Copy s into out, escaping what could forge or garble a log line. */
static size_t
escape(char *out, size_t outsz, const char *s)
{
	static const char	hex[] = "0123456789abcdef";
	size_t			n = 0;
	unsigned char		c;

	for (; *s != '\0' && n + 5 < outsz; s++) {
		c = *s;
		if (c > 0x20 && c < 0x7f && c != '"' && c != '\\')
			out[n++] = c;
		else {
			out[n++] = '\\';
			out[n++] = 'x';
			out[n++] = hex[c >> 4];
			out[n++] = hex[c & 0xf];
		}
	}
	out[n] = '\0';
	return n;
}

size_t
log_format_access(char *out, size_t outsz, const struct access_entry *e,
    bool anon)
{
	char	addr[LOG_ADDR_MAX], host[256 * 4 + 1], path[LINE_MAX_LEN / 2];
	int	n;

	log_format_addr(e->peer, anon, addr);
	escape(host, sizeof(host), e->host != NULL && *e->host != '\0' ?
	    e->host : "-");
	escape(path, sizeof(path), e->path != NULL ? e->path : "");
	n = snprintf(out, outsz, "%s %s %s \"%s\" %d %zu %.1fms", addr,
	    e->proto != NULL ? e->proto : "-", host, path, e->status,
	    e->bytes, e->seconds * 1000);
	if (e->site != NULL && n >= 0 && (size_t)n < outsz) {
		escape(host, sizeof(host), e->site);
		n += snprintf(out + n, outsz - n, " site=%s", host);
	}
	if (n < 0)
		n = 0;
	return (size_t)n < outsz ? (size_t)n : outsz - 1;
}

bool
log_access(const struct access_entry *e)
{
	char	text[LINE_MAX_LEN];

	if (dest == LOGDEST_NONE)
		return false;
	log_format_access(text, sizeof(text), e, anonymize);
	return emit(LOG_INFO, text, true);
}
