/*
 * What the client prints: summaries and tables of the API's objects, each described once
 * by a view table (label, where the value is, how to show it), and the error envelope as
 * one line per failing field.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "client/internal.h"

#define VIEW(label, path, kind) { label, path, kind }

const struct view out_job_summary[] = {
	VIEW("job", "id", V_STR),
	VIEW("kind", "kind", V_STR),
	VIEW("status", "status", V_STR),
	VIEW("progress", "progress", V_PERCENT),
	VIEW("error", "error", V_STR),
	VIEW("resource", "resource_type", V_STR),
	VIEW("resource id", "resource_id", V_STR),
	/* The result of either kind of job: the rows of the other kind stay empty. */
	VIEW("sha256", "result.sha256", V_STR),
	VIEW("size", "result.size_bytes", V_BYTES),
	VIEW("seed", "result.seed", V_STR),
	VIEW("hosts", "result.stats.total_hosts", V_STR),
	VIEW("principals", "result.stats.total_principals", V_STR),
	VIEW("edges", "result.stats.total_edges", V_STR),
	VIEW("batch", "result.batch_id", V_STR),
	VIEW("kept", "result.kept", V_STR),
	VIEW("tried", "result.tried", V_STR),
	VIEW("successful", "result.successful", V_STR),
	VIEW("trajectories", "result.trajectory_ids", V_LIST),
	VIEW("project", "project_id", V_STR),
	VIEW("created by", "created_by_user", V_USER),
	VIEW("created", "created_at", V_TIME),
	VIEW("started", "started_at", V_TIME),
	VIEW("completed", "completed_at", V_TIME),
	VIEW("cancel asked", "cancel_requested_at", V_TIME),
};
const struct view out_job_columns[] = {
	VIEW("ID", "id", V_STR),
	VIEW("KIND", "kind", V_STR),
	VIEW("STATUS", "status", V_STR),
	VIEW("PROGRESS", "progress", V_PERCENT),
	VIEW("RESOURCE", "resource_id", V_STR),
	VIEW("CREATED", "created_at", V_TIME),
	VIEW("BY", "created_by_user", V_USER),
};
const struct view out_manifest_summary[] = {
	VIEW("manifest", "id", V_STR),
	VIEW("name", "name", V_STR),
	VIEW("kind", "manifest_kind", V_STR),
	VIEW("preset", "preset", V_STR),
	VIEW("seed", "seed", V_STR),
	VIEW("generator", "generator_version", V_STR),
	VIEW("sha256", "sha256", V_STR),
	VIEW("size", "size_bytes", V_BYTES),
	VIEW("network", "stats.network_id", V_STR),
	VIEW("hosts", "stats.total_hosts", V_STR),
	VIEW("principals", "stats.total_principals", V_STR),
	VIEW("edges", "stats.total_edges", V_STR),
	VIEW("domains", "stats.domains", V_LIST),
	VIEW("project", "project_id", V_STR),
	VIEW("job", "source_job_id", V_STR),
	VIEW("created by", "created_by_user", V_USER),
	VIEW("created", "created_at", V_TIME),
	VIEW("document", "artifact_refs.document", V_STR),
};
const struct view out_manifest_columns[] = {
	VIEW("ID", "id", V_STR),
	VIEW("NAME", "name", V_STR),
	VIEW("PRESET", "preset", V_STR),
	VIEW("SEED", "seed", V_STR),
	VIEW("HOSTS", "stats.total_hosts", V_STR),
	VIEW("PRINCIPALS", "stats.total_principals", V_STR),
	VIEW("EDGES", "stats.total_edges", V_STR),
	VIEW("SIZE", "size_bytes", V_BYTES),
	VIEW("CREATED", "created_at", V_TIME),
};
const struct view out_traj_summary[] = {
	VIEW("trajectory", "id", V_STR),
	VIEW("name", "name", V_STR),
	VIEW("manifest", "manifest_id", V_STR),
	VIEW("goal", "goal", V_STR),
	VIEW("strategy", "strategy", V_STR),
	VIEW("mode", "mode", V_STR),
	VIEW("seed", "seed", V_STR),
	VIEW("foothold", "foothold", V_STR),
	VIEW("success", "success", V_BOOL),
	VIEW("ended by", "termination_reason", V_STR),
	VIEW("steps", "step_count", V_STR),
	VIEW("batch", "batch_id", V_STR),
	VIEW("index", "sequence_index", V_STR),
	VIEW("job", "source_job_id", V_STR),
	VIEW("project", "project_id", V_STR),
	VIEW("created", "created_at", V_TIME),
};
const struct view out_traj_columns[] = {
	VIEW("ID", "id", V_STR),
	VIEW("NAME", "name", V_STR),
	VIEW("MANIFEST", "manifest_id", V_STR),
	VIEW("STRATEGY", "strategy", V_STR),
	VIEW("SUCCESS", "success", V_BOOL),
	VIEW("STEPS", "step_count", V_STR),
	VIEW("CREATED", "created_at", V_TIME),
};
const struct view out_step_columns[] = {
	VIEW("#", "index", V_STR),
	VIEW("TECHNIQUE", "technique", V_STR),
	VIEW("ACTOR", "actor", V_STR),
	VIEW("TARGET", "target", V_STR),
	VIEW("OUTCOME", "outcome", V_STR),
	VIEW("COMMAND", "command", V_STR),
};
const size_t out_njob_summary = W_ARRAY_LEN(out_job_summary);
const size_t out_njob_columns = W_ARRAY_LEN(out_job_columns);
const size_t out_nmanifest_summary = W_ARRAY_LEN(out_manifest_summary);
const size_t out_nmanifest_columns = W_ARRAY_LEN(out_manifest_columns);
const size_t out_ntraj_summary = W_ARRAY_LEN(out_traj_summary);
const size_t out_ntraj_columns = W_ARRAY_LEN(out_traj_columns);
const size_t out_nstep_columns = W_ARRAY_LEN(out_step_columns);

