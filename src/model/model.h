/*
 * The document model, the route table and the snapshot types: what
 * the site layer builds and the protocols read.  Uses core.
 *
 * The public header of src/model/: the only one other layers include.
 */
#ifndef CAPSULED_MODEL_H
#define CAPSULED_MODEL_H

#include "doc.h"
#include "mime.h"
#include "routes.h"
#include "snapshot.h"
#include "value.h"

#endif
