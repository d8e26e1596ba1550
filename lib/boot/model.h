/* model.h: Raspberry Pi model names, as the database stores them. */
#ifndef PB_MODEL_H
#define PB_MODEL_H

#include "core/err.h"

enum pb_model {
	PB_PI3, PB_PI3P, PB_CM3, PB_PI4, PB_PI400, PB_CM4, PB_PI5, PB_CM5,
	PB_PI500, PB_NMODELS
};

/* The canonical name ("pi3+"), as in the nodes.pi_model check. */
const char *pb_model_name(enum pb_model m);

/* Canonical names and the seed's spellings ("pi3b+" for "pi3+", "pi3b"
 * for "pi3", "pi4b", "pi5b"); nothing else. */
int pb_model_parse(enum pb_model *out, const char *in, struct pb_err *e);

#endif
