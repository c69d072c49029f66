#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <sys/stat.h>

#include <netinet/in.h>
#include <pwd.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "serve-int.h"

#define CONFIG_FILE_MAX	(1024 * 1024)
#define ERR_MAX		512

enum kind {
	K_STRING,
	K_INT,
	K_BOOL,
	K_LIST,		/* char ** at off, its size_t count at noff */
	K_LOG,
	K_PERMALINK,
	K_SITES,	/* in the file only: read by load_sites */
};

struct setting {
	const char	*key;		/* in capsuled.yml */
	enum kind	 kind;
	size_t		 off, noff;
	int		 min, max;	/* K_INT */
	const char	*what;		/* K_INT, K_STRING, K_LIST: "a port" */
	bool		 (*valid)(const char *);	/* K_STRING, K_LIST */
};

static bool	valid_nonempty(const char *);
static bool	valid_hostname(const char *);
static bool	valid_address(const char *);
static bool	valid_network(const char *);
static bool	valid_path(const char *);
static bool	valid_selector(const char *);

#define OFF(f)	offsetof(struct config, f)

static const struct setting settings[] = {
	{ "root", K_STRING, OFF(root), 0, 0, 0, "a directory",
	    valid_nonempty },
	{ "hostnames", K_LIST, OFF(hostnames), OFF(nhostnames), 0, 0,
	    "a host name", valid_hostname },
	{ "listen", K_LIST, OFF(listen), OFF(nlisten), 0, 0, "an IP address",
	    valid_address },
	{ "port", K_INT, OFF(port), 0, 1, 65535, "a port (1-65535)", NULL },
	{ "public_port", K_INT, OFF(public_port), 0, 1, 65535,
	    "a port (1-65535)", NULL },
	{ "check_port", K_BOOL, OFF(check_port), 0, 0, 0, NULL, NULL },
	{ "gopher_port", K_INT, OFF(gopher_port), 0, 0, 65535,
	    "a port (1-65535, or 0 for no Gopher)", NULL },
	{ "gopher_host", K_STRING, OFF(gopher_host), 0, 0, 0, "a host name",
	    valid_hostname },
	{ "gopher_public_port", K_INT, OFF(gopher_public_port), 0, 1, 65535,
	    "a port (1-65535)", NULL },
	{ "certs", K_STRING, OFF(certs_dir), 0, 0, 0, "a directory",
	    valid_nonempty },
	{ "cert", K_STRING, OFF(cert_file), 0, 0, 0, "a file",
	    valid_nonempty },
	{ "key", K_STRING, OFF(key_file), 0, 0, 0, "a file", valid_nonempty },
	{ "permalink", K_PERMALINK, OFF(permalink), 0, 0, 0, NULL, NULL },
	{ "drafts", K_BOOL, OFF(drafts), 0, 0, 0, NULL, NULL },
	{ "watch", K_BOOL, OFF(watch), 0, 0, 0, NULL, NULL },
	{ "build_threads", K_INT, OFF(build_threads), 0, 1, 1024,
	    "a number of threads (1-1024)", NULL },
	{ "search_memory", K_INT, OFF(search_memory), 0, 0, 65536,
	    "a number of MiB (0-65536, 0 for no search)", NULL },
	{ "workers", K_INT, OFF(workers), 0, 1, 1024,
	    "a number of workers (1-1024)", NULL },
	{ "max_connections", K_INT, OFF(max_connections), 0, 1, 1000000,
	    "a number of connections (1-1000000)", NULL },
	{ "max_connections_per_ip", K_INT, OFF(max_connections_per_ip), 0, 0,
	    1000000, "a number of connections (0-1000000, 0 for no cap)",
	    NULL },
	{ "rate_limit", K_INT, OFF(rate_limit), 0, 0, 1000000,
	    "a number of requests a minute (0-1000000, 0 for none)", NULL },
	{ "request_timeout", K_INT, OFF(request_timeout), 0, 1, 3600,
	    "a number of seconds (1-3600)", NULL },
	{ "write_timeout", K_INT, OFF(write_timeout), 0, 1, 3600,
	    "a number of seconds (1-3600)", NULL },
	{ "ticket_rotation", K_INT, OFF(ticket_rotation), 0, 1, 604800,
	    "a number of seconds (1-604800)", NULL },
	{ "ticket_key_file", K_STRING, OFF(ticket_key_file), 0, 0, 0,
	    "a file", valid_nonempty },
	{ "health_path", K_STRING, OFF(health_path), 0, 0, 0,
	    "a path (starting with /)", valid_path },
	{ "health_selector", K_STRING, OFF(health_selector), 0, 0, 0,
	    "a selector (no tab, CR or LF)", valid_selector },
	{ "drain_seconds", K_INT, OFF(drain_seconds), 0, 0, 3600,
	    "a number of seconds (0-3600)", NULL },
	{ "proxy_from", K_LIST, OFF(proxy_from), OFF(nproxy_from), 0, 0,
	    "an address or a network (ADDRESS/BITS)", valid_network },
	{ "log", K_LOG, OFF(log_dest), 0, 0, 0, NULL, NULL },
	{ "log_file", K_STRING, OFF(log_file), 0, 0, 0, "a file",
	    valid_nonempty },
	{ "log_anonymize", K_BOOL, OFF(log_anonymize), 0, 0, 0, NULL, NULL },
	{ "daemon", K_BOOL, OFF(daemonize), 0, 0, 0, NULL, NULL },
	{ "pidfile", K_STRING, OFF(pidfile), 0, 0, 0, "a file",
	    valid_nonempty },
	{ "user", K_STRING, OFF(user), 0, 0, 0, "a user name",
	    valid_nonempty },
	{ "chroot", K_BOOL, OFF(chroot), 0, 0, 0, NULL, NULL },
	{ "sites", K_SITES, 0, 0, 0, 0, NULL, NULL },
};

/* The keys a site of sites may give; the rest are the top level's. */
static const char *const site_keys[] = {
	"root", "hostnames", "certs", "cert", "key", "gopher_port",
	"gopher_host", "gopher_public_port", "permalink", "drafts",
};
/* Of those, the ones each site gives and the top level may not. */
static const char *const own_keys[] = { "root", "hostnames", "cert", "key" };

/* Command-line options: a setting, a mode, or the config file. */
enum flag_action {
	F_SETTING,
	F_CONFIG,
	F_CHECK,
	F_EXPORT,
	F_LIST,
	F_QUIET,
	F_VERSION,
	F_HELP,
};

