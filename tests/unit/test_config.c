#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "serve/serve.h"
#include "harness.h"
#include "core/core.h"

static struct config	cfg;
static char		yml[] = "/tmp/capsuled-test-XXXXXX";
static char		errtext[4096];

/* Write text as the config file. */
static void
write_yml(const char *text)
{
	FILE	*fp = fopen(yml, "w");

	fputs(text, fp);
	fclose(fp);
}

/* Send stderr to a file until capture_end puts its text in errtext. */
static int
capture_begin(int *saved)
{
	char	errfile[] = "/tmp/capsuled-err-XXXXXX";
	int	fd;

	fd = mkstemp(errfile);
	unlink(errfile);
	fflush(stderr);
	*saved = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	return fd;
}

static void
capture_end(int fd, int saved)
{
	ssize_t	n;

	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	n = pread(fd, errtext, sizeof(errtext) - 1, 0);
	errtext[n > 0 ? n : 0] = '\0';
	close(fd);
}

/*
 * config_load with the NULL-terminated arguments after argv[0],
 * stderr captured into errtext.
 */
static int
load(const char *arg, ...)
{
	char	*argv[64];
	va_list	 ap;
	int	 argc = 0, saved, fd, rc;

	argv[argc++] = "capsuled";
	va_start(ap, arg);
	for (; arg != NULL && argc < 63; arg = va_arg(ap, const char *))
		argv[argc++] = (char *)arg;
	va_end(ap);
	argv[argc] = NULL;

	config_free(&cfg);
	fd = capture_begin(&saved);
	rc = config_load(&cfg, argc, argv);
	capture_end(fd, saved);
	return rc;
}

/* config_validate of cfg, stderr captured into errtext. */
static int
validate(void)
{
	int	saved, fd, rc;

	fd = capture_begin(&saved);
	rc = config_validate(&cfg);
	capture_end(fd, saved);
	return rc;
}

#define CHECK_ERR(want) do {						\
	if (strstr(errtext, (want)) == NULL) {				\
		fprintf(stderr, "%s:%d: stderr [%s] lacks [%s]\n",	\
		    __FILE__, __LINE__, errtext, (want));		\
		harness_test_failed = 1;				\
	}								\
} while (0)

static void
test_defaults(void)
{
	CHECK_INT(load(NULL), 0);
	CHECK_INT(cfg.mode, MODE_SERVE);
	CHECK_STR(cfg.root, "./capsule");
	CHECK_INT(cfg.nhostnames, 1);
	CHECK_STR(cfg.hostnames[0], "localhost");
	CHECK_INT(cfg.nlisten, 2);
	CHECK_STR(cfg.listen[0], "127.0.0.1");
	CHECK_STR(cfg.listen[1], "::1");
	CHECK_INT(cfg.port, 1965);
	CHECK_INT(cfg.public_port, 1965);
	CHECK(cfg.check_port);
	CHECK_INT(cfg.gopher_port, 7070);
	CHECK_INT(cfg.gopher_public_port, 7070);
	CHECK_STR(cfg.gopher_host, "localhost");
	CHECK_STR(cfg.certs_dir, "./certs");
	CHECK_STR(cfg.cert_file, "./certs/cert.pem");
	CHECK_STR(cfg.key_file, "./certs/key.pem");
	CHECK_INT(cfg.workers, sysconf(_SC_NPROCESSORS_ONLN));
	CHECK_INT(cfg.max_connections, 1024);
	CHECK_INT(cfg.request_timeout, 10);
	CHECK_INT(cfg.write_timeout, 30);
	CHECK_INT(cfg.log_dest, LOGDEST_STDERR);
	CHECK_INT(cfg.permalink, PERMALINK_POSTS);
	CHECK(!cfg.daemonize && !cfg.chroot && !cfg.log_anonymize);
	CHECK(cfg.config_file == NULL && cfg.user == NULL);
}

