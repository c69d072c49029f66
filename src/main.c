/*
 * capsuled: settings, then the snapshot, then the mode: --check reports
 * on the content, --export writes it as files, --list names each page's
 * source, and by default the server serves it.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serve/serve.h"
#include "core/core.h"
#include "site/site.h"

/* With sites, the messages of each build name its site. */
static bool	several_sites;

/*
 * Build the snapshot for the settings (of one site).  *errors tells whether a file
 * had an error.  The diagnostics go to out (unless --quiet), or to the
 * log when out is NULL (serving: at start-up and on each reload); the
 * summary line follows them, on stderr or in the log.
 */
static struct snapshot *
load_to(const struct config *cfg, struct snapshot *last, FILE *out,
    size_t *errors)
{
	struct site_options	 opts;
	struct diags		 diags = { 0 };
	struct snapshot		*snap;
	char			 summary[SITE_SUMMARY_MAX];

	config_site_options(cfg, &opts);
	if (cfg->mode == MODE_EXPORT || cfg->mode == MODE_LIST)
		opts.gopher_port = 0;	/* the Gemini side only */
	/* A server keeps its posts' documents for its reloads. */
	opts.keep = cfg->mode == MODE_SERVE;
	opts.last = last;
	snap = site_build(&opts, &diags);
	site_summary(snap, &diags, summary, sizeof(summary));
	if (out == NULL) {
		diag_log(&diags);
		log_info("%s%s%s", several_sites ? cfg->hostnames[0] : "",
		    several_sites ? ": " : "", summary);
	} else {
		if (!cfg->quiet)
			diag_print(&diags, out);
		fflush(out);	/* the summary comes after the diagnostics */
		fprintf(stderr, "capsuled: %s%s%s\n", several_sites ?
		    cfg->hostnames[0] : "", several_sites ? ": " : "",
		    summary);
	}
	*errors = diags.errors;
	diag_free(&diags);
	return snap;
}

/* The server's loader: start-up and SIGHUP, reported in the log. */
static struct snapshot *
load_logged(const struct config *cfg, struct snapshot *last)
{
	size_t	errors;

	return load_to(cfg, last, NULL, &errors);
}

static int
export(struct snapshot *snap, const char *dir)
{
	struct diags	diags = { 0 };
	int		rc;

	rc = site_export(snap, dir, &diags);
	diag_print(&diags, stderr);
	diag_free(&diags);
	return rc == -1;
}

int
main(int argc, char *argv[])
{
	struct config		 cfg;
	const struct config	*sites;
	struct snapshot		**snaps;
	struct stat		 st;
	size_t			 errors = 0, e, i, n;
	bool			 built = true;
	int			 rc = 1, valid;

	/* The keeper of the certificate, which the server started. */
	if (argc > 1 && strcmp(argv[1], KEEPER_ARG) == 0)
		keeper_main(argc, argv);
	if (config_load(&cfg, argc, argv) == -1) {
		config_free(&cfg);
		return 2;
	}
	if (cfg.mode == MODE_HELP || cfg.mode == MODE_VERSION) {
		if (cfg.mode == MODE_HELP)
			config_usage(stdout);
		else
			puts("capsuled " CAPSULED_VERSION);
		config_free(&cfg);
		return 0;
	}
	/* --check goes on to the content, if there is a root to read. */
	if ((valid = config_validate(&cfg)) == -1 &&
	    (cfg.mode != MODE_CHECK || stat(cfg.root, &st) == -1)) {
		config_free(&cfg);
		return 1;
	}
	config_note_secrets(&cfg, cfg.mode != MODE_EXPORT);
	if (cfg.mode == MODE_SERVE && log_init(cfg.log_dest, cfg.log_file,
	    cfg.log_anonymize) == -1) {
		config_free(&cfg);
		return 1;
	}
	if (cfg.mode == MODE_SERVE)
		server_hold_reloads();
	/* One snapshot per site (--export and --list have one site). */
	n = config_sites(&cfg, &sites);
	several_sites = cfg.nsites > 0;
	snaps = xcalloc(n, sizeof(*snaps));
	for (i = 0; i < n; i++) {
		if (cfg.mode == MODE_SERVE)
			snaps[i] = load_logged(&sites[i], NULL);
		else {
			snaps[i] = load_to(&sites[i], NULL, cfg.mode == MODE_CHECK ?
			    stdout : stderr, &e);
			errors += e;
		}
		built = built && snaps[i] != NULL;
	}
	if (built && cfg.mode == MODE_CHECK)
		rc = errors > 0 || valid == -1;
	else if (built && cfg.mode == MODE_EXPORT)
		rc = export(snaps[0], cfg.export_dir);
	else if (built && cfg.mode == MODE_LIST)
		rc = site_list(snaps[0], stdout) == -1;
	else if (built) {
		/* server_run takes the snapshots' references. */
		rc = server_run(&cfg, snaps, load_logged);
		memset(snaps, 0, n * sizeof(*snaps));
	}
	for (i = 0; i < n; i++)
		if (snaps[i] != NULL)
			snapshot_unref(snaps[i]);
	free(snaps);
	config_free(&cfg);
	return rc;
}
