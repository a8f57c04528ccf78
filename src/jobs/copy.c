/* COPY ... FROM STDIN in text format: escaping, and rows handed to libpq in large pieces. */
#include <stdio.h>
#include <string.h>

#include "jobs/internal.h"

#define JOBS_COPY_FLUSH_AT (512 * 1024)

void jobs_copy_field(struct wbuf *b, const char *s, size_t n)
{
	size_t i, run = 0;

	if (s == NULL) {
		wbuf_put(b, "\\N", 2);
		return;
	}
	for (i = 0; i < n; i++) {
		const char *esc = NULL;

		switch (s[i]) {
		case '\\': esc = "\\\\"; break;
		case '\t': esc = "\\t"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		default: continue;
		}
		wbuf_put(b, s + run, i - run);
		wbuf_put(b, esc, 2);
		run = i + 1;
	}
	wbuf_put(b, s + run, n - run);
}

void jobs_copy_str(struct jobs_copy *c, const char *s)
{
	wbuf_putc(&c->b, '\t');
	jobs_copy_field(&c->b, s, s ? strlen(s) : 0);
}

void jobs_copy_json(struct jobs_copy *c, struct wbuf *json)
{
	wbuf_putc(&c->b, '\t');
	jobs_copy_field(&c->b, json->p ? json->p : "", json->len);
}

/* Starts a row: manifest_id, pos (and type_pos when >= 0). */
void jobs_copy_row(struct jobs_copy *c, size_t pos, long type_pos)
{
	wbuf_puts(&c->b, c->mid);
	wbuf_printf(&c->b, "\t%zu", pos);
	if (type_pos >= 0)
		wbuf_printf(&c->b, "\t%ld", type_pos);
}

static int copy_start(struct jobs_copy *c)
{
	PGresult *r = PQexec(c->db, c->sql);
	int ok = PQresultStatus(r) == PGRES_COPY_IN;

	if (!ok)
		snprintf(c->err, c->errlen, "database: %s", PQresultErrorMessage(r));
	PQclear(r);
	return ok ? WS_OK : WS_EDB;
}

/* Between two pieces: ends this statement, asks for a cancel, starts the next one. */
static void copy_check(struct jobs_copy *c)
{
	c->checked_ms = time_mono_ms();
	if (jobs_copy_end(c, c->err, c->errlen) != WS_OK) {
		c->failed = 1;
		return;
	}
	if (c->cancelled(c->ctx)) {
		c->cancel = 1;
		c->failed = 1; /* stops the rows; jobs_copy_end has nothing left to send */
		return;
	}
	if (copy_start(c) != WS_OK)
		c->failed = 1;
	c->checked_ms = time_mono_ms();
}

void jobs_copy_row_end(struct jobs_copy *c)
{
	wbuf_putc(&c->b, '\n');
	if (c->b.len >= JOBS_COPY_FLUSH_AT && !c->failed) {
		if (c->b.err || PQputCopyData(c->db, c->b.p, (int)c->b.len) != 1)
			c->failed = 1;
		wbuf_reset(&c->b);
		if (!c->failed && c->cancelled != NULL &&
		    time_mono_ms() - c->checked_ms >= JOBS_COPY_CHECK_MS)
			copy_check(c);
	}
}

int jobs_copy_begin(struct jobs_copy *c, PGconn *db, const char *mid, const char *sql, char *err,
    size_t errlen)
{
	c->db = db;
	c->mid = mid;
	c->sql = sql;
	c->err = err;
	c->errlen = errlen;
	c->failed = 0;
	c->cancel = 0;
	c->checked_ms = time_mono_ms();
	wbuf_reset(&c->b);
	return copy_start(c);
}

int jobs_copy_end(struct jobs_copy *c, char *err, size_t errlen)
{
	PGresult *r;
	int rc = WS_OK;

	if (c->cancel)
		return WS_OK; /* ended cleanly before the cancel was asked for */

	if (!c->failed && c->b.len > 0 && (c->b.err || PQputCopyData(c->db, c->b.p,
	    (int)c->b.len) != 1))
		c->failed = 1;
	wbuf_reset(&c->b);
	if (PQputCopyEnd(c->db, c->failed ? "row buffer failed" : NULL) != 1)
		c->failed = 1;
	while ((r = PQgetResult(c->db)) != NULL) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			snprintf(err, errlen, "database: %s", PQresultErrorMessage(r));
			rc = WS_EDB;
		}
		PQclear(r);
	}
	if (c->failed && rc == WS_OK) {
		snprintf(err, errlen, "database: COPY failed: %s", PQerrorMessage(c->db));
		rc = WS_EDB;
	}
	return rc;
}

