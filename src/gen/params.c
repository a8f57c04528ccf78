/*
 * gen params: presets, resolution and the CreateWorldManifestRequest rules. The API and
 * worlds-gen both come through gen_params_from_json, so a rule and its message exist once.
 */
#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "gen/internal.h"

static const struct gen_preset presets[] = {
	{ "small", 50, 10, 1, { "corp.local" }, { 1, 1, 1, 0, 0 }, 4, 1, 1 },
	{ "medium", 500, 100, 1, { "corp.local" }, { 1, 2, 3, 1, 0 }, 6, 2, 1 },
	{ "large", 2500, 500, 2, { "corp.local", "dev.corp.local" }, { 2, 4, 7, 2, 1 }, 10, 4, 2 },
	{ "enterprise", 10000, 2500, 3, { "corp.local", "emea.corp.local", "partner.local" },
	  { 4, 10, 20, 4, 2 }, 12, 6, 4 },
};

static const char preset_msg[] = "Input should be 'small', 'medium', 'large' or 'enterprise'";

const struct gen_preset *gen_preset_find(const char *name)
{
	size_t i;

	for (i = 0; i < W_ARRAY_LEN(presets); i++)
		if (strcmp(presets[i].name, name) == 0)
			return &presets[i];
	return NULL;
}

struct gen_field {
	const char *name;
	int kind;
	int64_t min, max;
	const char *flag;
};

#define GEN_FIELD_ROW(n, k, lo, hi, fl) { #n, k, lo, hi, fl },
static const struct gen_field fields[] = { GEN_FIELDS(GEN_FIELD_ROW) };
#undef GEN_FIELD_ROW

const char *gen_field_flag(const char *field)
{
	size_t i;

	for (i = 0; i < W_ARRAY_LEN(fields); i++)
		if (strcmp(fields[i].name, field) == 0)
			return fields[i].flag;
	return field;
}

void gen_params_defaults(struct gen_params *p)
{
	memset(p, 0, sizeof(*p));
}

static int64_t draw_seed(void)
{
	uint64_t v = 0;
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		if (read(fd, &v, sizeof(v)) != (ssize_t)sizeof(v))
			v = 0;
		close(fd);
	}
	if (v == 0)
		v = (uint64_t)time_mono_us() * 0x9e3779b97f4a7c15ULL;
	/* Within 2^53 so that a JavaScript client reads the recorded seed back exactly. */
	return (int64_t)(v & ((1ULL << 53) - 1));
}

static const struct gen_preset *infer_preset(const struct gen_params *p)
{
	size_t i;

	for (i = 0; i < W_ARRAY_LEN(presets); i++) {
		if (p->num_users > 0 && p->num_users <= presets[i].users)
			return &presets[i];
		if (p->num_users == 0 && p->num_hosts > 0 && p->num_hosts <= presets[i].hosts)
			return &presets[i];
	}
	return &presets[W_ARRAY_LEN(presets) - 1];
}

int gen_params_resolve(struct gen_params *p)
{
	const struct gen_preset *ps;
	int i;

	if (p->preset[0] == '\0') {
		ps = (p->num_users == 0 && p->num_hosts == 0) ? &presets[0] : infer_preset(p);
		snprintf(p->preset, sizeof(p->preset), "%s", ps->name);
	}
	ps = gen_preset_find(p->preset);
	if (ps == NULL || p->num_users < 0 || p->num_users > GEN_MAX_USERS || p->num_hosts < 0 ||
	    p->num_hosts > GEN_MAX_HOSTS || p->ndomains < 0 || p->ndomains > GEN_MAX_DOMAINS)
		return WS_EINVAL;
	if (p->ndomains == 0) {
		p->ndomains = ps->ndomains;
		for (i = 0; i < ps->ndomains; i++)
			snprintf(p->domains[i], sizeof(p->domains[i]), "%s", ps->domains[i]);
	}
	for (i = 0; i < p->ndomains; i++)
		if (gen_dns_name_error(p->domains[i], strlen(p->domains[i])) != NULL)
			return WS_EINVAL;
	if (p->num_users == 0)
		p->num_users = ps->users > p->ndomains ? ps->users : p->ndomains;
	if (p->num_hosts == 0)
		p->num_hosts = ps->hosts > p->ndomains ? ps->hosts : p->ndomains;
	if (p->num_users < p->ndomains || p->num_hosts < p->ndomains)
		return WS_EINVAL;
	if (!p->seed_set) {
		p->seed = draw_seed();
		p->seed_set = 1;
	}
	return WS_OK;
}

