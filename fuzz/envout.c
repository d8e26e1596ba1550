/* envout.c: the format=env renderer (fcgi/envout.c) on any JSON
 * object.  Properties: it renders or refuses, never half: a rendering
 * is PB_KEY='value' lines of printable ASCII ending in a newline, no
 * value holds ' " \ $ or ` (nothing can break out of the quotes of the
 * root shell that sources it), and the same answer renders the same
 * text twice; a refusal is a printable, bounded reason.  Whether the
 * agent takes every value is asserted on real instructions, from
 * validated workflows, by fuzz/workflow.c. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "envout.h"
#include "fz.h"
#include "fz_agent.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t je;
	struct pb_err e;
	json_t *root;
	char *text, *again;

	/* The answer is built with jansson; any object it can hold. */
	root = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES |
	    JSON_ALLOW_NUL, &je);
	if (root == NULL)
		return 0;
	text = pb_envout_new(root, &e);
	if (text == NULL) {
		fz_check_refusal(&e, "envout");
		json_decref(root);
		return 0;
	}
	if (json_object_size(root) > 0 && *text != '\0')
		fz_check_env(text, 0);
	again = pb_envout_new(root, &e);
	FZ_ASSERT(again != NULL && strcmp(again, text) == 0, "envout differs "
	    "on the same answer");
	free(again);
	free(text);
	json_decref(root);
	return 0;
}
