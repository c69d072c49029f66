/*
 * The documentation against the settings and flags the code knows
 * (config_setting_key, config_flag): every setting is in --help, in
 * capsuled.yml(5) with its flags and its default, in capsuled(8) and in
 * contrib/capsuled.yml; every flag is in --help and capsuled(8); and
 * none of them names a setting or a flag the code does not know.  A
 * setting added to the code fails here until it is documented.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serve/serve.h"
#include "harness.h"
#include "core/core.h"

#define NAMES_MAX	256

/* A set of names, as read from one document. */
struct names {
	char	*v[NAMES_MAX];
	size_t	 n;
};

static void
names_add(struct names *s, const char *name, size_t len)
{
	size_t	i;

	for (i = 0; i < s->n; i++)
		if (strlen(s->v[i]) == len && strncmp(s->v[i], name, len) == 0)
			return;
	if (s->n < NAMES_MAX)
		s->v[s->n++] = strndup(name, len);
}

static bool
names_has(const struct names *s, const char *name)
{
	size_t	i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i], name) == 0)
			return true;
	return false;
}

static void
names_free(struct names *s)
{
	size_t	i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	s->n = 0;
}

static bool
known_key(const char *name)
{
	const char	*k;
	size_t		 i;

	for (i = 0; (k = config_setting_key(i)) != NULL; i++)
		if (strcmp(k, name) == 0)
			return true;
	return false;
}

/* A long flag's name, or a short one's letter as a string. */
static bool
known_flag(const char *name)
{
	const char	*f, *key;
	size_t		 i;
	int		 c;

	for (i = 0; (f = config_flag(i, &c, &key)) != NULL; i++)
		if (strcmp(f, name) == 0 || (c != 0 && name[0] == c &&
		    name[1] == '\0'))
			return true;
	return false;
}

static char *
slurp(const char *path)
{
	char	*text;
	size_t	 len;

	if ((text = file_read_all(path, &len)) == NULL)
		fprintf(stderr, "%s: cannot read it\n", path);
	return text;
}

static char *
usage_text(void)
{
	char	*text = NULL;
	size_t	 len = 0;
	FILE	*fp = open_memstream(&text, &len);

	config_usage(fp);
	fclose(fp);
	return text;
}

/* A word of a macro line without the punctuation mdoc puts after it. */
static size_t
word_len(const char *w, size_t len)
{
	while (len > 0 && strchr(",.;:)", w[len - 1]) != NULL)
		len--;
	return len;
}

/* A macro name of mdoc: "Fl", "Ar", "Pq"... */
static bool
is_macro(const char *w, size_t len)
{
	return (len == 2 || len == 3) && isupper((unsigned char)w[0]) &&
	    islower((unsigned char)w[1]) && (len == 2 ||
	    isalpha((unsigned char)w[2]));
}

/*
 * The flags (after Fl: "-name" for --name, "c" for -c) and the settings
 * (after Ic) of a manual, from its macro lines.
 */
static void
man_names(const char *text, struct names *flags, struct names *keys)
{
	const char	*p = text, *e, *w;
	size_t		 len;
	bool		 fl, ic;

	for (; *p != '\0'; p = *e != '\0' ? e + 1 : e) {
		e = p + strcspn(p, "\n");
		if (*p != '.')
			continue;
		fl = ic = false;
		for (w = p + 1; w < e; w += len) {
			w += strspn(w, " ");
			len = strcspn(w, " \n");
			if (len == 0)
				break;
			if (is_macro(w, len)) {
				fl = len == 2 && strncmp(w, "Fl", 2) == 0;
				ic = len == 2 && strncmp(w, "Ic", 2) == 0;
				continue;
			}
			if (ic)
				names_add(keys, w, word_len(w, len));
			else if (fl && w[0] == '-' && len > 1)
				names_add(flags, w + 1, word_len(w + 1, len - 1));
			else if (fl && isalpha((unsigned char)w[0]))
				names_add(flags, w, word_len(w, len));
			ic = false;
		}
	}
}