static void
test_file(void)
{
	write_yml("# a comment\n"
	    "root: /srv/capsule\n"
	    "hostnames: [example.org, www.example.org]\n"
	    "listen:\n  - 0.0.0.0\n  - '::'\n"
	    "port: 1966\n"
	    "public_port: 443\n"
	    "check_port: no\n"
	    "gopher_port: 0\n"
	    "certs: /etc/capsuled\n"
	    "key: /etc/secret/key.pem\n"
	    "permalink: jekyll\n"
	    "workers: 3\n"
	    "max_connections: 50\n"
	    "request_timeout: 5\n"
	    "write_timeout: 7\n"
	    "log: file:/var/log/capsuled.log\n"
	    "log_anonymize: true\n"
	    "daemon: yes\n"
	    "pidfile: /run/capsuled.pid\n"
	    "user: _capsuled\n"
	    "chroot: on\n");
	CHECK_INT(load("-c", yml, NULL), 0);
	CHECK_STR(cfg.config_file, yml);
	CHECK_STR(cfg.root, "/srv/capsule");
	CHECK_INT(cfg.nhostnames, 2);
	CHECK_STR(cfg.hostnames[1], "www.example.org");
	CHECK_INT(cfg.nlisten, 2);
	CHECK_STR(cfg.listen[1], "::");
	CHECK_INT(cfg.port, 1966);
	CHECK_INT(cfg.public_port, 443);
	CHECK(!cfg.check_port);
	CHECK_INT(cfg.gopher_port, 0);
	CHECK_STR(cfg.gopher_host, "example.org");
	CHECK_STR(cfg.cert_file, "/etc/capsuled/cert.pem");
	CHECK_STR(cfg.key_file, "/etc/secret/key.pem");
	CHECK_INT(cfg.permalink, PERMALINK_JEKYLL);
	CHECK_INT(cfg.workers, 3);
	CHECK_INT(cfg.max_connections, 50);
	CHECK_INT(cfg.request_timeout, 5);
	CHECK_INT(cfg.write_timeout, 7);
	CHECK_INT(cfg.log_dest, LOGDEST_FILE);
	CHECK_STR(cfg.log_file, "/var/log/capsuled.log");
	CHECK(cfg.log_anonymize && cfg.daemonize && cfg.chroot);
	CHECK_STR(cfg.pidfile, "/run/capsuled.pid");
	CHECK_STR(cfg.user, "_capsuled");
}

/* Flags win over the file; the first -H replaces the file's list. */
static void
test_precedence(void)
{
	write_yml("port: 1966\nhostnames: [a.org, b.org]\nworkers: 3\n"
	    "log: syslog\n");
	CHECK_INT(load("-p", "2000", "-c", yml, "-H", "c.org",
	    "--hostname", "d.org", "--log", "none", NULL), 0);
	CHECK_INT(cfg.port, 2000);
	CHECK_INT(cfg.public_port, 2000);
	CHECK_INT(cfg.workers, 3);
	CHECK_INT(cfg.nhostnames, 2);
	CHECK_STR(cfg.hostnames[0], "c.org");
	CHECK_STR(cfg.hostnames[1], "d.org");
	CHECK_INT(cfg.log_dest, LOGDEST_NONE);
	/* Without flags the file's values hold. */
	CHECK_INT(load("--config", yml, NULL), 0);
	CHECK_INT(cfg.port, 1966);
	CHECK_INT(cfg.nhostnames, 2);
	CHECK_STR(cfg.hostnames[0], "a.org");
	CHECK_INT(cfg.log_dest, LOGDEST_SYSLOG);
}