struct flag {
	const char		*name;
	int			 shortopt;	/* 0: long only */
	int			 has_arg;
	enum flag_action	 action;
	const char		*key;		/* F_SETTING */
	const char		*value;		/* for flags without argument */
};

static const struct flag flags[] = {
	{ "root", 'r', 1, F_SETTING, "root", NULL },
	{ "hostname", 'H', 1, F_SETTING, "hostnames", NULL },
	{ "listen", 'l', 1, F_SETTING, "listen", NULL },
	{ "port", 'p', 1, F_SETTING, "port", NULL },
	{ "public-port", 0, 1, F_SETTING, "public_port", NULL },
	{ "no-check-port", 0, 0, F_SETTING, "check_port", "false" },
	{ "check-port", 0, 0, F_SETTING, "check_port", "true" },
	{ "gopher-port", 'g', 1, F_SETTING, "gopher_port", NULL },
	{ "gopher-host", 0, 1, F_SETTING, "gopher_host", NULL },
	{ "gopher-public-port", 0, 1, F_SETTING, "gopher_public_port", NULL },
	{ "certs", 0, 1, F_SETTING, "certs", NULL },
	{ "cert", 0, 1, F_SETTING, "cert", NULL },
	{ "key", 0, 1, F_SETTING, "key", NULL },
	{ "permalink", 0, 1, F_SETTING, "permalink", NULL },
	{ "drafts", 0, 0, F_SETTING, "drafts", "true" },
	{ "no-drafts", 0, 0, F_SETTING, "drafts", "false" },
	{ "watch", 0, 0, F_SETTING, "watch", "true" },
	{ "no-watch", 0, 0, F_SETTING, "watch", "false" },
	{ "build-threads", 0, 1, F_SETTING, "build_threads", NULL },
	{ "search-memory", 0, 1, F_SETTING, "search_memory", NULL },
	{ "workers", 0, 1, F_SETTING, "workers", NULL },
	{ "max-connections", 0, 1, F_SETTING, "max_connections", NULL },
	{ "max-connections-per-ip", 0, 1, F_SETTING, "max_connections_per_ip",
	    NULL },
	{ "rate-limit", 0, 1, F_SETTING, "rate_limit", NULL },
	{ "request-timeout", 0, 1, F_SETTING, "request_timeout", NULL },
	{ "write-timeout", 0, 1, F_SETTING, "write_timeout", NULL },
	{ "ticket-rotation", 0, 1, F_SETTING, "ticket_rotation", NULL },
	{ "ticket-key-file", 0, 1, F_SETTING, "ticket_key_file", NULL },
	{ "health-path", 0, 1, F_SETTING, "health_path", NULL },
	{ "health-selector", 0, 1, F_SETTING, "health_selector", NULL },
	{ "drain-seconds", 0, 1, F_SETTING, "drain_seconds", NULL },
	{ "proxy-from", 0, 1, F_SETTING, "proxy_from", NULL },
	{ "log", 0, 1, F_SETTING, "log", NULL },
	{ "log-file", 0, 1, F_SETTING, "log_file", NULL },
	{ "log-anonymize", 0, 0, F_SETTING, "log_anonymize", "true" },
	{ "no-log-anonymize", 0, 0, F_SETTING, "log_anonymize", "false" },
	{ "daemon", 0, 0, F_SETTING, "daemon", "true" },
	{ "no-daemon", 0, 0, F_SETTING, "daemon", "false" },
	{ "pidfile", 0, 1, F_SETTING, "pidfile", NULL },
	{ "user", 0, 1, F_SETTING, "user", NULL },
	{ "chroot", 0, 0, F_SETTING, "chroot", "true" },
	{ "no-chroot", 0, 0, F_SETTING, "chroot", "false" },
	{ "config", 'c', 1, F_CONFIG, NULL, NULL },
	{ "check", 0, 0, F_CHECK, NULL, NULL },
	{ "export", 0, 1, F_EXPORT, NULL, NULL },
	{ "list", 0, 0, F_LIST, NULL, NULL },
	{ "quiet", 'q', 0, F_QUIET, NULL, NULL },
	{ "version", 'V', 0, F_VERSION, NULL, NULL },
	{ "help", 'h', 0, F_HELP, NULL, NULL },
};

