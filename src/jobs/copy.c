/*
 * COPY ... FROM STDIN in PostgreSQL's binary format, rows handed to libpq in large pieces.
 * Binary rather than text: the server then neither splits lines nor unescapes fields nor
 * parses numbers and uuids, which measured about a third of its COPY time for an enterprise
 * world (and the rows need no escaping pass here either).
 */
#include <stdio.h>
#include <string.h>

#include "jobs/internal.h"

#define JOBS_COPY_FLUSH_AT (512 * 1024)

/* The binary format's header: signature, flags, header extension length. */
static const char copy_header[19] = "PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0";

static void put_be32(struct wbuf *b, uint32_t v)
{
	unsigned char x[4] = { (unsigned char)(v >> 24), (unsigned char)(v >> 16),
		(unsigned char)(v >> 8), (unsigned char)v };

	wbuf_put(b, (const char *)x, 4);
}

void jobs_copy_field(struct wbuf *b, const char *s, size_t n)
{
	if (s == NULL || n > INT32_MAX) {
		/* NULL; a field over 2 GB cannot exist in a world, and would be refused anyway */
		put_be32(b, UINT32_MAX);
		return;
	}
	put_be32(b, (uint32_t)n);
	wbuf_put(b, s, n);
}

static void copy_int4(struct jobs_copy *c, long v)
{
	put_be32(&c->b, 4);
	put_be32(&c->b, (uint32_t)v);
	c->fields++;
}

void jobs_copy_str(struct jobs_copy *c, const char *s)
{
	jobs_copy_field(&c->b, s, s ? strlen(s) : 0);
	c->fields++;
}

void jobs_copy_json(struct jobs_copy *c, struct wbuf *json)
{
	jobs_copy_field(&c->b, json->p ? json->p : "", json->len);
	c->fields++;
}

/* Starts a row: its field count (filled in by jobs_copy_row_end), manifest_id, pos (and
 * type_pos when >= 0). */
void jobs_copy_row(struct jobs_copy *c, size_t pos, long type_pos)
{
	c->row_at = c->b.len;
	c->fields = 0;
	wbuf_put(&c->b, "\0\0", 2);
	put_be32(&c->b, 16);
	wbuf_put(&c->b, (const char *)c->uuid, 16);
	c->fields++;
	copy_int4(c, (long)pos);
	if (type_pos >= 0)
		copy_int4(c, type_pos);
}

/* The manifest id as the 16 bytes of its binary form; WS_EINVAL if it is not a UUID. */
static int parse_uuid(const char *s, unsigned char out[16])
{
	size_t i, k = 0;

	for (i = 0; s[i] != '\0' && k < 32; i++) {
		int v;

		if (s[i] == '-')
			continue;
		if (s[i] >= '0' && s[i] <= '9')
			v = s[i] - '0';
		else if (s[i] >= 'a' && s[i] <= 'f')
			v = s[i] - 'a' + 10;
		else if (s[i] >= 'A' && s[i] <= 'F')
			v = s[i] - 'A' + 10;
		else
			return WS_EINVAL;
		out[k / 2] = (unsigned char)(k % 2 ? out[k / 2] | v : v << 4);
		k++;
	}
	return k == 32 && s[i] == '\0' ? WS_OK : WS_EINVAL;
}

static int copy_start(struct jobs_copy *c, const char *sql)
{
	PGresult *r = PQexec(c->db->pg, sql);
	int ok = PQresultStatus(r) == PGRES_COPY_IN;

	if (ok)
		wbuf_put(&c->b, copy_header, sizeof(copy_header));
	else
		snprintf(c->db->err, sizeof(c->db->err), "database: %s", PQresultErrorMessage(r));
	PQclear(r);
	return ok ? WS_OK : WS_EDB;
}

void jobs_copy_row_end(struct jobs_copy *c)
{
	if (!c->b.err) {
		c->b.p[c->row_at] = (char)(c->fields >> 8);
		c->b.p[c->row_at + 1] = (char)c->fields;
	}
	if (c->b.len >= JOBS_COPY_FLUSH_AT && !c->failed) {
		if (c->b.err || PQputCopyData(c->db->pg, c->b.p, (int)c->b.len) != 1)
			c->failed = 1;
		wbuf_reset(&c->b);
		/* The watcher has interrupted the statement: no use making more rows. */
		if (c->stop != NULL && atomic_load(c->stop))
			c->failed = 1;
	}
}

int jobs_copy_begin(struct jobs_copy *c, struct db *db, const char *mid, const char *sql)
{
	c->db = db;
	c->mid = mid;
	c->failed = 0;
	wbuf_reset(&c->b);
	if (db->pg == NULL) {
		snprintf(db->err, sizeof(db->err), "database: not connected");
		return WS_EDB;
	}
	if (parse_uuid(mid, c->uuid) != WS_OK) {
		snprintf(db->err, sizeof(db->err), "COPY: manifest id %.40s is not a UUID", mid);
		return WS_EINVAL;
	}
	return copy_start(c, sql);
}

int jobs_copy_end(struct jobs_copy *c)
{
	PGconn *pg = c->db->pg;
	PGresult *r;
	int rc = WS_OK;

	wbuf_put(&c->b, "\377\377", 2); /* the trailer: a field count of -1 */
	if (!c->failed && (c->b.err || PQputCopyData(pg, c->b.p, (int)c->b.len) != 1))
		c->failed = 1;
	wbuf_reset(&c->b);
	if (PQputCopyEnd(pg, c->failed ? "row buffer failed" : NULL) != 1)
		c->failed = 1;
	while ((r = PQgetResult(pg)) != NULL) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK && rc == WS_OK) {
			const char *st = PQresultErrorField(r, PG_DIAG_SQLSTATE);

			snprintf(c->db->err, sizeof(c->db->err), "database: %s",
			    PQresultErrorMessage(r));
			snprintf(c->db->state, sizeof(c->db->state), "%s", st != NULL ? st : "");
			rc = WS_EDB;
		}
		PQclear(r);
	}
	if (c->failed && rc == WS_OK) {
		snprintf(c->db->err, sizeof(c->db->err), "database: COPY failed: %s",
		    PQerrorMessage(pg));
		rc = WS_EDB;
	}
	return rc;
}