static void
test_flags(void)
{
	CHECK_INT(load("-r", "site", "-l", "::", "-g", "0", "--certs", "c",
	    "--workers", "2", "--max-connections", "9", "--request-timeout",
	    "4", "--write-timeout=6", "--log", "file:/tmp/x.log",
	    "--log-anonymize", "--permalink", "jekyll", "--daemon",
	    "--pidfile", "p", "--user", "nobody", "--chroot", "--no-check-port",
	    "--public-port", "443", "--gopher-host", "g.org",
	    "--gopher-public-port", "70", NULL), 0);
	CHECK_STR(cfg.root, "site");
	CHECK_INT(cfg.nlisten, 1);
	CHECK_STR(cfg.listen[0], "::");
	CHECK_INT(cfg.gopher_port, 0);
	CHECK_STR(cfg.cert_file, "c/cert.pem");
	CHECK_INT(cfg.workers, 2);
	CHECK_INT(cfg.max_connections, 9);
	CHECK_INT(cfg.request_timeout, 4);
	CHECK_INT(cfg.write_timeout, 6);
	CHECK_INT(cfg.log_dest, LOGDEST_FILE);
	CHECK_STR(cfg.log_file, "/tmp/x.log");
	CHECK(cfg.log_anonymize && cfg.daemonize && cfg.chroot);
	CHECK(!cfg.check_port);
	CHECK_INT(cfg.public_port, 443);
	CHECK_STR(cfg.gopher_host, "g.org");
	CHECK_INT(cfg.gopher_public_port, 70);
	CHECK_INT(cfg.permalink, PERMALINK_JEKYLL);
	/* --log file takes its path from --log-file, in either order. */
	CHECK_INT(load("--log-file", "/tmp/y.log", "--log", "file", NULL), 0);
	CHECK_INT(cfg.log_dest, LOGDEST_FILE);
	CHECK_STR(cfg.log_file, "/tmp/y.log");
	CHECK_INT(load("--log", "file", NULL), -1);
}

static void
test_modes(void)
{
	CHECK_INT(load("--check", NULL), 0);
	CHECK_INT(cfg.mode, MODE_CHECK);
	CHECK(!cfg.quiet);
	CHECK_INT(load("--check", "-q", NULL), 0);
	CHECK(cfg.quiet);
	CHECK_INT(load("--export", "out", NULL), 0);
	CHECK_INT(cfg.mode, MODE_EXPORT);
	CHECK_STR(cfg.export_dir, "out");
	CHECK_INT(load("--help", NULL), 0);
	CHECK_INT(cfg.mode, MODE_HELP);
	CHECK_INT(load("-V", NULL), 0);
	CHECK_INT(cfg.mode, MODE_VERSION);
	/* --help does not read the file. */
	CHECK_INT(load("-c", "/nonexistent/capsuled.yml", "-h", NULL), 0);
	CHECK_INT(cfg.mode, MODE_HELP);
}

struct bad_file {
	const char	*yaml;
	const char	*msg;		/* in what is printed */
};

static void
test_bad_values_in_file(void)
{
	static const struct bad_file t[] = {
		{ "root: capsule\n\nport: 70000\n",
		    ":3: setting 'port': '70000' is not a port (1-65535)" },
		{ "listen:\n  - 127.0.0.1\n  - localhost\n",
		    ":3: setting 'listen': 'localhost' is not an IP address" },
		{ "workers: lots\n",
		    ":1: setting 'workers': 'lots' is not a number of workers" },
		{ "check_port: maybe\n",
		    ":1: setting 'check_port': 'maybe' is not true or false" },
		{ "port: [1, 2]\n", ":1: setting 'port': expected a value" },
		{ "hostnames: []\n",
		    ":1: setting 'hostnames': the list is empty" },
		{ "hostnames: [ok.org, 'bad name']\n",
		    ":1: setting 'hostnames': 'bad name' is not a host name" },
		{ "log: carrier-pigeon\n",
		    ":1: setting 'log': 'carrier-pigeon' is not stderr" },
		{ "log: file\n", "setting 'log': file needs a path" },
		{ "port: 1\nport: 2\n", ":2: setting 'port': given twice" },
		{ "port: 1965\nhostname: example.org\n",
		    ":2: unknown setting 'hostname'" },
		{ "- port\n", ":1:1: error: YAML top level is not a mapping" },
		{ "port: 1965\n? [port]\n: 1\n",
		    ":2: a setting's name is a string" },
		{ "listen:\n  - 127.0.0.1\n  - [a]\n",
		    ":3: setting 'listen': expected a list of values" },
	};
	size_t	i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		write_yml(t[i].yaml);
		CHECK_INT(load("-c", yml, NULL), -1);
		CHECK_ERR(t[i].msg);
	}
	/* The message starts with the file name. */
	CHECK(strncmp(errtext, yml, strlen(yml)) == 0);
}

