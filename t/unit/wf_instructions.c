/* Unit tests for lib/wf/wf_instructions.c and lib/wf/wf_firstboot.c: a
 * workflow resolved for one node, with its first-boot files, for both
 * OS families and every install method; table-driven.  Files are
 * compared as text (content_b64 decoded here). */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "wf/wf_firstboot.h"
#include "wf/wf_instructions.h"
#include "wf/workflow.h"
#include "tap.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

#define ED "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKY8KN2blp860xz/mBlQaK9FcMrh8hiFsVWBj6eCdhAA"
#define UUID "0b8e2c1a-1234-4abc-8def-0123456789ab"
#define HDR "id: w\nname: W\narch: aarch64\n"
#define SHA1 "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1"
#define SHA2 "b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2"
/* The fixed line of lib/wf/wf_firstboot.h, as user-data has it. */
#define RUN "'echo \"$1  $2\" | sha256sum -c --quiet - || { echo \"pureboot: $2: sha256 mismatch, not run\" >&2; exit 1; }; f=$2; shift 2; exec sh \"$f\" \"$@\"'"

/* The first-boot report every cloud-init user-data ends with: the
 * script, written out by hand (lib/wf/wf_firstboot.c). */
#define REPORT_SCRIPT \
	"write_files:\n  - path: /usr/local/lib/pureboot/first-boot\n" \
	"    owner: \"root:root\"\n    permissions: \"0700\"\n    content: |\n" \
	"      #!/bin/sh\n" \
	"      # PureBoot-Pi: tell the server this system booted (first_boot), once.\n" \
	"      set -u\n" \
	"      src=/boot/firmware/pureboot-first-boot\n" \
	"      cfg=/run/pureboot/first-boot\n" \
	"      if [ ! -f \"$src\" ]; then\n" \
	"        echo \"pureboot: no $src: first_boot not reported\"\n" \
	"        exit 0\n" \
	"      fi\n" \
	"      umask 077\n" \
	"      mkdir -p /run/pureboot\n" \
	"      cp \"$src\" \"$cfg\" || exit 1\n" \
	"      trap 'rm -f \"$cfg\"' EXIT\n" \
	"      rm -f \"$src\"\n" \
	"      i=1\n" \
	"      while [ \"$i\" -le 30 ]; do\n" \
	"        code=$(curl -sS -o /dev/null -w '%{http_code}' --connect-timeout 10 -m 30 -K \"$cfg\") || code=000\n" \
	"        case $code in\n" \
	"        2[0-9][0-9]) echo \"pureboot: first_boot reported\"; exit 0 ;;\n" \
	"        000 | 408 | 429 | 5[0-9][0-9]) ;;\n" \
	"        *) echo \"pureboot: first_boot refused (HTTP $code)\"; exit 1 ;;\n" \
	"        esac\n" \
	"        sleep 10\n" \
	"        i=$((i + 1))\n" \
	"      done\n" \
	"      echo \"pureboot: first_boot not reported: no answer from the server\"\n" \
	"      exit 1\n" \
	"runcmd:\n"
#define REPORT_RUN "  - [\"/usr/local/lib/pureboot/first-boot\"]\n"

struct node { const char *serial, *mac, *hostname, *server, *vars; };
struct file { const char *path, *content; };