/*
 * The part of capsuled.yml(5) about setting key: from its ".It Ic key"
 * to the next item or the end of the list.
 */
static char *
man_entry(const char *text, const char *key)
{
	char		*head;
	const char	*p, *end;

	head = xasprintf("\n.It Ic %s", key);
	for (p = strstr(text, head); p != NULL &&
	    strchr(" \n", p[strlen(head)]) == NULL; p = strstr(p + 1, head))
		continue;
	free(head);
	if (p == NULL)
		return NULL;
	p++;
	if ((end = strstr(p + 1, "\n.It ")) == NULL ||
	    (strstr(p + 1, "\n.El") != NULL && strstr(p + 1, "\n.El") < end))
		end = strstr(p + 1, "\n.El");
	return end != NULL ? xstrndup(p, end - p) : xstrdup(p);
}

/* Does text name long flag f as mdoc writes it ("Fl -f")? */
static bool
entry_names_flag(const char *entry, const char *f)
{
	struct names	flags = { 0 }, keys = { 0 };
	bool		has;

	man_names(entry, &flags, &keys);
	has = names_has(&flags, f);
	names_free(&flags);
	names_free(&keys);
	return has;
}

/* The --help text: its "--name" flags and its "[key]" settings. */
static void
usage_names(const char *text, struct names *flags, struct names *keys)
{
	const char	*p, *q;
	size_t		 len;

	for (p = text; (p = strstr(p, "--")) != NULL; p += 2 + len) {
		len = strspn(p + 2, "abcdefghijklmnopqrstuvwxyz-");
		if (p == text || strchr(" ,", p[-1]) != NULL)
			names_add(flags, p + 2, len);
	}
	/* The first line is the synopsis: [options]. */
	for (p = strchr(text, '\n'); p != NULL && (p = strchr(p, '[')) != NULL;
	    p = q) {
		if ((q = strchr(p, ']')) == NULL)
			break;
		for (p++; p < q; p += len + strspn(p + len, ", ")) {
			len = strspn(p, "abcdefghijklmnopqrstuvwxyz_");
			if (len == 0)
				break;
			names_add(keys, p, len);
			if (p[len] == ':')	/* [check_port: false] */
				break;
		}
	}
}

/* The keys of contrib/capsuled.yml, set ("key:") or shown ("# key:"). */
static void
example_keys(const char *text, struct names *keys)
{
	const char	*p = text, *e;
	size_t		 len;

	for (; *p != '\0'; p = *e != '\0' ? e + 1 : e) {
		e = p + strcspn(p, "\n");
		if (p[0] == '#')
			p += p[1] == ' ' ? 2 : 1;
		len = strspn(p, "abcdefghijklmnopqrstuvwxyz_");
		if (len > 0 && p[len] == ':' && strchr(" \n", p[len + 1]))
			names_add(keys, p, len);
	}
}

static void
test_tables(void)
{
	const char	*k, *f, *key;
	size_t		 i, j;
	bool		 flagged;
	int		 c;

	/* Something to check: the tables are not empty. */
	CHECK(config_setting_key(0) != NULL);
	CHECK(config_flag(0, &c, &key) != NULL);
	/* Every setting has a flag, but a structure only the file holds. */
	for (i = 0; (k = config_setting_key(i)) != NULL; i++) {
		flagged = config_file_only(k);
		for (j = 0; (f = config_flag(j, &c, &key)) != NULL; j++)
			flagged |= key != NULL && strcmp(key, k) == 0;
		if (!flagged)
			fprintf(stderr, "setting '%s' has no flag\n", k);
		CHECK(flagged);
	}
}

