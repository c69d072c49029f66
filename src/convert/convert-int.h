/*
 * Inside the converter: the passes convert_body runs (Liquid,
 * kramdown, md4c callbacks) and the HTML reader and entities they use.
 */
#ifndef CAPSULED_CONVERT_INT_H
#define CAPSULED_CONVERT_INT_H

#include "convert.h"
#include "proto/proto.h"
#include "emoji.h"
#include "entity.h"
#include "html.h"
#include "kramdown.h"
#include "liquid-int.h"
#include "markdown.h"
#include "render.h"

#endif
