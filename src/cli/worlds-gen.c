/*
 * worlds-gen: the generator. Modes:
 *   worlds-gen [FLAGS]            one manifest document, offline (this file)
 *   worlds-gen --job ID           run one queued job (src/jobs: jobs_run)
 *   worlds-gen trajectories ...   attack-path sampling (not built yet)
 * A mode is a row of `modes` (selected by its first word) or an option of the default
 * mode, so adding one touches one table and one function.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "conf/conf.h"
#include "gen/gen.h"
#include "jobs/jobs.h"
#include "util/util.h"

static void usage(FILE *out)
{
	fprintf(out,
	    "usage: worlds-gen [--preset NAME] [--users N] [--hosts N] [--domain FQDN]...\n"
	    "                  [--seed N] [-o FILE] [--pretty] [--config FILE]\n"
	    "       worlds-gen --job ID [--config FILE]\n"
	    "       worlds-gen --help | --version\n\n"
	    "Writes one synthetic Active Directory world (a manifest document) as canonical\n"
	    "JSON. The same flags and seed always give the same bytes.\n\n"
	    "  --preset NAME   small, medium, large or enterprise (default: small, or inferred\n"
	    "                  from --users/--hosts)\n"
	    "  --users N       people (1-50000); overrides the preset\n"
	    "  --hosts N       hosts, domain controllers included (1-10000)\n"
	    "  --domain FQDN   a domain (repeat for up to 16); the first is the forest root\n"
	    "  --seed N        signed 64-bit seed (default: drawn and recorded)\n"
	    "  -o, --output FILE  write there instead of standard output\n"
	    "  --pretty        indent (not canonical: the sha256 differs)\n"
	    "  --config FILE   configuration file (used by --job)\n"
	    "  --job ID        run a queued job from the database\n"
	    "See worlds-gen(1).\n");
}

struct file_sink {
	FILE *f;
};

static int file_write(void *ctx, const char *p, size_t n)
{
	struct file_sink *s = ctx;

	return fwrite(p, 1, n, s->f) == n ? WS_OK : WS_EIO;
}

/* Prints validation errors the way a user typed them: "--hosts: Input should be ...". */
static void print_errors(const struct verrs *e)
{
	size_t i;

	for (i = 0; i < e->n; i++) {
		const char *loc = e->item[i].loc, *f = strstr(loc, "\",\"");
		char field[64] = "", *q;
		const char *idx;

		if (f != NULL) {
			snprintf(field, sizeof(field), "%s", f + 3);
			if ((q = strchr(field, '"')) != NULL)
				*q = '\0';
		}
		idx = strrchr(loc, ',');
		if (f != NULL && idx != NULL && idx[1] >= '0' && idx[1] <= '9')
			fprintf(stderr, "worlds-gen: %s #%ld: %s\n", gen_field_flag(field),
			    strtol(idx + 1, NULL, 10) + 1, e->item[i].msg);
		else
			fprintf(stderr, "worlds-gen: %s: %s\n", field[0] ? gen_field_flag(field) : "flags",
			    e->item[i].msg);
	}
	if (e->dropped)
		fprintf(stderr, "worlds-gen: ... and %zu more\n", e->dropped);
}

/* Integers go in as JSON integers and anything else as a string, so the API's rules decide. */
static struct json_object *flag_value(const char *s)
{
	int64_t v;

	if (parse_i64(s, &v) == WS_OK)
		return json_object_new_int64(v);
	return json_object_new_string(s);
}

/* The job runner lives in src/jobs (claim, progress, cancel, the completion transaction). */
static int run_job(const struct conf *c, const char *job_id)
{
	return jobs_run(c, job_id);
}

