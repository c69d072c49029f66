#include <string.h>

#include "harness.h"
#include "model/model.h"

struct want {
	const char	*path;
	const char	*type;
};

static void
test_known(void)
{
	static const struct want t[] = {
		{ "/img/a.png", "image/png" },
		{ "/img/a.jpg", "image/jpeg" },
		{ "/img/a.jpeg", "image/jpeg" },
		{ "/img/a.gif", "image/gif" },
		{ "/img/a.svg", "image/svg+xml" },
		{ "/img/a.webp", "image/webp" },
		{ "/img/a.avif", "image/avif" },
		{ "/favicon.ico", "image/vnd.microsoft.icon" },
		{ "/doc.pdf", "application/pdf" },
		{ "/notes.txt", "text/plain; charset=utf-8" },
		{ "/feed.xml", "application/xml" },
		{ "/atom.atom", "application/atom+xml" },
		{ "/feed.rss", "application/rss+xml" },
		{ "/index.gmi", "text/gemini" },
		{ "/old.gemini", "text/gemini" },
		{ "/s.css", "text/css; charset=utf-8" },
		{ "/s.js", "text/javascript; charset=utf-8" },
		{ "/d.json", "application/json" },
		{ "/p.html", "text/html; charset=utf-8" },
		{ "/p.htm", "text/html; charset=utf-8" },
		{ "/a.mp3", "audio/mpeg" },
		{ "/a.ogg", "audio/ogg" },
		{ "/a.flac", "audio/flac" },
		{ "/a.wav", "audio/wav" },
		{ "/v.mp4", "video/mp4" },
		{ "/v.webm", "video/webm" },
		{ "/a.zip", "application/zip" },
		{ "/a.tar.gz", "application/gzip" },
		{ "/a.tar", "application/x-tar" },
		{ "/f.woff2", "font/woff2" },
		{ "/7.7z", "application/x-7z-compressed" },
		{ "/z.zst", "application/zstd" },
	};
	size_t	i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		CHECK_STR(mime_type(t[i].path), t[i].type);
}

static void
test_case_and_names(void)
{
	CHECK_STR(mime_type("/IMG/PHOTO.PNG"), "image/png");
	CHECK_STR(mime_type("/a.JpEg"), "image/jpeg");
	CHECK_STR(mime_type("photo.png"), "image/png");
	CHECK_STR(mime_type("a.b.c.txt"), "text/plain; charset=utf-8");
}

static void
test_unknown(void)
{
	const char	*bin = "application/octet-stream";

	CHECK_STR(mime_type("/a.md"), bin);
	CHECK_STR(mime_type("/a.exe"), bin);
	CHECK_STR(mime_type("/README"), bin);
	CHECK_STR(mime_type("/dir.png/file"), bin);	/* dot in a dir */
	CHECK_STR(mime_type("/trailing."), bin);
	CHECK_STR(mime_type(""), bin);
	CHECK_STR(mime_type("/.png"), "image/png");
	CHECK_STR(mime_type("/a.pngx"), bin);
	CHECK_STR(mime_type("/a.pn"), bin);
}

int
main(void)
{
	RUN(test_known);
	RUN(test_case_and_names);
	RUN(test_unknown);
	return HARNESS_END();
}
