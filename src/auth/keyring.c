/*
 * The key ring: the public keys a verifier trusts, read from keys_dir and reread on
 * SIGHUP. Rotation is "add NAME.public, reload; later remove the old one, reload".
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth/auth.h"

#define KEYFILE_MAX 4096
static const char keyfile_suffix[] = ".public";

void auth_keyring_init(struct auth_keyring *kr)
{
	memset(kr, 0, sizeof(*kr));
}

void auth_keyring_free(struct auth_keyring *kr)
{
	free(kr->keys);
	memset(kr, 0, sizeof(*kr));
}

const struct auth_key *auth_keyring_find(const struct auth_keyring *kr, const char *kid)
{
	size_t i;

	for (i = 0; i < kr->n; i++)
		if (strcmp(kr->keys[i].kid, kid) == 0)
			return &kr->keys[i];
	return NULL;
}

int auth_keyring_add(struct auth_keyring *kr, const char *paserk, size_t n, const char *source,
    char *err, size_t errlen)
{
	struct auth_key k;
	struct auth_key *grown;

	memset(&k, 0, sizeof(k));
	if (n >= 10 && memcmp(paserk, "k4.secret.", 10) == 0) {
		/* Say so plainly: a secret key where a public one belongs is a leak to fix. */
		snprintf(err, errlen, "%s: holds a secret key, not a k4.public key", source);
		return WS_EINVAL;
	}
	if (auth_paserk_public_decode(paserk, n, k.pk) != WS_OK) {
		snprintf(err, errlen, "%s: not a valid k4.public key", source);
		return WS_EINVAL;
	}
	if (auth_paserk_pid(k.pk, sizeof(k.pk), k.kid) != WS_OK) {
		snprintf(err, errlen, "%s: cannot compute the key id", source);
		return WS_ERR;
	}
	snprintf(k.source, sizeof(k.source), "%s", source);
	if (auth_keyring_find(kr, k.kid) != NULL)
		return WS_OK;
	if (kr->n == kr->cap) {
		size_t cap = kr->cap ? kr->cap * 2 : 8;

		grown = realloc(kr->keys, cap * sizeof(*grown));
		if (grown == NULL) {
			snprintf(err, errlen, "out of memory");
			return WS_ENOMEM;
		}
		kr->keys = grown;
		kr->cap = cap;
	}
	kr->keys[kr->n++] = k;
	return WS_OK;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int load_file(struct auth_keyring *kr, const char *dir, const char *name, char *err,
    size_t errlen)
{
	char path[4096], buf[KEYFILE_MAX];
	size_t n = 0, a = 0;
	ssize_t got;
	struct stat st;
	int fd, rc = WS_EIO;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path)) {
		snprintf(err, errlen, "%s/%s: path too long", dir, name);
		return WS_EINVAL;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return WS_EIO;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		goto out;
	}
	while (n < sizeof(buf) && (got = read(fd, buf + n, sizeof(buf) - n)) > 0)
		n += (size_t)got;
	if (n == sizeof(buf)) {
		snprintf(err, errlen, "%s: too long for one k4.public key", path);
		rc = WS_EINVAL;
		goto out;
	}
	while (n > 0 && is_space(buf[n - 1]))
		n--;
	while (a < n && is_space(buf[a]))
		a++;
	rc = auth_keyring_add(kr, buf + a, n - a, path, err, errlen);
out:
	close(fd);
	return rc;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int wanted(const char *name)
{
	size_t n = strlen(name), s = sizeof(keyfile_suffix) - 1;

	return name[0] != '.' && n > s && strcmp(name + n - s, keyfile_suffix) == 0;
}

int auth_keyring_load_dir(struct auth_keyring *kr, const char *dir, char *err, size_t errlen)
{
	struct auth_keyring fresh;
	DIR *d = NULL;
	struct dirent *e;
	char **names = NULL, **grown;
	size_t n = 0, cap = 0, i;
	int rc = WS_OK;

	auth_keyring_init(&fresh);
	d = opendir(dir);
	if (d == NULL) {
		snprintf(err, errlen, "keys_dir %s: %s", dir, strerror(errno));
		rc = WS_EIO;
		goto out;
	}
	while ((e = readdir(d)) != NULL) {
		if (!wanted(e->d_name))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			grown = realloc(names, cap * sizeof(*names));
			if (grown == NULL) {
				rc = WS_ENOMEM;
				goto out;
			}
			names = grown;
		}
		names[n] = strdup(e->d_name);
		if (names[n] == NULL) {
			rc = WS_ENOMEM;
			goto out;
		}
		n++;
	}
	/* Sorted, so that messages and key order do not depend on the file system. */
	if (n > 0)
		qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n && rc == WS_OK; i++)
		rc = load_file(&fresh, dir, names[i], err, errlen);
	if (rc != WS_OK)
		goto out;
	if (fresh.n == 0) {
		snprintf(err, errlen, "keys_dir %s: no *%s key file", dir, keyfile_suffix);
		rc = WS_ENOTFOUND;
		goto out;
	}
	auth_keyring_free(kr);
	*kr = fresh;
	auth_keyring_init(&fresh);
out:
	if (rc == WS_ENOMEM)
		snprintf(err, errlen, "out of memory");
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (d != NULL)
		closedir(d);
	auth_keyring_free(&fresh);
	return rc;
}
