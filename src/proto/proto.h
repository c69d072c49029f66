/*
 * The pure protocol code: URLs (RFC 3986/3987) and percent-encoding,
 * the Gemini and Gopher request handlers, the Gopher text and menu
 * writers, the PROXY protocol header, the pages of search results.  No sockets, so it is unit-tested and fuzzed directly.
 * Uses core and model.
 *
 * The public header of src/proto/: the only one other layers include.
 */
#ifndef CAPSULED_PROTO_H
#define CAPSULED_PROTO_H

#include "url.h"
#include "gemini.h"
#include "gopher.h"
#include "gopher-item.h"
#include "gopher-menu.h"
#include "gopher-recipe.h"
#include "gopher-text.h"
#include "proxy.h"
#include "search-page.h"

#endif