static void
test_help(void)
{
	struct names	 flags = { 0 }, keys = { 0 };
	char		*text = usage_text(), *s;
	const char	*k, *f, *key;
	size_t		 i;
	int		 c;

	CHECK(strncmp(text, "usage: capsuled ", 16) == 0);
	usage_names(text, &flags, &keys);
	for (i = 0; (k = config_setting_key(i)) != NULL; i++)
		if (!names_has(&keys, k)) {
			fprintf(stderr, "--help: no [%s]\n", k);
			CHECK(names_has(&keys, k));
		}
	for (i = 0; (f = config_flag(i, &c, &key)) != NULL; i++) {
		if (!names_has(&flags, f)) {
			fprintf(stderr, "--help: no --%s\n", f);
			CHECK(names_has(&flags, f));
		}
		if (c == 0)
			continue;
		s = xasprintf("-%c, --%s", c, f);
		if (strstr(text, s) == NULL)
			fprintf(stderr, "--help: no '%s'\n", s);
		CHECK(strstr(text, s) != NULL);
		free(s);
	}
	for (i = 0; i < keys.n; i++)
		if (!known_key(keys.v[i])) {
			fprintf(stderr, "--help: unknown setting [%s]\n",
			    keys.v[i]);
			CHECK(known_key(keys.v[i]));
		}
	for (i = 0; i < flags.n; i++)
		if (!known_flag(flags.v[i])) {
			fprintf(stderr, "--help: unknown flag --%s\n",
			    flags.v[i]);
			CHECK(known_flag(flags.v[i]));
		}
	names_free(&flags);
	names_free(&keys);
	free(text);
}

/* Each flag and setting a manual names is one the code knows. */
static void
check_known(const char *page, const struct names *flags,
    const struct names *keys)
{
	size_t	i;

	for (i = 0; i < flags->n; i++)
		if (!known_flag(flags->v[i])) {
			fprintf(stderr, "%s: unknown flag %s%s\n", page,
			    flags->v[i][1] != '\0' ? "--" : "-", flags->v[i]);
			CHECK(known_flag(flags->v[i]));
		}
	for (i = 0; i < keys->n; i++)
		if (!known_key(keys->v[i])) {
			fprintf(stderr, "%s: unknown setting %s\n", page,
			    keys->v[i]);
			CHECK(known_key(keys->v[i]));
		}
}

static void
test_man8(void)
{
	struct names	 flags = { 0 }, keys = { 0 };
	char		*text, letter[2] = { 0 };
	const char	*k, *f, *key;
	size_t		 i;
	int		 c;

	if ((text = slurp("man/capsuled.8")) == NULL) {
		CHECK(text != NULL);
		return;
	}
	man_names(text, &flags, &keys);
	for (i = 0; (f = config_flag(i, &c, &key)) != NULL; i++) {
		if (!names_has(&flags, f))
			fprintf(stderr, "capsuled.8: no Fl -%s\n", f);
		CHECK(names_has(&flags, f));
		letter[0] = c;
		if (c != 0 && !names_has(&flags, letter))
			fprintf(stderr, "capsuled.8: no Fl %c\n", c);
		CHECK(c == 0 || names_has(&flags, letter));
	}
	for (i = 0; (k = config_setting_key(i)) != NULL; i++) {
		if (!names_has(&keys, k))
			fprintf(stderr, "capsuled.8: no Ic %s\n", k);
		CHECK(names_has(&keys, k));
	}
	check_known("capsuled.8", &flags, &keys);
	names_free(&flags);
	names_free(&keys);
	free(text);
}