/* ---- field rules ------------------------------------------------------------------------- */

const char *gen_dns_name_error(const char *s, size_t n)
{
	size_t i, label = 0;

	if (n == 0)
		return "the name is empty";
	if (n > 253)
		return "the name is longer than 253 characters";
	for (i = 0; i <= n; i++) {
		char c = i < n ? s[i] : '.';

		if (c == '.') {
			if (label == 0)
				return "a label is empty";
			if (s[i - 1] == '-' || s[i - label] == '-')
				return "a label starts or ends with a hyphen";
			label = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return "only letters, digits, hyphens and dots are allowed";
		if (++label > 63)
			return "a label is longer than 63 characters";
	}
	return NULL;
}

/*
 * json-c keeps integers past int64 as uint64 (saturating at 2^64-1) and saturates
 * negative ones at INT64_MIN. Positive overflow is caught here; a negative overflow
 * cannot be told from INT64_MIN itself, so callers that hold the raw text (the API)
 * turn such members into non-integers before validating, and INT64_MIN is accepted.
 */
static int json_exact_int64(struct json_object *v, int64_t *out)
{
	int64_t x;

	if (!json_object_is_type(v, json_type_int))
		return 0;
	x = json_object_get_int64(v);
	if (x == INT64_MAX && json_object_get_uint64(v) != (uint64_t)INT64_MAX)
		return 0;
	*out = x;
	return 1;
}

static size_t utf8_chars(const char *s, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			c++;
	return c;
}

/* C0, DEL and C1 control characters (C1 are two-byte sequences C2 80..C2 9F). */
static int has_control(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			return 1;
		if (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
		    (unsigned char)s[i + 1] <= 0x9f)
			return 1;
	}
	return 0;
}

