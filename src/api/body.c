/*
 * Request bodies and headers of the create routes: the JSON body (strict, UTF-8, an
 * object, integers beyond int64 caught), the Idempotency-Key header and what "the same
 * body" means for it.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>
#include <sodium.h>

#include "api/internal.h"

#define JSON_MAX_DEPTH 32

static int is_json_type(const char *ct)
{
	size_t n;

	if (ct == NULL)
		return 0;
	n = strcspn(ct, ";");
	while (n > 0 && (ct[n - 1] == ' ' || ct[n - 1] == '\t'))
		n--;
	return n == 16 && strncasecmp(ct, "application/json", 16) == 0;
}

static void invalid_body(struct http_resp *resp, const char *type, const char *msg)
{
	struct verrs v;

	verrs_init(&v);
	verr_add(&v, "body", NULL, -1, type, "%s", msg);
	http_error_fields(resp, HTTP_E_INVALID, msg, &v);
}

static int only_blanks(const char *p, const char *end)
{
	for (; p < end; p++)
		if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			return 0;
	return 1;
}

/* Skips a JSON string starting at p (on its opening quote); returns the byte after it. */
static const char *skip_string(const char *p, const char *end)
{
	for (p++; p < end && *p != '"'; p++)
		if (*p == '\\')
			p++;
	return p < end ? p + 1 : end;
}

static const char *skip_blanks(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/*
 * json-c saturates an integer below INT64_MIN to INT64_MIN, so the parsed object cannot
 * tell "-9223372036854775809" from the real minimum. The raw text can: every top-level
 * member whose value is an integer literal outside int64 becomes a double in obj, which
 * validation then refuses as "not an integer", exactly as it refuses 1e3. The body has
 * already parsed as a JSON object, so this scan may assume it is well formed.
 */
static void mark_overflowing_integers(struct json_object *obj, const char *p, const char *end)
{
	int depth = 0;

	while (p < end) {
		if (*p == '{' || *p == '[') {
			depth++;
			p++;
		} else if (*p == '}' || *p == ']') {
			depth--;
			p++;
		} else if (*p == '"' && depth == 1) {
			const char *key = p + 1, *v;
			char name[64], num[32];
			size_t klen, vlen;
			int64_t ignored;

			p = skip_string(p, end);
			klen = (size_t)(p - key - 1);
			v = skip_blanks(skip_blanks(p, end) + 1, end); /* past the ':' */
			vlen = strspn(v, "-0123456789");
			if (v + vlen > end)
				vlen = (size_t)(end - v);
			/* A string value must not be taken for the next key. */
			p = *v == '"' ? skip_string(v, end) : v + vlen;
			if (vlen == 0 || klen >= sizeof(name) || memchr(key, '\\', klen) != NULL)
				continue;
			if (vlen >= sizeof(num) ||
			    (memcpy(num, v, vlen), num[vlen] = '\0', parse_i64(num, &ignored) != WS_OK)) {
				if (v[vlen] == '.' || v[vlen] == 'e' || v[vlen] == 'E')
					continue; /* a real number already: json-c made it a double */
				memcpy(name, key, klen);
				name[klen] = '\0';
				json_object_object_add(obj, name, json_object_new_double(0.5));
			}
		} else if (*p == '"') {
			p = skip_string(p, end);
		} else {
			p++;
		}
	}
}

/* Body → JSON object, or a 400 invalid_error already written to resp. */
struct json_object *api_parse_body(const struct http_req *req, struct http_resp *resp)
{
	struct json_tokener *tok;
	struct json_object *obj = NULL;
	enum json_tokener_error err;

	if (!is_json_type(req->content_type)) {
		invalid_body(resp, "model_type", "Content-Type must be application/json");
		return NULL;
	}
	if (!utf8_valid(req->body, req->body_len)) {
		invalid_body(resp, "json_invalid", "Invalid JSON: body is not UTF-8");
		return NULL;
	}
	tok = json_tokener_new_ex(JSON_MAX_DEPTH);
	if (tok == NULL) {
		http_error(resp, HTTP_E_SERVER, "Out of memory");
		return NULL;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	/* The terminating NUL (the body is NUL-terminated) tells json-c the input ends, so
	 * that a bare number at the very end is complete rather than "continue". */
	obj = json_tokener_parse_ex(tok, req->body, (int)req->body_len + 1);
	err = json_tokener_get_error(tok);
	if (err != json_tokener_success || !only_blanks(req->body + json_tokener_get_parse_end(tok),
	    req->body + req->body_len)) {
		char msg[160];

		if (err == json_tokener_success)
			snprintf(msg, sizeof(msg), "Invalid JSON: trailing characters after the value");
		else if (err == json_tokener_continue || json_tokener_get_parse_end(tok) >= req->body_len)
			snprintf(msg, sizeof(msg), "Invalid JSON: EOF while parsing a value");
		else
			snprintf(msg, sizeof(msg), "Invalid JSON: %s", json_tokener_error_desc(err));
		json_object_put(obj);
		obj = NULL;
		invalid_body(resp, "json_invalid", msg);
	} else if (!json_object_is_type(obj, json_type_object)) {
		/* A JSON null parses to no object at all: it is still not an object. */
		json_object_put(obj);
		obj = NULL;
		invalid_body(resp, "model_type", "Input should be an object");
	} else {
		mark_overflowing_integers(obj, req->body, req->body + req->body_len);
	}
	json_tokener_free(tok);
	return obj;
}

static int idempotency_key_valid(const char *k)
{
	size_t n = strlen(k), i;

	if (n < 1 || n > 255)
		return 0;
	for (i = 0; i < n; i++)
		if (k[i] < '!' || k[i] > '~')
			return 0;
	return 1;
}

/* Hex sha256 of the body: "the same body" for idempotency is the same bytes. */
void api_body_hash(const struct http_req *req, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)req->body, req->body_len);
	sodium_bin2hex(out, 65, h, sizeof(h));
}

int api_idempotency_header_ok(const struct http_req *req, struct http_resp *resp)
{
	struct verrs v;

	if (req->idempotency_key == NULL || idempotency_key_valid(req->idempotency_key))
		return 1;
	verrs_init(&v);
	verr_add(&v, "header", "Idempotency-Key", -1, "string_pattern_mismatch",
	    "Idempotency-Key must be 1 to 255 visible ASCII characters");
	http_error_fields(resp, HTTP_E_VALIDATION, NULL, &v);
	return 0;
}

