/*
 * rdap.c - RDAP lookups: IANA bootstrap, the registry's answer, and the
 * on-disk cache.  The parsers are in rdap_parse.c.  See rdap.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fetch.h"
#include "rdap.h"
#include "util.h"

/* The IANA files are a few kB and an answer with many entities some tens
 * of kB; anything far larger is not what we asked for. */
#define RDAP_BOOTSTRAP_MAX (1u << 20)
#define RDAP_ANSWER_MAX (2u << 20)



static long max_age_secs(const struct rdap_opts *o)
{
	long days = o->max_age_days > 0 ? o->max_age_days : RDAP_DEFAULT_MAX_AGE_DAYS;

	/* Beyond a century "never expire" is meant; keep the product small. */
	if (days > 36500)
		days = 36500;
	return days * 86400L;
}

/* Write data to path through a temporary file and rename(), so that a
 * reader (another geoattr) never sees half a file. */
static int write_atomic(const char *path, const char *data, size_t len)
{
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	int rc = file_write_all(tmp, data, len, 0600);

	if (rc == 0 && rename(tmp, path) != 0)
		rc = -1;
	if (rc != 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

/* The host of an http(s) URL, for naming the registry when the answer
 * has no port43. */
static char *url_host(const char *url)
{
	const char *h = strstr(url, "://"), *e;

	if (h == NULL)
		return NULL;
	h += 3;
	if (*h == '[') {
		e = strchr(h, ']');
		return e ? xstrndup(h + 1, (size_t)(e - h - 1)) : NULL;
	}
	e = h + strcspn(h, ":/?#");
	return e > h ? xstrndup(h, (size_t)(e - h)) : NULL;
}

static void fill_registry(struct rdap_result *r, const char *url)
{
	char *host;
	const char *rir;

	if (r->registry != NULL || (host = url_host(url)) == NULL)
		return;
	rir = rdap_registry_for_host(host);
	if (rir != NULL) {
		r->registry = xstrdup(rir);
		free(host);
	} else {
		r->registry = host;
	}
}

/* ------------------------------------------------------------ bootstrap */

/*
 * The base URL of the RDAP service for a: from the cached IANA file while
 * it is younger than the cache lifetime, else downloaded (and cached).
 * A stale copy still serves when the download fails: the registry
 * boundaries change a few times a year, the lookup every time.
 */
static int find_service(const struct rdap_opts *o, const char *dir,
                        const struct ga_addr *a, char *base, size_t basesz,
                        char *err, size_t errlen)
{
	const char *url = a->family == 4
	    ? (o->bootstrap_url_v4 ? o->bootstrap_url_v4 : RDAP_BOOTSTRAP_V4)
	    : (o->bootstrap_url_v6 ? o->bootstrap_url_v6 : RDAP_BOOTSTRAP_V6);
	char *path = NULL, *cached = NULL, abuf[ADDR_TEXT_MAX];
	size_t clen = 0;
	struct stat st;
	struct fetch_opts fo;
	struct fetch_result fr;
	int rc = RDAP_BOOT_BAD, fresh = 0, fst;

	if (dir != NULL) {
		path = xasprintf("%s/bootstrap-ipv%d.json", dir, a->family);
		if (stat(path, &st) == 0 && file_read_all(path, &cached, &clen) == 0)
			fresh = time(NULL) - st.st_mtime < max_age_secs(o);
	}
	if (fresh)
		rc = rdap_parse_bootstrap(cached, clen, a, base, basesz);
	if (rc == RDAP_BOOT_BAD) {
		memset(&fo, 0, sizeof(fo));
		fo.timeout = o->timeout > 0 ? o->timeout : RDAP_DEFAULT_TIMEOUT;
		fo.max_size = RDAP_BOOTSTRAP_MAX;
		fo.cacert = o->cacert;
		fst = fetch_get(url, &fo, &fr);
		if (fst == FETCH_OK) {
			rc = rdap_parse_bootstrap(fr.data, fr.len, a, base, basesz);
			if (rc != RDAP_BOOT_BAD && path != NULL &&
			    write_atomic(path, fr.data, fr.len) != 0)
				msg_warn(path, "cannot cache the RDAP bootstrap file: %s",
				         strerror(errno));
			if (rc == RDAP_BOOT_BAD)
				errbuf_set(err, errlen, "%s is not an RFC 9224 bootstrap file", url);
		} else if (cached != NULL &&
		           (rc = rdap_parse_bootstrap(cached, clen, a, base, basesz))
		               != RDAP_BOOT_BAD) {
			msg_warn(url, "cannot refresh the RDAP bootstrap file (%s); using the cached copy",
			         fr.err);
		} else {
			errbuf_set(err, errlen, "cannot fetch the RDAP bootstrap file %s: %s",
			    url, fr.err);
		}
		fetch_result_free(&fr);
	}
	free(cached);
	free(path);
	addr_format(a, abuf);
	if (rc == RDAP_BOOT_NOMATCH)
		errbuf_set(err, errlen, "no RDAP service covers %s in the IANA bootstrap "
		    "(unallocated or special-use space?); nothing was sent", abuf);
	else if (rc == RDAP_BOOT_NOHTTPS)
		errbuf_set(err, errlen, "the RDAP service for %s has no https URL; "
		    "not sent in clear text", abuf);
	return rc == RDAP_BOOT_FOUND ? 0 : -1;
}

/* ---------------------------------------------------------------- cache */

/* One line of index.tsv: START END FETCHED URL, tab separated. */
struct idx_entry {
	struct ga_addr lo, hi;
	long long fetched;
	char *url;
	char *line;         /* the whole line, to write back unchanged */
};

static void idx_free(struct idx_entry *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].url);
		free(v[i].line);
	}
	free(v);
}

