#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model-int.h"

struct mime {
	const char	*ext;
	const char	*type;
};

/* Sorted by extension (lower case, ASCII order) for bsearch. */
static const struct mime types[] = {
	{ "7z",		"application/x-7z-compressed" },
	{ "atom",	"application/atom+xml" },
	{ "avif",	"image/avif" },
	{ "bmp",	"image/bmp" },
	{ "bz2",	"application/x-bzip2" },
	{ "c",		"text/x-c; charset=utf-8" },
	{ "css",	"text/css; charset=utf-8" },
	{ "csv",	"text/csv; charset=utf-8" },
	{ "diff",	"text/x-diff; charset=utf-8" },
	{ "epub",	"application/epub+zip" },
	{ "flac",	"audio/flac" },
	{ "gemini",	"text/gemini" },
	{ "gif",	"image/gif" },
	{ "gmi",	"text/gemini" },
	{ "gz",		"application/gzip" },
	{ "h",		"text/x-c; charset=utf-8" },
	{ "htm",	"text/html; charset=utf-8" },
	{ "html",	"text/html; charset=utf-8" },
	{ "ico",	"image/vnd.microsoft.icon" },
	{ "jpeg",	"image/jpeg" },
	{ "jpg",	"image/jpeg" },
	{ "js",		"text/javascript; charset=utf-8" },
	{ "json",	"application/json" },
	{ "m4a",	"audio/mp4" },
	{ "mp3",	"audio/mpeg" },
	{ "mp4",	"video/mp4" },
	{ "oga",	"audio/ogg" },
	{ "ogg",	"audio/ogg" },
	{ "ogv",	"video/ogg" },
	{ "opus",	"audio/opus" },
	{ "otf",	"font/otf" },
	{ "patch",	"text/x-diff; charset=utf-8" },
	{ "pdf",	"application/pdf" },
	{ "png",	"image/png" },
	{ "rss",	"application/rss+xml" },
	{ "sh",		"text/x-shellscript; charset=utf-8" },
	{ "svg",	"image/svg+xml" },
	{ "tar",	"application/x-tar" },
	{ "tgz",	"application/gzip" },
	{ "tif",	"image/tiff" },
	{ "tiff",	"image/tiff" },
	{ "ttf",	"font/ttf" },
	{ "txt",	"text/plain; charset=utf-8" },
	{ "wasm",	"application/wasm" },
	{ "wav",	"audio/wav" },
	{ "webm",	"video/webm" },
	{ "webp",	"image/webp" },
	{ "woff",	"font/woff" },
	{ "woff2",	"font/woff2" },
	{ "xml",	"application/xml" },
	{ "xz",		"application/x-xz" },
	{ "zip",	"application/zip" },
	{ "zst",	"application/zstd" },
};

static int
mime_cmp(const void *key, const void *elem)
{
	const struct mime	*m = elem;

	return strcasecmp(key, m->ext);
}

const char *
mime_type(const char *path)
{
	const char		*slash, *dot;
	const struct mime	*m;

	slash = strrchr(path, '/');
	dot = strrchr(slash != NULL ? slash : path, '.');
	if (dot == NULL || dot[1] == '\0')
		return "application/octet-stream";
	m = bsearch(dot + 1, types, nitems(types), sizeof(types[0]), mime_cmp);
	return m != NULL ? m->type : "application/octet-stream";
}
