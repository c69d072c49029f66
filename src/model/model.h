/*
 * The document model, the route table, the snapshot types and the
 * search index of their posts: what the site layer builds and the
 * protocols read.  Uses core (and SQLite, for the index).
 *
 * The public header of src/model/: the only one other layers include.
 */
#ifndef CAPSULED_MODEL_H
#define CAPSULED_MODEL_H

#include "doc.h"
#include "mime.h"
#include "routes.h"
#include "search.h"
#include "snapshot.h"
#include "value.h"

#endif