static void
test_man5(void)
{
	struct names	 flags = { 0 }, keys = { 0 };
	char		*text, *entry;
	const char	*k, *f, *key;
	size_t		 i, j;
	int		 c;

	if ((text = slurp("man/capsuled.yml.5")) == NULL) {
		CHECK(text != NULL);
		return;
	}
	man_names(text, &flags, &keys);
	for (i = 0; (k = config_setting_key(i)) != NULL; i++) {
		if ((entry = man_entry(text, k)) == NULL) {
			fprintf(stderr, "capsuled.yml.5: no .It Ic %s\n", k);
			CHECK(entry != NULL);
			continue;
		}
		if (strstr(entry, "Default") == NULL)
			fprintf(stderr, "capsuled.yml.5: %s: no default\n", k);
		CHECK(strstr(entry, "Default") != NULL);
		/* Its flags, each named in its entry. */
		for (j = 0; (f = config_flag(j, &c, &key)) != NULL; j++) {
			if (key == NULL || strcmp(key, k) != 0)
				continue;
			if (!entry_names_flag(entry, f))
				fprintf(stderr, "capsuled.yml.5: %s: no Fl "
				    "-%s\n", k, f);
			CHECK(entry_names_flag(entry, f));
		}
		free(entry);
	}
	check_known("capsuled.yml.5", &flags, &keys);
	names_free(&flags);
	names_free(&keys);
	free(text);
}

static void
test_example(void)
{
	struct names	 keys = { 0 };
	char		*text;
	const char	*k;
	size_t		 i;

	if ((text = slurp("contrib/capsuled.yml")) == NULL) {
		CHECK(text != NULL);
		return;
	}
	example_keys(text, &keys);
	for (i = 0; (k = config_setting_key(i)) != NULL; i++) {
		if (!names_has(&keys, k))
			fprintf(stderr, "contrib/capsuled.yml: no %s\n", k);
		CHECK(names_has(&keys, k));
	}
	check_known("contrib/capsuled.yml", &(struct names){ 0 }, &keys);
	names_free(&keys);
	free(text);
}

/* The readers of this test find what they look for, and only that. */
static void
test_readers(void)
{
	struct names	flags = { 0 }, keys = { 0 };
	char	       *entry;

	man_names(".It Fl c Ar file , Fl -config Ar file\n"
	    "The key of\n.Ic root ,\n.Fl -check | -list\n"
	    ".Pq Ic port .\n.Fl h | V\n", &flags, &keys);
	CHECK_INT(flags.n, 6);
	CHECK(names_has(&flags, "c") && names_has(&flags, "config"));
	CHECK(names_has(&flags, "check") && names_has(&flags, "list"));
	CHECK(names_has(&flags, "h") && names_has(&flags, "V"));
	CHECK_INT(keys.n, 2);
	CHECK(names_has(&keys, "root") && names_has(&keys, "port"));
	names_free(&flags);
	names_free(&keys);

	usage_names("usage: capsuled [options]\n"
	    "  -p, --port N   port [port] (1965)\n"
	    "  --no-check-port  [check_port: false]\n"
	    "  --log DEST  [log, log_file]\n", &flags, &keys);
	CHECK_INT(flags.n, 3);
	CHECK(names_has(&flags, "no-check-port"));
	CHECK_INT(keys.n, 4);
	CHECK(!names_has(&keys, "options") && names_has(&keys, "log_file"));
	names_free(&flags);
	names_free(&keys);

	example_keys("# Names: a\nroot: x\n# cert: y\n#   capsuled -c f\n",
	    &keys);
	CHECK_INT(keys.n, 2);
	CHECK(names_has(&keys, "root") && names_has(&keys, "cert"));
	names_free(&keys);

	entry = man_entry(".Bl\n.It Ic portx\nA\n.It Ic port Ar n\nFlag:\n"
	    ".Fl p , Fl -port .\n.It Ic next\n.El\n", "port");
	CHECK(entry != NULL && strncmp(entry, ".It Ic port Ar n", 16) == 0);
	CHECK(entry != NULL && strstr(entry, "next") == NULL);
	CHECK(entry != NULL && entry_names_flag(entry, "port"));
	CHECK(entry != NULL && !entry_names_flag(entry, "portx"));
	free(entry);
}

int
main(void)
{
	RUN(test_readers);
	RUN(test_tables);
	RUN(test_help);
	RUN(test_man8);
	RUN(test_man5);
	RUN(test_example);
	return HARNESS_END();
}
