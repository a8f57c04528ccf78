/*
 * worlds-gen: the generator. Modes:
 *   worlds-gen [FLAGS]            one manifest document, offline (this file)
 *   worlds-gen --job ID           run one queued job (src/jobs: jobs_run)
 *   worlds-gen trajectories ...   attack-path sampling over a world (src/traj)
 * A mode is a row of `modes` (selected by its first word) or an option of the default
 * mode, so adding one touches one table and one function.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>
#include <sodium.h>

#include "conf/conf.h"
#include "gen/gen.h"
#include "attack/attack.h"
#include "jobs/jobs.h"
#include "traj/traj.h"
#include "util/util.h"

static void usage(FILE *out)
{
	fprintf(out,
	    "usage: worlds-gen [--preset NAME] [--users N] [--hosts N] [--domain FQDN]...\n"
	    "                  [--seed N] [-o FILE] [--pretty] [--config FILE]\n"
	    "       worlds-gen --job ID [--config FILE]\n"
	    "       worlds-gen trajectories --help   (attack-path sampling over a world)\n"
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

/*
 * The flags that describe a world (--preset, --users, --hosts, --seed, --domain), shared
 * by both modes: each goes into body as the API's request field, validated later by the
 * same rules as POST /manifests.
 */
static void world_flag(int ch, const char *arg, struct json_object *body,
    struct json_object **domains)
{
	switch (ch) {
	case 'p': json_object_object_add(body, "preset", json_object_new_string(arg)); break;
	case 'u': json_object_object_add(body, "num_users", flag_value(arg)); break;
	case 'H': json_object_object_add(body, "num_hosts", flag_value(arg)); break;
	case 's': json_object_object_add(body, "seed", flag_value(arg)); break;
	case 'd':
		if (*domains == NULL) {
			*domains = json_object_new_array();
			json_object_object_add(body, "domains", *domains);
		}
		json_object_array_add(*domains, json_object_new_string(arg));
		break;
	}
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
		case 'p': case 'u': case 'H': case 's': case 'd':
			world_flag(ch, optarg, body, &domains);
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

struct traj_emit {
	const struct traj_graph *g;
	const struct traj_params *p;
	struct jw *j;
};

static int emit_trajectory(void *ctx, const struct traj_result *r)
{
	struct traj_emit *e = ctx;

	traj_result_write(e->g, e->p, r, e->j);
	return 0;
}

/* Samples over the world the flags describe (rebuilt: same flags + seed = same world). */
static int sample_world(const struct gen_params *gp, const struct traj_params *tp, const char *out)
{
	struct gen_world *w = NULL;
	struct traj_graph *g = NULL;
	struct file_sink sink = { stdout };
	struct traj_emit e;
	struct wbuf buf;
	struct jw j;
	char err[256];
	int rc, tried = 0, kept = 0, status = 1;

	wbuf_init(&buf);
	if ((rc = gen_world_build(gp, &w, NULL, NULL)) != WS_OK) {
		fprintf(stderr, "worlds-gen: generation failed (%d)\n", rc);
		goto out;
	}
	if (traj_graph_build(w, tp, &g, err, sizeof(err)) != WS_OK) {
		fprintf(stderr, "worlds-gen: %s\n", err);
		goto out;
	}
	if (out != NULL && strcmp(out, "-") != 0 && (sink.f = fopen(out, "wb")) == NULL) {
		perror(out);
		goto out;
	}
	jw_init(&j, &buf, 0);
	jw_set_sink(&j, file_write, &sink, 1 << 16);
	jw_obj_begin(&j);
	jw_kint(&j, "seed", gp->seed);
	jw_kstr(&j, "preset", gp->preset);
	jw_kstr(&j, "generator_version", gen_version());
	jw_kstr(&j, "foothold", traj_graph_foothold(g));
	jw_key(&j, "trajectories");
	jw_arr_begin(&j);
	e.g = g;
	e.p = tp;
	e.j = &j;
	rc = traj_batch(g, tp, emit_trajectory, &e, &tried, &kept);
	jw_arr_end(&j);
	jw_kint(&j, "tried", tried);
	jw_kint(&j, "kept", kept);
	jw_obj_end(&j);
	if (rc == WS_OK)
		rc = jw_finish(&j);
	if (rc == WS_OK)
		rc = file_write(&sink, "\n", 1);
	if (sink.f != stdout && fclose(sink.f) != 0 && rc == WS_OK)
		rc = WS_EIO;
	if (rc != WS_OK) {
		fprintf(stderr, "worlds-gen: sampling failed (%d)\n", rc);
		goto out;
	}
	status = 0;
out:
	traj_graph_free(g);
	gen_world_free(w);
	wbuf_free(&buf);
	return status;
}

static void print_violation(void *ctx, int i, int step, const char *msg)
{
	int *n = ctx;

	(*n)++;
	if (step < 0)
		printf("trajectory %d: %s\n", i, msg);
	else
		printf("trajectory %d step %d: %s\n", i, step, msg);
}

/* --check FILE: replays the file's trajectories against the world; exit 1 on a violation. */
static int check_file(const struct gen_params *gp, const struct traj_params *tp, const char *path)
{
	struct json_object *doc = json_object_from_file(path);
	struct gen_world *w = NULL;
	size_t ntraj = 0, nsteps = 0;
	int bad = 0, status = 1;

	if (doc == NULL) {
		fprintf(stderr, "worlds-gen: %s: not readable as JSON\n", path);
		goto out;
	}
	if (gen_world_build(gp, &w, NULL, NULL) != WS_OK) {
		fprintf(stderr, "worlds-gen: generation failed\n");
		goto out;
	}
	traj_check_document(w, tp, doc, print_violation, &bad, &ntraj, &nsteps);
	printf("%zu trajectories, %zu steps replayed: %d violations\n", ntraj, nsteps, bad);
	status = bad > 0 || ntraj == 0;
out:
	json_object_put(doc);
	gen_world_free(w);
	return status;
}

/* sha256 of everything written through a jw sink. */
static int sha_write(void *ctx, const char *p, size_t n)
{
	crypto_hash_sha256_update(ctx, (const unsigned char *)p, n);
	return WS_OK;
}

/*
 * --manifest FILE: the world parameters recorded in the document, checked by rebuilding
 * the world and comparing the canonical bytes, so the sampler never walks a world other
 * than the file's (another generator version, or an edited document, is refused).
 */
static int params_from_document(const char *path, struct gen_params *p)
{
	unsigned char want[crypto_hash_sha256_BYTES], got[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_state st;
	struct json_object *params = NULL;
	struct json_tokener *tok = NULL;
	struct gen_world *w = NULL;
	struct verrs errs;
	struct wbuf buf;
	struct jw j;
	FILE *f = fopen(path, "rb");
	char chunk[65536], *at;
	size_t n;
	int rc = WS_EINVAL;

	wbuf_init(&buf);
	verrs_init(&errs);
	if (f == NULL || sodium_init() < 0) {
		perror(path);
		goto out;
	}
	crypto_hash_sha256_init(&st);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		crypto_hash_sha256_update(&st, (unsigned char *)chunk, n);
		if (buf.len < 8192)
			wbuf_put(&buf, chunk, n < 8192 ? n : 8192);
	}
	crypto_hash_sha256_final(&st, want);
	at = strstr(wbuf_cstr(&buf), "\"parameters\":");
	if (at == NULL || (tok = json_tokener_new()) == NULL ||
	    (params = json_tokener_parse_ex(tok, at + 13, (int)strlen(at + 13))) == NULL ||
	    gen_params_from_json(params, p, &errs) != WS_OK || gen_params_resolve(p) != WS_OK) {
		fprintf(stderr, "worlds-gen: %s: no usable \"parameters\" in the document\n", path);
		goto out;
	}
	if (gen_world_build(p, &w, NULL, NULL) != WS_OK)
		goto out;
	crypto_hash_sha256_init(&st);
	wbuf_reset(&buf);
	jw_init(&j, &buf, 0);
	jw_set_sink(&j, sha_write, &st, 1 << 16);
	if (gen_world_write(w, &j) != WS_OK || jw_finish(&j) != WS_OK)
		goto out;
	crypto_hash_sha256_final(&st, got);
	if (memcmp(want, got, sizeof(want)) != 0) {
		fprintf(stderr, "worlds-gen: %s: not a document generator %s rebuilds byte for byte "
		    "(another generator version, or edited)\n", path, gen_version());
		goto out;
	}
	rc = WS_OK;
out:
	if (f != NULL)
		fclose(f);
	if (tok != NULL)
		json_tokener_free(tok);
	json_object_put(params);
	gen_world_free(w);
	wbuf_free(&buf);
	return rc;
}

/* The API's words for the same rules (src/traj/params.c), so a message reads the same. */
static int int_flag(const char *flag, const char *s, int64_t lo, int64_t hi, int64_t *v)
{
	if (parse_i64(s, v) != WS_OK)
		fprintf(stderr, "worlds-gen: %s: Input should be a valid integer\n", flag);
	else if (*v < lo)
		fprintf(stderr, "worlds-gen: %s: Input should be greater than or equal to %lld\n",
		    flag, (long long)lo);
	else if (*v > hi)
		fprintf(stderr, "worlds-gen: %s: Input should be less than or equal to %lld\n",
		    flag, (long long)hi);
	else
		return WS_OK;
	return WS_EINVAL;
}

static int mode_trajectories(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "preset", required_argument, NULL, 'p' },
		{ "users", required_argument, NULL, 'u' },
		{ "hosts", required_argument, NULL, 'H' },
		{ "domain", required_argument, NULL, 'd' },
		{ "seed", required_argument, NULL, 's' },
		{ "goal", required_argument, NULL, 'g' },
		{ "count", required_argument, NULL, 'n' },
		{ "strategy", required_argument, NULL, 'S' },
		{ "max-steps", required_argument, NULL, 'm' },
		{ "traj-seed", required_argument, NULL, 't' },
		{ "threads", required_argument, NULL, 'T' },
		{ "mode", required_argument, NULL, 'M' },
		{ "only-successful", no_argument, NULL, 'O' },
		{ "manifest", required_argument, NULL, 'F' },
		{ "check", required_argument, NULL, 'C' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct json_object *body = json_object_new_object(), *domains = NULL;
	const char *out = NULL, *manifest = NULL, *check = NULL;
	struct traj_params tp;
	struct gen_params p;
	struct verrs errs;
	int64_t v;
	int ch, status = 2;

	if (body == NULL)
		return 1;
	traj_params_defaults(&tp);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'p': case 'u': case 'H': case 's': case 'd':
			world_flag(ch, optarg, body, &domains);
			break;
		case 'g':
			if (optarg[0] == '\0' || strlen(optarg) >= sizeof(tp.goal)) {
				fprintf(stderr, "worlds-gen: --goal: 1 to %zu characters\n", sizeof(tp.goal) - 1);
				goto out;
			}
			snprintf(tp.goal, sizeof(tp.goal), "%s", optarg);
			break;
		case 'n':
			if (int_flag("--count", optarg, 1, TRAJ_MAX_COUNT, &v) != WS_OK)
				goto out;
			tp.count = (int)v;
			break;
		case 'm':
			if (int_flag("--max-steps", optarg, 1, TRAJ_MAX_STEPS, &v) != WS_OK)
				goto out;
			tp.max_steps = (int)v;
			break;
		case 'T':
			if (int_flag("--threads", optarg, 1, TRAJ_MAX_THREADS, &v) != WS_OK)
				goto out;
			tp.threads = (int)v;
			break;
		case 't':
			if (int_flag("--traj-seed", optarg, INT64_MIN, INT64_MAX, &v) != WS_OK)
				goto out;
			tp.seed = v;
			break;
		case 'S':
			if ((tp.strategy = traj_strategy_find(optarg)) < 0) {
				fprintf(stderr, "worlds-gen: --strategy: Input should be 'random', 'greedy', "
				    "'recon-first' or 'smart-random'\n");
				goto out;
			}
			break;
		case 'M':
			if ((tp.mode = attack_mode_find(optarg)) < 0) {
				fprintf(stderr, "worlds-gen: --mode: Input should be 'kali' or 'c2'%s\n",
				    strcmp(optarg, "agent") == 0 ? " (no agent runtime exists here)" : "");
				goto out;
			}
			break;
		case 'O': tp.only_successful = 1; break;
		case 'F': manifest = optarg; break;
		case 'C': check = optarg; break;
		case 'o': out = optarg; break;
		case 'h':
			printf("usage: worlds-gen trajectories [--preset NAME] [--users N] [--hosts N]\n"
			    "         [--domain FQDN]... [--seed N] | --manifest FILE\n"
			    "         [--goal GROUP|ID] [--count 1-100]\n"
			    "         [--strategy random|greedy|recon-first|smart-random]\n"
			    "         [--max-steps 1-1000] [--traj-seed N] [--mode kali|c2]\n"
			    "         [--only-successful] [--threads 1-16] [-o FILE] [--check FILE]\n\n"
			    "Samples attack trajectories over the world the first flags describe (the\n"
			    "same world worlds-gen prints for them), or over a manifest document (its\n"
			    "recorded parameters, checked by rebuilding it byte for byte), and prints\n"
			    "them as JSON.\n"
			    "--check FILE replays trajectories instead (this mode's output, a stored\n"
			    "record, or an array of records) against that world: every step's\n"
			    "precondition must hold in the state before it; exit 1 on any violation.\n"
			    "Defaults: goal \"Domain Admins\", count 1, random, 100 steps, traj-seed 42, kali.\n");
			status = 0;
			goto out;
		default:
			fprintf(stderr, "worlds-gen: see worlds-gen trajectories --help\n");
			goto out;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "worlds-gen: unexpected argument '%s'\n", argv[optind]);
		goto out;
	}
	if (manifest != NULL) {
		if (json_object_object_length(body) > 0) {
			fprintf(stderr, "worlds-gen: --manifest takes the world from the document: "
			    "no --preset/--users/--hosts/--domain/--seed with it\n");
			goto out;
		}
		if (params_from_document(manifest, &p) != WS_OK) {
			status = 1;
			goto out;
		}
		status = check != NULL ? check_file(&p, &tp, check) : sample_world(&p, &tp, out);
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
	status = check != NULL ? check_file(&p, &tp, check) : sample_world(&p, &tp, out);
out:
	json_object_put(body);
	return status;
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