static const char usage_text[] =
"usage: capsuled [options]\n"
"\n"
"Serve a Jekyll-style blog over Gemini (TLS) and Gopher.  Runs in the\n"
"foreground and logs to stderr unless told otherwise.  Every setting is\n"
"also a key of the YAML file given with -c (key in brackets).\n"
"\n"
"  -r, --root DIR           capsule root [root] (./capsule)\n"
"  -H, --hostname NAME      a name we answer for, repeatable [hostnames]\n"
"                           (localhost)\n"
"  -l, --listen ADDR        an IP address to bind, repeatable [listen]\n"
"                           (127.0.0.1 and ::1; :: or 0.0.0.0 for all)\n"
"  -p, --port N             Gemini port [port] (1965)\n"
"      --public-port N      port in URLs and requests [public_port] (port)\n"
"      --no-check-port      accept requests naming another port\n"
"                           [check_port: false]\n"
"  -g, --gopher-port N      Gopher port, 0 for none [gopher_port] (7070)\n"
"      --gopher-host NAME   host in Gopher menus [gopher_host] (first name)\n"
"      --gopher-public-port N  port in Gopher menus [gopher_public_port]\n"
"      --certs DIR          certificate directory [certs] (./certs)\n"
"      --cert FILE          certificate [cert] (CERTS/cert.pem)\n"
"      --key FILE           private key [key] (CERTS/key.pem)\n"
"      --permalink STYLE    posts (/posts/DATE-SLUG.gmi) or jekyll\n"
"                           (the URL Jekyll gives it) [permalink] (posts)\n"
"      --drafts             serve the posts of _drafts folders too [drafts]\n"
"      --watch              reload when a file of the root changes, as on\n"
"                           SIGHUP, once 200 ms pass without another [watch]\n"
"      --build-threads N    threads converting the posts [build_threads]\n"
"                           (online CPUs)\n"
"      --search-memory MIB  the most the search index of the posts takes,\n"
"                           0 for no search [search_memory] (256)\n"
"      --workers N          worker threads [workers] (online CPUs)\n"
"      --max-connections N  simultaneous connections of each protocol\n"
"                           [max_connections] (1024)\n"
"      --max-connections-per-ip N  of each protocol from one address\n"
"                           (IPv6: one /64), 0 for no cap\n"
"                           [max_connections_per_ip] (32)\n"
"      --rate-limit N       requests a minute from one address, 0 for no\n"
"                           limit [rate_limit] (0)\n"
"      --request-timeout S  handshake and request line [request_timeout]\n"
"                           (10)\n"
"      --write-timeout S    a slow reader's deadline [write_timeout] (30)\n"
"      --ticket-rotation S  new session ticket key every S seconds\n"
"                           [ticket_rotation] (43200: 12 hours)\n"
"      --ticket-key-file FILE  a secret of 32 bytes or more from which\n"
"                           replicas derive the same ticket keys\n"
"                           [ticket_key_file] (none: random keys)\n"
"      --health-path PATH   a Gemini path answered \"20 text/plain\" and ok,\n"
"                           41 while draining [health_path] (none)\n"
"      --health-selector S  a Gopher selector answered ok, an error item\n"
"                           while draining [health_selector] (none)\n"
"      --drain-seconds S    after SIGTERM, answer health checks 41 for S\n"
"                           seconds before the listeners close\n"
"                           [drain_seconds] (0)\n"
"      --proxy-from NET     an address or network (ADDR/BITS) of a balancer\n"
"                           whose connections begin with a PROXY header\n"
"                           (v1 or v2), repeatable [proxy_from] (none)\n"
"      --log DEST           stderr, file (with --log-file), file:PATH,\n"
"                           syslog or none (no access log) [log] (stderr)\n"
"      --log-file FILE      the file of --log file [log_file]\n"
"      --log-anonymize      log client addresses as /24 and /48\n"
"                           [log_anonymize]\n"
"      --daemon             detach [daemon]\n"
"      --pidfile FILE       write the pid there [pidfile]\n"
"      --user USER          when started as root, drop to USER [user]\n"
"      --chroot             when started as root, chroot to the root\n"
"                           [chroot]\n"
"  (in the file only)       virtual hosts, each with its own root,\n"
"                           hostnames, certificate and Gopher port\n"
"                           [sites] (none: the settings are one site)\n"
"      --check-port, --no-drafts, --no-watch, --no-log-anonymize,\n"
"      --no-daemon, --no-chroot\n"
"                           the opposite of the flags above, to override\n"
"                           the file\n"
"  -c, --config FILE        read settings from FILE (YAML); flags win\n"
"      --check              check the settings and the content, then exit\n"
"      --export OUT         write every Gemini page under OUT, then exit\n"
"      --list               print each Gemini page's source, kind and path,\n"
"                           then exit\n"
"  -q, --quiet              with --check, --export or --list: only the\n"
"                           summary\n"
"  -V, --version            print the version\n"
"  -h, --help               print this help\n";

void
config_usage(FILE *fp)
{
	fputs(usage_text, fp);
}

const char *
config_setting_key(size_t i)
{
	return i < nitems(settings) ? settings[i].key : NULL;
}

const char *
config_flag(size_t i, int *shortopt, const char **key)
{
	if (i >= nitems(flags))
		return NULL;
	*shortopt = flags[i].shortopt;
	*key = flags[i].action == F_SETTING ? flags[i].key : NULL;
	return flags[i].name;
}

static bool
valid_nonempty(const char *s)
{
	return *s != '\0';
}

static bool
valid_hostname(const char *s)
{
	size_t	len = strlen(s);

	if (len == 0 || len > 253)
		return false;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= ' ' || *s == 0x7f ||
		    strchr("/?#@[]\\\"%", *s) != NULL)
			return false;
	return true;
}

static bool
valid_address(const char *s)
{
	unsigned char	a[sizeof(struct in6_addr)];

	return inet_pton(AF_INET, s, a) == 1 || inet_pton(AF_INET6, s, a) == 1;
}

static bool
valid_path(const char *s)
{
	return s[0] == '/' && strpbrk(s, "\t\r\n") == NULL;
}

static bool
valid_selector(const char *s)
{
	return *s != '\0' && strpbrk(s, "\t\r\n") == NULL;
}

static bool
valid_network(const char *s)
{
	struct proxy_cidr	c;

	return proxy_cidr_parse(s, &c);
}

static const struct setting *
find_setting(const char *key)
{
	size_t	i;

	for (i = 0; i < nitems(settings); i++)
		if (strcmp(settings[i].key, key) == 0)
			return &settings[i];
	return NULL;
}

bool
config_file_only(const char *key)
{
	const struct setting	*s = find_setting(key);

	return s != NULL && s->kind == K_SITES;
}

static bool
parse_bool(const char *v, bool *b)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };
	size_t	i;

	for (i = 0; i < nitems(yes); i++) {
		if (strcasecmp(v, yes[i]) == 0) {
			*b = true;
			return true;
		}
		if (strcasecmp(v, no[i]) == 0) {
			*b = false;
			return true;
		}
	}
	return false;
}

static bool
parse_int(const char *v, int min, int max, int *out)
{
	char	*end;
	long	 n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (*v == '\0' || *end != '\0' || errno != 0 || n < min || n > max)
		return false;
	*out = n;
	return true;
}

/* "file:PATH" sets the file too. */
static bool
parse_log(struct config *cfg, const char *v)
{
	if (strncmp(v, "file:", 5) == 0 && v[5] != '\0') {
		free(cfg->log_file);
		cfg->log_file = xstrdup(v + 5);
		cfg->log_dest = LOGDEST_FILE;
	} else if (strcmp(v, "file") == 0)
		cfg->log_dest = LOGDEST_FILE;
	else if (strcmp(v, "stderr") == 0)
		cfg->log_dest = LOGDEST_STDERR;
	else if (strcmp(v, "syslog") == 0)
		cfg->log_dest = LOGDEST_SYSLOG;
	else if (strcmp(v, "none") == 0)
		cfg->log_dest = LOGDEST_NONE;
	else
		return false;
	return true;
}

static void
list_clear(char ***v, size_t *n)
{
	size_t	i;

	for (i = 0; i < *n; i++)
		free((*v)[i]);
	free(*v);
	*v = NULL;
	*n = 0;
}

static void
list_add(char ***v, size_t *n, const char *s)
{
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = xstrdup(s);
}

/*
 * Set one value (for a list: add one item).  On error write why into
 * err, without the setting's name, and return -1.
 */
