/* manifest-create, -list, -get, -download, -export, -delete. */
#include <string.h>

#include "client/internal.h"

int verb_manifest_create(struct client *c, const struct verb_args *a)
{
	return verb_create(c, a, "/manifests");
}

int verb_manifest_list(struct client *c, const struct verb_args *a)
{
	return verb_list(c, a, "/manifests", out_manifest_columns, out_nmanifest_columns);
}

/* The manifest id of the verb's first word, checked; NULL after saying why. */
static const char *manifest_id(struct client *c, const struct verb_args *a)
{
	return verb_uuid(c, "MANIFEST_ID", a->pos[0]) == WS_OK ? a->pos[0] : NULL;
}

int verb_manifest_get(struct client *c, const struct verb_args *a)
{
	const char *id = manifest_id(c, a);
	struct wbuf path;
	int rc;

	if (id == NULL)
		return CLIENT_EXIT_USAGE;
	wbuf_init(&path);
	verb_path(c, &path, "/manifests/%s", id);
	rc = verb_show(c, wbuf_cstr(&path), out_manifest_summary, out_nmanifest_summary, NULL);
	wbuf_free(&path);
	return rc;
}

/* The manifest record's sha256 and size, for a document answered without its ETag. */
static int record_sha(struct client *c, const void *ctx, char sha256[65], int64_t *size)
{
	struct net_req rq = { "GET", ctx, NULL, NULL, 1, NULL, NULL };
	struct net_resp rs;
	struct json_object *m = NULL;
	const char *sha;
	int rc;

	net_resp_init(&rs);
	rc = client_call(c, &rq, &rs, &m);
	if (rc != CLIENT_EXIT_OK)
		goto out;
	sha = out_str(m, "sha256");
	if (sha == NULL || strlen(sha) != 64 ||
	    !json_object_is_type(out_at(m, "size_bytes"), json_type_int)) {
		fprintf(c->err, "worlds: the manifest record has no sha256 or size_bytes\n");
		rc = CLIENT_EXIT_SERVER;
		goto out;
	}
	memcpy(sha256, sha, 65);
	*size = json_object_get_int64(out_at(m, "size_bytes"));
out:
	json_object_put(m);
	net_resp_free(&rs);
	return rc;
}

int verb_manifest_download(struct client *c, const struct verb_args *a)
{
	const char *id = manifest_id(c, a);
	struct dl_want w = { "manifest document", record_sha, NULL };
	struct wbuf path, record;
	int rc;

	if (id == NULL)
		return CLIENT_EXIT_USAGE;
	wbuf_init(&path);
	wbuf_init(&record);
	verb_path(c, &record, "/manifests/%s", id);
	verb_path(c, &path, "/manifests/%s/document", id);
	w.ctx = wbuf_cstr(&record);
	rc = download(c, wbuf_cstr(&path), verb_flag(a, "--output")->str, &w);
	wbuf_free(&record);
	wbuf_free(&path);
	return rc;
}

int verb_manifest_export(struct client *c, const struct verb_args *a)
{
	const char *id = manifest_id(c, a);
	struct wbuf path;
	int rc = CLIENT_EXIT_USAGE;

	if (id == NULL)
		return CLIENT_EXIT_USAGE;
	if (!verb_flag(a, "--format")->set) {
		fprintf(c->err, "worlds: manifest-export: --format is required (known today: "
		    "bloodhound, opengraph)\n");
		return CLIENT_EXIT_USAGE;
	}
	wbuf_init(&path);
	verb_path(c, &path, "/manifests/%s/export", id);
	if (verb_query(a, &path) == WS_OK) {
		const struct dl_want w = { "manifest export", NULL, NULL };

		rc = download(c, wbuf_cstr(&path), verb_flag(a, "--output")->str, &w);
	}
	wbuf_free(&path);
	return rc;
}

int verb_manifest_delete(struct client *c, const struct verb_args *a)
{
	const char *id = manifest_id(c, a);
	struct net_req rq = { "DELETE", NULL, NULL, NULL, 1, NULL, NULL };
	struct net_resp rs;
	struct wbuf path;
	int rc;

	if (id == NULL)
		return CLIENT_EXIT_USAGE;
	wbuf_init(&path);
	net_resp_init(&rs);
	verb_path(c, &path, "/manifests/%s", id);
	rq.path = wbuf_cstr(&path);
	rc = client_call(c, &rq, &rs, NULL);
	if (rc == CLIENT_EXIT_OK && !c->quiet && !c->json)
		fprintf(c->out, "deleted manifest %s\n", id);
	net_resp_free(&rs);
	wbuf_free(&path);
	return rc;
}