struct json_object *out_at(struct json_object *o, const char *path)
{
	char key[128];
	const char *p = path;

	while (o != NULL && *p != '\0') {
		size_t n = strcspn(p, ".");

		if (n >= sizeof(key) || !json_object_is_type(o, json_type_object))
			return NULL;
		memcpy(key, p, n);
		key[n] = '\0';
		if (!json_object_object_get_ex(o, key, &o))
			return NULL;
		p += n + (p[n] == '.');
	}
	return o;
}

const char *out_str(struct json_object *o, const char *path)
{
	struct json_object *v = out_at(o, path);

	return json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

/* Control characters of the server's strings never reach the terminal as such. */
static void copy_clean(char *buf, size_t n, const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i + 1 < n; i++)
		buf[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? ' ' : s[i];
	buf[i] = '\0';
}

static void bytes(int64_t b, int wide, char *buf, size_t n)
{
	static const char *const unit[] = { "kB", "MB", "GB", "TB" };
	double v = (double)b;
	size_t u = 0;

	if (b < 1000) {
		snprintf(buf, n, "%" PRId64 " B", b);
		return;
	}
	v /= 1000;
	while (v >= 1000 && u + 1 < W_ARRAY_LEN(unit)) {
		v /= 1000;
		u++;
	}
	if (wide)
		snprintf(buf, n, "%.1f %s (%" PRId64 " bytes)", v, unit[u], b);
	else
		snprintf(buf, n, "%.1f %s", v, unit[u]);
}

/* "2026-11-28T14:43:32.123456Z" to "2026-11-28 14:43:32Z". */
static void when(const char *s, char *buf, size_t n)
{
	size_t k = strcspn(s, ".Z");

	if (k != 19 || strlen(s) < 20) {
		copy_clean(buf, n, s);
		return;
	}
	snprintf(buf, n, "%.10s %.8sZ", s, s + 11);
}

/* Up to 16 values in full (a manifest's domains); a longer list (a batch's ids) shortened. */
static void list(struct json_object *v, char *buf, size_t n)
{
	size_t i, len = 0, k = json_object_array_length(v), show = k > 16 ? 3 : k;

	buf[0] = '\0';
	for (i = 0; i < show && len < n; i++) {
		const char *s = json_object_get_string(json_object_array_get_idx(v, i));

		len += (size_t)snprintf(buf + len, n - len, "%s%s", i ? ", " : "", s ? s : "null");
	}
	if (show < k && len < n)
		snprintf(buf + len, n - len, " and %zu more", k - show);
}

void out_value(struct json_object *v, enum view_kind kind, int wide, char *buf, size_t n)
{
	const char *s;

	buf[0] = '\0';
	if (v == NULL || json_object_is_type(v, json_type_null))
		return;
	switch (kind) {
	case V_TIME:
		when(json_object_get_string(v), buf, n);
		return;
	case V_PERCENT:
		snprintf(buf, n, "%.0f%%", json_object_get_double(v) * 100);
		return;
	case V_BYTES:
		bytes(json_object_get_int64(v), wide, buf, n);
		return;
	case V_BOOL:
		snprintf(buf, n, "%s", json_object_get_boolean(v) ? "yes" : "no");
		return;
	case V_LIST:
		if (json_object_is_type(v, json_type_array))
			list(v, buf, n);
		return;
	case V_USER:
		s = out_str(v, "username");
		if (wide && out_str(v, "email") != NULL)
			snprintf(buf, n, "%s <%s>", s ? s : "?", out_str(v, "email"));
		else
			copy_clean(buf, n, s ? s : "");
		return;
	case V_STR:
		copy_clean(buf, n, json_object_get_string(v));
		return;
	}
}

void out_summary(FILE *f, struct json_object *o, const struct view *v, size_t n)
{
	char buf[2048];
	size_t i, w = 0;

	for (i = 0; i < n; i++)
		if (strlen(v[i].label) > w)
			w = strlen(v[i].label);
	for (i = 0; i < n; i++) {
		out_value(out_at(o, v[i].path), v[i].kind, 1, buf, sizeof(buf));
		if (buf[0] != '\0')
			fprintf(f, "%-*s  %s\n", (int)w, v[i].label, buf);
	}
}

void out_table(FILE *f, struct json_object *items, const struct view *v, size_t n)
{
	size_t rows = json_object_is_type(items, json_type_array) ?
	    json_object_array_length(items) : 0;
	size_t width[16] = { 0 }, i, r;
	char buf[512];

	if (n > W_ARRAY_LEN(width))
		n = W_ARRAY_LEN(width);
	if (rows == 0) {
		fprintf(f, "(none)\n");
		return;
	}
	for (i = 0; i < n; i++)
		width[i] = strlen(v[i].label);
	for (r = 0; r < rows; r++) {
		for (i = 0; i < n; i++) {
			out_value(out_at(json_object_array_get_idx(items, r), v[i].path), v[i].kind, 0,
			    buf, sizeof(buf));
			if (strlen(buf) > width[i])
				width[i] = strlen(buf);
		}
	}
	for (i = 0; i < n; i++)
		fprintf(f, "%-*s%s", i + 1 < n ? (int)width[i] : 0, v[i].label, i + 1 < n ? "  " : "\n");
	for (r = 0; r < rows; r++) {
		for (i = 0; i < n; i++) {
			out_value(out_at(json_object_array_get_idx(items, r), v[i].path), v[i].kind, 0,
			    buf, sizeof(buf));
			fprintf(f, "%-*s%s", i + 1 < n ? (int)width[i] : 0, buf[0] ? buf : "-",
			    i + 1 < n ? "  " : "\n");
		}
	}
}

void out_page(FILE *f, struct json_object *page, const struct view *v, size_t n)
{
	struct json_object *items = out_at(page, "items");
	int64_t p = json_object_get_int64(out_at(page, "page"));
	int64_t size = json_object_get_int64(out_at(page, "page_size"));
	int64_t total = json_object_get_int64(out_at(page, "total"));
	int64_t pages = size > 0 ? (total + size - 1) / size : 0;

	out_table(f, items, v, n);
	fprintf(f, "page %" PRId64 " of %" PRId64 ", %" PRId64 " in all\n", p,
	    pages > 0 ? pages : 1, total);
}

/* ["body", "domains", 3] as "domains[3]": where the request put it goes without saying. */
static void loc_text(struct json_object *loc, char *buf, size_t n)
{
	size_t i = 0, k = json_object_is_type(loc, json_type_array) ?
	    json_object_array_length(loc) : 0, len = 0;

	buf[0] = '\0';
	if (k > 1) {
		const char *first = json_object_get_string(json_object_array_get_idx(loc, 0));

		if (first != NULL && (strcmp(first, "body") == 0 || strcmp(first, "query") == 0 ||
		    strcmp(first, "path") == 0))
			i = 1;
	}
	for (; i < k && len < n; i++) {
		struct json_object *e = json_object_array_get_idx(loc, i);

		if (json_object_is_type(e, json_type_int))
			len += (size_t)snprintf(buf + len, n - len, "[%" PRId64 "]",
			    json_object_get_int64(e));
		else
			len += (size_t)snprintf(buf + len, n - len, "%s%s", len ? "." : "",
			    json_object_get_string(e));
	}
}

/* The whole of len bytes as one JSON value, or NULL. */
static struct json_object *parse(const char *p, size_t len)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *o = NULL;
	size_t end;

	if (tok == NULL || len > (size_t)INT32_MAX)
		goto out;
	o = json_tokener_parse_ex(tok, p, (int)len);
	end = json_tokener_get_parse_end(tok);
	/* nginx's own error pages end with a newline. */
	while (end < len && (p[end] == ' ' || p[end] == '\t' || p[end] == '\r' || p[end] == '\n'))
		end++;
	if (json_tokener_get_error(tok) != json_tokener_success || end != len) {
		json_object_put(o);
		o = NULL;
	}
out:
	json_tokener_free(tok);
	return o;
}