static int
apply(struct config *cfg, const struct setting *s, const char *v,
    char *err, size_t errsz)
{
	char	*base = (char *)cfg;
	char   **str = (char **)(base + s->off);
	bool	 ok = true;

	switch (s->kind) {
	case K_STRING:
		if ((ok = s->valid(v))) {
			free(*str);
			*str = xstrdup(v);
		}
		break;
	case K_LIST:
		if ((ok = s->valid(v)))
			list_add((char ***)(base + s->off),
			    (size_t *)(base + s->noff), v);
		break;
	case K_INT:
		ok = parse_int(v, s->min, s->max, (int *)(base + s->off));
		break;
	case K_BOOL:
		if (!parse_bool(v, (bool *)(base + s->off))) {
			snprintf(err, errsz, "'%s' is not true or false", v);
			return -1;
		}
		return 0;
	case K_LOG:
		if (!parse_log(cfg, v)) {
			snprintf(err, errsz, "'%s' is not stderr, file:PATH, "
			    "syslog or none", v);
			return -1;
		}
		return 0;
	case K_PERMALINK:
		if (strcmp(v, "posts") == 0)
			cfg->permalink = PERMALINK_POSTS;
		else if (strcmp(v, "jekyll") == 0)
			cfg->permalink = PERMALINK_JEKYLL;
		else {
			snprintf(err, errsz, "'%s' is not posts or jekyll", v);
			return -1;
		}
		return 0;
	case K_SITES:
		snprintf(err, errsz, "a list of sites, in the file only");
		return -1;
	}
	if (!ok) {
		snprintf(err, errsz, "'%s' is not %s", v, s->what);
		return -1;
	}
	return 0;
}

static void
defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->origins = xcalloc(nitems(settings), sizeof(*cfg->origins));
	cfg->mode = MODE_SERVE;
	cfg->root = xstrdup("./capsule");
	list_add(&cfg->hostnames, &cfg->nhostnames, "localhost");
	list_add(&cfg->listen, &cfg->nlisten, "127.0.0.1");
	list_add(&cfg->listen, &cfg->nlisten, "::1");
	cfg->port = 1965;
	cfg->check_port = true;
	cfg->gopher_port = 7070;
	cfg->certs_dir = xstrdup("./certs");
	cfg->permalink = PERMALINK_POSTS;
	cfg->search_memory = 256;
	cfg->max_connections = 1024;
	cfg->max_connections_per_ip = 32;
	cfg->request_timeout = 10;
	cfg->write_timeout = 30;
	cfg->ticket_rotation = 12 * 3600;
	cfg->log_dest = LOGDEST_STDERR;
}

/* Settings that default to others, filled once everything is read. */
static int
finish(struct config *cfg)
{
	long	ncpu;
	size_t	i;

	if (cfg->public_port == 0)
		cfg->public_port = cfg->port;
	if (cfg->gopher_host == NULL)
		cfg->gopher_host = xstrdup(cfg->hostnames[0]);
	if (cfg->gopher_public_port == 0)
		cfg->gopher_public_port = cfg->gopher_port;
	if (cfg->cert_file == NULL)
		cfg->cert_file = xasprintf("%s/cert.pem", cfg->certs_dir);
	if (cfg->key_file == NULL)
		cfg->key_file = xasprintf("%s/key.pem", cfg->certs_dir);
	cfg->proxy_nets = xcalloc(cfg->nproxy_from, sizeof(*cfg->proxy_nets));
	for (i = 0; i < cfg->nproxy_from; i++)
		proxy_cidr_parse(cfg->proxy_from[i], &cfg->proxy_nets[i]);
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	ncpu = ncpu < 1 ? 1 : ncpu > 1024 ? 1024 : ncpu;
	if (cfg->workers == 0)
		cfg->workers = ncpu;
	if (cfg->build_threads == 0)
		cfg->build_threads = ncpu;
	if (cfg->log_dest == LOGDEST_FILE && cfg->log_file == NULL) {
		config_error(cfg, "log", "file needs a path (file:PATH, or "
		    "--log-file, or the setting 'log_file')");
		return -1;
	}
	return 0;
}

const char *
config_where(const struct config *cfg, const char *key, char *buf,
    size_t size)
{
	const char	*where = cfg->origins[find_setting(key) - settings];

	if (where == NULL)
		snprintf(buf, size, "setting '%s' (default)", key);
	else if (where[0] == '-')
		snprintf(buf, size, "option %s", where);
	else
		snprintf(buf, size, "%s: setting '%s'", where, key);
	return buf;
}

bool
config_given(const struct config *cfg, const char *key)
{
	return cfg->origins[find_setting(key) - settings] != NULL;
}

