/*
 * Shared by the files of src/model/ beyond model.h: nothing yet.
 */
#ifndef CAPSULED_MODEL_INT_H
#define CAPSULED_MODEL_INT_H

#include "model.h"

#endif
