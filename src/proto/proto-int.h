/*
 * Shared by the files of src/proto/ beyond proto.h: nothing yet.
 */
#ifndef CAPSULED_PROTO_INT_H
#define CAPSULED_PROTO_INT_H

#include "proto.h"

#endif
