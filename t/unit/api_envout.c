/* Unit tests for fcgi/envout.c: answers as KEY='value' lines; a value
 * outside its key's set fails the whole answer.  want NULL: refused. */
#include <stdlib.h>

#include <jansson.h>

#include "envout.h"
#include "tap.h"

#define UUID "0b8e2c1a-1234-4abc-8def-0123456789ab"

static const struct { const char *name, *json, *want; } cases[] = {
	{ "wait", "{\"state\":\"discovered\",\"action\":\"wait\","
	  "\"message\":\"waiting for an operator\",\"node_id\":\"" UUID "\","
	  "\"retry_after\":30}",
	  "PB_STATE='discovered'\nPB_ACTION='wait'\n"
	  "PB_MESSAGE='waiting for an operator'\nPB_NODE_ID='" UUID "'\n"
	  "PB_RETRY_AFTER='30'\n" },
	{ "fixed key order, nulls left out",
	  "{\"image_sha256\":null,\"action\":\"install\",\"state\":\"installing\","
	  "\"resize_rootfs\":true,\"image_url\":\"http://s/i.img.xz?a=1&b=2\","
	  "\"token\":\"pbi1.0123456789abcdef.abc-_\"}",
	  "PB_STATE='installing'\nPB_ACTION='install'\n"
	  "PB_TOKEN='pbi1.0123456789abcdef.abc-_'\n"
	  "PB_IMAGE_URL='http://s/i.img.xz?a=1&b=2'\nPB_RESIZE_ROOTFS='1'\n" },
	{ "files numbered from 1",
	  "{\"files\":[{\"partition\":\"boot\",\"path\":\"user-data\","
	  "\"mode\":\"0644\",\"content_b64\":\"aGk=\"},{\"partition\":"
	  "\"system-boot\",\"path\":\"a/ssh\",\"mode\":\"0600\","
	  "\"content_b64\":\"\"}]}",
	  "PB_FILES='2'\nPB_FILE_1_PART='boot'\nPB_FILE_1_PATH='user-data'\n"
	  "PB_FILE_1_MODE='0644'\nPB_FILE_1_B64='aGk='\n"
	  "PB_FILE_2_PART='system-boot'\nPB_FILE_2_PATH='a/ssh'\n"
	  "PB_FILE_2_MODE='0600'\nPB_FILE_2_B64=''\n" },
	{ "empty files", "{\"files\":[]}", "PB_FILES='0'\n" },
	{ "nfs", "{\"nfs_server\":\"10.0.0.1\",\"nfs_path\":\"/srv/nfs/pi-1\","
	  "\"nfs_options\":\"vers=4,ro\"}",
	  "PB_NFS_SERVER='10.0.0.1'\nPB_NFS_PATH='/srv/nfs/pi-1'\n"
	  "PB_NFS_OPTIONS='vers=4,ro'\n" },
	{ "script as base64", "{\"script\":\"echo 'hi'\\n\","
	  "\"script_args\":\"--server https://x\"}",
	  "PB_SCRIPT_B64='ZWNobyAnaGknCg=='\n"
	  "PB_SCRIPT_ARGS='--server https://x'\n" },
	{ "quote in a url", "{\"image_url\":\"http://s/a'b\"}", NULL },
	{ "dollar in a url", "{\"image_url\":\"http://s/$(reboot)\"}", NULL },
	{ "space in a url", "{\"image_url\":\"http://s/a b\"}", NULL },
	{ "newline in a message", "{\"message\":\"a\\nb\"}", NULL },
	{ "quote in a message", "{\"message\":\"it's\"}", NULL },
	{ "upper case in a hash", "{\"image_sha256\":\"ABCD\"}", NULL },
	{ "semicolon in a device", "{\"target_device\":\"/dev/sda;reboot\"}",
	  NULL },
	{ "backtick in nfs options", "{\"nfs_options\":\"`id`\"}", NULL },
	{ "dot-dot in a file path", "{\"files\":[{\"partition\":\"boot\","
	  "\"path\":\"../x\",\"mode\":\"0644\",\"content_b64\":\"\"}]}", NULL },
	{ "absolute file path", "{\"files\":[{\"partition\":\"boot\","
	  "\"path\":\"/etc/x\",\"mode\":\"0644\",\"content_b64\":\"\"}]}", NULL },
	{ "missing file key", "{\"files\":[{\"partition\":\"boot\","
	  "\"path\":\"x\",\"mode\":\"0644\"}]}", NULL },
	{ "unknown file key", "{\"files\":[{\"partition\":\"boot\","
	  "\"path\":\"x\",\"mode\":\"0644\",\"content_b64\":\"\",\"o\":1}]}",
	  NULL },
	{ "unknown key", "{\"state\":\"active\",\"post_install\":[]}", NULL },
	{ "number where a string belongs", "{\"state\":1}", NULL },
	{ "negative integer", "{\"retry_after\":-1}", NULL },
	{ "empty url", "{\"image_url\":\"\"}", NULL },
	{ "empty options are fine", "{\"nfs_options\":\"\"}",
	  "PB_NFS_OPTIONS=''\n" },
	{ "the first step of an install: token and URLs",
	  "{\"events_url\":\"http://s/e\",\"callback_url\":\"http://s/c\","
	  "\"instructions_url\":\"http://s/api/v1/nodes/" UUID "/install\","
	  "\"token\":\"pbi1.0123456789abcdef.x\",\"action\":\"install\"}",
	  "PB_ACTION='install'\nPB_TOKEN='pbi1.0123456789abcdef.x'\n"
	  "PB_INSTRUCTIONS_URL='http://s/api/v1/nodes/" UUID "/install'\n"
	  "PB_CALLBACK_URL='http://s/c'\nPB_EVENTS_URL='http://s/e'\n" },
	{ "quote in the instructions url",
	  "{\"instructions_url\":\"http://s/'x\"}", NULL },
};

/* Refusals quote the key they name (fuzz/envout.c found a control
 * byte of a files[] key copied into the reason as it was). */
static const struct { const char *name, *json, *want; } refusals[] = {
	{ "unknown file key with a newline", "{\"files\":[{\"mo\\nde\":1}]}",
	  "files[0]: key \"mo\\x0ade\" has no env form" },
	{ "unknown key with a quote", "{\"a\\\"b\":1}",
	  "key \"a\\\"b\" has no env form" },
};

int
main(void)
{
	struct pb_err e;
	json_error_t je;
	json_t *j;
	char *out;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		j = json_loads(cases[i].json, 0, &je);
		if (j == NULL) {
			tap_ok(0, cases[i].name);
			printf("# bad test json: %s\n", je.text);
			continue;
		}
		out = pb_envout_new(j, &e);
		tap_is(out, cases[i].want, cases[i].name);
		free(out);
		json_decref(j);
	}
	for (i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
		if ((j = json_loads(refusals[i].json, 0, &je)) == NULL) {
			tap_ok(0, refusals[i].name);
			printf("# bad test json: %s\n", je.text);
			continue;
		}
		out = pb_envout_new(j, &e);
		tap_is(out == NULL ? e.msg : out, refusals[i].want,
		    refusals[i].name);
		free(out);
		json_decref(j);
	}
	return tap_done();
}