static const struct tcase {
	const char *name, *yaml;
	struct node node;
	const char *want;	/* instructions without "files", or the error */
	struct file files[6];
} cases[] = {
	{ "raspios: ssh, userconf.txt, custom.toml; hostname from the serial",
	  HDR "install_method: image\nimage_verify: none\nimage_url: ${server}/images/os.img.xz\n"
	  "target_device: /dev/mmcblk0\npost_install:\n  - enable_ssh\n"
	  "  - set_hostname\n  - ssh_keys:\n      keys: [\"" ED " op@x\"]\n",
	  { "d83add36", "dc:a6:32:01:02:03", "", "http://pb.lan:8080/", NULL },
	  "{\"image_sha256\":null,\"image_sha256_of\":\"compressed\","
	  "\"image_url\":\"http://pb.lan:8080/images/os.img.xz\",\"image_verify\":\"none\","
	  "\"install_method\":\"image\",\"resize_rootfs\":false,"
	  "\"target_device\":\"/dev/mmcblk0\"}",
	  { { "ssh", "" },
	    { "userconf.txt", "pi:*\n" },
	    { "custom.toml",
	      "# PureBoot-Pi: first-boot settings for node " UUID " (workflow w),\n"
	      "# applied once by Raspberry Pi OS's firstboot (init_config).\n"
	      "config_version = 1\n\n[system]\nhostname = \"pi-d83add36\"\n\n"
	      "[ssh]\nenabled = true\npassword_authentication = false\n"
	      "authorized_keys = [\n  \"" ED " op@x\",\n]\n" } } },
	{ "raspios: keys without enable_ssh leave sshd off; a password hash",
	  HDR "install_method: image\nimage_verify: none\nimage_url: http://s/os.img\n"
	  "target_device: auto\npost_install:\n  - ssh_keys:\n"
	  "      user: admin\n      password_hash: $6$salt$abcdefghijk\n"
	  "      keys: [\"" ED "\", \"" ED " second\"]\n",
	  { "d83add36", "", "", "http://s", NULL },
	  "{\"image_sha256\":null,\"image_sha256_of\":\"compressed\","
	  "\"image_url\":\"http://s/os.img\",\"image_verify\":\"none\",\"install_method\":\"image\","
	  "\"resize_rootfs\":false,\"target_device\":\"auto\"}",
	  { { "userconf.txt", "admin:$6$salt$abcdefghijk\n" },
	    { "custom.toml",
	      "# PureBoot-Pi: first-boot settings for node " UUID " (workflow w),\n"
	      "# applied once by Raspberry Pi OS's firstboot (init_config).\n"
	      "config_version = 1\n\n[ssh]\nenabled = false\n"
	      "password_authentication = false\nauthorized_keys = [\n"
	      "  \"" ED "\",\n  \"" ED " second\",\n]\n" } } },
	{ "cloud-init: meta-data, user-data, network-config and ssh",
	  HDR "install_method: image\nimage_verify: sha256\nvariables:\n  k3s: https://k3s:6443\n"
	  "image_url: ${server}/u.img.xz\ntarget_device: /dev/nvme0n1\n"
	  "image_sha256: E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855\n"
	  "image_sha256_of: raw\n"
	  "post_install:\n  - cloud_init:\n      interface: end0\n"
	  "      timezone: Europe/Berlin\n  - resize_rootfs\n"
	  "  - set_hostname:\n      hostname: web-${serial}\n"
	  "  - enable_ssh:\n      password_authentication: true\n"
	  "  - ssh_keys:\n      user: ubuntu\n      keys: [\"" ED "\"]\n"
	  "  - packages: [avahi-daemon, g++]\n"
	  "  - script: ${server}/s/one.sh\n    args: --server ${k3s} --name ${hostname}\n"
	  "    sha256: " SHA1 "\n"
	  "  - script: http://s/two.sh\n    sha256: " SHA2 "\n    where: first_boot\n"
	  "  - script: http://s/d.sh\n    where: deploy\n    sha256: " SHA2 "\n"
	  "    args: --root ${k3s}\n",
	  { "d83add36", "dc:a6:32:01:02:03", "node-7", "http://pb:8080",
	    "{\"k3s\":\"https://k3s.node:6443\"}" },
	  "{\"deploy_scripts\":[{\"args\":\"--root https://k3s.node:6443\","
	  "\"sha256\":\"" SHA2 "\",\"url\":\"http://s/d.sh\"}],"
	  "\"image_sha256\":"
	  "\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\","
	  "\"image_sha256_of\":\"raw\",\"image_url\":\"http://pb:8080/u.img.xz\","
	  "\"image_verify\":\"sha256\","
	  "\"install_method\":\"image\",\"resize_rootfs\":true,"
	  "\"target_device\":\"/dev/nvme0n1\",\"vars\":{\"hostname\":\"node-7\","
	  "\"k3s\":\"https://k3s.node:6443\",\"mac\":\"dc:a6:32:01:02:03\","
	  "\"node_id\":\"" UUID "\",\"serial\":\"d83add36\","
	  "\"server\":\"http://pb:8080\"}}",
	  { { "ssh", "" },
	    { "meta-data", "instance-id: pureboot-" UUID "\n"
	      "local-hostname: web-d83add36\n" },
	    { "user-data", "#cloud-config\n# PureBoot-Pi: node " UUID ", workflow w\n"
	      "hostname: web-d83add36\npreserve_hostname: false\n"
	      "manage_etc_hosts: true\nusers:\n  - name: ubuntu\n"
	      "    groups: [adm, dialout, plugdev, sudo, video]\n"
	      "    shell: /bin/bash\n    sudo: \"ALL=(ALL) NOPASSWD:ALL\"\n"
	      "    lock_passwd: true\n    ssh_authorized_keys:\n"
	      "      - \"" ED "\"\nssh_pwauth: true\n"
	      "timezone: \"Europe/Berlin\"\n"
	      "growpart:\n  mode: auto\n  devices: [\"/\"]\nresize_rootfs: true\n"
	      "package_update: true\npackages:\n  - \"avahi-daemon\"\n  - \"g++\"\n"
	      REPORT_SCRIPT
	      "  - [\"curl\", \"-fsSL\", \"--retry\", \"5\", \"-o\", "
	      "\"/run/pureboot-step-1\", \"http://pb:8080/s/one.sh\"]\n"
	      "  - [\"sh\", \"-c\", " RUN ", \"pureboot-step\", \"" SHA1 "\", "
	      "\"/run/pureboot-step-1\", \"--server\", "
	      "\"https://k3s.node:6443\", \"--name\", \"node-7\"]\n"
	      "  - [\"curl\", \"-fsSL\", \"--retry\", \"5\", \"-o\", "
	      "\"/run/pureboot-step-2\", \"http://s/two.sh\"]\n"
	      "  - [\"sh\", \"-c\", " RUN ", \"pureboot-step\", \"" SHA2 "\", "
	      "\"/run/pureboot-step-2\"]\n" REPORT_RUN },
	    { "network-config", "version: 2\nethernets:\n  end0:\n"
	      "    dhcp4: true\n    optional: true\n" } } },
	{ "cloud-init with nothing else: instance id and DHCP only",
	  HDR "install_method: image\nimage_verify: none\nimage_url: http://s/u.img\n"
	  "target_device: /dev/sda\npost_install: [cloud_init]\n",
	  { "d83add36", "", "", NULL, NULL },
	  "{\"image_sha256\":null,\"image_sha256_of\":\"compressed\","
	  "\"image_url\":\"http://s/u.img\",\"image_verify\":\"none\",\"install_method\":\"image\","
	  "\"resize_rootfs\":false,\"target_device\":\"/dev/sda\"}",
	  { { "meta-data", "instance-id: pureboot-" UUID "\n" },
	    { "user-data", "#cloud-config\n# PureBoot-Pi: node " UUID
	      ", workflow w\n" REPORT_SCRIPT REPORT_RUN },
	    { "network-config", "version: 2\nethernets:\n  eth0:\n"
	      "    dhcp4: true\n    optional: true\n" } } },
	{ "image without steps: no files",
	  HDR "install_method: image\nimage_verify: none\nimage_url: http://s/by-mac/${mac}.img\n"
	  "target_device: auto\n",
	  { "", "dc:a6:32:01:02:03", "", NULL, NULL },
	  "{\"image_sha256\":null,\"image_sha256_of\":\"compressed\","
	  "\"image_url\":\"http://s/by-mac/dc:a6:32:01:02:03.img\",\"image_verify\":\"none\","
	  "\"install_method\":\"image\",\"resize_rootfs\":false,"
	  "\"target_device\":\"auto\"}", { { NULL, NULL } } },
	{ "nfs: path joined, default options, the script step",
	  HDR "install_method: nfs\nvariables:\n  k3s: https://k3s:6443\n"
	  "nfs_server: 192.168.1.10\nnfs_base_path: /nfsroot\n"
	  "nfs_image: base-${serial}\npost_install:\n"
	  "  - script: ${server}/k3s.sh\n    args: --server ${k3s} --node-name ${hostname}\n",
	  { "d83add36", "", "worker-1", "http://pb:8080", NULL },
	  "{\"install_method\":\"nfs\",\"nfs_options\":\"vers=3,tcp\","
	  "\"nfs_path\":\"/nfsroot/base-d83add36\",\"nfs_server\":\"192.168.1.10\","
	  "\"script\":\"http://pb:8080/k3s.sh\","
	  "\"script_args\":\"--server https://k3s:6443 --node-name worker-1\"}",
	  { { NULL, NULL } } },
	{ "nfs: base path / and own options, no script",
	  HDR "install_method: nfs\nnfs_server: nfs.lan\nnfs_base_path: /\n"
	  "nfs_image: root\nnfs_options: vers=4.2\n",
	  { "d83add36", "", "", NULL, NULL },
	  "{\"install_method\":\"nfs\",\"nfs_options\":\"vers=4.2\","
	  "\"nfs_path\":\"/root\",\"nfs_server\":\"nfs.lan\"}", { { NULL, NULL } } },
	{ "nfs: nfs_mode passed on",
	  HDR "install_method: nfs\nnfs_server: nfs.lan\nnfs_base_path: /b\n"
	  "nfs_image: r\nnfs_mode: stateless\n",
	  { "d83add36", "", "", NULL, NULL },
	  "{\"install_method\":\"nfs\",\"nfs_mode\":\"stateless\","
	  "\"nfs_options\":\"vers=3,tcp\",\"nfs_path\":\"/b/r\","
	  "\"nfs_server\":\"nfs.lan\"}", { { NULL, NULL } } },
	{ "script: URL, checksum, arguments, time limit, target device, vars",
	  HDR "install_method: script\nscript_url: ${server}/i.sh\n"
	  "script_sha256: " SHA1 "\nscript_timeout: 600\n"
	  "script_args: --node ${node_id} --n ${n}\ntarget_device: /dev/sda\n"
	  "variables:\n  n:\n    type: integer\n    default: \"3\"\n"
	  "  site: {type: word}\n",
	  { "d83add36", "", "", "https://pb", "{\"site\":\"lab-2\"}" },
	  "{\"install_method\":\"script\",\"script_args\":\"--node " UUID
	  " --n 3\",\"script_sha256\":\"" SHA1 "\",\"script_timeout\":600,"
	  "\"script_url\":\"https://pb/i.sh\",\"target_device\":\"/dev/sda\","
	  "\"vars\":{\"hostname\":\"pi-d83add36\",\"n\":\"3\",\"node_id\":\"" UUID "\","
	  "\"serial\":\"d83add36\",\"server\":\"https://pb\",\"site\":\"lab-2\"}}",
	  { { NULL, NULL } } },
	{ "script without arguments: empty script_args, the default time limit",
	  HDR "install_method: script\nscript_url: http://s/i.sh\n"
	  "script_sha256: " SHA1 "\n",
	  { "d83add36", "", "", NULL, NULL },
	  "{\"install_method\":\"script\",\"script_args\":\"\","
	  "\"script_sha256\":\"" SHA1 "\",\"script_timeout\":3600,"
	  "\"script_url\":\"http://s/i.sh\",\"vars\":{\"hostname\":\"pi-d83add36\","
	  "\"node_id\":\"" UUID "\",\"serial\":\"d83add36\"}}", { { NULL, NULL } } },
	{ "a node value replaces the default in every rendered place",
	  HDR "install_method: image\nimage_verify: none\n"
	  "image_url: http://s/${flavour}.img\ntarget_device: auto\n"
	  "variables:\n  flavour: lite\n  name: {type: hostname, default: a}\n"
	  "post_install:\n  - set_hostname:\n      hostname: ${name}\n",
	  { "d83add36", "", "", NULL, "{\"flavour\":\"full\",\"name\":\"Web-1\"}" },
	  "{\"image_sha256\":null,\"image_sha256_of\":\"compressed\","
	  "\"image_url\":\"http://s/full.img\",\"image_verify\":\"none\","
	  "\"install_method\":\"image\",\"resize_rootfs\":false,"
	  "\"target_device\":\"auto\"}",
	  { { "custom.toml",
	      "# PureBoot-Pi: first-boot settings for node " UUID " (workflow w),\n"
	      "# applied once by Raspberry Pi OS's firstboot (init_config).\n"
	      "config_version = 1\n\n[system]\nhostname = \"web-1\"\n" } } },
	{ "refused: a variable without default and no value for the node",
	  HDR "install_method: script\nscript_url: http://s/${site}.sh\n"
	  "script_sha256: " SHA1 "\nvariables:\n  site: {type: word}\n",
	  { "d83add36", "", "", NULL, NULL },
	  "workflow w: variable site has no default and no value for this node "
	  "(PATCH /nodes/{id} \"vars\")", { { NULL, NULL } } },
	{ "refused: a stored node value of the wrong type",
	  HDR "install_method: script\nscript_url: http://s/i.sh\n"
	  "script_sha256: " SHA1 "\nvariables:\n  n: {type: integer, default: \"1\"}\n",
	  { "d83add36", "", "", NULL, "{\"n\":\"1e3\"}" },
	  "workflow w: the node's value of n: \"1e3\" is not an integer",
	  { { NULL, NULL } } },
	{ "refused: a stored node value for a variable the workflow lost",
	  HDR "install_method: script\nscript_url: http://s/i.sh\n"
	  "script_sha256: " SHA1 "\n",
	  { "d83add36", "", "", NULL, "{\"old\":\"x\"}" },
	  "workflow w: the node has a value for \"old\", which is not one of "
	  "its variables", { { NULL, NULL } } },
	{ "refused: no hostname and no serial for ${hostname}",
	  HDR "install_method: image\nimage_verify: none\nimage_url: http://s/x.img\n"
	  "target_device: auto\npost_install: [set_hostname]\n",
	  { "", "dc:a6:32:01:02:03", "", NULL, NULL },
	  "workflow w: post_install[0].set_hostname: \"${hostname}\" uses "
	  "${hostname}, which has no value for this node", { { NULL, NULL } } },
	{ "refused: no server_url for ${server}",
	  HDR "install_method: image\nimage_verify: none\nimage_url: ${server}/x.img\n"
	  "target_device: auto\n",
	  { "d83add36", "", "", NULL, NULL },
	  "workflow w: image_url: \"${server}/x.img\" uses ${server}, which "
	  "has no value for this node", { { NULL, NULL } } },
	{ "refused: a server_url that breaks the URL where it lands",
	  HDR "install_method: image\nimage_verify: none\nimage_url: ${server}/x.img\n"
	  "target_device: auto\n",
	  { "d83add36", "", "", "http://pb/it's", NULL },
	  "workflow w: image_url: \"http://pb/it's/x.img\" contains a quote, "
	  "which is not allowed in a URL", { { NULL, NULL } } },
	{ "refused: a server_url that breaks a script argument",
	  HDR "install_method: script\nscript_url: http://s/i.sh\n"
	  "script_sha256: " SHA1 "\n"
	  "script_args: --api ${server}\n",
	  { "d83add36", "", "", "http://pb/a;d", NULL },
	  "workflow w: script_args: \"--api http://pb/a;d\" contains ';', "
	  "which is not allowed in arguments", { { NULL, NULL } } },
};