/* Read index.tsv; lines that do not parse are dropped (and so vanish
 * at the next rewrite).  A missing index is an empty one. */
static struct idx_entry *idx_read(const char *dir, size_t *np)
{
	char *path = xasprintf("%s/index.tsv", dir), *buf = NULL, *p, *nl;
	struct idx_entry *v = NULL;
	size_t n = 0, cap = 0, len;

	if (file_read_all(path, &buf, &len) == 0) {
		for (p = buf; p < buf + len; p = nl + 1) {
			char *f[4], *q = p;
			struct idx_entry e;
			uint64_t t;
			int k;

			nl = memchr(p, '\n', (size_t)(buf + len - p));
			if (nl == NULL)
				break;          /* a torn last line */
			*nl = '\0';
			for (k = 0; k < 4 && q != NULL; k++) {
				f[k] = q;
				q = strchr(q, '\t');
				if (q != NULL)
					*q++ = '\0';
			}
			if (k < 4 || q != NULL ||
			    addr_parse(f[0], strlen(f[0]), &e.lo, NULL) != 0 ||
			    addr_parse(f[1], strlen(f[1]), &e.hi, NULL) != 0 ||
			    e.lo.family != e.hi.family || addr_cmp(&e.lo, &e.hi) > 0 ||
			    parse_u64(f[2], strlen(f[2]), 0, (uint64_t)1 << 40, &t) != 0 ||
			    f[3][0] == '\0')
				continue;
			e.fetched = (long long)t;
			e.url = xstrdup(f[3]);
			e.line = xasprintf("%s\t%s\t%s\t%s", f[0], f[1], f[2], f[3]);
			v = xgrow(v, &cap, n + 1, sizeof(*v));
			v[n++] = e;
		}
	}
	free(buf);
	free(path);
	*np = n;
	return v;
}

/* cache_dir/rdap/net-START_END.json, ':' spelt '-' so that the name is
 * valid on every file system. */
static char *answer_path(const char *dir, const struct ga_addr *lo,
                         const struct ga_addr *hi)
{
	char l[ADDR_TEXT_MAX], h[ADDR_TEXT_MAX], *p, *s;

	addr_format(lo, l);
	addr_format(hi, h);
	p = xasprintf("%s/net-%s_%s.json", dir, l, h);
	for (s = p + strlen(dir); *s; s++)
		if (*s == ':')
			*s = '-';
	return p;
}

/* Width of a block, for "narrowest first": compare hi - lo bytewise. */
static int narrower(const struct idx_entry *x, const struct idx_entry *y)
{
	uint8_t dx[16], dy[16];
	int i, bx = 0, by = 0, n = x->lo.family == 4 ? 4 : 16;

	for (i = n - 1; i >= 0; i--) {
		int ax = x->hi.bytes[i] - x->lo.bytes[i] - bx;
		int ay = y->hi.bytes[i] - y->lo.bytes[i] - by;

		bx = ax < 0;
		by = ay < 0;
		dx[i] = (uint8_t)(ax + (bx ? 256 : 0));
		dy[i] = (uint8_t)(ay + (by ? 256 : 0));
	}
	return memcmp(dx, dy, (size_t)n) < 0;
}

/*
 * The cached answer of the narrowest cached block containing a, if it is
 * fresh (or any age when offline).  Returns 0 with r filled, -1 on a miss.
 * Caveat: a registry answers with the most specific block it holds, and a
 * sub-block of a cached one that was never fetched is unknown here, so a
 * cached parent allocation answers for the addresses of its children.
 */
