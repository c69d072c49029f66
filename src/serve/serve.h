/*
 * The daemon: settings, listeners, connections, TLS, workers,
 * signals and reload, the sandbox.  Uses every layer below.
 *
 * The public header of src/serve/: the only one other layers include.
 */
#ifndef CAPSULED_SERVE_H
#define CAPSULED_SERVE_H

#include "config.h"
#include "keeper.h"
#include "server.h"

#endif