static void
test_bad_yaml(void)
{
	write_yml("port: 1965\nroot: [unclosed\n");
	CHECK_INT(load("-c", yml, NULL), -1);
	CHECK(strncmp(errtext, yml, strlen(yml)) == 0);
	CHECK_INT(load("-c", "/nonexistent/capsuled.yml", NULL), -1);
	CHECK_ERR("/nonexistent/capsuled.yml: No such file");
	write_yml("");
	CHECK_INT(load("-c", yml, NULL), 0);	/* empty: all defaults */
	CHECK_INT(cfg.port, 1965);
}

static void
test_bad_flags(void)
{
	CHECK_INT(load("-p", "0", NULL), -1);
	CHECK_ERR("option --port: '0' is not a port (1-65535)");
	CHECK_INT(load("--gopher-port", "-1", NULL), -1);
	CHECK_ERR("option --gopher-port: '-1' is not a port");
	CHECK_INT(load("--request-timeout", "0", NULL), -1);
	CHECK_ERR("option --request-timeout: '0' is not a number of seconds");
	CHECK_INT(load("--frobnicate", NULL), -1);
	CHECK_ERR("option --frobnicate is unknown");
	CHECK_INT(load("-x", NULL), -1);
	CHECK_ERR("option -x is unknown");
	CHECK_INT(load("--port", NULL), -1);
	CHECK_ERR("option --port needs a value");
	CHECK_INT(load("-p", NULL), -1);
	CHECK_ERR("option -p needs a value");
	CHECK_INT(load("stray", NULL), -1);
	CHECK_ERR("unexpected argument 'stray'");
	CHECK_INT(load("--permalink", "pretty", NULL), -1);
	CHECK_ERR("option --permalink: 'pretty' is not posts or jekyll");
	CHECK_INT(load("-l", "example.org", NULL), -1);
	CHECK_ERR("option --listen: 'example.org' is not an IP address");
}

/* The example in contrib/ loads and says what the defaults are. */
static void
test_example_file(void)
{
	struct config	d;

	CHECK_INT(load(NULL), 0);
	d = cfg;
	memset(&cfg, 0, sizeof(cfg));
	CHECK_INT(load("-c", "contrib/capsuled.yml", NULL), 0);
	CHECK_STR(cfg.root, d.root);
	CHECK_INT(cfg.nhostnames, d.nhostnames);
	CHECK_INT(cfg.nlisten, d.nlisten);
	CHECK_STR(cfg.listen[1], d.listen[1]);
	CHECK_INT(cfg.port, d.port);
	CHECK_INT(cfg.gopher_port, d.gopher_port);
	CHECK_STR(cfg.key_file, d.key_file);
	CHECK_INT(cfg.max_connections, d.max_connections);
	CHECK_INT(cfg.request_timeout, d.request_timeout);
	CHECK_INT(cfg.write_timeout, d.write_timeout);
	CHECK_INT(cfg.log_dest, d.log_dest);
	CHECK(cfg.check_port == d.check_port && cfg.chroot == d.chroot);
	config_free(&d);
}

