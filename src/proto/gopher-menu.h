/*
 * Gopher menu lines (RFC 1436).
 */
#ifndef CAPSULED_GOPHER_MENU_H
#define CAPSULED_GOPHER_MENU_H

#include "core/core.h"

/* Menu lines.  Display strings are sanitised (no TAB, CR or LF). */
void	gopher_menu_item(struct buf *, char type, const char *display,
	    const char *selector, const char *host, int port);
void	gopher_menu_end(struct buf *);

#endif
