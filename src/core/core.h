/*
 * Buffers, allocation, arenas, diagnostics, logging, UTF-8: used by
 * every layer, uses none.
 *
 * The public header of src/core/: the only one other layers include.
 */
#ifndef CAPSULED_CORE_H
#define CAPSULED_CORE_H

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "file.h"
#include "log.h"
#include "utf8.h"
#include "xmalloc.h"
#include "yaml.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

#endif
