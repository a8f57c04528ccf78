/* The config parser: any bytes as a worlds.conf, over the built-in defaults. */
#include <string.h>

#include "conf/conf.h"
#include "fuzz.h"
#include "util/util.h"

const char fuzz_target_name[] = "conf";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf c;
	char err[512];
	int rc;

	conf_defaults(&c);
	memset(err, 'x', sizeof(err));
	rc = conf_parse_text(&c, "fuzz.conf", (const char *)data, size, err, sizeof(err));
	FUZZ_CHECK(rc == WS_OK || rc == WS_EINVAL || rc == WS_ENOMEM);
	if (rc != WS_OK)
		FUZZ_CHECK(memchr(err, '\0', sizeof(err)) != NULL && err[0] != '\0');
	/* Whatever was accepted is a string the rest of the program may print. */
	FUZZ_CHECK(memchr(c.database_url, '\0', sizeof(c.database_url)) != NULL);
	FUZZ_CHECK(memchr(c.socket, '\0', sizeof(c.socket)) != NULL);
	FUZZ_CHECK(memchr(c.keys_dir, '\0', sizeof(c.keys_dir)) != NULL);
	FUZZ_CHECK(memchr(c.token_issuer, '\0', sizeof(c.token_issuer)) != NULL);
	FUZZ_CHECK(memchr(c.token_audience, '\0', sizeof(c.token_audience)) != NULL);
	FUZZ_CHECK(memchr(c.generator, '\0', sizeof(c.generator)) != NULL);
	/* Integers stay within the key table's bounds whatever the file said. */
	FUZZ_CHECK(c.workers >= 1 && c.workers <= 256);
	FUZZ_CHECK(c.max_generators >= 1 && c.max_generators <= 1024);
	return 0;
}
