/*
 * --watch: inotify on every folder of the root (dot folders left out,
 * as the build leaves them out); a change, then WATCH_QUIET_MS without
 * one, and the server reloads as on SIGHUP.  Folders made later are
 * watched as they come.
 */
#include <sys/inotify.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "serve-int.h"

#define WATCH_QUIET_MS	200	/* the debounce: a burst of saves, one reload */
#define WATCH_DEPTH	32	/* folders deeper are not watched */
#define WATCH_EVENTS	(IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | \
			    IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB | \
			    IN_DELETE_SELF | IN_ONLYDIR)

struct watch {
	int		 fd;
	struct event	*ev, *quiet;
	void		(*changed)(void *);
	void		*arg;
	/* The watched folders, by watch descriptor, for the new ones below. */
	char		**dirs;
	size_t		 ndirs;
	bool		 full;		/* a watch refused (said once) */
};

static void
add_dir(struct watch *w, const char *dir, int depth)
{
	struct dirent	*de;
	DIR		*d;
	char		*sub;
	int		 wd;

	if (depth > WATCH_DEPTH)
		return;
	if ((wd = inotify_add_watch(w->fd, dir, WATCH_EVENTS)) == -1) {
		if (!w->full && errno != ENOENT && errno != ENOTDIR)
			log_warn("watch: %s not watched", dir);
		w->full = w->full || errno == ENOSPC;
		return;
	}
	if ((size_t)wd >= w->ndirs) {
		w->dirs = xreallocarray(w->dirs, (size_t)wd + 1,
		    sizeof(*w->dirs));
		memset(w->dirs + w->ndirs, 0, ((size_t)wd + 1 - w->ndirs) *
		    sizeof(*w->dirs));
		w->ndirs = (size_t)wd + 1;
	}
	free(w->dirs[wd]);
	w->dirs[wd] = xstrdup(dir);
	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || (de->d_type != DT_DIR &&
		    de->d_type != DT_UNKNOWN))
			continue;
		sub = xasprintf("%s/%s", dir, de->d_name);
		add_dir(w, sub, depth + 1);
		free(sub);
	}
	closedir(d);
}

static void
on_quiet(evutil_socket_t fd, short what, void *arg)
{
	struct watch	*w = arg;

	w->changed(w->arg);
}

/* Events: new folders watched, then the quiet time starts again. */
static void
on_events(evutil_socket_t fd, short what, void *arg)
{
	struct watch			*w = arg;
	struct timeval			 quiet = { 0, WATCH_QUIET_MS * 1000 };
	char				 buf[16 * (sizeof(struct inotify_event) +
					    NAME_MAX + 1)]
					    __attribute__((aligned(8)));
	const struct inotify_event	*e;
	ssize_t				 n;
	char				*sub;
	bool				 seen = false;

	while ((n = read(w->fd, buf, sizeof(buf))) > 0) {
		for (e = (void *)buf; (char *)e < buf + n;
		    e = (void *)((char *)e + sizeof(*e) + e->len)) {
			if (e->mask & IN_Q_OVERFLOW)
				log_warnx("watch: events lost, reloading");
			if (e->len > 0 && e->name[0] == '.')
				continue;
			seen = true;
			if ((e->mask & IN_ISDIR) && (e->mask & (IN_CREATE |
			    IN_MOVED_TO)) && e->wd >= 0 &&
			    (size_t)e->wd < w->ndirs && w->dirs[e->wd]) {
				sub = xasprintf("%s/%s", w->dirs[e->wd],
				    e->name);
				add_dir(w, sub, 1);
				free(sub);
			}
		}
	}
	if (seen)
		evtimer_add(w->quiet, &quiet);
}

struct watch *
watch_start(struct event_base *base, const char *root,
    void (*changed)(void *), void *arg)
{
	struct watch	*w = xcalloc(1, sizeof(*w));

	w->changed = changed;
	w->arg = arg;
	if ((w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) == -1) {
		log_warn("watch: inotify");
		free(w);
		return NULL;
	}
	add_dir(w, root, 0);
	w->ev = event_new(base, w->fd, EV_READ | EV_PERSIST, on_events, w);
	w->quiet = evtimer_new(base, on_quiet, w);
	if (w->ev == NULL || w->quiet == NULL || event_add(w->ev, NULL) == -1) {
		watch_stop(w);
		return NULL;
	}
	log_info("watching %s: a change reloads after %d ms without another",
	    root, WATCH_QUIET_MS);
	return w;
}

void
watch_stop(struct watch *w)
{
	size_t	i;

	if (w == NULL)
		return;
	if (w->ev != NULL)
		event_free(w->ev);
	if (w->quiet != NULL)
		event_free(w->quiet);
	close(w->fd);
	for (i = 0; i < w->ndirs; i++)
		free(w->dirs[i]);
	free(w->dirs);
	free(w);
}
