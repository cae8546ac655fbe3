/*
 * dbinstall.c - check and install a downloaded MaxMind DB; see dbinstall.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "dbinstall.h"
#include "gunzip.h"
#include "source.h"
#include "util.h"

/* The temporary file: hidden and not ending in .mmdb, so discovery never
 * opens a half-written one. */
static char *tmp_path(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return xasprintf(".%s.part", path);
	return xasprintf("%.*s/.%s.part", (int)(slash - path), path, slash + 1);
}

/* Open the file through the source engine and look a few addresses up:
 * what lookup and check will do with it. */
static int verify(const char *tmp, const char *want_type,
                  struct dbinstall_info *info, char *err, size_t errlen)
{
	static const char *const probes[] = {
		"1.1.1.1", "8.8.8.8", "81.2.69.142", "2001:4860:4860::8888"
	};
	struct source_set *set = sources_new();
	struct source_info si;
	struct source *s;
	size_t i;
	int rc = -1;

	if (sources_add_file(set, tmp, 1) != 0) {
		errbuf_set(err, errlen, "not a usable MaxMind DB (libmaxminddb cannot "
		           "open it, its search tree is corrupt, or it holds no "
		           "country or ASN data)");
		goto out;
	}
	s = sources_at_mut(set, 0);
	source_info(s, &si);
	if (want_type != NULL &&
	    strncasecmp(si.type, want_type, strlen(want_type)) != 0) {
		errbuf_set(err, errlen, "database type is '%.60s', expected %s...",
		           si.type, want_type);
		goto out;
	}
	for (i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		struct ga_addr a;
		struct src_hit hit;

		if (addr_parse(probes[i], strlen(probes[i]), &a, NULL) != 0)
			continue;
		if (source_lookup(s, &a, &hit) < 0) {
			errbuf_set(err, errlen, "looking up %s fails: the data section "
			           "is corrupt", probes[i]);
			goto out;
		}
	}
	info->networks = source_count_networks(s);
	if (info->networks == 0) {
		errbuf_set(err, errlen, "the database holds no networks");
		goto out;
	}
	snprintf(info->type, sizeof(info->type), "%s", si.type);
	{
		time_t t = (time_t)si.build_epoch;
		struct tm tm;

		if (gmtime_r(&t, &tm) == NULL ||
		    strftime(info->date, sizeof(info->date), "%Y-%m-%d", &tm) != 10)
			snprintf(info->date, sizeof(info->date), "unknown");
	}
	rc = 0;
out:
	sources_free(set);
	return rc;
}

int dbinstall(const char *data, size_t len, size_t max_out, const char *path,
              const char *want_type, struct dbinstall_info *info, char *err,
              size_t errlen)
{
	char *plain = NULL, *tmp;
	const char *body = data;
	size_t blen = len;
	int rc = -1;

	memset(info, 0, sizeof(*info));
	if (gunzip_is_gzip(data, len)) {
		char why[200];

		if (gunzip_buffer(data, len, max_out, &plain, &blen, why,
		                  sizeof(why)) != GUNZIP_OK) {
			errbuf_set(err, errlen, "%s", why);
			return -1;
		}
		body = plain;
		info->was_gzip = 1;
	}
	tmp = tmp_path(path);
	if (file_write_all(tmp, body, blen, 0644) != 0) {
		errbuf_set(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
		goto fail;
	}
	if (verify(tmp, want_type, info, err, errlen) != 0)
		goto fail;
	if (rename(tmp, path) != 0) {
		errbuf_set(err, errlen, "cannot rename %s to %s: %s", tmp, path,
		           strerror(errno));
		goto fail;
	}
	info->bytes = blen;
	rc = 0;
	goto out;
fail:
	unlink(tmp);
out:
	free(tmp);
	free(plain);
	return rc;
}