/* The stored definition may have been written by anything. */
static const struct {
	const char *name, *json, *want;
} stored[] = {
	{ "refused: stored definition with a bad device",
	  "{\"id\":\"x\",\"name\":\"X\",\"arch\":\"aarch64\","
	  "\"install_method\":\"image\",\"image_url\":\"http://s/x\","
	  "\"target_device\":\"/dev/sda1\"}",
	  "workflow \"x\": stored definition is invalid: target_device: "
	  "\"/dev/sda1\" is not /dev/mmcblkN, /dev/nvmeNnN, /dev/sdX, /dev/vdX "
	  "(a whole disk) or auto" },
	{ "refused: stored image definition with neither image_sha256 nor image_verify",
	  "{\"id\":\"x\",\"name\":\"X\",\"arch\":\"aarch64\","
	  "\"install_method\":\"image\",\"image_url\":\"http://s/x\","
	  "\"target_device\":\"auto\"}",
	  "workflow \"x\": stored definition is invalid: image_sha256: is "
	  "required for install_method image unless image_verify is none" },
	{ "refused: stored definition that is not an object", "\"x\"",
	  "workflow \"\": stored definition is invalid: yaml: a workflow "
	  "is a mapping of keys such as id, name, arch, not a string" },
	{ "stored definition without id, name, arch: resolved",
	  "{\"install_method\":\"nfs\",\"nfs_server\":\"10.9.8.7\","
	  "\"nfs_base_path\":\"/srv/nfs\",\"nfs_image\":\"base\"}",
	  "(accepted)" },
	{ "refused: stored definition without install_method",
	  "{\"image_url\":\"http://s/i.img\",\"target_device\":\"auto\"}",
	  "workflow \"\": stored definition is invalid: install_method: "
	  "is required" },
	{ "refused: stored definition with a bad id",
	  "{\"id\":\"A B\",\"install_method\":\"script\","
	  "\"script_url\":\"http://s/i.sh\",\"script_sha256\":\"" SHA1 "\"}",
	  "workflow \"A B\": stored definition is invalid: id: \"A B\" is not "
	  "lower-case letters, digits and '-', starting with a letter or digit" },
};