static int cache_get(const struct rdap_opts *o, const char *dir,
                     const struct ga_addr *a, struct rdap_result *r)
{
	struct idx_entry *v, *best = NULL;
	size_t n, i, len;
	long long now = (long long)time(NULL);
	char *path, *buf, perr[256];
	int rc = -1;

	v = idx_read(dir, &n);
	for (i = 0; i < n; i++) {
		if (v[i].lo.family != a->family || addr_cmp(&v[i].lo, a) > 0 ||
		    addr_cmp(a, &v[i].hi) > 0)
			continue;
		if (best == NULL || narrower(&v[i], best))
			best = &v[i];
	}
	/* Age is judged after choosing: when the narrowest block is stale, a
	 * fresh wider one (its parent allocation) is not the answer for a. */
	if (best != NULL && !o->offline && now - best->fetched >= max_age_secs(o))
		best = NULL;
	if (best != NULL) {
		path = answer_path(dir, &best->lo, &best->hi);
		if (file_read_all(path, &buf, &len) == 0) {
			/* A file that no longer parses, or is about another block,
			 * is a miss: the network answer will replace it. */
			if (rdap_parse_network(buf, len, r, perr, sizeof(perr)) == 0 &&
			    net_contains(&r->block, a)) {
				r->from_cache = 1;
				r->fetched = (time_t)best->fetched;
				r->source_url = xstrdup(best->url);
				fill_registry(r, best->url);
				rc = 0;
			} else {
				rdap_result_free(r);
			}
			free(buf);
		}
		free(path);
	}
	idx_free(v, n);
	return rc;
}

/* Store an answer and rewrite the index with its line replacing any
 * older one for the same block. */
static int cache_put(const char *dir, const struct rdap_result *r,
                     const char *body, size_t len)
{
	struct idx_entry *v;
	struct buf b;
	size_t n, i;
	char l[ADDR_TEXT_MAX], h[ADDR_TEXT_MAX], *path;
	int rc;

	path = answer_path(dir, &r->block.lo, &r->block.hi);
	rc = write_atomic(path, body, len);
	free(path);
	if (rc != 0)
		return -1;
	v = idx_read(dir, &n);
	buf_init(&b);
	for (i = 0; i < n; i++)
		if (addr_cmp(&v[i].lo, &r->block.lo) != 0 ||
		    addr_cmp(&v[i].hi, &r->block.hi) != 0)
			buf_printf(&b, "%s\n", v[i].line);
	buf_printf(&b, "%s\t%s\t%lld\t%s\n", addr_format(&r->block.lo, l),
	           addr_format(&r->block.hi, h), (long long)r->fetched,
	           r->source_url);
	idx_free(v, n);
	path = xasprintf("%s/index.tsv", dir);
	rc = write_atomic(path, b.data, b.len);
	free(path);
	buf_free(&b);
	return rc;
}

/* --------------------------------------------------------------- lookup */

int rdap_lookup(const struct rdap_opts *o, const struct ga_addr *a,
                struct rdap_result *r, char *err, size_t errlen)
{
	char *dir = NULL, *url, base[RDAP_URL_MAX], abuf[ADDR_TEXT_MAX];
	char perr[256];
	struct fetch_opts fo;
	struct fetch_result fr;
	int fst, rc = -1;

	memset(r, 0, sizeof(*r));
	addr_format(a, abuf);
	if (o->cache_dir != NULL) {
		dir = xasprintf("%s/rdap", o->cache_dir);
		if (cache_get(o, dir, a, r) == 0) {
			free(dir);
			return 0;
		}
		/* Without a cache directory lookups still work, uncached. */
		if (!o->offline && dir_make(dir, 0700) != 0) {
			msg_warn(dir, "cannot create the RDAP cache: %s", strerror(errno));
			free(dir);
			dir = NULL;
		}
	}
	if (o->offline) {
		errbuf_set(err, errlen, "the RDAP cache has no answer for %s "
		    "(offline: nothing was sent)", abuf);
		free(dir);
		return -1;
	}
	if (find_service(o, dir, a, base, sizeof(base), err, errlen) != 0) {
		free(dir);
		return -1;
	}

	url = xasprintf("%sip/%s", base, abuf);
	memset(&fo, 0, sizeof(fo));
	fo.timeout = o->timeout > 0 ? o->timeout : RDAP_DEFAULT_TIMEOUT;
	fo.max_size = RDAP_ANSWER_MAX;
	fo.cacert = o->cacert;
	fo.accept = "application/rdap+json";
	fst = fetch_get(url, &fo, &fr);
	if (fst == FETCH_ERR_HTTP && fr.http_code == 404) {
		errbuf_set(err, errlen, "%s: the RDAP server has no record of %s (HTTP 404)",
		    url, abuf);
	} else if (fst != FETCH_OK) {
		errbuf_set(err, errlen, "%s: %s", url, fr.err);
	} else if (rdap_parse_network(fr.data, fr.len, r, perr, sizeof(perr)) != 0) {
		errbuf_set(err, errlen, "%s: %s", url, perr);
	} else if (!net_contains(&r->block, a)) {
		/* An answer about another block must not be cached under
		 * its range, nor reported for this address. */
		errbuf_set(err, errlen, "%s: the RDAP answer is about %s, which does not contain %s",
		    url, r->network, abuf);
		rdap_result_free(r);
	} else {
		r->source_url = xstrdup(url);
		r->fetched = time(NULL);
		fill_registry(r, url);
		if (dir != NULL && cache_put(dir, r, fr.data, fr.len) != 0)
			msg_warn(dir, "cannot cache the RDAP answer: %s", strerror(errno));
		rc = 0;
	}
	fetch_result_free(&fr);
	free(url);
	free(dir);
	return rc;
}
