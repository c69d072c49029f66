/*
 * capsuled: build the capsule from a Jekyll tree, then export it as
 * files (--export) or report on it (--check).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "site.h"

static void
usage(void)
{
	fputs("usage: capsuled [--root DIR] --export OUT | --check [--quiet]\n",
	    stderr);
	exit(2);
}

int
main(int argc, char *argv[])
{
	struct site_options	 opts = { .root = "./capsule",
	    .hostname = "localhost", .gemini_port = 1965 };
	struct diags		 diags = { 0 };
	struct snapshot		*snap;
	const char		*export = NULL;
	bool			 check = false, quiet = false;
	int			 i, rc;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--root") == 0 && i + 1 < argc)
			opts.root = argv[++i];
		else if (strcmp(argv[i], "--export") == 0 && i + 1 < argc)
			export = argv[++i];
		else if (strcmp(argv[i], "--check") == 0)
			check = true;
		else if (strcmp(argv[i], "--quiet") == 0)
			quiet = true;
		else
			usage();
	}
	if ((export == NULL) == !check)
		usage();

	snap = snapshot_build(&opts, &diags);
	if (snap == NULL)
		rc = 1;
	else if (check)
		rc = diags.errors > 0;
	else
		rc = snapshot_export(snap, export, &diags) == -1;
	if (!quiet)
		diag_print(&diags, check ? stdout : stderr);
	snapshot_summary(snap, &diags, stderr);
	snapshot_unref(snap);
	diag_free(&diags);
	return rc;
}