void
config_error(const struct config *cfg, const char *key, const char *fmt,
    ...)
{
	const char	*where = cfg->origins[find_setting(key) - settings];
	char		 buf[CONFIG_WHERE_MAX];
	va_list		 ap;

	/* A file names itself; the rest is capsuled's. */
	fprintf(stderr, "%s%s: ", where != NULL && where[0] != '-' ? "" :
	    "capsuled: ", config_where(cfg, key, buf, sizeof(buf)));
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* A file that exists must be readable; a missing one is generated. */
static bool
readable_if_there(const struct config *cfg, const char *key,
    const char *path)
{
	if (access(path, F_OK) == -1 || access(path, R_OK) == 0)
		return true;
	config_error(cfg, key, "%s: %s", path, strerror(errno));
	return false;
}

/*
 * A file to append to or create: it is writable, or its folder is (the
 * test start-up makes when it opens it, without creating anything).
 */
static bool
writable_or_creatable(const struct config *cfg, const char *key,
    const char *path)
{
	char	*dir;
	bool	 ok;

	if (access(path, F_OK) == 0)
		ok = access(path, W_OK) == 0;
	else {
		dir = file_dirname(path);
		ok = access(dir, W_OK | X_OK) == 0;
		free(dir);
	}
	if (!ok)
		config_error(cfg, key, "%s: %s", path, strerror(errno));
	return ok;
}

/* What config_validate checks of each site. */
static bool
validate_site(const struct config *cfg)
{
	unsigned char	 a[sizeof(struct in6_addr)];
	struct stat	 st;
	bool		 ok = true;

	if (stat(cfg->root, &st) == -1) {
		config_error(cfg, "root", "%s: %s", cfg->root,
		    strerror(errno));
		ok = false;
	} else if (!S_ISDIR(st.st_mode)) {
		config_error(cfg, "root", "%s: not a folder", cfg->root);
		ok = false;
	}
	if (cfg->mode != MODE_SERVE && cfg->mode != MODE_CHECK)
		return ok;
	if (cfg->gopher_port != 0 && cfg->gopher_port == cfg->port) {
		/* Name the one that was set, not the default. */
		if (cfg->origins[find_setting("gopher_port") - settings] ==
		    NULL)
			config_error(cfg, "port", "%d is also the Gopher port "
			    "(setting 'gopher_port')", cfg->port);
		else
			config_error(cfg, "gopher_port", "%d is also the "
			    "Gemini port (setting 'port')", cfg->gopher_port);
		ok = false;
	}
	if (cfg->origins[find_setting("gopher_host") - settings] != NULL &&
	    inet_pton(AF_INET6, cfg->gopher_host, a) == 1) {
		config_error(cfg, "gopher_host", "'%s' is an IPv6 address, "
		    "which a Gopher menu cannot name: give a host name",
		    cfg->gopher_host);
		ok = false;
	}
	if (!readable_if_there(cfg, "cert", cfg->cert_file) ||
	    !readable_if_there(cfg, "key", cfg->key_file))
		ok = false;
	/* Serving, start-up does this itself, with the same messages. */
	if (cfg->mode == MODE_CHECK && tls_check(cfg) == -1)
		ok = false;
	return ok;
}

static char	*resolve(const char *);
static bool	 lies_inside(const char *, const char *);

/*
 * Is one of the certificate folder, pair and ticket key of s inside the
 * folder whose real path is realroot?  Says which (and names it) in
 * *key and *path.
 */
static bool
secret_inside(const struct config *s, const char *realroot,
    const char **key, const char **path)
{
	const char	*p[4] = { s->certs_dir, s->cert_file, s->key_file,
			    s->ticket_key_file };
	const char	*k[4] = { "certs", "cert", "key", "ticket_key_file" };
	int		 i;

	for (i = 0; i < 4; i++)
		if (p[i] != NULL && lies_inside(realroot, p[i])) {
			*key = k[i];
			*path = p[i];
			return true;
		}
	return false;
}

/*
 * Sites apart: no host name and no Gopher port in two; no chroot; no
 * certificate, key or ticket key inside a root.  A site's snapshot
 * leaves out its own pair only, so with sites a pair inside any root
 * (its own or another's) is refused rather than left to be served.
 */
static bool
validate_sites(const struct config *cfg)
{
	const struct config	*a, *b;
	const char		*key, *path;
	char			 where[CONFIG_WHERE_MAX], *realroot;
	size_t			 i, j, k, l;
	bool			 ok = true;

	if (cfg->nsites > 0 && cfg->chroot) {
		config_error(cfg, "chroot", "the sites (%s) have a root "
		    "each: there is no one root to chroot to",
		    config_where(cfg, "sites", where, sizeof(where)));
		ok = false;
	}
	for (i = 0; i < cfg->nsites; i++)
		for (j = 0; j < i; j++) {
			a = &cfg->sites[i];
			b = &cfg->sites[j];
			if (a->gopher_port != 0 &&
			    a->gopher_port == b->gopher_port) {
				config_error(a, "gopher_port", "%d is also "
				    "the Gopher port of site %zu: give site "
				    "%zu its own", a->gopher_port, j + 1, i + 1);
				ok = false;
			}
			for (k = 0; k < a->nhostnames; k++)
				for (l = 0; l < b->nhostnames; l++)
					if (strcasecmp(a->hostnames[k],
					    b->hostnames[l]) == 0) {
						config_error(a, "hostnames",
						    "%s is also a name of site "
						    "%zu", a->hostnames[k],
						    j + 1);
						ok = false;
					}
		}
	for (i = 0; i < cfg->nsites; i++) {
		if ((realroot = realpath(cfg->sites[i].root, NULL)) == NULL)
			continue;
		/* The shared folder first: one message says it all. */
		for (j = 0; j <= cfg->nsites; j++) {
			a = j == 0 ? cfg : &cfg->sites[j - 1];
			if (!secret_inside(a, realroot, &key, &path))
				continue;
			config_error(a, key, "%s lies inside the root of site "
			    "%zu (%s): with sites, the certificates and keys "
			    "belong outside every root", path, i + 1,
			    cfg->sites[i].root);
			ok = false;
			break;
		}
		free(realroot);
	}
	return ok;
}

int
config_validate(const struct config *cfg)
{
	const struct config	*sites;
	struct passwd		*pw = NULL;
	size_t			 i, n;
	bool			 ok = true;

	n = config_sites(cfg, &sites);
	for (i = 0; i < n; i++)
		if (!validate_site(&sites[i]))
			ok = false;
	if (cfg->mode != MODE_SERVE && cfg->mode != MODE_CHECK)
		return ok ? 0 : -1;
	if (!validate_sites(cfg))
		ok = false;
	if (cfg->user != NULL && (pw = getpwnam(cfg->user)) == NULL) {
		config_error(cfg, "user", "'%s': no such user", cfg->user);
		ok = false;
	} else if (cfg->mode == MODE_CHECK && cfg->user != NULL &&
	    pw->pw_uid == 0 && geteuid() == 0) {
		/* Serving, start-up refuses it once it would switch. */
		config_error(cfg, "user", "'%s' is root: capsuled never "
		    "serves as root", cfg->user);
		ok = false;
	}
	if (cfg->log_dest == LOGDEST_FILE &&
	    !writable_or_creatable(cfg, "log", cfg->log_file))
		ok = false;
	if (cfg->daemonize && cfg->pidfile != NULL &&
	    !writable_or_creatable(cfg, "pidfile", cfg->pidfile))
		ok = false;
	/* Serving, start-up does this itself, with the same messages. */
	if (cfg->mode == MODE_CHECK && tls_ticket_check(cfg) == -1)
		ok = false;
	if (cfg->mode == MODE_CHECK && listener_check(cfg) == -1)
		ok = false;
	return ok ? 0 : -1;
}

/* Report a bad value of the file at line; always -1. */
static int
file_error(const char *file, unsigned line, const char *key, const char *why)
{
	fprintf(stderr, "%s:%u: setting '%s': %s\n", file, line, key, why);
	return -1;
}

/*
 * A value of the file: a scalar, or a sequence of scalars for a list.
 * -1 with err; *at is then the item at fault (from 1), 0 for the value.
 */
static int
apply_value(struct config *cfg, const struct setting *s,
    const struct value *v, size_t *at, char *err, size_t errsz)
{
	char	*str;
	size_t	 i;
	int	 rc = 0;

	*at = 0;
	if (v->type == VALUE_HASH || (v->type == VALUE_ARRAY &&
	    s->kind != K_LIST)) {
		snprintf(err, errsz, "expected a value, not a list or mapping");
		return -1;
	}
	if (s->kind == K_LIST)
		list_clear((char ***)((char *)cfg + s->off),
		    (size_t *)((char *)cfg + s->noff));
	if (v->type != VALUE_ARRAY) {
		str = value_to_cstr(v);
		rc = apply(cfg, s, str, err, errsz);
		free(str);
		return rc;
	}
	if (v->u.arr.n == 0) {
		snprintf(err, errsz, "the list is empty");
		return -1;
	}
	for (i = 0; i < v->u.arr.n && rc == 0; i++) {
		*at = i + 1;
		if (v->u.arr.v[i]->type == VALUE_ARRAY ||
		    v->u.arr.v[i]->type == VALUE_HASH) {
			snprintf(err, errsz, "expected a list of values");
			return -1;
		}
		str = value_to_cstr(v->u.arr.v[i]);
		rc = apply(cfg, s, str, err, errsz);
		free(str);
	}
	return rc;
}

/* Remember where setting s got its value. */
static void
set_origin(struct config *cfg, const struct setting *s, char *where)
{
	size_t	i = (size_t)(s - settings);

	free(cfg->origins[i]);
	cfg->origins[i] = where;
}

static int
apply_keys(struct config *cfg, const char *file, const struct value *doc,
    const struct value_yaml_key *k, size_t n)
{
	const struct setting	*s;
	const struct value	*v;
	bool			 seen[nitems(settings)] = { false };
	char			 err[ERR_MAX];
	size_t			 i, at;

	for (i = 0; i < n; i++) {
		if (k[i].key == NULL) {
			fprintf(stderr, "%s:%u: a setting's name is a string, "
			    "not a list or mapping\n", file, k[i].line);
			return -1;
		}
		if ((s = find_setting(k[i].key)) == NULL) {
			fprintf(stderr, "%s:%u: unknown setting '%s'\n", file,
			    k[i].line, k[i].key);
			return -1;
		}
		if (seen[s - settings])
			return file_error(file, k[i].line, s->key,
			    "given twice");
		seen[s - settings] = true;
		set_origin(cfg, s, xasprintf("%s:%u", file, k[i].line));
		/* The sites are read whole, by load_sites. */
		if (s->kind == K_SITES)
			continue;
		if ((v = value_hash_get(doc, k[i].key, strlen(k[i].key))) ==
		    NULL)
			v = &value_nil;
		if (apply_value(cfg, s, v, &at, err, sizeof(err)) == -1)
			return file_error(file, at > 0 && at <= k[i].nitems ?
			    k[i].items[at - 1] : k[i].line, s->key, err);
	}
	return 0;
}

/* The settings file: any problem of its YAML stops start-up. */
static int
load_file(struct config *cfg, const char *file)
{
	struct buf		 text = BUF_INIT;
	struct diags		 diags = { 0 };
	struct value_yaml_key	*k;
	struct value		*doc;
	size_t			 n;
	int			 rc = -1;

	if (file_read(AT_FDCWD, file, &text, CONFIG_FILE_MAX + 1, NULL) ==
	    -1) {
		fprintf(stderr, "capsuled: %s: %s\n", file, strerror(errno));
		return -1;
	}
	if (text.len > CONFIG_FILE_MAX)
		fprintf(stderr, "%s: larger than %d bytes\n", file,
		    CONFIG_FILE_MAX);
	else if ((doc = value_from_yaml_keys(text.data, text.len, file, 1,
	    &k, &n, &diags)) != NULL) {
		if (diags.n == 0)
			rc = apply_keys(cfg, file, doc, k, n);
		value_yaml_keys_free(k, n);
		value_unref(doc);
	}
	diag_print(&diags, stderr);
	diag_free(&diags);
	buf_free(&text);
	return rc;
}

/* One option of the command line, applied after the file. */
struct given {
	const struct flag	*flag;
	const char		*arg;
};

/* Apply the setting flags in order; the first -H or -l replaces the list. */
static int
apply_flags(struct config *cfg, const struct given *g, size_t n)
{
	const struct setting	*s;
	char			 err[ERR_MAX];
	bool			 cleared[nitems(settings)] = { false };
	size_t			 i;

	for (i = 0; i < n; i++) {
		if (g[i].flag->action != F_SETTING)
			continue;
		s = find_setting(g[i].flag->key);
		set_origin(cfg, s, xasprintf("--%s", g[i].flag->name));
		if (s->kind == K_LIST && !cleared[s - settings]) {
			list_clear((char ***)((char *)cfg + s->off),
			    (size_t *)((char *)cfg + s->noff));
			cleared[s - settings] = true;
		}
		if (apply(cfg, s, g[i].flag->value != NULL ?
		    g[i].flag->value : g[i].arg, err, sizeof(err)) == -1) {
			fprintf(stderr, "capsuled: option --%s: %s\n",
			    g[i].flag->name, err);
			return -1;
		}
	}
	return 0;
}

/* Modes and the config file name. */
static void
apply_actions(struct config *cfg, const struct given *g, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		switch (g[i].flag->action) {
		case F_SETTING:
			break;
		case F_CONFIG:
			free(cfg->config_file);
			cfg->config_file = xstrdup(g[i].arg);
			break;
		case F_CHECK:
			cfg->mode = MODE_CHECK;
			break;
		case F_EXPORT:
			free(cfg->export_dir);
			cfg->export_dir = xstrdup(g[i].arg);
			cfg->mode = MODE_EXPORT;
			break;
		case F_LIST:
			cfg->mode = MODE_LIST;
			break;
		case F_QUIET:
			cfg->quiet = true;
			break;
		case F_VERSION:
			cfg->mode = MODE_VERSION;
			break;
		case F_HELP:
			cfg->mode = MODE_HELP;
			break;
		}
	}
}