void out_error(FILE *f, const char *server, long status, const char *body, size_t len)
{
	struct json_object *o = parse(body, len);
	struct json_object *errs = out_at(o, "errors");
	const char *type = out_str(o, "type"), *detail = out_str(o, "detail");
	char where[512], msg[1024];
	size_t i, n;

	if (type == NULL || detail == NULL) {
		n = len > 200 ? 200 : len;
		snprintf(msg, sizeof(msg), "%.*s", (int)n, body != NULL ? body : "");
		copy_clean(where, sizeof(where), msg);
		fprintf(f, "worlds: HTTP %ld from %s, not the API's error envelope%s%s\n", status,
		    server, len ? ": " : "", where);
		goto out;
	}
	copy_clean(msg, sizeof(msg), detail);
	fprintf(f, "worlds: HTTP %ld %s: %s\n", status, type, msg);
	n = json_object_is_type(errs, json_type_array) ? json_object_array_length(errs) : 0;
	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(errs, i);
		const char *m = out_str(e, "msg");

		loc_text(out_at(e, "loc"), where, sizeof(where));
		copy_clean(msg, sizeof(msg), m ? m : "");
		fprintf(f, "%s: %s\n", where[0] ? where : "request", msg);
	}
out:
	json_object_put(o);
}

int out_raw_json(FILE *f, const struct wbuf *b)
{
	if (b->len > 0 && fwrite(b->p, 1, b->len, f) != b->len)
		return WS_EIO;
	if ((b->len == 0 || b->p[b->len - 1] != '\n') && fputc('\n', f) == EOF)
		return WS_EIO;
	return WS_OK;
}