/* The node's vars object is returned: the caller owns it. */
static json_t *
set_node(struct pb_wf_node *n, const struct node *in)
{
	json_t *vars;

	memset(n, 0, sizeof(*n));
	if (pb_uuid_parse(&n->id, UUID, NULL) == -1 ||
	    (in->serial[0] && pb_serial_parse(&n->serial, in->serial, NULL)) ||
	    (in->mac[0] && pb_mac_parse(&n->mac, in->mac, NULL)) ||
	    (in->hostname[0] && pb_hostname_parse(&n->hostname, in->hostname,
	    NULL)))
		abort();
	n->server = in->server;
	vars = in->vars ? json_loads(in->vars, 0, NULL) : NULL;
	n->vars = vars;
	return vars;
}

static void
check_files(const struct tcase *c, json_t *files)
{
	unsigned char bin[8192];
	char name[300], *got;
	json_t *f;
	size_t i, n = 0, binlen;
	const char *b64;

	while (n < N(c->files) && c->files[n].path != NULL)
		n++;
	snprintf(name, sizeof(name), "%s: %zu files", c->name, n);
	tap_ok(json_array_size(files) == n, name);
	json_array_foreach(files, i, f) {
		if (i >= n)
			break;
		snprintf(name, sizeof(name), "%s: file %zu is %s, boot, 0644",
		    c->name, i + 1, c->files[i].path);
		tap_ok(strcmp(json_string_value(json_object_get(f, "path")),
		    c->files[i].path) == 0 &&
		    strcmp(json_string_value(json_object_get(f, "partition")),
		    "boot") == 0 &&
		    strcmp(json_string_value(json_object_get(f, "mode")), "0644")
		    == 0, name);
		b64 = json_string_value(json_object_get(f, "content_b64"));
		if (sodium_base642bin(bin, sizeof(bin) - 1, b64, strlen(b64),
		    NULL, &binlen, NULL, sodium_base64_VARIANT_ORIGINAL) != 0)
			binlen = 0;
		bin[binlen] = '\0';
		got = (char *)bin;
		snprintf(name, sizeof(name), "%s: %s content", c->name,
		    c->files[i].path);
		tap_is(got, c->files[i].content, name);
	}
}

