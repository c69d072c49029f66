/*
 * Shared by the files of src/core/ beyond core.h: nothing yet.
 */
#ifndef CAPSULED_CORE_INT_H
#define CAPSULED_CORE_INT_H

#include "core.h"

#endif
