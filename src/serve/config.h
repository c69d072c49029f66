/*
 * Server settings: defaults, then the YAML file (capsuled.yml), then the
 * command line, each later one winning.
 */
#ifndef CAPSULED_CONFIG_H
#define CAPSULED_CONFIG_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/core.h"
#include "proto/proto.h"
#include "site/site.h"

/* The slots of config.secrets. */
enum {
	CONFIG_SECRET_DIR,	/* certs_dir, cert_file, key_file by path */
	CONFIG_SECRET_CERT,
	CONFIG_SECRET_KEY,
	CONFIG_SECRET_TICKET,	/* ticket_key_file */
	CONFIG_SECRET_CERT_NOW,	/* as the server's descriptors see them */
	CONFIG_SECRET_KEY_NOW,
	CONFIG_NSECRETS
};

#define CAPSULED_VERSION	"0.1"

enum run_mode {
	MODE_SERVE,
	MODE_CHECK,		/* --check: validate config and content */
	MODE_EXPORT,		/* --export OUT */
	MODE_LIST,		/* --list: documents and their sources */
	MODE_VERSION,
	MODE_HELP,
};

struct config {
	enum run_mode	 mode;
	char		*config_file;	/* -c; NULL: none */
	char		*export_dir;
	bool		 quiet;		/* -q: --check, --export, --list without
					   the list of problems */

	char		*root;		/* -r, default ./capsule */
	char	       **hostnames;	/* -H, default "localhost" */
	size_t		 nhostnames;
	char	       **listen;	/* -l, default 127.0.0.1 and ::1 */
	size_t		 nlisten;
	int		 port;		/* -p, default 1965 */
	int		 public_port;	/* port in URLs and the request check;
					   default: port */
	bool		 check_port;	/* reject requests for another port */
	int		 gopher_port;	/* -g, default 7070; 0 = off */
	char		*gopher_host;	/* host in menus, default hostnames[0] */
	int		 gopher_public_port; /* port in menus, default gopher_port */
	char		*certs_dir;	/* --certs, default ./certs */
	char		*cert_file;	/* default certs_dir/cert.pem */
	char		*key_file;	/* default certs_dir/key.pem */
	/*
	 * What the certificate folder, certificate and key were when
	 * last seen (CONFIG_SECRET_*), so that no snapshot serves them,
	 * even once a chroot hides their paths.
	 */
	struct file_id	 secrets[CONFIG_NSECRETS];
	enum permalink_style permalink;
	bool		 drafts;	/* read _drafts folders too */
	bool		 watch;		/* reload when the tree changes */
	int		 build_threads;	/* converting posts; default: CPUs */
	int		 search_memory;	/* MiB of the search index; 0: none */

	int		 workers;	/* default: online CPUs */
	int		 max_connections;	/* per protocol */
	int		 max_connections_per_ip; /* per protocol and address
						   (IPv6: /64); 0: no cap */
	int		 rate_limit;		/* requests a minute from one
						   address; 0: none */
	int		 request_timeout;	/* s: handshake + request line */
	int		 write_timeout;		/* s: per write progress */
	int		 ticket_rotation;	/* s: session ticket key life */
	char		*ticket_key_file;	/* the secret replicas share */
	/*
	 * The sources whose connections begin with a PROXY header (a
	 * balancer), as given and as networks.
	 */
	char		*health_path;		/* Gemini check, or NULL */
	char		*health_selector;	/* Gopher check, or NULL */
	int		 drain_seconds;		/* s of 41 after SIGTERM */
	char	       **proxy_from;
	size_t		 nproxy_from;
	struct proxy_cidr *proxy_nets;

	enum log_dest	 log_dest;
	char		*log_file;
	bool		 log_anonymize;	/* truncate client addresses */
	bool		 daemonize;	/* --daemon */
	char		*pidfile;
	char		*user;		/* drop to this user when root */
	bool		 chroot;	/* chroot to the root when root */

	char	       **origins;	/* per setting: "FILE:LINE", "--flag"
					   or NULL (the default) */

	/*
	 * Virtual hosts (the file's sites): each a whole configuration,
	 * the top level's with the site's own keys (root, hostnames,
	 * certificates, Gopher port, permalink) over it.  None: the top
	 * level is the one site, as it always was.
	 */
	struct config	*sites;
	size_t		 nsites;
};

/*
 * Fill cfg from defaults, the config file named by -c (if any) and argv.
 * On a bad setting print a message naming it (and file:line for the
 * file) to stderr and return -1.  The first -H (or -l) replaces the
 * list of the file or the defaults; more add to it.  With --help or
 * --version only the mode is set.  cfg is to be freed either way.
 */
int	config_load(struct config *cfg, int argc, char *argv[]);
/*
 * What must hold on this machine before the settings are used: the
 * root is a folder, the Gemini and Gopher ports differ, the user
 * exists, the certificate and key can be read when they exist, an
 * explicit gopher_host is a name, the log file and the pidfile can be
 * written.  With --check, also what start-up checks as it goes (the
 * pair loads and matches or can be generated, the user is not root),
 * so that --check passes what the daemon accepts.  Ports are not
 * bound: a running daemon holds them.  Each problem is printed with
 * the setting and where its value comes from; -1 if any.
 */
int	config_validate(const struct config *);
/*
 * Print "FILE:LINE: setting 'key': MESSAGE" (or "capsuled: option
 * --flag: ...", or "capsuled: setting 'key' (default): ...") on stderr.
 */
void	config_error(const struct config *, const char *key,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/*
 * Where setting key's value comes from, for messages of later stages:
 * "FILE:LINE: setting 'key'", "option --flag" or "setting 'key'
 * (default)", in buf (CONFIG_WHERE_MAX bytes do), which is returned.
 */
#define CONFIG_WHERE_MAX	(PATH_MAX + 64)
const char *config_where(const struct config *, const char *key,
	    char *buf, size_t size);
/* Whether setting key was given (in the file or as a flag). */
bool	config_given(const struct config *, const char *key);
/*
 * Note the identities of the certificate folder, certificate and key
 * (those that exist) in cfg->secrets, before a chroot or a change of
 * folder; warn on stderr when the folder, or a file outside it, lies
 * inside the root.
 */
void	config_note_secrets(struct config *, bool warn);
/* Whom the Gemini and Gopher handlers answer, from the settings. */
void	config_gemini_host(const struct config *, struct gemini_host *);
void	config_gopher_host(const struct config *, struct gopher_host *);
/* The snapshot options that follow from the settings. */
void	config_site_options(const struct config *, struct site_options *);
void	config_free(struct config *);
/*
 * The sites served: cfg->sites, or cfg itself when the file has none.
 * Returns their number; *sites points at the first.
 */
size_t	config_sites(const struct config *, const struct config **sites);
/* The --help text. */
void	config_usage(FILE *);
/*
 * The settings and the flags capsuled knows, for the documentation's
 * test: the key of setting i, NULL past the last; the long name of
 * flag i, NULL past the last, with its short letter (0: none) and the
 * key of the setting it sets (NULL for a mode or -c).
 */
const char *config_setting_key(size_t i);
/* Whether setting key has no flag: a structure only the file holds. */
bool	config_file_only(const char *key);
const char *config_flag(size_t i, int *shortopt, const char **key);

#endif
