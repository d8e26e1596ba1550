/* fz_agent.c: pb_env_check's rules, from initramfs/agent/lib.sh. */
#include <fnmatch.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz.h"
#include "fz_agent.h"

#define RULES_MAX 64

static struct rule { char pat[128]; regex_t re; } rules[RULES_MAX];
static size_t nrules;
static struct var { char name[32], val[256]; } vars[16];
static size_t nvars;
static regex_t line_re;

__attribute__((noreturn)) static void
die(const char *what, const char *line)
{
	fprintf(stderr, "fz_agent: %s: %s\n", what, line);
	abort();
}

static const char *
var(const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < nvars; i++)
		if (strlen(vars[i].name) == n && strncmp(vars[i].name, name, n) == 0)
			return vars[i].val;
	die("unknown variable", name);
}

/* A shell word: '...', "..." with $pb_re_* in it, or $pb_re_x. */
static void
word(char *out, size_t outsz, const char *s, const char *line)
{
	size_t o = 0, n;
	const char *v;
	char q = 0;

	if (*s == '\'' || *s == '"')
		q = *s++;
	for (; *s != '\0' && (q ? *s != q : *s != ' '); s++) {
		if (q != '\'' && *s == '$') {
			n = strspn(s + 1, "abcdefghijklmnopqrstuvwxyz_");
			v = var(s + 1, n);
			if (o + strlen(v) >= outsz)
				die("rule too long", line);
			memcpy(out + o, v, strlen(v));
			o += strlen(v);
			s += n;
			continue;
		}
		if (o + 1 >= outsz)
			die("rule too long", line);
		out[o++] = *s;
	}
	if (q && *s != q)
		die("unterminated quote", line);
	out[o] = '\0';
}

static void
load(void)
{
	const char *path = getenv("FUZZ_AGENT_LIB");
	char line[512], re[600], full[640];
	char *p, *close;
	int in_check = 0;
	FILE *f;

	if (path == NULL)
		path = "initramfs/agent/lib.sh";
	if ((f = fopen(path, "r")) == NULL)
		die("cannot open (set FUZZ_AGENT_LIB)", path);
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "pb_re_", 6) == 0 && (p = strchr(line, '=')) &&
		    nvars < 16) {
			snprintf(vars[nvars].name, sizeof(vars[nvars].name), "%.*s",
			    (int)(p - line), line);
			word(vars[nvars].val, sizeof(vars[nvars].val), p + 1, line);
			nvars++;
		}
		if (strcmp(line, "pb_env_check() {") == 0)
			in_check = 1;
		if (!in_check)
			continue;
		if (strstr(line, "esac") != NULL)
			break;
		/* "\t\tPATTERN) re=WORD ;;" */
		p = line + strspn(line, "\t ");
		if (strncmp(p, "PB_", 3) != 0 || (close = strstr(p, ") re=")) == NULL)
			continue;
		if (nrules == RULES_MAX)
			die("too many rules", line);
		*close = '\0';
		snprintf(rules[nrules].pat, sizeof(rules[nrules].pat), "%s", p);
		word(re, sizeof(re), close + 5, line);
		snprintf(full, sizeof(full), "^(%s)$", re);
		if (regcomp(&rules[nrules].re, full, REG_EXTENDED | REG_NOSUB) != 0)
			die("rule does not compile", full);
		nrules++;
	}
	fclose(f);
	if (nrules < 10)
		die("fewer than 10 key rules found in pb_env_check", path);
	if (regcomp(&line_re, "^PB_[A-Z0-9_]+='[^']*'$", REG_EXTENDED |
	    REG_NOSUB) != 0)
		die("line rule", "");
}

/* The rule of key k: the first pattern (of A|B|C) it matches, as case. */
static const struct rule *
rule(const char *k)
{
	char pat[128], *alt, *save;
	size_t i;

	for (i = 0; i < nrules; i++) {
		memcpy(pat, rules[i].pat, sizeof(pat));
		for (alt = strtok_r(pat, "|", &save); alt != NULL;
		    alt = strtok_r(NULL, "|", &save))
			if (fnmatch(alt, k, 0) == 0)
				return &rules[i];
	}
	return NULL;
}

void
fz_check_env(const char *text, int strict)
{
	char line[8192], key[128];
	const struct rule *r;
	const char *p = text, *nl, *v;
	size_t n;

	if (nrules == 0)
		load();
	FZ_ASSERT(*text != '\0', "empty env answer");
	for (; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		FZ_ASSERT(nl != NULL, "env answer does not end in a newline: %s", p);
		n = (size_t)(nl - p);
		FZ_ASSERT(n < sizeof(line), "env line of %zu bytes", n);
		memcpy(line, p, n);
		line[n] = '\0';
		FZ_ASSERT(fz_printable(line), "env line with a control byte: %s",
		    line);
		FZ_ASSERT(regexec(&line_re, line, 0, NULL, 0) == 0,
		    "env line is not PB_KEY='value': %s", line);
		n = strcspn(line, "=");
		memcpy(key, line, n);
		key[n] = '\0';
		v = line + n + 2;
		line[strlen(line) - 1] = '\0';
		FZ_ASSERT(strpbrk(v, "'\"\\$`") == NULL, "env value with a quote, "
		    "backslash, $ or backquote: %s", line);
		if (!strict)
			continue;
		if ((r = rule(key)) == NULL) {
			FZ_ASSERT(strncmp(key, "PB_SCRIPT_", 10) == 0,
			    "env key %s unknown to the agent", key);
			continue;
		}
		FZ_ASSERT(regexec(&r->re, v, 0, NULL, 0) == 0, "the agent refuses "
		    "%s='%s' (case %s)", key, v, r->pat);
	}
}