static void check_name(struct json_object *v, struct gen_params *out, struct verrs *e,
    const struct gen_field *f)
{
	const char *s;
	size_t n, chars;

	if (!json_object_is_type(v, json_type_string)) {
		verr_add(e, "body", f->name, -1, "string_type", "Input should be a valid string");
		return;
	}
	s = json_object_get_string(v);
	n = (size_t)json_object_get_string_len(v);
	if (!utf8_valid(s, n) || memchr(s, '\0', n) != NULL) {
		verr_add(e, "body", f->name, -1, "string_unicode",
		    "Input should be a valid string, unable to parse raw data as a unicode string");
		return;
	}
	/* Only blanks are trimmed: a tab or newline at either end is a control character and
	 * is refused below like one in the middle. */
	while (n > 0 && *s == ' ') {
		s++;
		n--;
	}
	while (n > 0 && s[n - 1] == ' ')
		n--;
	chars = utf8_chars(s, n);
	if (chars < (size_t)f->min) {
		verr_add(e, "body", f->name, -1, "string_too_short",
		    "String should have at least %d character%s", (int)f->min, f->min == 1 ? "" : "s");
		return;
	}
	if (chars > (size_t)f->max) {
		verr_add(e, "body", f->name, -1, "string_too_long",
		    "String should have at most %d characters", (int)f->max);
		return;
	}
	if (has_control(s, n)) {
		verr_add(e, "body", f->name, -1, "value_error",
		    "Value error, the name must not contain control characters");
		return;
	}
	memcpy(out->name, s, n);
	out->name[n] = '\0';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void check_uuid4(struct json_object *v, struct gen_params *out, struct verrs *e,
    const struct gen_field *f)
{
	const char *s;
	char hex[33];
	size_t n, i, k = 0;

	if (!json_object_is_type(v, json_type_string)) {
		verr_add(e, "body", f->name, -1, "uuid_type",
		    "UUID input should be a string, bytes or UUID object");
		return;
	}
	s = json_object_get_string(v);
	n = (size_t)json_object_get_string_len(v);
	if (n >= 9 && strncasecmp(s, "urn:uuid:", 9) == 0) {
		s += 9;
		n -= 9;
	} else if (n >= 2 && s[0] == '{' && s[n - 1] == '}') {
		s++;
		n -= 2;
	}
	if (n != 32 && n != 36) {
		verr_add(e, "body", f->name, -1, "uuid_parsing",
		    "Input should be a valid UUID, invalid length: expected length 32 for simple "
		    "format, found %zu", n);
		return;
	}
	for (i = 0; i < n; i++) {
		int dash = n == 36 && (i == 8 || i == 13 || i == 18 || i == 23);

		if (dash ? s[i] != '-' : hexval(s[i]) < 0) {
			verr_add(e, "body", f->name, -1, "uuid_parsing",
			    "Input should be a valid UUID, invalid character: expected [0-9a-fA-F-] "
			    "at %zu", i + 1);
			return;
		}
		if (!dash)
			hex[k++] = (char)tolower((unsigned char)s[i]);
	}
	hex[32] = '\0';
	/* Version nibble 4 and the RFC 4122 variant (10xx), as Python's uuid reports it. */
	if (hex[12] != '4' || (hexval(hex[16]) & 0xc) != 0x8) {
		verr_add(e, "body", f->name, -1, "uuid_version", "UUID version 4 expected");
		return;
	}
	snprintf(out->project_id, sizeof(out->project_id), "%.8s-%.4s-%.4s-%.4s-%.12s", hex,
	    hex + 8, hex + 12, hex + 16, hex + 20);
}

static void check_preset(struct json_object *v, struct gen_params *out, struct verrs *e,
    const struct gen_field *f)
{
	if (!json_object_is_type(v, json_type_string) ||
	    gen_preset_find(json_object_get_string(v)) == NULL) {
		verr_add(e, "body", f->name, -1, "enum", "%s", preset_msg);
		return;
	}
	snprintf(out->preset, sizeof(out->preset), "%s", json_object_get_string(v));
}

static void check_int(struct json_object *v, struct gen_params *out, struct verrs *e,
    const struct gen_field *f)
{
	int64_t x;

	if (!json_exact_int64(v, &x)) {
		verr_add(e, "body", f->name, -1, "int_type", "Input should be a valid integer");
		return;
	}
	if (f->kind == GEN_F_INT && x < f->min) {
		verr_add(e, "body", f->name, -1, "greater_than_equal",
		    "Input should be greater than or equal to %lld", (long long)f->min);
		return;
	}
	if (f->kind == GEN_F_INT && x > f->max) {
		verr_add(e, "body", f->name, -1, "less_than_equal",
		    "Input should be less than or equal to %lld", (long long)f->max);
		return;
	}
	if (f->kind == GEN_F_INT64) {
		out->seed = x;
		out->seed_set = 1;
	} else if (strcmp(f->name, "num_users") == 0) {
		out->num_users = (int)x;
	} else {
		out->num_hosts = (int)x;
	}
}

static void check_domains(struct json_object *v, struct gen_params *out, struct verrs *e,
    const struct gen_field *f)
{
	size_t n, i, j, len;
	int bad = 0;

	if (!json_object_is_type(v, json_type_array)) {
		verr_add(e, "body", f->name, -1, "list_type", "Input should be a valid list");
		return;
	}
	n = json_object_array_length(v);
	if (n < (size_t)f->min) {
		verr_add(e, "body", f->name, -1, "too_short",
		    "List should have at least %d item after validation, not %zu", (int)f->min, n);
		return;
	}
	if (n > (size_t)f->max) {
		verr_add(e, "body", f->name, -1, "too_long",
		    "List should have at most %d items after validation, not %zu", (int)f->max, n);
		return;
	}
	for (i = 0; i < n; i++) {
		struct json_object *it = json_object_array_get_idx(v, i);
		const char *s, *why;

		if (!json_object_is_type(it, json_type_string)) {
			verr_add(e, "body", f->name, (long)i, "string_type",
			    "Input should be a valid string");
			bad = 1;
			continue;
		}
		s = json_object_get_string(it);
		len = (size_t)json_object_get_string_len(it);
		if (len > 253) {
			verr_add(e, "body", f->name, (long)i, "string_too_long",
			    "String should have at most 253 characters");
			bad = 1;
			continue;
		}
		for (j = 0; j < len; j++)
			out->domains[i][j] = (char)tolower((unsigned char)s[j]);
		out->domains[i][len] = '\0';
		why = memchr(s, '\0', len) ? "only letters, digits, hyphens and dots are allowed" :
		    gen_dns_name_error(out->domains[i], len);
		if (why != NULL) {
			verr_add(e, "body", f->name, (long)i, "value_error",
			    "Value error, not a valid DNS name: %s", why);
			bad = 1;
			continue;
		}
		for (j = 0; j < i; j++) {
			if (strcmp(out->domains[j], out->domains[i]) == 0) {
				verr_add(e, "body", f->name, (long)i, "value_error",
				    "Value error, duplicate domain: same as item %zu", j);
				bad = 1;
				break;
			}
		}
	}
	if (!bad)
		out->ndomains = (int)n;
}

/* Fields that are each valid can still contradict one another: every domain needs a DC and a user. */
static void check_cross(const struct gen_params *p, struct verrs *errs)
{
	struct gen_params q = *p;
	int nd;

	if (q.preset[0] == '\0')
		snprintf(q.preset, sizeof(q.preset), "%s",
		    (q.num_users == 0 && q.num_hosts == 0) ? "small" : infer_preset(&q)->name);
	nd = q.ndomains > 0 ? q.ndomains : gen_preset_find(q.preset)->ndomains;
	if (q.num_hosts > 0 && q.num_hosts < nd)
		verr_add(errs, "body", "num_hosts", -1, "value_error",
		    "Value error, num_hosts must be at least the number of domains (%d): every "
		    "domain needs a domain controller", nd);
	if (q.num_users > 0 && q.num_users < nd)
		verr_add(errs, "body", "num_users", -1, "value_error",
		    "Value error, num_users must be at least the number of domains (%d): every "
		    "domain needs a user", nd);
}

int gen_params_from_json(struct json_object *body, struct gen_params *out, struct verrs *errs)
{
	size_t i, nerr0 = errs->n + errs->dropped;

	gen_params_defaults(out);
	if (!json_object_is_type(body, json_type_object)) {
		verr_add(errs, "body", NULL, -1, "model_type",
		    "Input should be a valid dictionary or object to extract fields from");
		return WS_EINVAL;
	}
	for (i = 0; i < W_ARRAY_LEN(fields); i++) {
		const struct gen_field *f = &fields[i];
		struct json_object *v = NULL;

		if (!json_object_object_get_ex(body, f->name, &v) || v == NULL)
			continue;
		switch (f->kind) {
		case GEN_F_NAME: check_name(v, out, errs, f); break;
		case GEN_F_UUID4: check_uuid4(v, out, errs, f); break;
		case GEN_F_PRESET: check_preset(v, out, errs, f); break;
		case GEN_F_INT64:
		case GEN_F_INT: check_int(v, out, errs, f); break;
		case GEN_F_DOMAINS: check_domains(v, out, errs, f); break;
		}
	}
	{
		json_object_object_foreach(body, key, val) {
			int known = 0;

			(void)val;
			for (i = 0; i < W_ARRAY_LEN(fields); i++)
				if (strcmp(fields[i].name, key) == 0)
					known = 1;
			/* A key that is not UTF-8 cannot be echoed in loc. */
			if (!known)
				verr_add(errs, "body", utf8_valid(key, strlen(key)) ? key : "?", -1,
				    "extra_forbidden", "Extra inputs are not permitted");
		}
	}
	if (errs->n + errs->dropped == nerr0)
		check_cross(out, errs);
	return errs->n + errs->dropped == nerr0 ? WS_OK : WS_EINVAL;
}
