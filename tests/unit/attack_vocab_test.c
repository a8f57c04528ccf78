/*
 * The command vocabulary: every edge type that grants access has a command in each mode,
 * names are unique within a mode, every pattern compiles, is anchored and matches its own
 * examples and its usage line (placeholders filled in), and the lookups agree with the table.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attack/attack.h"
#include "tap.h"

/* The BloodHound vocabulary of world-model.md, spelled there. */
static const char *const model_edges[] = { "MemberOf", "AdminTo", "HasSession", "CanRDP",
	"CanPSRemote", "ExecuteDCOM", "GenericAll", "GenericWrite", "WriteDacl", "WriteOwner",
	"Owns", "ForceChangePassword", "AddMember", "AllowedToDelegate", "AllowedToAct", "DCSync",
	"ReadLAPSPassword", "Contains", "GpLink", "TrustedBy", "HasCredential", "CanReach" };

/* Edge types that only describe the world's shape or inherit rights. */
static const char *const structural[] = { "MemberOf", "Contains", "TrustedBy", "CanReach" };

static int is_structural(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(structural) / sizeof(structural[0]); i++)
		if (strcmp(structural[i], name) == 0)
			return 1;
	return 0;
}

/* usage with each {name} replaced by "ph". */
static void fill(const char *usage, char *out, size_t n)
{
	size_t o = 0;

	while (*usage != '\0' && o + 3 < n) {
		if (*usage == '{' && strchr(usage, '}') != NULL) {
			memcpy(out + o, "ph", 2);
			o += 2;
			usage = strchr(usage, '}') + 1;
		} else {
			out[o++] = *usage++;
		}
	}
	out[o] = '\0';
}

static void check_edges(struct tap *t)
{
	size_t i;
	int m;
	char what[160];

	tap_int(t, ATTACK_E_COUNT, (long long)(sizeof(model_edges) / sizeof(model_edges[0])),
	    "the table has every edge type of world-model.md");
	for (i = 0; i < sizeof(model_edges) / sizeof(model_edges[0]); i++) {
		int e = attack_edge_find(model_edges[i]);

		snprintf(what, sizeof(what), "%s is known and round-trips", model_edges[i]);
		tap_ok(t, e >= 0 && strcmp(attack_edge_name((enum attack_edge)e), model_edges[i]) == 0,
		    what);
		if (e < 0)
			continue;
		snprintf(what, sizeof(what), "%s %s access", model_edges[i],
		    is_structural(model_edges[i]) ? "does not grant" : "grants");
		tap_int(t, attack_edge_grants((enum attack_edge)e), !is_structural(model_edges[i]), what);
		if (!attack_edge_grants((enum attack_edge)e))
			continue;
		for (m = 0; m < ATTACK_MODE_COUNT; m++) {
			const struct attack_cmd *c[4];

			snprintf(what, sizeof(what), "%s has a %s command", model_edges[i],
			    attack_mode_name((enum attack_mode)m));
			tap_ok(t, attack_cmds_for_edge((enum attack_mode)m, (enum attack_edge)e, c, 4) > 0,
			    what);
		}
	}
	tap_ok(t, attack_edge_find("NoSuchEdge") == -1, "an unknown edge type is -1");
	tap_ok(t, attack_edge_name(ATTACK_E_COUNT) == NULL, "past the end has no name");
}