static void
bad_option(const char *arg, bool noarg)
{
	int	len = strcspn(arg, "=");

	if (strncmp(arg, "--", 2) == 0 || optopt == 0 || optopt >= 256)
		fprintf(stderr, "capsuled: option %.*s %s\n", len, arg,
		    noarg ? "needs a value" : "is unknown");
	else
		fprintf(stderr, "capsuled: option -%c %s\n", optopt,
		    noarg ? "needs a value" : "is unknown");
}

/*
 * Read the options with getopt_long into g (room for argc entries).
 * Returns their number, or -1 on a bad option.
 */
static long
scan_options(int argc, char *argv[], struct given *g)
{
	struct option	 longopts[nitems(flags) + 1];
	char		 shortopts[2 * nitems(flags) + 2] = ":";
	size_t		 i, n = 0, s = 1;
	int		 ch, idx;

	for (i = 0; i < nitems(flags); i++) {
		longopts[i].name = flags[i].name;
		longopts[i].has_arg = flags[i].has_arg ? required_argument :
		    no_argument;
		longopts[i].flag = NULL;
		longopts[i].val = flags[i].shortopt != 0 ? flags[i].shortopt :
		    256 + (int)i;
		if (flags[i].shortopt != 0) {
			shortopts[s++] = flags[i].shortopt;
			if (flags[i].has_arg)
				shortopts[s++] = ':';
		}
	}
	shortopts[s] = '\0';
	memset(&longopts[i], 0, sizeof(longopts[i]));
	optind = 0;	/* glibc: start over, as config_load may run again */
	opterr = 0;
	while ((ch = getopt_long(argc, argv, shortopts, longopts,
	    &idx)) != -1) {
		if (ch == '?' || ch == ':') {
			bad_option(argv[optind - 1], ch == ':');
			return -1;
		}
		for (i = 0; i < nitems(flags); i++)
			if (ch == (flags[i].shortopt != 0 ?
			    flags[i].shortopt : 256 + (int)i))
				break;
		g[n].flag = &flags[i];
		g[n++].arg = optarg;
	}
	if (optind < argc) {
		fprintf(stderr, "capsuled: unexpected argument '%s'\n",
		    argv[optind]);
		return -1;
	}
	return n;
}

