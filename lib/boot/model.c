/* model.c: Raspberry Pi model names (pure). */
#include <string.h>

#include "boot/model.h"

static const char *const names[PB_NMODELS] = {
	[PB_PI3] = "pi3", [PB_PI3P] = "pi3+", [PB_CM3] = "cm3",
	[PB_PI4] = "pi4", [PB_PI400] = "pi400", [PB_CM4] = "cm4",
	[PB_PI5] = "pi5", [PB_CM5] = "cm5", [PB_PI500] = "pi500",
};

static const struct { const char *alias; enum pb_model m; } aliases[] = {
	{ "pi3b", PB_PI3 }, { "pi3b+", PB_PI3P }, { "pi4b", PB_PI4 },
	{ "pi5b", PB_PI5 },
};

const char *
pb_model_name(enum pb_model m)
{
	return (unsigned)m < PB_NMODELS ? names[m] : "unknown";
}

int
pb_model_parse(enum pb_model *out, const char *in, struct pb_err *e)
{
	char q[64];
	size_t i;

	for (i = 0; i < PB_NMODELS; i++)
		if (strcmp(in, names[i]) == 0) {
			*out = (enum pb_model)i;
			return 0;
		}
	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strcmp(in, aliases[i].alias) == 0) {
			*out = aliases[i].m;
			return 0;
		}
	pb_quote(q, sizeof(q), in, 40);
	return pb_fail(e, "model \"%s\" is not one of pi3, pi3+, cm3, pi4, "
	    "pi400, cm4, pi5, cm5, pi500", q);
}
