/*
 * Waiting for a job: polls GET /jobs/{id} until the job is terminal. On a terminal, one
 * line redrawn in place (bar, percent, status, elapsed, an ETA once progress moves);
 * otherwise a timestamped line whenever the status or the percent changes. Ctrl-C stops
 * the wait and leaves the job alone unless asked to cancel it.
 */
#include <inttypes.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "client/internal.h"

#define ETA_MAX_MS (100LL * 3600 * 1000)

struct progress {
	FILE *f;
	int show; /* not --quiet */
	int tty;
	int width;
	const char *job_id;
	int64_t start_ms;
	int have0; /* the first sample while running: where the rate is measured from */
	double p0;
	int64_t t0;
	char status[16];
	long pct;
	int drawn;
};

void wait_opts_from(const struct verb_args *a, struct wait_opts *w)
{
	const struct flag_val *poll = verb_flag(a, "--poll-interval-sec");
	const struct flag_val *timeout = verb_flag(a, "--timeout-sec");

	w->poll_sec = poll->set ? poll->secs : 2;
	w->timeout_sec = timeout->set ? timeout->secs : 0;
	w->cancel_on_interrupt = verb_flag(a, "--cancel-on-interrupt")->set;
}

int64_t progress_eta(double p0, int64_t t0_ms, double p, int64_t t_ms)
{
	double rate, eta;

	if (p <= p0 || t_ms <= t0_ms || p >= 1)
		return p >= 1 ? 0 : -1;
	rate = (p - p0) / (double)(t_ms - t0_ms);
	eta = (1 - p) / rate;
	return eta > (double)ETA_MAX_MS ? ETA_MAX_MS : (int64_t)eta;
}

/* m:ss, or h:mm:ss from an hour on. */
static void duration(int64_t ms, char *buf, size_t n)
{
	int64_t s = ms / 1000;

	if (s >= 3600)
		snprintf(buf, n, "%" PRId64 ":%02" PRId64 ":%02" PRId64, s / 3600, s / 60 % 60, s % 60);
	else
		snprintf(buf, n, "%" PRId64 ":%02" PRId64, s / 60, s % 60);
}

void progress_line(char *buf, size_t n, int width, const char *job_id, const char *status,
    double progress, int64_t elapsed_ms, int64_t eta_ms)
{
	char el[32], eta[48] = "", tail[160], bar[64];
	int bw, filled, i;

	if (progress < 0)
		progress = 0;
	if (progress > 1)
		progress = 1;
	duration(elapsed_ms, el, sizeof(el));
	if (eta_ms >= 0) {
		char d[32];

		duration(eta_ms, d, sizeof(d));
		snprintf(eta, sizeof(eta), "  ETA %s", d);
	}
	snprintf(tail, sizeof(tail), " %3.0f%%  %-9s %s%s", progress * 100, status, el, eta);
	/* "job 1234abcd [" + bar + "]" + tail fits the terminal, the bar between 10 and 40. */
	bw = width - 1 - 14 - 1 - (int)strlen(tail);
	bw = bw < 10 ? 10 : bw > 40 ? 40 : bw;
	filled = (int)(progress * bw + 0.5);
	for (i = 0; i < bw; i++)
		bar[i] = i < filled ? '#' : '-';
	bar[bw] = '\0';
	snprintf(buf, n, "job %.8s [%s]%s", job_id, bar, tail);
}