static int write_world(const struct gen_params *p, const char *out, int pretty)
{
	struct gen_world *w = NULL;
	struct file_sink sink = { stdout };
	struct wbuf buf;
	struct jw j;
	char tmp[4096];
	int rc, status = 1;

	wbuf_init(&buf);
	if ((rc = gen_world_build(p, &w, NULL, NULL)) != WS_OK) {
		fprintf(stderr, "worlds-gen: generation failed (%d)\n", rc);
		goto out;
	}
	if (out != NULL && strcmp(out, "-") != 0) {
		snprintf(tmp, sizeof(tmp), "%s.tmp", out);
		if ((sink.f = fopen(tmp, "wb")) == NULL) {
			perror(tmp);
			goto out;
		}
	}
	jw_init(&j, &buf, pretty);
	jw_set_sink(&j, file_write, &sink, 1 << 16);
	rc = gen_world_write(w, &j);
	if (rc == WS_OK && pretty)
		rc = file_write(&sink, "\n", 1);
	if (sink.f != stdout) {
		if (fclose(sink.f) != 0 && rc == WS_OK)
			rc = WS_EIO;
		if (rc == WS_OK && rename(tmp, out) != 0)
			rc = WS_EIO;
		if (rc != WS_OK)
			unlink(tmp);
	} else if (fflush(stdout) != 0) {
		rc = WS_EIO;
	}
	if (rc != WS_OK) {
		fprintf(stderr, "worlds-gen: writing %s failed\n", out ? out : "stdout");
		goto out;
	}
	status = 0;
out:
	gen_world_free(w);
	wbuf_free(&buf);
	return status;
}

static int mode_manifest(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "preset", required_argument, NULL, 'p' },
		{ "users", required_argument, NULL, 'u' },
		{ "hosts", required_argument, NULL, 'H' },
		{ "domain", required_argument, NULL, 'd' },
		{ "seed", required_argument, NULL, 's' },
		{ "output", required_argument, NULL, 'o' },
		{ "pretty", no_argument, NULL, 'P' },
		{ "config", required_argument, NULL, 'c' },
		{ "job", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct json_object *body = json_object_new_object(), *domains = NULL;
	const char *out = NULL, *config = NULL, *job = NULL;
	struct gen_params p;
	struct verrs errs;
	struct conf conf;
	char err[2048];
	int ch, pretty = 0, status = 2;

	if (body == NULL)
		return 1;
	opterr = 1;
	while ((ch = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'p': json_object_object_add(body, "preset", json_object_new_string(optarg)); break;
		case 'u': json_object_object_add(body, "num_users", flag_value(optarg)); break;
		case 'H': json_object_object_add(body, "num_hosts", flag_value(optarg)); break;
		case 's': json_object_object_add(body, "seed", flag_value(optarg)); break;
		case 'd':
			if (domains == NULL) {
				domains = json_object_new_array();
				json_object_object_add(body, "domains", domains);
			}
			json_object_array_add(domains, json_object_new_string(optarg));
			break;
		case 'o': out = optarg; break;
		case 'P': pretty = 1; break;
		case 'c': config = optarg; break;
		case 'j': job = optarg; break;
		case 'h':
			usage(stdout);
			status = 0;
			goto out;
		case 'V':
			printf("worlds-gen %s (generator %s)\n", PACKAGE_VERSION, gen_version());
			status = 0;
			goto out;
		default:
			fprintf(stderr, "worlds-gen: see worlds-gen --help\n");
			goto out;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "worlds-gen: unexpected argument '%s' (see worlds-gen --help)\n",
		    argv[optind]);
		goto out;
	}
	if ((config != NULL || job != NULL) && conf_load(&conf, config, err, sizeof(err)) != WS_OK) {
		fprintf(stderr, "worlds-gen: %s\n", err);
		goto out;
	}
	if (job != NULL) {
		status = run_job(&conf, job);
		goto out;
	}
	verrs_init(&errs);
	if (gen_params_from_json(body, &p, &errs) != WS_OK) {
		print_errors(&errs);
		goto out;
	}
	if (gen_params_resolve(&p) != WS_OK) {
		fprintf(stderr, "worlds-gen: the parameters contradict each other\n");
		goto out;
	}
	status = write_world(&p, out, pretty);
out:
	json_object_put(body);
	return status;
}

static int mode_trajectories(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "worlds-gen: trajectories are not available yet\n");
	return 2;
}

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} modes[] = {
	{ "trajectories", mode_trajectories },
};

int main(int argc, char **argv)
{
	size_t i;

	if (argc > 1 && argv[1][0] != '-') {
		for (i = 0; i < W_ARRAY_LEN(modes); i++)
			if (strcmp(argv[1], modes[i].name) == 0)
				return modes[i].run(argc - 1, argv + 1);
		fprintf(stderr, "worlds-gen: unknown mode '%s' (see worlds-gen --help)\n", argv[1]);
		return 2;
	}
	return mode_manifest(argc, argv);
}
