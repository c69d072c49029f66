/*
 * Time zones of the tz database by name (_config.yml's timezone:, as
 * Jekyll sets TZ from it), read from their TZif files: the offset and
 * abbreviation in force at any second, without the C library's TZ, so
 * that a build sets a zone for its own thread alone and never touches
 * the environment other threads read.  Zones are read once and kept:
 * a reload in the sandbox, which cannot reach the files, finds the
 * ones read at start-up.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model-int.h"

/* Where the tz database is (TZDIR, as the C library takes it). */
#define ZONE_DIR	"/usr/share/zoneinfo"
/* The most zones kept (one per site is the use). */
#define ZONE_MAX	16
/* A TZif file larger than this is not one. */
#define ZONE_FILE_MAX	(1u << 20)

struct zone_type {
	int32_t	 offset;
	char	 abbr[8];
};

struct value_zone {
	char			*name;
	int64_t			*at;	/* transitions, ascending */
	uint8_t			*type;	/* the type from each on */
	size_t			 n;
	struct zone_type	*types;
	size_t			 ntypes;
};

static struct value_zone	*zones[ZONE_MAX];
static _Thread_local const struct value_zone *in_use;

static int64_t
be(const unsigned char *p, int bytes)
{
	uint64_t	v = 0;
	int		i;

	for (i = 0; i < bytes; i++)
		v = v << 8 | p[i];
	if (bytes == 4)
		return (int32_t)(uint32_t)v;
	return (int64_t)v;
}

/* A tz name: words of letters, digits, "_-+" between '/', no dot-dots. */
static bool
zone_name_ok(const char *s)
{
	size_t	n = strlen(s), i;

	if (n == 0 || n > 64 || s[0] == '/' || s[0] == '.' ||
	    strstr(s, "..") != NULL)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
		    s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		    strchr("/_-+", s[i]) != NULL))
			return false;
	return true;
}

/* The version 2+ data of a TZif file (64-bit times), or NULL. */
static struct value_zone *
zone_parse(const char *name, const unsigned char *d, size_t len)
{
	struct value_zone	*z;
	const unsigned char	*p = d, *end = d + len;
	int64_t			 c[6];
	size_t			 i, v1, need;
	int			 pass, tb;

	for (pass = 0; pass < 2; pass++) {
		if (end - p < 44 || memcmp(p, "TZif", 4) != 0)
			return NULL;
		if (pass == 0 && p[4] < '2')
			return NULL;	/* 32-bit times only: too old */
		for (i = 0; i < 6; i++)
			c[i] = be(p + 20 + 4 * i, 4);
		for (i = 0; i < 6; i++)
			if (c[i] < 0 || c[i] > 100000)
				return NULL;
		tb = pass == 0 ? 4 : 8;
		/* isut, isstd, leap, time, type, char */
		need = (size_t)(c[3] * tb + c[3] + c[4] * 6 + c[5] +
		    c[2] * (tb + 4) + c[1] + c[0]);
		p += 44;
		if ((size_t)(end - p) < need)
			return NULL;
		if (pass == 0) {
			v1 = need;
			p += v1;
		}
	}
	if (c[4] == 0)
		return NULL;
	z = xcalloc(1, sizeof(*z));
	z->name = xstrdup(name);
	z->n = (size_t)c[3];
	z->ntypes = (size_t)c[4];
	z->at = xcalloc(z->n + 1, sizeof(*z->at));
	z->type = xcalloc(z->n + 1, 1);
	z->types = xcalloc(z->ntypes, sizeof(*z->types));
	for (i = 0; i < z->n; i++)
		z->at[i] = be(p + 8 * i, 8);
	p += 8 * z->n;
	for (i = 0; i < z->n; i++)
		z->type[i] = p[i] < z->ntypes ? p[i] : 0;
	p += z->n;
	for (i = 0; i < z->ntypes; i++) {
		const unsigned char	*tt = p + 6 * i;
		size_t			 ci = tt[5];

		z->types[i].offset = (int32_t)be(tt, 4);
		if (ci < (size_t)c[5])
			snprintf(z->types[i].abbr, sizeof(z->types[i].abbr),
			    "%.*s", (int)strnlen((const char *)p + 6 *
			    z->ntypes + ci, (size_t)c[5] - ci),
			    (const char *)p + 6 * z->ntypes + ci);
	}
	return z;
}

const struct value_zone *
value_zone_get(const char *name)
{
	char		*path, *data;
	size_t		 len, i;
	struct value_zone *z;

	if (!zone_name_ok(name))
		return NULL;
	for (i = 0; i < ZONE_MAX && zones[i] != NULL; i++)
		if (strcmp(zones[i]->name, name) == 0)
			return zones[i];
	if (i == ZONE_MAX)
		return NULL;
	path = xasprintf("%s/%s", ZONE_DIR, name);
	data = file_read_all(path, &len);
	free(path);
	if (data == NULL)
		return NULL;
	z = len <= ZONE_FILE_MAX ? zone_parse(name, (unsigned char *)data,
	    len) : NULL;
	free(data);
	return zones[i] = z;
}

void
value_zone_use(const struct value_zone *z)
{
	in_use = z;
}

bool
value_zone_local(struct value_time *t)
{
	const struct value_zone	*z = in_use;
	const struct zone_type	*ty;
	size_t			 lo = 0, hi, mid;

	if (z == NULL)
		return false;
	if (z->n == 0 || t->sec < z->at[0])
		ty = &z->types[0];
	else {
		/* The last transition at or before t->sec. */
		hi = z->n;
		while (hi - lo > 1) {
			mid = lo + (hi - lo) / 2;
			if (z->at[mid] <= t->sec)
				lo = mid;
			else
				hi = mid;
		}
		ty = &z->types[z->type[lo]];
	}
	t->offset = ty->offset;
	memcpy(t->zone, ty->abbr, sizeof(t->zone));
	t->utc = false;
	return true;
}
