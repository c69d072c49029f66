#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "core/core.h"

static char	addr[LOG_ADDR_MAX];

/* Format an IPv4 or IPv6 address (by the ':' in it) as a client. */
static const char *
fmt(const char *ip, bool anon)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&ss;

	memset(&ss, 0, sizeof(ss));
	if (strchr(ip, ':') != NULL) {
		sin6->sin6_family = AF_INET6;
		inet_pton(AF_INET6, ip, &sin6->sin6_addr);
	} else {
		sin->sin_family = AF_INET;
		inet_pton(AF_INET, ip, &sin->sin_addr);
	}
	log_format_addr((struct sockaddr *)&ss, anon, addr);
	return addr;
}

static void
test_addresses(void)
{
	CHECK_STR(fmt("192.0.2.77", false), "192.0.2.77");
	CHECK_STR(fmt("192.0.2.77", true), "192.0.2.0");
	CHECK_STR(fmt("2001:db8:aaaa:bbbb::1", false),
	    "2001:db8:aaaa:bbbb::1");
	CHECK_STR(fmt("2001:db8:aaaa:bbbb::1", true), "2001:db8:aaaa::");
	CHECK_STR(fmt("::ffff:198.51.100.9", false), "198.51.100.9");
	CHECK_STR(fmt("::ffff:198.51.100.9", true), "198.51.100.0");
	log_format_addr(NULL, false, addr);
	CHECK_STR(addr, "-");
}

static void
test_access_line(void)
{
	struct sockaddr_in	sin;
	struct access_entry	e;
	char			line[512];

	memset(&e, 0, sizeof(e));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	inet_pton(AF_INET, "203.0.113.5", &sin.sin_addr);
	e.peer = (struct sockaddr *)&sin;
	e.proto = "gemini";
	e.host = "example.org";
	e.path = "/posts/a.gmi";
	e.status = 20;
	e.bytes = 1234;
	e.seconds = 0.0042;
	log_format_access(line, sizeof(line), &e, false);
	CHECK_STR(line, "203.0.113.5 gemini example.org \"/posts/a.gmi\" 20 "
	    "1234 4.2ms");
	log_format_access(line, sizeof(line), &e, true);
	CHECK(strncmp(line, "203.0.113.0 ", 12) == 0);

	/* Nothing in a path or host can forge a line or a field. */
	e.host = NULL;
	e.path = "/a b\"\n203.0.113.6 x\\\x1b[2J\xc3\xa9";
	log_format_access(line, sizeof(line), &e, false);
	CHECK_STR(line, "203.0.113.5 gemini - \"/a\\x20b\\x22\\x0a203.0.113.6"
	    "\\x20x\\x5c\\x1b[2J\\xc3\\xa9\" 20 1234 4.2ms");
	CHECK(strchr(line, '\n') == NULL);

	/* Truncated, never overflowing. */
	CHECK(log_format_access(line, 10, &e, false) == 9);
	CHECK_INT(strlen(line), 9);
}

/* log_init with a file: one line per call, appended. */
static void
test_file(void)
{
	struct access_entry	e;
	char			path[] = "/tmp/capsuled-log-XXXXXX", *text;
	size_t			len;
	int			fd = mkstemp(path);

	close(fd);
	CHECK_INT(log_init(LOGDEST_FILE, path, false), 0);
	memset(&e, 0, sizeof(e));
	e.proto = "gopher";
	e.path = "/sel";
	e.status = 0;
	log_access(&e);
	log_warnx("disk %s", "full");
	log_info("started");
	text = file_read_all(path, &len);
	CHECK(text != NULL);
	if (text != NULL) {
		CHECK(strstr(text, "Z - gopher - \"/sel\" 0 0 0.0ms\n") != NULL);
		CHECK(strstr(text, "Z disk full\n") != NULL);
		CHECK(strstr(text, "Z started\n") != NULL);
		CHECK(text[4] == '-' && text[10] == 'T');
		CHECK_INT(len - strlen(text), 0);
	}
	free(text);

	/* Batched: access lines wait for log_flush or the next message. */
	CHECK_INT(truncate(path, 0), 0);
	log_batch(true);
	e.path = "/one";
	CHECK(log_access(&e));
	e.path = "/two";
	CHECK(log_access(&e));
	text = file_read_all(path, &len);
	CHECK(text != NULL && len == 0);
	free(text);
	log_flush();
	text = file_read_all(path, &len);
	CHECK(text != NULL && strstr(text, "\"/one\"") != NULL &&
	    strstr(text, "\"/one\"") < strstr(text, "\"/two\""));
	free(text);
	e.path = "/three";
	CHECK(log_access(&e));
	log_warnx("after three");
	text = file_read_all(path, &len);
	CHECK(text != NULL && strstr(text, "\"/three\"") != NULL &&
	    strstr(text, "\"/three\"") < strstr(text, "after three"));
	free(text);
	log_batch(false);
	CHECK(!log_access(&e));

	CHECK_INT(log_init(LOGDEST_FILE, "/nonexistent/dir/log", false), -1);
	unlink(path);
}

int
main(void)
{
	RUN(test_addresses);
	RUN(test_access_line);
	RUN(test_file);
	return HARNESS_END();
}