/* Problems of the machine, each named with its setting and origin. */
static void
test_validate(void)
{
	CHECK_INT(load("-r", "capsule", NULL), 0);
	CHECK_INT(validate(), 0);
	CHECK_STR(errtext, "");

	write_yml("root: /nonexistent/capsule\nport: 7070\nuser: "
	    "no-such-user-here\n");
	CHECK_INT(load("-c", yml, "--gopher-host", "::1", "--key",
	    "/etc/shadow", NULL), 0);
	CHECK_INT(validate(), -1);
	CHECK_ERR(":1: setting 'root': /nonexistent/capsule: No such file");
	CHECK_ERR(":2: setting 'port': 7070 is also the Gopher port");
	CHECK_ERR(":3: setting 'user': 'no-such-user-here': no such user");
	CHECK_ERR("capsuled: option --gopher-host: '::1' is an IPv6 address");
	if (geteuid() != 0)	/* root reads anything */
		CHECK_ERR("capsuled: option --key: /etc/shadow: Permission");

	/* A default is named as such; a file is not a folder. */
	CHECK_INT(load("-r", "README.md", "-p", "7070", NULL), 0);
	CHECK_INT(validate(), -1);
	CHECK_ERR("capsuled: option --root: README.md: not a folder");
	CHECK_ERR("capsuled: option --port: 7070 is also the Gopher port");
	CHECK_INT(load("-r", "capsule", "-g", "1965", NULL), 0);
	CHECK_INT(validate(), -1);
	CHECK_ERR("option --gopher-port: 1965 is also the Gemini port");

	/* The gopher_host a first -H gives is not an error. */
	CHECK_INT(load("-r", "capsule", "-H", "::1", NULL), 0);
	CHECK_INT(validate(), 0);
}

/*
 * sites: each a whole configuration, the top level's with its own keys
 * over it; its pair in certs/NAME unless it names one.
 */
static void
test_sites(void)
{
	const struct config	*sites;

	write_yml("port: 1970\ncerts: /var/certs\npermalink: jekyll\n"
	    "sites:\n"
	    "  - root: capsule\n"
	    "    hostnames: [a.org, www.a.org]\n"
	    "    gopher_port: 70\n"
	    "  - root: tests\n"
	    "    hostnames: b.org\n"
	    "    gopher_port: 71\n"
	    "    permalink: posts\n"
	    "    certs: /etc/b\n");
	CHECK_INT(load("-c", yml, "--workers", "3", NULL), 0);
	CHECK_STR(errtext, "");
	CHECK_INT(config_sites(&cfg, &sites), 2);
	CHECK(sites == cfg.sites);
	CHECK_STR(sites[0].root, "capsule");
	CHECK_INT(sites[0].nhostnames, 2);
	CHECK_STR(sites[0].hostnames[1], "www.a.org");
	CHECK_STR(sites[0].gopher_host, "a.org");
	CHECK_INT(sites[0].gopher_port, 70);
	CHECK_INT(sites[0].port, 1970);
	CHECK_INT(sites[0].workers, 3);
	CHECK_INT(sites[0].permalink, PERMALINK_JEKYLL);
	CHECK_STR(sites[0].cert_file, "/var/certs/a.org/cert.pem");
	CHECK_STR(sites[1].root, "tests");
	CHECK_STR(sites[1].hostnames[0], "b.org");
	CHECK_INT(sites[1].permalink, PERMALINK_POSTS);
	CHECK_STR(sites[1].key_file, "/etc/b/key.pem");
	CHECK_INT(validate(), 0);

	/* Without sites the settings are the one site. */
	CHECK_INT(load("-r", "capsule", NULL), 0);
	CHECK_INT(config_sites(&cfg, &sites), 1);
	CHECK(sites == &cfg);
	CHECK_INT(cfg.nsites, 0);
}

