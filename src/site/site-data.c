/*
 * _data as Jekyll's DataReader reads it into site.data: each YAML,
 * JSON (read as YAML, as Jekyll's SafeYAML does), CSV and TSV file of
 * the folder by its name without extension, each subfolder a hash of
 * its own.  A file that does not parse is reported at file:line:column
 * and left out; the rest is read.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "site-int.h"

/* Files above this size are reported and not read. */
#define DATA_MAX	(8u << 20)

/*
 * Jekyll's sanitize_filename: characters other than word characters,
 * blanks and '-' out, blank runs to '_'.
 */
static char *
data_key(const char *name, size_t n)
{
	struct buf	out = BUF_INIT;
	size_t		i;
	bool		blank = false;

	for (i = 0; i < n; i++) {
		unsigned char	c = (unsigned char)name[i];

		if (c == ' ' || c == '\t') {
			blank = out.len > 0;
			continue;
		}
		if (!(isalnum(c) || c == '_' || c == '-' || c >= 0x80))
			continue;
		if (blank)
			buf_putc(&out, '_');
		blank = false;
		buf_putc(&out, (char)c);
	}
	buf_putc(&out, '\0');
	return buf_detach(&out, NULL);
}

static const char *
data_ext(const char *name)
{
	static const char *const exts[] = { ".yml", ".yaml", ".json",
	    ".csv", ".tsv" };
	const char	*dot = strrchr(name, '.');
	size_t		 i;

	if (dot == NULL || dot == name)
		return NULL;
	for (i = 0; i < nitems(exts); i++)
		if (strcasecmp(dot, exts[i]) == 0)
			return dot;
	return NULL;
}

static struct value *
read_file(struct build *b, const char *file, const char *ext)
{
	struct buf	 raw = BUF_INIT, text = BUF_INIT;
	struct value	*v = NULL;
	size_t		 size;

	if (file_read(AT_FDCWD, file, &raw, DATA_MAX, &size) == -1) {
		diag_errno(b->diags, DIAG_ERROR, file, NULL);
		goto done;
	}
	if (size > DATA_MAX) {
		diag_add(b->diags, DIAG_ERROR, file, 0, 0,
		    "file too large (%zu bytes, limit %u): not read", size,
		    DATA_MAX);
		goto done;
	}
	utf8_sanitize(&text, raw.data, raw.len, file, b->diags);
	if (strcasecmp(ext, ".csv") == 0 || strcasecmp(ext, ".tsv") == 0)
		v = value_from_csv(text.data, text.len,
		    strcasecmp(ext, ".csv") == 0 ? ',' : '\t', file, b->diags);
	else
		v = value_from_yaml(text.data, text.len, file, 1, b->diags);
	if (v == NULL)
		diag_add(b->diags, DIAG_NOTE, file, 0, 0,
		    "left out of site.data");
done:
	buf_free(&raw);
	buf_free(&text);
	return v;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
read_dir(struct build *b, const char *dir, struct value *into, int depth)
{
	DIR		*d;
	struct dirent	*e;
	struct stat	 st;
	struct value	*v;
	char		**names = NULL, *path, *key;
	const char	*ext;
	size_t		 n = 0, cap = 0, i;

	if (depth > SITE_MAX_DEPTH || (d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || !site_path_plain(e->d_name))
			continue;
		xgrowarray(&names, &cap, n + 1, sizeof(*names));
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof(*names), name_cmp);
	for (i = 0; i < n; i++) {
		path = site_path_join(dir, names[i]);
		/* Jekyll reads no symbolic link here (safe mode). */
		if (lstat(path, &st) == -1 || S_ISLNK(st.st_mode))
			;
		else if (S_ISDIR(st.st_mode)) {
			key = data_key(names[i], strlen(names[i]));
			v = value_hash();
			read_dir(b, path, v, depth + 1);
			value_hash_set(into, key, strlen(key), v);
			free(key);
		} else if (S_ISREG(st.st_mode) &&
		    (ext = data_ext(names[i])) != NULL &&
		    (v = read_file(b, path, ext)) != NULL) {
			key = data_key(names[i], (size_t)(ext - names[i]));
			value_hash_set(into, key, strlen(key), v);
			free(key);
		}
		free(path);
		free(names[i]);
	}
	free(names);
}

struct value *
site_data_read(struct build *b)
{
	const struct value	*dv;
	struct value		*data = value_hash();
	char			*name, *dir;

	dv = snapshot_config_get(&b->snap->config, "data_dir");
	name = frontmatter_string(dv);
	dir = site_path_join(b->opts->root, name && *name ? name : "_data");
	read_dir(b, dir, data, 0);
	free(dir);
	free(name);
	return data;
}
