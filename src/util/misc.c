#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "util/util.h"

void wlogv(const char *fmt, va_list ap)
{
	char line[2048];
	int n;

	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	/* One write so that lines of the master, workers and generators never interleave. */
	if (write(STDERR_FILENO, line, (size_t)n) < 0)
		return;
}

void wlog(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	wlogv(fmt, ap);
	va_end(ap);
}

void time_rfc3339_now(char out[32])
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	/* Years stay four digits for the next 7975 years; the casts tell the compiler so. */
	snprintf(out, 32, "%04u-%02u-%02uT%02u:%02u:%02u.%06uZ",
	    (unsigned)(tm.tm_year + 1900) % 10000u, (unsigned)(tm.tm_mon + 1) % 100u,
	    (unsigned)tm.tm_mday % 100u, (unsigned)tm.tm_hour % 100u, (unsigned)tm.tm_min % 100u,
	    (unsigned)tm.tm_sec % 100u, (unsigned)(ts.tv_nsec / 1000) % 1000000u);
}

int time_pg_to_rfc3339(const char *pg, char out[32])
{
	size_t frac = 0, i;

	/* "YYYY-MM-DD HH:MM:SS" then an optional fraction, then "+00". */
	if (strlen(pg) < 22 || pg[10] != ' ' || pg[4] != '-' || pg[13] != ':')
		return WS_EINVAL;
	memcpy(out, pg, 10);
	out[10] = 'T';
	memcpy(out + 11, pg + 11, 8);
	out[19] = '.';
	pg += 19;
	if (*pg == '.') {
		for (pg++; frac < 6 && *pg >= '0' && *pg <= '9'; frac++, pg++)
			out[20 + frac] = *pg;
	}
	if (strcmp(pg, "+00") != 0)
		return WS_EINVAL;
	for (i = frac; i < 6; i++)
		out[20 + i] = '0';
	out[26] = 'Z';
	out[27] = '\0';
	return WS_OK;
}

int64_t time_mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t time_mono_ms(void)
{
	return time_mono_us() / 1000;
}

void uuid_v4(char out[37])
{
	unsigned char r[16];

	randombytes_buf(r, sizeof(r));
	r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);
	r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
	snprintf(out, 37,
	    "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
	    r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12],
	    r[13], r[14], r[15]);
}

static int is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int uuid_version(const char *s)
{
	size_t i;

	if (strlen(s) != 36)
		return -1;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return -1;
		} else if (!is_hex(s[i])) {
			return -1;
		}
	}
	if (s[14] >= '0' && s[14] <= '9')
		return s[14] - '0';
	return 10 + ((s[14] | 0x20) - 'a');
}

int parse_i64(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (*s == '\0' || (*s != '-' && (*s < '0' || *s > '9')))
		return WS_EINVAL;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return WS_EINVAL;
	*out = (int64_t)v;
	return WS_OK;
}