#define TOK "pbi1.0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
#define EVURL "http://pb:8080/api/v1/nodes/" UUID "/events"

/* wf_firstboot_report: the curl config of the first-boot report, only
 * beside a user-data, and only for values a curl config holds as is. */
static void
report_cases(void)
{
	static const struct {
		const char *name, *first, *url, *token, *want;
	} rc[] = {
		{ "report: beside user-data, a curl config with the token, 0600",
		  "user-data", EVURL, TOK,
		  "# PureBoot-Pi: the first_boot report of this node (a secret: "
		  "the install token)\nurl = \"" EVURL "\"\nrequest = \"POST\"\n"
		  "header = \"Authorization: Bearer " TOK "\"\n"
		  "header = \"Content-Type: application/json\"\n"
		  "data = \"{\\\"type\\\":\\\"first_boot\\\"}\"\n" },
		{ "report: Raspberry Pi OS files get none", "custom.toml", EVURL,
		  TOK, "(none)" },
		{ "report refused: a quote in the URL", "user-data",
		  "http://pb/\"x", TOK, "first-boot report: the events URL or "
		  "the token has a byte a curl config cannot hold" },
		{ "report refused: a newline in the token", "user-data", EVURL,
		  "pbi1.x\nurl = \"http://evil\"", "first-boot report: the events "
		  "URL or the token has a byte a curl config cannot hold" },
	};
	unsigned char bin[1024];
	char name[200];
	const char *b64, *got;
	json_t *files, *f;
	struct pb_err e;
	size_t i, n;

	for (i = 0; i < N(rc); i++) {
		files = json_pack("[{s:s}]", "path", rc[i].first);
		if (wf_firstboot_report(files, rc[i].url, rc[i].token, &e) == -1) {
			tap_is(e.msg, rc[i].want, rc[i].name);
			json_decref(files);
			continue;
		}
		if (json_array_size(files) == 1) {
			tap_is("(none)", rc[i].want, rc[i].name);
			json_decref(files);
			continue;
		}
		f = json_array_get(files, 1);
		snprintf(name, sizeof(name), "%s: name and mode", rc[i].name);
		tap_ok(json_array_size(files) == 2 && strcmp(json_string_value(
		    json_object_get(f, "path")), WF_FB_REPORT_FILE) == 0 &&
		    strcmp(json_string_value(json_object_get(f, "mode")),
		    "0600") == 0, name);
		b64 = json_string_value(json_object_get(f, "content_b64"));
		got = "(undecodable)";
		if (sodium_base642bin(bin, sizeof(bin) - 1, b64, strlen(b64),
		    NULL, &n, NULL, sodium_base64_VARIANT_ORIGINAL) == 0) {
			bin[n] = '\0';
			got = (const char *)bin;
		}
		tap_is(got, rc[i].want, rc[i].name);
		json_decref(files);
	}
}