static void
test_bad_sites(void)
{
	static const struct bad_file t[] = {
		{ "sites: capsule\n", ":1: setting 'sites': expected a list" },
		{ "sites: []\n", ":1: setting 'sites': expected a list" },
		{ "sites:\n  - capsule\n",
		    ":1: site 1: expected a mapping of settings" },
		{ "sites:\n  - root: capsule\n    hostnames: [a.org]\n"
		    "  - root: capsule\n",
		    ":1: site 2: no hostnames: each site names its own" },
		{ "sites:\n  - hostnames: a.org\n",
		    ":1: site 1: no root" },
		{ "sites:\n  - root: capsule\n    hostnames: a.org\n"
		    "    workers: 2\n",
		    ":1: site 1: 'workers' is not a setting of a site" },
		{ "sites:\n  - root: capsule\n    hostnames: a.org\n"
		    "    gopher_port: seventy\n",
		    ":1: site 1: setting 'gopher_port': 'seventy' is not a port" },
		{ "sites:\n  - root: capsule\n    hostnames: [[a.org]]\n",
		    ":1: site 1: setting 'hostnames': expected a list of values" },
		{ "root: capsule\nsites:\n  - root: capsule\n"
		    "    hostnames: a.org\n",
		    ":1: setting 'root': with the sites of " },
	};
	size_t	i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		write_yml(t[i].yaml);
		CHECK_INT(load("-c", yml, NULL), -1);
		CHECK_ERR(t[i].msg);
	}
	write_yml("sites:\n  - root: capsule\n    hostnames: a.org\n");
	CHECK_INT(load("-c", yml, "-H", "b.org", NULL), -1);
	CHECK_ERR("option --hostname: with the sites of ");
	CHECK_INT(load("-c", yml, "--export", "out", NULL), -1);
	CHECK_ERR("--export and --list read one root");

	/* Apart: no name in two, no Gopher port in two, no chroot. */
	write_yml("chroot: true\nsites:\n"
	    "  - root: capsule\n    hostnames: [a.org, b.org]\n"
	    "  - root: capsule\n    hostnames: [B.org]\n");
	CHECK_INT(load("-c", yml, NULL), 0);
	CHECK_INT(validate(), -1);
	CHECK_ERR(":2: site 2: setting 'hostnames': B.org is also a name "
	    "of site 1");
	CHECK_ERR("setting 'gopher_port' (default): 7070 is also the "
	    "Gopher port of site 1: give site 2 its own");
	CHECK_ERR(":1: setting 'chroot': the sites (");
}

/* Each boolean flag has its opposite, to override the file. */
static void
test_negations(void)
{
	write_yml("chroot: true\ndaemon: true\nlog_anonymize: true\n"
	    "check_port: false\n");
	CHECK_INT(load("-c", yml, "--no-chroot", "--no-daemon",
	    "--no-log-anonymize", "--check-port", NULL), 0);
	CHECK(!cfg.chroot && !cfg.daemonize && !cfg.log_anonymize);
	CHECK(cfg.check_port);
}

static void
test_site_options(void)
{
	struct site_options	o;

	CHECK_INT(load("-H", "a.org", "-g", "70", "--public-port", "443",
	    "--gopher-public-port", "7000", NULL), 0);
	config_site_options(&cfg, &o);
	CHECK_STR(o.root, "./capsule");
	CHECK_STR(o.hostname, "a.org");
	CHECK_INT(o.gemini_port, 443);
	CHECK_STR(o.gopher_host, "a.org");
	CHECK_INT(o.gopher_port, 7000);
	CHECK_INT(load("-g", "0", NULL), 0);
	config_site_options(&cfg, &o);
	CHECK_INT(o.gopher_port, 0);
}

int
main(void)
{
	int	fd = mkstemp(yml);

	close(fd);
	RUN(test_defaults);
	RUN(test_file);
	RUN(test_precedence);
	RUN(test_flags);
	RUN(test_modes);
	RUN(test_bad_values_in_file);
	RUN(test_bad_yaml);
	RUN(test_bad_flags);
	RUN(test_example_file);
	RUN(test_validate);
	RUN(test_sites);
	RUN(test_bad_sites);
	RUN(test_negations);
	RUN(test_site_options);
	config_free(&cfg);
	unlink(yml);
	return HARNESS_END();
}