static int term_width(FILE *f)
{
	struct winsize ws;

	if (ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		return ws.ws_col;
	return 80;
}

static void progress_show(struct progress *pg, const char *status, double p, int64_t now)
{
	char line[256], ts[32];
	int64_t eta = -1;
	long pct = (long)(p * 100 + 0.5);

	if (!pg->show)
		goto out;
	if (strcmp(status, "running") == 0) {
		if (!pg->have0) {
			pg->have0 = 1;
			pg->p0 = p;
			pg->t0 = now;
		} else {
			eta = progress_eta(pg->p0, pg->t0, p, now);
		}
	}
	if (pg->tty) {
		progress_line(line, sizeof(line), pg->width, pg->job_id, status, p, now - pg->start_ms,
		    eta);
		fprintf(pg->f, "\r%s\033[K", line);
		pg->drawn = 1;
	} else if (strcmp(status, pg->status) != 0 || pct != pg->pct) {
		time_rfc3339_now(ts);
		duration(now - pg->start_ms, line, sizeof(line));
		fprintf(pg->f, "%.19sZ job %s %s %ld%% (%s)\n", ts, pg->job_id, status, pct, line);
	}
	fflush(pg->f);
out:
	snprintf(pg->status, sizeof(pg->status), "%s", status);
	pg->pct = pct;
}

/* Ends the redrawn line so that what follows starts on its own. */
static void progress_end(struct progress *pg)
{
	if (pg->drawn)
		fputc('\n', pg->f);
	pg->drawn = 0;
}

static int interrupted(struct client *c, const char *job_id, const struct wait_opts *w)
{
	struct net_resp rs;
	struct wbuf path;
	struct json_object *job = NULL;
	struct net_req rq = { "POST", NULL, NULL, NULL, 1, NULL, NULL };
	int rc;

	if (!w->cancel_on_interrupt) {
		fprintf(c->err, "worlds: interrupted: stopped waiting; job %s goes on, not cancelled "
		    "(worlds job-cancel %s stops it)\n", job_id, job_id);
		return CLIENT_EXIT_INTERRUPTED;
	}
	/* The cancel must not be aborted by the very Ctrl-C that asked for it; a second
	 * Ctrl-C ends the program (main's handler runs once). */
	*c->interrupted = 0;
	wbuf_init(&path);
	net_resp_init(&rs);
	verb_path(c, &path, "/jobs/%s/cancel", job_id);
	rq.path = wbuf_cstr(&path);
	fprintf(c->err, "worlds: interrupted: cancelling job %s\n", job_id);
	rc = client_call(c, &rq, &rs, &job);
	if (rc == CLIENT_EXIT_OK) {
		const char *st = out_str(job, "status") ? out_str(job, "status") : "?";

		fprintf(c->err, "worlds: job %s is %s%s\n", job_id, st,
		    strcmp(st, "running") == 0 ? " (cancel requested: it stops within a second)" : "");
	}
	json_object_put(job);
	net_resp_free(&rs);
	wbuf_free(&path);
	return rc == CLIENT_EXIT_OK ? CLIENT_EXIT_INTERRUPTED : rc;
}

/* The end of a wait: the job printed, and its exit status. */
static int finished(struct client *c, struct json_object *job, const struct net_resp *rs)
{
	const char *status = out_str(job, "status"), *id = out_str(job, "id");

	if (c->json)
		out_raw_json(c->out, &rs->body);
	else if (c->quiet && out_str(job, "resource_id") != NULL)
		fprintf(c->out, "%s\n", out_str(job, "resource_id"));
	else if (!c->quiet)
		out_summary(c->out, job, out_job_summary, out_njob_summary);
	if (strcmp(status, "completed") == 0)
		return CLIENT_EXIT_OK;
	if (strcmp(status, "failed") == 0) {
		fprintf(c->err, "worlds: job %s failed: %s\n", id,
		    out_str(job, "error") ? out_str(job, "error") : "(no message)");
		return CLIENT_EXIT_FAILED;
	}
	fprintf(c->err, "worlds: job %s was cancelled\n", id);
	return CLIENT_EXIT_CANCELLED;
}

static int terminal(const char *status)
{
	return strcmp(status, "completed") == 0 || strcmp(status, "failed") == 0 ||
	    strcmp(status, "cancelled") == 0;
}

int wait_job(struct client *c, const char *job_id, const struct wait_opts *w)
{
	struct progress pg;
	struct net_resp rs;
	struct wbuf path;
	struct json_object *job = NULL;
	struct net_req rq = { "GET", NULL, NULL, NULL, 1, NULL, NULL };
	int64_t now, left;
	int rc;

	memset(&pg, 0, sizeof(pg));
	pg.f = c->err;
	pg.show = !c->quiet;
	pg.tty = c->err_tty && !c->quiet;
	pg.width = pg.tty ? term_width(c->err) : 80;
	pg.job_id = job_id;
	pg.start_ms = time_mono_ms();
	pg.pct = -1;
	wbuf_init(&path);
	net_resp_init(&rs);
	verb_path(c, &path, "/jobs/%s", job_id);
	rq.path = wbuf_cstr(&path);
	for (;;) {
		rc = client_call(c, &rq, &rs, &job);
		if (rc != CLIENT_EXIT_OK)
			break;
		if (out_str(job, "status") == NULL) {
			fprintf(c->err, "worlds: the job has no status: %.200s\n", wbuf_cstr(&rs.body));
			rc = CLIENT_EXIT_SERVER;
			break;
		}
		now = time_mono_ms();
		progress_show(&pg, out_str(job, "status"),
		    json_object_get_double(out_at(job, "progress")), now);
		if (terminal(out_str(job, "status"))) {
			progress_end(&pg);
			rc = finished(c, job, &rs);
			goto out;
		}
		json_object_put(job);
		job = NULL;
		left = (int64_t)(w->poll_sec * 1000);
		if (w->timeout_sec > 0) {
			int64_t until = pg.start_ms + (int64_t)(w->timeout_sec * 1000) - now;

			if (until <= 0) {
				progress_end(&pg);
				fprintf(c->err, "worlds: timed out after %g s; job %s is %s and goes on\n",
				    w->timeout_sec, job_id, pg.status[0] ? pg.status : "unknown");
				rc = CLIENT_EXIT_TIMEOUT;
				goto out;
			}
			left = left < until ? left : until;
		}
		if (!client_nap(c, left)) {
			rc = CLIENT_EXIT_INTERRUPTED;
			break;
		}
	}
	progress_end(&pg);
	if (rc == CLIENT_EXIT_INTERRUPTED)
		rc = interrupted(c, job_id, w);
out:
	json_object_put(job);
	net_resp_free(&rs);
	wbuf_free(&path);
	return rc;
}