int
main(void)
{
	struct pb_wf_diag d;
	struct pb_wf_node node;
	struct pb_err e;
	json_error_t je;
	json_t *def, *out, *files, *vars;
	char *s;
	size_t i;

	for (i = 0; i < N(cases); i++) {
		const struct tcase *c = &cases[i];

		def = pb_wf_load_yaml(c->yaml, strlen(c->yaml), &d);
		if (def == NULL) {
			tap_is(d.e[0].reason, "(loads)", c->name);
			continue;
		}
		vars = set_node(&node, &c->node);
		out = pb_wf_instructions_new(def, &node, &e);
		json_decref(vars);
		if (out == NULL) {
			tap_is(e.msg, c->want, c->name);
			json_decref(def);
			continue;
		}
		files = json_incref(json_object_get(out, "files"));
		json_object_del(out, "files");
		s = json_dumps(out, JSON_COMPACT | JSON_SORT_KEYS);
		tap_is(s, c->want, c->name);
		free(s);
		if (files != NULL || c->files[0].path != NULL)
			check_files(c, files);
		json_decref(files);
		json_decref(out);
		json_decref(def);
	}
	for (i = 0; i < N(stored); i++) {
		(void)set_node(&node, &(struct node){ "d83add36", "", "", NULL,
		    NULL });
		def = json_loads(stored[i].json, JSON_DECODE_ANY, &je);
		out = pb_wf_instructions_new(def, &node, &e);
		tap_is(out ? "(accepted)" : e.msg, stored[i].want,
		    stored[i].name);
		json_decref(out);
		json_decref(def);
	}
	report_cases();
	return tap_done();
}