static bool
is_in(const char *key, const char *const *keys, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(keys[i], key) == 0)
			return true;
	return false;
}

/*
 * Site number idx (from 1) of the file's sites, item of the list at
 * where ("FILE:LINE"): first what the top level is (defaults, the file,
 * the flags), then the site's keys; its certificate folder, unless it
 * names one, is the top level's certs/NAME, NAME its first host name.
 */
static int
load_site(struct config *site, const struct config *top,
    const struct given *g, size_t n, const struct value *item,
    const char *where, size_t idx)
{
	const struct setting	*s;
	const struct value_hash_entry *e;
	char			 err[ERR_MAX];
	bool			 own_certs = false;
	size_t			 i, at;

	defaults(site);
	site->mode = top->mode;
	site->config_file = xstrdup(top->config_file);
	if (load_file(site, top->config_file) == -1 ||
	    apply_flags(site, g, n) == -1)
		return -1;
	if (item->type != VALUE_HASH) {
		fprintf(stderr, "%s: site %zu: expected a mapping of "
		    "settings (root, hostnames...)\n", where, idx);
		return -1;
	}
	for (i = 0; i < item->u.hash.n; i++) {
		e = &item->u.hash.v[i];
		if ((s = find_setting(e->key->u.str.s)) == NULL ||
		    !is_in(s->key, site_keys, nitems(site_keys))) {
			fprintf(stderr, "%s: site %zu: '%s' is not a setting "
			    "of a site (root, hostnames, certs, cert, key, "
			    "gopher_port, gopher_host, gopher_public_port, "
			    "permalink, drafts)\n", where, idx,
			    e->key->u.str.s);
			return -1;
		}
		set_origin(site, s, xasprintf("%s: site %zu", where, idx));
		if (apply_value(site, s, e->val, &at, err, sizeof(err)) ==
		    -1) {
			fprintf(stderr, "%s: site %zu: setting '%s': %s\n",
			    where, idx, s->key, err);
			return -1;
		}
		own_certs |= strcmp(s->key, "certs") == 0;
	}
	if (!config_given(site, "root") || !config_given(site, "hostnames")) {
		fprintf(stderr, "%s: site %zu: no %s: each site names its "
		    "own\n", where, idx, config_given(site, "root") ?
		    "hostnames" : "root");
		return -1;
	}
	if (!own_certs) {
		free(site->certs_dir);
		site->certs_dir = xasprintf("%s/%s", top->certs_dir,
		    site->hostnames[0]);
	}
	return finish(site);
}

/*
 * The file's sites, read again as a whole document: the top level's
 * settings read line by line hold no deeper structure.
 */
static int
load_sites(struct config *cfg, const struct given *g, size_t n)
{
	struct buf	 text = BUF_INIT;
	struct diags	 diags = { 0 };
	struct value	*doc = NULL, *list;
	const char	*where;
	char		 buf[CONFIG_WHERE_MAX];
	size_t		 i;
	int		 rc = -1;

	if (!config_given(cfg, "sites"))
		return 0;
	where = cfg->origins[find_setting("sites") - settings];
	for (i = 0; i < nitems(own_keys); i++)
		if (config_given(cfg, own_keys[i])) {
			fprintf(stderr, "%s: with the sites of %s, each site "
			    "has its own %s\n", config_where(cfg,
			    own_keys[i], buf, sizeof(buf)), where,
			    own_keys[i]);
			return -1;
		}
	if (cfg->mode == MODE_EXPORT || cfg->mode == MODE_LIST) {
		fprintf(stderr, "capsuled: --export and --list read one "
		    "root, and %s lists sites: give --root and "
		    "--hostname without -c\n", where);
		return -1;
	}
	if (file_read(AT_FDCWD, cfg->config_file, &text, CONFIG_FILE_MAX,
	    NULL) == 0)
		doc = value_from_yaml(text.data, text.len, cfg->config_file,
		    1, &diags);
	list = doc != NULL ? value_hash_get(doc, "sites", 5) : NULL;
	if (list == NULL || list->type != VALUE_ARRAY || list->u.arr.n == 0)
		fprintf(stderr, "%s: setting 'sites': expected a list of "
		    "sites, each a mapping with its root and hostnames\n",
		    where);
	else {
		cfg->sites = xcalloc(list->u.arr.n, sizeof(*cfg->sites));
		for (rc = 0; rc == 0 && cfg->nsites < list->u.arr.n; ) {
			cfg->nsites++;
			rc = load_site(&cfg->sites[cfg->nsites - 1], cfg, g, n,
			    list->u.arr.v[cfg->nsites - 1], where,
			    cfg->nsites);
		}
	}
	diag_print(&diags, stderr);
	diag_free(&diags);
	if (doc != NULL)
		value_unref(doc);
	buf_free(&text);
	return rc;
}