static void check_commands(struct tap *t)
{
	size_t i, j, bad_names = 0, bad_patterns = 0, bad_examples = 0, bad_usage = 0;
	size_t bad_fields = 0, bad_edges = 0;
	size_t per_mode[ATTACK_MODE_COUNT] = { 0 };
	char line[1024];

	for (i = 0; i < attack_ncmds; i++) {
		const struct attack_cmd *c = &attack_cmds[i];
		regex_t re;

		per_mode[c->mode]++;
		for (j = 0; j < i; j++)
			if (attack_cmds[j].mode == c->mode && strcmp(attack_cmds[j].name, c->name) == 0) {
				printf("# duplicate name %s/%s\n", attack_mode_name(c->mode), c->name);
				bad_names++;
			}
		if (c->name[0] == '\0' || strspn(c->name, "abcdefghijklmnopqrstuvwxyz0123456789-") !=
		    strlen(c->name)) {
			printf("# name not in kebab case: %s\n", c->name);
			bad_names++;
		}
		if (c->description[0] == '\0' || c->technique == NULL || c->technique[0] != 'T' ||
		    c->examples[0] == NULL || c->events == NULL) {
			printf("# %s: missing description, technique or examples\n", c->name);
			bad_fields++;
		}
		if (c->edges >> ATTACK_E_COUNT) {
			printf("# %s: edge bits past the table\n", c->name);
			bad_edges++;
		}
		if (c->pattern[0] != '^' || regcomp(&re, c->pattern, REG_EXTENDED | REG_NOSUB) != 0) {
			printf("# %s: pattern not anchored or does not compile: %s\n", c->name, c->pattern);
			bad_patterns++;
			continue;
		}
		for (j = 0; c->examples[j] != NULL; j++)
			if (regexec(&re, c->examples[j], 0, NULL, 0) != 0) {
				printf("# %s: example does not match %s\n#   %s\n", c->name, c->pattern,
				    c->examples[j]);
				bad_examples++;
			}
		fill(c->usage, line, sizeof(line));
		if (regexec(&re, line, 0, NULL, 0) != 0) {
			printf("# %s: usage does not match %s\n#   %s\n", c->name, c->pattern, line);
			bad_usage++;
		}
		regfree(&re);
	}
	tap_int(t, (long long)bad_names, 0, "names are unique per mode and in kebab case");
	tap_int(t, (long long)bad_fields, 0, "every command has a description, technique, example");
	tap_int(t, (long long)bad_edges, 0, "edge sets stay inside the edge table");
	tap_int(t, (long long)bad_patterns, 0, "every pattern is anchored and compiles");
	tap_int(t, (long long)bad_examples, 0, "every example matches its pattern");
	tap_int(t, (long long)bad_usage, 0, "every usage line matches its pattern");
	tap_ok(t, per_mode[ATTACK_KALI] >= 20 && per_mode[ATTACK_C2] >= 20,
	    "both modes have a full vocabulary");
}

static void check_lookups(struct tap *t)
{
	const struct attack_cmd *c[16];
	size_t n;

	tap_int(t, attack_mode_find("kali"), ATTACK_KALI, "mode kali");
	tap_int(t, attack_mode_find("c2"), ATTACK_C2, "mode c2");
	tap_int(t, attack_mode_find("agent"), -1, "mode agent is unknown");
	tap_ok(t, attack_cmd_find(ATTACK_KALI, "kerberoast") != NULL &&
	    strcmp(attack_cmd_find(ATTACK_KALI, "kerberoast")->precondition, "spns") == 0,
	    "kerberoast needs an SPN account");
	tap_ok(t, attack_cmd_find(ATTACK_C2, "asrep-roast") != NULL &&
	    strcmp(attack_cmd_find(ATTACK_C2, "asrep-roast")->precondition, "dont_req_preauth") == 0,
	    "AS-REP roast needs dont_req_preauth");
	tap_ok(t, attack_cmd_find(ATTACK_KALI, "no-such-command") == NULL, "unknown name is NULL");
	n = attack_cmds_for_edge(ATTACK_KALI, ATTACK_E_DCSync, c, 16);
	tap_ok(t, n >= 1 && n <= 16 && strcmp(c[0]->name, "dcsync") == 0, "DCSync -> dcsync");
	n = attack_cmds_for_edge(ATTACK_KALI, ATTACK_E_AdminTo, c, 1);
	tap_ok(t, n >= 2 && c[0]->mode == ATTACK_KALI, "AdminTo: count beyond max is reported");
	n = attack_cmds_for_edge(ATTACK_C2, ATTACK_E_ForceChangePassword, c, 16);
	tap_ok(t, n >= 1 && c[0]->mode == ATTACK_C2, "ForceChangePassword has a c2 command");
	tap_int(t, (long long)attack_cmds_for_edge(ATTACK_KALI, ATTACK_E_COUNT, c, 16), 0,
	    "an edge past the table has no commands");
}

int main(void)
{
	struct tap t = { 0, 0 };

	check_edges(&t);
	check_commands(&t);
	check_lookups(&t);
	return tap_done(&t);
}