int
config_load(struct config *cfg, int argc, char *argv[])
{
	struct given	*g;
	long		 n;
	int		 rc = -1;

	defaults(cfg);
	g = xcalloc(argc + 1, sizeof(*g));
	if ((n = scan_options(argc, argv, g)) == -1) {
		fprintf(stderr, "Try 'capsuled --help'.\n");
		goto out;
	}
	apply_actions(cfg, g, n);
	if (cfg->mode == MODE_HELP || cfg->mode == MODE_VERSION) {
		rc = 0;
		goto out;
	}
	if (cfg->config_file != NULL && load_file(cfg, cfg->config_file) == -1)
		goto out;
	if (apply_flags(cfg, g, n) == -1 || finish(cfg) == -1 ||
	    load_sites(cfg, g, n) == -1)
		goto out;
	rc = 0;
out:
	free(g);
	return rc;
}

/*
 * The real path of path, or of its folder followed by its last name
 * when it does not exist (yet); NULL when neither resolves.
 */
static char *
resolve(const char *path)
{
	char		*real, *dir, *full;
	const char	*slash;

	if ((real = realpath(path, NULL)) != NULL || errno != ENOENT)
		return real;
	if ((slash = strrchr(path, '/')) == NULL)
		dir = xstrdup(".");
	else
		dir = xstrndup(path,
		    slash == path ? 1 : (size_t)(slash - path));
	real = realpath(dir, NULL);
	free(dir);
	if (real == NULL)
		return NULL;
	full = xasprintf("%s/%s", real, slash == NULL ? path : slash + 1);
	free(real);
	return full;
}

/* Does path lie in (or at) the folder whose real path is realdir? */
static bool
lies_inside(const char *realdir, const char *path)
{
	char	*real;
	size_t	 n = strlen(realdir);
	bool	 in;

	if ((real = resolve(path)) == NULL)
		return false;
	in = strncmp(real, realdir, n) == 0 &&
	    (real[n] == '/' || real[n] == '\0' || strcmp(realdir, "/") == 0);
	free(real);
	return in;
}

void
config_note_secrets(struct config *cfg, bool warn)
{
	const char	*path[4] = { cfg->certs_dir, cfg->cert_file,
			    cfg->key_file, cfg->ticket_key_file };
	const char	*key[4] = { "certs", "cert", "key", "ticket_key_file" };
	struct stat	 st;
	char		*realroot, *realcerts;
	int		 i, n = cfg->ticket_key_file != NULL ? 4 : 3;

	for (i = 0; i < n; i++)
		if (stat(path[i], &st) == 0) {
			cfg->secrets[CONFIG_SECRET_DIR + i].dev = st.st_dev;
			cfg->secrets[CONFIG_SECRET_DIR + i].ino = st.st_ino;
		}
	if (!warn || (realroot = realpath(cfg->root, NULL)) == NULL)
		return;
	realcerts = resolve(cfg->certs_dir);
	for (i = 0; i < n; i++) {
		/* A file in the folder is covered by the folder's warning. */
		if (i > 0 && realcerts != NULL &&
		    lies_inside(realcerts, path[i]))
			continue;
		if (lies_inside(realroot, path[i]))
			config_error(cfg, key[i], "warning: %s lies inside "
			    "the root %s: never served, but it belongs "
			    "outside the root", path[i], cfg->root);
	}
	free(realcerts);
	free(realroot);
}

void
config_gemini_host(const struct config *cfg, struct gemini_host *h)
{
	h->hostnames = cfg->hostnames;
	h->nhostnames = cfg->nhostnames;
	h->listen = cfg->listen;
	h->nlisten = cfg->nlisten;
	h->public_port = cfg->public_port;
	h->check_port = cfg->check_port;
	h->health_path = cfg->health_path;
}

void
config_gopher_host(const struct config *cfg, struct gopher_host *h)
{
	h->name = cfg->gopher_host;
	h->hostname = cfg->nhostnames > 0 ? cfg->hostnames[0] : NULL;
	h->port = cfg->gopher_public_port;
	h->health_selector = cfg->health_selector;
}

void
config_site_options(const struct config *cfg, struct site_options *o)
{
	memset(o, 0, sizeof(*o));
	o->root = cfg->root;
	o->hostname = cfg->hostnames[0];
	o->gemini_port = cfg->public_port;
	o->gopher_host = cfg->gopher_host;
	o->gopher_port = cfg->gopher_port == 0 ? 0 : cfg->gopher_public_port;
	o->permalink = cfg->permalink;
	o->drafts = cfg->drafts;
	o->search_bytes = (size_t)cfg->search_memory << 20;
	o->build_threads = cfg->build_threads;
	o->secrets = cfg->secrets;
	o->nsecrets = CONFIG_NSECRETS;
}

void
config_free(struct config *cfg)
{
	size_t	i;

	free(cfg->config_file);
	free(cfg->export_dir);
	free(cfg->root);
	list_clear(&cfg->hostnames, &cfg->nhostnames);
	list_clear(&cfg->listen, &cfg->nlisten);
	list_clear(&cfg->proxy_from, &cfg->nproxy_from);
	free(cfg->proxy_nets);
	free(cfg->gopher_host);
	free(cfg->certs_dir);
	free(cfg->cert_file);
	free(cfg->key_file);
	free(cfg->ticket_key_file);
	free(cfg->health_path);
	free(cfg->health_selector);
	free(cfg->log_file);
	free(cfg->pidfile);
	free(cfg->user);
	if (cfg->origins != NULL)
		xfreev(cfg->origins, nitems(settings));
	for (i = 0; i < cfg->nsites; i++)
		config_free(&cfg->sites[i]);
	free(cfg->sites);
	memset(cfg, 0, sizeof(*cfg));
}

size_t
config_sites(const struct config *cfg, const struct config **sites)
{
	*sites = cfg->nsites > 0 ? cfg->sites : cfg;
	return cfg->nsites > 0 ? cfg->nsites : 1;
}
