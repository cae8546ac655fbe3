/*
 * histupdate.c - see histupdate.h.  Where the archives are (the real
 * locations, used unless --base-url points elsewhere):
 *
 *   RIPE NCC  https://ftp.ripe.net/pub/stats/ripencc/YYYY/delegated-ripencc-extended-YYYYMMDD.bz2
 *   APNIC     https://ftp.apnic.net/stats/apnic/YYYY/delegated-apnic-extended-YYYYMMDD.gz
 *   ARIN      https://ftp.arin.net/pub/stats/arin/delegated-arin-extended-YYYYMMDD
 *   LACNIC    https://ftp.lacnic.net/pub/stats/lacnic/delegated-lacnic-extended-YYYYMMDD
 *   AFRINIC   https://ftp.afrinic.net/pub/stats/afrinic/YYYY/delegated-afrinic-extended-YYYYMMDD
 *             (each also as delegated-RIR-YYYYMMDD, the plain file, for
 *             days before the extended series)
 *   CAIDA     https://publicdata.caida.org/datasets/routing/routeviews-prefix2as/YYYY/MM/routeviews-rv2-YYYYMMDD-HHMM.pfx2as.gz
 *             (HHMM is when the file was made: 1200 on most days, not all
 *             (20170329-0200); the month's directory listing says which)
 *   Tor       https://collector.torproject.org/archive/exit-lists/exit-list-YYYY-MM.tar.xz
 *   AS names  https://publicdata.caida.org/datasets/as-organizations/YYYYMMDD.as-org2info.txt.gz
 *             (CAIDA's AS Organizations, dated the first of a month:
 *             quarterly, monthly since late 2024)
 *
 * The compression is read from the data (unpack.c), so a registry that
 * changes how it compresses its archive costs nothing here.
 */
#include <errno.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fetch.h"
#include "hist/hist.h"
#include "histupdate.h"
#include "mmdbw.h"
#include "source.h"
#include "unpack.h"
#include "ustar.h"
#include "util.h"

/* --- dates --- */

struct ymd {
	int y;
	unsigned m, d;
};

static void civil_from_days(int64_t z, struct ymd *out)
{
	int64_t era, doe, yoe, y, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	out->d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	out->m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	out->y = (int)(y + (out->m <= 2));
}

int hist_check_date(const char *date, char *why, size_t whylen)
{
	int64_t t, floor_t, now = (int64_t)time(NULL);

	if (strlen(date) != 10 || hist_parse_time(date, 10, &t) != 0) {
		errbuf_set(why, whylen, "'%s' is not a date YYYY-MM-DD", date);
		return -1;
	}
	if (t > now) {
		errbuf_set(why, whylen, "%s is in the future", date);
		return -1;
	}
	hist_parse_time(HIST_EARLIEST, 10, &floor_t);
	if (t < floor_t) {
		errbuf_set(why, whylen, "%s is older than any archive geoattr reads "
		           "(the earliest day it looks for is %s)", date, HIST_EARLIEST);
		return -1;
	}
	return 0;
}

char *hist_set_dir(const char *dir, const char *date)
{
	return xasprintf("%s/asof-%.4s%.2s%.2s", dir, date, date + 5, date + 8);
}

/* --- sources --- */

enum src_kind { SK_REGISTRY, SK_ROUTING, SK_TOR, SK_NAMES };

static const struct archive {
	const char *name;
	enum src_kind kind;
	const char *host;
	const char *path;      /* {Y} {M} {D}, {X} "extended-" or "" */
	int has_plain;
} archives[] = {
	{ "afrinic", SK_REGISTRY, "https://ftp.afrinic.net",
	  "/pub/stats/afrinic/{Y}/delegated-afrinic-{X}{Y}{M}{D}", 1 },
	{ "apnic", SK_REGISTRY, "https://ftp.apnic.net",
	  "/stats/apnic/{Y}/delegated-apnic-{X}{Y}{M}{D}.gz", 1 },
	{ "arin", SK_REGISTRY, "https://ftp.arin.net",
	  "/pub/stats/arin/delegated-arin-{X}{Y}{M}{D}", 1 },
	{ "lacnic", SK_REGISTRY, "https://ftp.lacnic.net",
	  "/pub/stats/lacnic/delegated-lacnic-{X}{Y}{M}{D}", 1 },
	{ "ripencc", SK_REGISTRY, "https://ftp.ripe.net",
	  "/pub/stats/ripencc/{Y}/delegated-ripencc-{X}{Y}{M}{D}.bz2", 1 },
	{ "routeviews", SK_ROUTING, "https://publicdata.caida.org",
	  "/datasets/routing/routeviews-prefix2as/{Y}/{M}/routeviews-rv2-{Y}{M}{D}-{H}.pfx2as.gz", 0 },
	{ "tor", SK_TOR, "https://collector.torproject.org",
	  "/archive/exit-lists/exit-list-{Y}-{M}.tar.xz", 0 },
	{ "as2org", SK_NAMES, "https://publicdata.caida.org",
	  "/datasets/as-organizations/{Y}{M}{D}.as-org2info.txt.gz", 0 },
};
#define NARCH (sizeof(archives) / sizeof(archives[0]))

/* When CAIDA makes a day's prefix-to-AS file on most days: the time
 * tried when the month's listing names none. */
#define ROUTING_USUAL_TIME "1200"

/* hhmm: what {H} stands for (NULL: ROUTING_USUAL_TIME). */
static char *expand(const struct hist_update_opts *o, const struct archive *a,
                    const struct ymd *t, int extended, const char *hhmm)
{
	struct buf b;
	const char *p = a->path;

	buf_init(&b);
	buf_adds(&b, o->base_url ? o->base_url : a->host);
	/* A base without a scheme is a local directory of archives kept
	 * under their own file names (a mirror made by hand, the demo's). */
	if (o->base_url != NULL && strstr(o->base_url, "://") == NULL)
		p = strrchr(a->path, '/');
	for (; *p; p++) {
		if (strncmp(p, "{Y}", 3) == 0) {
			buf_printf(&b, "%04d", t->y);
			p += 2;
		} else if (strncmp(p, "{M}", 3) == 0) {
			buf_printf(&b, "%02u", t->m);
			p += 2;
		} else if (strncmp(p, "{D}", 3) == 0) {
			buf_printf(&b, "%02u", t->d);
			p += 2;
		} else if (strncmp(p, "{X}", 3) == 0) {
			buf_adds(&b, extended ? "extended-" : "");
			p += 2;
		} else if (strncmp(p, "{H}", 3) == 0) {
			buf_adds(&b, hhmm != NULL ? hhmm : ROUTING_USUAL_TIME);
			p += 2;
		} else {
			buf_addc(&b, *p);
		}
	}
	buf_addc(&b, '\0');
	return b.data;
}

/* One file to fetch: what it is for and what came back. */
struct got {
	const struct archive *a;
	char *url;
	struct ymd day;          /* the day of the file found */
	int shift;               /* days from the asked date */
	int plain;               /* a plain delegated file */
	char hhmm[5];            /* routing: the time of the day's file */
	int unchanged;           /* 304 */
	struct fetch_result r;
	char *etag, *lastmod;    /* validators sent, from the state file */
};

/* --- the state file: "URL\tETAG\tLAST-MODIFIED" lines --- */

struct state {
	char **url, **etag, **lastmod;
	size_t n, cap;
};

static void state_free(struct state *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->url[i]);
		free(s->etag[i]);
		free(s->lastmod[i]);
	}
	free(s->url);
	free(s->etag);
	free(s->lastmod);
	memset(s, 0, sizeof(*s));
}

static void state_read(const char *path, struct state *s)
{
	char *buf, *line, *save = NULL;
	size_t len, c1, c2, c3;

	memset(s, 0, sizeof(*s));
	if (file_read_all(path, &buf, &len) != 0)
		return;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;

		if (line[0] == '#' || t2 == NULL)
			continue;
		*t1 = *t2 = '\0';
		c1 = c2 = c3 = s->cap;
		s->url = xgrow(s->url, &c1, s->n + 1, sizeof(char *));
		s->etag = xgrow(s->etag, &c2, s->n + 1, sizeof(char *));
		s->lastmod = xgrow(s->lastmod, &c3, s->n + 1, sizeof(char *));
		s->cap = c1;
		s->url[s->n] = xstrdup(line);
		s->etag[s->n] = strcmp(t1 + 1, "-") ? xstrdup(t1 + 1) : NULL;
		s->lastmod[s->n] = strcmp(t2 + 1, "-") ? xstrdup(t2 + 1) : NULL;
		s->n++;
	}
	free(buf);
}

static int state_find(const struct state *s, const char *url)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->url[i], url) == 0)
			return (int)i;
	return -1;
}

/* --- downloading --- */

static int get(const struct hist_update_opts *o, struct got *g, const char *label,
               int conditional)
{
	struct fetch_opts fo;

	memset(&fo, 0, sizeof(fo));
	fo.timeout = o->timeout;
	fo.max_size = o->max_size;
	fo.cacert = o->cacert;
	fo.progress = o->progress;
	fo.label = label;
	if (conditional) {
		fo.etag = g->etag;
		fo.last_modified = g->lastmod;
	}
	fetch_result_free(&g->r);
	memset(&g->r, 0, sizeof(g->r));
	if (strstr(g->url, "://") == NULL) {
		struct stat sb;

		/* A missing file reads as the 404 of a server, so the
		 * nearest-day fallback works on a directory too. */
		if (stat(g->url, &sb) != 0 && errno == ENOENT) {
			g->r.http_code = 404;
			snprintf(g->r.err, sizeof(g->r.err), "%s: no such file", g->url);
			return FETCH_ERR_HTTP;
		}
		if (stat(g->url, &sb) == 0 && (size_t)sb.st_size > o->max_size) {
			snprintf(g->r.err, sizeof(g->r.err), "larger than the limit of %zu bytes (--max-size)",
			         o->max_size);
			return FETCH_ERR_TOO_BIG;
		}
		if (file_read_all(g->url, &g->r.data, &g->r.len) != 0) {
			snprintf(g->r.err, sizeof(g->r.err), "%s", strerror(errno));
			return FETCH_ERR_TRANSFER;
		}
		return FETCH_OK;
	}
	return fetch_get(g->url, &fo, &g->r);
}

/* The listing of one month of CAIDA's prefix-to-AS files, fetched once
 * for all the days tried in that month. */
struct month_list {
	int y;
	unsigned m;
	int have;                /* 1: fetched (or read), names in text */
	char *text;
	size_t len;
};

/* When CAIDA made day t's file: from the month's listing (the HTML index
 * of the month's directory, or the names in a local directory), else
 * ROUTING_USUAL_TIME, so that a listing that cannot be had costs
 * nothing but the request. */
static void routing_time(const struct hist_update_opts *o, const struct archive *a,
                         const struct ymd *t, struct month_list *ml, char hhmm[5])
{
	memcpy(hhmm, ROUTING_USUAL_TIME, 5);
	if (!ml->have || ml->y != t->y || ml->m != t->m) {
		free(ml->text);
		memset(ml, 0, sizeof(*ml));
		ml->y = t->y;
		ml->m = t->m;
		ml->have = 1;
		if (o->base_url != NULL && strstr(o->base_url, "://") == NULL) {
			DIR *d = opendir(o->base_url);
			struct dirent *de;
			struct buf b;

			buf_init(&b);
			while (d != NULL && (de = readdir(d)) != NULL) {
				buf_adds(&b, de->d_name);
				buf_addc(&b, '\n');
			}
			if (d != NULL)
				closedir(d);
			ml->text = b.data;
			ml->len = b.len;
		} else {
			struct got li;
			char *url = expand(o, a, t, 0, NULL), *slash = strrchr(url, '/');

			memset(&li, 0, sizeof(li));
			slash[1] = '\0';
			li.url = url;
			if (get(o, &li, "routeviews index", 0) == FETCH_OK) {
				ml->text = li.r.data;
				ml->len = li.r.len;
				li.r.data = NULL;
			}
			fetch_result_free(&li.r);
			free(url);
		}
	}
	if (ml->text != NULL)
		hist_pfx2as_pick_time(ml->text, ml->len, t->y, t->m, t->d, hhmm);
}

/* Find the file of archive a for day t (months for Tor), trying the
 * nearest days first.  Returns 0, or -1 with err set. */
/* The as2org files of the months around day (each dated the 1st), as
 * shifts in days, nearest first (the earlier of two as near), within
 * HIST_AS2ORG_WINDOW days.  Returns how many. */
static int month_starts(int64_t day, int *shift, int max)
{
	struct ymd t;
	int n = 0, k, i, j;

	civil_from_days(day, &t);
	for (k = -4; k <= 4 && n < max; k++) {
		int y = t.y, m = (int)t.m + k;
		int64_t d;

		while (m < 1) {
			m += 12;
			y--;
		}
		while (m > 12) {
			m -= 12;
			y++;
		}
		d = hist_days_from_civil(y, (unsigned)m, 1) - day;
		if (d >= -HIST_AS2ORG_WINDOW && d <= HIST_AS2ORG_WINDOW)
			shift[n++] = (int)d;
	}
	/* Insertion sort by distance; k ascending made ties earlier-first. */
	for (i = 1; i < n; i++) {
		int v = shift[i];

		for (j = i; j > 0 && abs(shift[j - 1]) > abs(v); j--)
			shift[j] = shift[j - 1];
		shift[j] = v;
	}
	return n;
}

static int find_file(const struct hist_update_opts *o, const struct archive *a,
                     int64_t day, const struct state *old, struct got *g,
                     char *err, size_t errlen)
{
	int k, plain, st, nshift, shiftv[2 * 14 + 1 + 9];
	int shifts = a->kind == SK_TOR ? 0 : o->max_shift;
	char *last = NULL, hhmm[5] = ROUTING_USUAL_TIME;
	long lastcode = 0;
	struct month_list ml;

	if (a->kind == SK_NAMES) {
		nshift = month_starts(day, shiftv, (int)(sizeof(shiftv) / sizeof(shiftv[0])));
	} else {
		/* 0, -1, +1, -2, +2, ...: the day before is the usual
		 * fallback, as archives are written at the end of the day. */
		if (shifts > 14)
			shifts = 14;
		for (nshift = 0; nshift <= 2 * shifts; nshift++)
			shiftv[nshift] = nshift == 0 ? 0 : (nshift % 2 ? -(nshift + 1) / 2 : nshift / 2);
	}
	g->day.y = 0;
	memset(&ml, 0, sizeof(ml));
	for (k = 0; k < nshift; k++) {
		int shift = shiftv[k];
		int64_t now = (int64_t)time(NULL) / 86400;

		if (day + shift > now)
			continue;
		civil_from_days(day + shift, &g->day);
		if (a->kind == SK_ROUTING)
			routing_time(o, a, &g->day, &ml, hhmm);
		for (plain = 0; plain <= a->has_plain; plain++) {
			int si;

			free(g->url);
			g->url = expand(o, a, &g->day, a->kind == SK_REGISTRY && !plain, hhmm);
			si = state_find(old, g->url);
			g->etag = si >= 0 ? old->etag[si] : NULL;
			g->lastmod = si >= 0 ? old->lastmod[si] : NULL;
			st = get(o, g, a->name, si >= 0);
			if (st == FETCH_OK || st == FETCH_NOT_MODIFIED) {
				g->unchanged = st == FETCH_NOT_MODIFIED;
				g->shift = shift;
				g->plain = plain;
				memcpy(g->hhmm, hhmm, sizeof(g->hhmm));
				free(last);
				free(ml.text);
				return 0;
			}
			if (st == FETCH_ERR_HTTP && g->r.http_code == 404) {
				free(last);
				last = xstrdup(g->url);
				lastcode = 404;
				continue;
			}
			errbuf_set(err, errlen, "%s: %s", g->url, g->r.err);
			free(last);
			free(ml.text);
			return -1;
		}
	}
	/* Only "not there" answers: -2, which the AS names may live with. */
	if (a->kind == SK_TOR)
		errbuf_set(err, errlen, "no exit-list archive for %04d-%02u (%s answered %ld)",
		           g->day.y, g->day.m, last ? last : "-", lastcode);
	else if (a->kind == SK_NAMES)
		errbuf_set(err, errlen, "no as2org file within %d days of the day (last tried %s: %ld)",
		           HIST_AS2ORG_WINDOW, last ? last : "-", lastcode);
	else
		errbuf_set(err, errlen, "no archive for the day or within %d day%s of it "
		           "(last tried %s: %ld)", shifts, shifts == 1 ? "" : "s",
		           last ? last : "-", lastcode);
	free(last);
	free(ml.text);
	return -2;
}

/* --- compiling --- */

static void meta(struct mmdbw *w, const char *type, const char *source,
                 const char *desc, const char *date, const char *license,
                 const char *attribution)
{
	mmdbw_meta_type(w, type);
	mmdbw_meta_description(w, "en", desc);
	mmdbw_meta_extra(w, "geoattr_source", source);
	mmdbw_meta_extra(w, "geoattr_data_date", date);
	mmdbw_meta_extra(w, "geoattr_license", license);
	mmdbw_meta_extra(w, "geoattr_attribution", attribution);
}

static int write_db(struct mmdbw *w, const char *path, char *err, size_t errlen)
{
	int st = mmdbw_write_file(w, path);

	if (st != MMDBW_OK)
		errbuf_set(err, errlen, "cannot write %s: %s%s%s", path, mmdbw_strerror(st),
		           st == MMDBW_ERR_IO ? ": " : "", st == MMDBW_ERR_IO ? strerror(errno) : "");
	return st == MMDBW_OK ? 0 : -1;
}

static int compile_registry(const struct hist_data *d, const char *path,
                            const char *date, const char *used, char *err, size_t errlen)
{
	struct mmdbw *w = mmdbw_new(6);
	struct mmdbw_enc *e = mmdbw_enc_new();
	char *desc = xasprintf("RIR delegated statistics as of %s: %s", date, used);
	size_t i;
	int st = MMDBW_OK, pass;

	/* Free and reserved blocks first, so that a block a registry had
	 * given out wins where two files overlap. */
	for (pass = 0; pass < 2 && st == MMDBW_OK; pass++) {
		for (i = 0; i < d->nreg && st == MMDBW_OK; i++) {
			const struct hist_reg *r = &d->reg[i];
			int given = r->status == HIST_ALLOCATED || r->status == HIST_ASSIGNED;
			char dt[16];

			if (given != pass)
				continue;
			/* The keys check --as-of reads first (a key is found by
			 * reading the ones before it): country, status, date. */
			mmdbw_enc_map(e, 2 + (r->cc[0] != '\0') + (r->date != 0));
			if (r->cc[0] != '\0')
				mmdbw_enc_kv(e, "country", r->cc);
			mmdbw_enc_kv(e, "hist_status", hist_status_name(r->status));
			if (r->date != 0) {
				snprintf(dt, sizeof(dt), "%04u-%02u-%02u", (unsigned)(r->date / 10000),
				         (unsigned)(r->date / 100 % 100), (unsigned)(r->date % 100));
				mmdbw_enc_kv(e, "hist_date", dt);
			}
			mmdbw_enc_kv(e, "hist_registry", r->registry);
			st = mmdbw_insert_range(w, &r->lo, &r->hi, mmdbw_data_add(w, e));
		}
	}
	if (st != MMDBW_OK) {
		errbuf_set(err, errlen, "registry: %s", mmdbw_strerror(st));
	} else {
		meta(w, "geoattr-HistRegistry", "asof-registry", desc, date,
		     "RIR statistics: free to use (see each registry's conditions of use)",
		     "Delegated statistics of AFRINIC, APNIC, ARIN, LACNIC and RIPE NCC");
		st = write_db(w, path, err, errlen) == 0 ? MMDBW_OK : MMDBW_ERR_IO;
	}
	free(desc);
	mmdbw_free(w);
	mmdbw_enc_free(e);
	return st == MMDBW_OK ? 0 : -1;
}

static int cmp_route_len(const void *a, const void *b)
{
	const struct hist_route *x = a, *y = b;

	if (x->start.family != y->start.family)
		return x->start.family - y->start.family;
	return x->len - y->len;
}

/* names: the as2org data (no AS names when it holds none). */
static int compile_routing(struct hist_data *d, const struct hist_data *names,
                           const char *path, const char *date, const char *used,
                           const char *used_names, char *err, size_t errlen)
{
	struct mmdbw *w = mmdbw_new(6);
	struct mmdbw_enc *e = mmdbw_enc_new();
	/* asof.c reads the two parts back at "; AS names: ". */
	char *desc = xasprintf("RouteViews prefix-to-AS (CAIDA) as of %s: %s; AS names: %s", date,
	                       used, used_names);
	size_t i;
	int st = MMDBW_OK;

	/* Shorter prefixes first: a more specific route then replaces the
	 * covering one over exactly its addresses, as longest-prefix
	 * matching would decide. */
	if (d->nrt > 1)
		qsort(d->rt, d->nrt, sizeof(*d->rt), cmp_route_len);
	for (i = 0; i < d->nrt && st == MMDBW_OK; i++) {
		/* The first origin's name, as the origin AS is the first. */
		const char *name = hist_as_name(names, d->rt[i].asn);

		/* The origins first: check --as-of reads only them (their
		 * first AS is the origin AS), and a key is found by reading
		 * the ones before it. */
		mmdbw_enc_map(e, 2 + (name != NULL));
		mmdbw_enc_kv(e, "hist_origins", hist_route_origins(d, &d->rt[i]));
		mmdbw_enc_cstr(e, "autonomous_system_number");
		mmdbw_enc_u32(e, d->rt[i].asn);
		if (name != NULL)
			mmdbw_enc_kv(e, "autonomous_system_organization", name);
		st = mmdbw_insert_prefix(w, &d->rt[i].start, d->rt[i].len, mmdbw_data_add(w, e));
	}
	if (st != MMDBW_OK) {
		errbuf_set(err, errlen, "routing: %s", mmdbw_strerror(st));
	} else {
		meta(w, "geoattr-HistRouting", "asof-routing", desc, date,
		     names->nan ? "CAIDA Routeviews Prefix-to-AS and AS Organizations: CAIDA Acceptable "
		                  "Use Agreement"
		                : "CAIDA Routeviews Prefix-to-AS: CAIDA Acceptable Use Agreement",
		     names->nan ? "The CAIDA Routeviews Prefix to AS mappings Dataset, from RouteViews "
		                  "(routeviews.org); the CAIDA AS Organizations Dataset"
		                : "The CAIDA Routeviews Prefix to AS mappings Dataset, from RouteViews "
		                  "(routeviews.org)");
		st = write_db(w, path, err, errlen) == 0 ? MMDBW_OK : MMDBW_ERR_IO;
	}
	free(desc);
	mmdbw_free(w);
	mmdbw_enc_free(e);
	return st == MMDBW_OK ? 0 : -1;
}

static int cmp_exit(const void *a, const void *b)
{
	const struct hist_exit *x = a, *y = b;
	int c = addr_cmp(&x->addr, &y->addr);

	return c ? c : (x->seen > y->seen) - (x->seen < y->seen);
}

static void fmt_time(int64_t t, char out[24])
{
	struct ymd c;
	int64_t s = t % 86400;

	civil_from_days(t / 86400, &c);
	snprintf(out, 24, "%04d-%02u-%02u %02d:%02d:%02d", c.y, c.m, c.d,
	         (int)(s / 3600), (int)(s / 60 % 60), (int)(s % 60));
}

static int compile_tor(struct hist_data *d, const char *path, const char *date,
                       int64_t lo, int64_t hi, const char *used, size_t *naddr,
                       size_t *nseen, char *err, size_t errlen)
{
	struct mmdbw *w = mmdbw_new(6);
	struct mmdbw_enc *e = mmdbw_enc_new();
	char *desc = xasprintf("Tor exit lists (CollecTor) as of %s: %s", date, used);
	size_t i, j;
	int st = MMDBW_OK;

	if (d->nex > 1)
		qsort(d->ex, d->nex, sizeof(*d->ex), cmp_exit);
	*naddr = *nseen = 0;
	for (i = 0; i < d->nex && st == MMDBW_OK; i = j) {
		int64_t first = -1, last = -1;
		char f[24], l[24];

		for (j = i; j < d->nex && addr_cmp(&d->ex[j].addr, &d->ex[i].addr) == 0; j++) {
			if (d->ex[j].seen < lo || d->ex[j].seen >= hi)
				continue;
			if (first < 0)
				first = d->ex[j].seen;
			last = d->ex[j].seen;
			(*nseen)++;
		}
		if (first < 0)
			continue;
		(*naddr)++;
		fmt_time(first, f);
		fmt_time(last, l);
		mmdbw_enc_map(e, 4);
		mmdbw_enc_kv(e, "network_type", "tor");
		mmdbw_enc_kv(e, "provider", "tor exit list");
		mmdbw_enc_kv(e, "hist_first_seen", f);
		mmdbw_enc_kv(e, "hist_last_seen", l);
		st = mmdbw_insert_prefix(w, &d->ex[i].addr, addr_bits(&d->ex[i].addr),
		                         mmdbw_data_add(w, e));
	}
	if (st != MMDBW_OK) {
		errbuf_set(err, errlen, "tor: %s", mmdbw_strerror(st));
	} else {
		meta(w, "geoattr-HistTor", "asof-tor", desc, date, "CC0 (Tor Project CollecTor data)",
		     "Tor Project, CollecTor exit lists (collector.torproject.org)");
		st = write_db(w, path, err, errlen) == 0 ? MMDBW_OK : MMDBW_ERR_IO;
	}
	free(desc);
	mmdbw_free(w);
	mmdbw_enc_free(e);
	return st == MMDBW_OK ? 0 : -1;
}

struct tar_ctx {
	struct hist_data *d;
	const char *url;
	char err[300];
};

static int tar_file(void *ctx, const char *name, const char *data, size_t size)
{
	struct tar_ctx *t = ctx;
	char *where = xasprintf("%s:%s", t->url, name);
	int rc = hist_parse(HIST_EXITLIST, data, size, where, t->d);

	if (rc != 0)
		snprintf(t->err, sizeof(t->err), "%s", t->d->err);
	free(where);
	return rc != 0;
}

/* --- the set directory --- */

static void remove_set(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;

	if (d != NULL) {
		while ((de = readdir(d)) != NULL) {
			char *p;

			if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
				continue;
			p = xasprintf("%s/%s", path, de->d_name);
			unlink(p);
			free(p);
		}
		closedir(d);
	}
	rmdir(path);
}

int hist_update(const struct hist_update_opts *o)
{
	struct got g[NARCH + 1];
	size_t ng = 0, i, naddr = 0, nseen = 0;
	struct state old;
	struct hist_data reg, rt, ex, names;
	char err[600], *set = hist_set_dir(o->dir, o->date);
	char *tmp = xasprintf("%s/.%s.tmp.%ld", o->dir, strrchr(set, '/') + 1, (long)getpid());
	char *oldset = xasprintf("%s/.%s.old.%ld", o->dir, strrchr(set, '/') + 1, (long)getpid());
	char *spath = xasprintf("%s/state", set);
	struct buf used_reg, used_rt, used_tor, used_names;
	int64_t day, lo, hi;
	int rc = -1, unchanged = 0, m, nmonths = 0;
	struct stat sb;
	FILE *fp;

	memset(g, 0, sizeof(g));
	hist_data_init(&reg);
	hist_data_init(&rt);
	hist_data_init(&ex);
	hist_data_init(&names);
	buf_init(&used_names);
	buf_init(&used_reg);
	buf_init(&used_rt);
	buf_init(&used_tor);
	err[0] = '\0';
	hist_parse_time(o->date, 10, &day);
	day /= 86400;
	lo = (day - o->tor_window) * 86400;
	hi = (day + o->tor_window + 1) * 86400;
	/* Conditional requests only when the set is there to keep. */
	if (stat(set, &sb) == 0)
		state_read(spath, &old);
	else
		memset(&old, 0, sizeof(old));
	/* The window is applied when compiling: a set built with another
	 * one must be rebuilt even if no archive changed. */
	{
		char w[16];
		int wi = state_find(&old, "window");

		snprintf(w, sizeof(w), "%d", o->tor_window);
		if (wi < 0 || old.etag[wi] == NULL || strcmp(old.etag[wi], w) != 0)
			state_free(&old);
	}

	for (i = 0; i < NARCH; i++) {
		const struct archive *a = &archives[i];

		if (a->kind == SK_TOR) {
			/* Every month the window touches. */
			struct ymd first, lastm;
			int64_t dd;

			civil_from_days(lo / 86400, &first);
			civil_from_days(hi / 86400 - 1, &lastm);
			for (m = 0; m < 2; m++) {
				dd = m == 0 ? lo / 86400 : hi / 86400 - 1;
				if (m == 1 && first.y == lastm.y && first.m == lastm.m)
					break;
				if (dd > (int64_t)time(NULL) / 86400)
					dd = (int64_t)time(NULL) / 86400;
				g[ng].a = a;
				if (find_file(o, a, dd, &old, &g[ng], err, sizeof(err)) != 0) {
					msg_error("update", "as of %s: tor exit lists: %s; previous data kept",
					          o->date, err);
					goto out;
				}
				ng++;
				nmonths++;
			}
			continue;
		}
		g[ng].a = a;
		if (a->kind == SK_NAMES) {
			int st = find_file(o, a, day, &old, &g[ng], err, sizeof(err));

			if (st == -2) {
				/* Not public for the period: the set goes without. */
				buf_printf(&used_names, "not available for the period: %s", err);
				free(g[ng].url);
				fetch_result_free(&g[ng].r);
				memset(&g[ng], 0, sizeof(g[ng]));
				continue;
			}
			if (st != 0) {
				msg_error("update", "as of %s: AS names as2org: %s; previous data kept",
				          o->date, err);
				goto out;
			}
			ng++;
			continue;
		}
		if (find_file(o, a, day, &old, &g[ng], err, sizeof(err)) != 0) {
			msg_error("update", "as of %s: %s %s: %s; previous data kept", o->date,
			          a->kind == SK_REGISTRY ? "registry" : "routing", a->name, err);
			goto out;
		}
		ng++;
	}
	for (i = 0; i < ng; i++)
		unchanged += g[i].unchanged;
	if (unchanged == (int)ng && stat(set, &sb) == 0) {
		if (!o->quiet)
			printf("as of %s: up to date (%s)\n", o->date, set);
		rc = 0;
		goto out;
	}
	/* Part changed: what did not is needed again to compile the whole. */
	for (i = 0; i < ng; i++) {
		if (!g[i].unchanged)
			continue;
		if (get(o, &g[i], g[i].a->name, 0) != FETCH_OK) {
			msg_error("update", "as of %s: %s: %s: %s; previous data kept", o->date,
			          g[i].a->name, g[i].url, g[i].r.err);
			goto out;
		}
		g[i].unchanged = 0;
	}

	for (i = 0; i < ng; i++) {
		const struct archive *a = g[i].a;
		char *data = NULL, why[300];
		size_t len = 0;
		int st;

		why[0] = '\0';
		st = unpack_buffer(g[i].r.data, g[i].r.len, o->max_size, &data, &len, NULL,
		                   why, sizeof(why));
		if (st != UNPACK_OK) {
			msg_error("update", "as of %s: %s: %s: %s; previous data kept", o->date,
			          a->name, g[i].url, why);
			goto out;
		}
		if (a->kind == SK_TOR) {
			struct tar_ctx tc;

			tc.d = &ex;
			tc.url = g[i].url;
			tc.err[0] = '\0';
			st = ustar_each(data, len, tar_file, &tc, why, sizeof(why));
			if (st != 0) {
				msg_error("update", "as of %s: %s: %s; previous data kept", o->date,
				          a->name, st == -1 ? why : tc.err);
				free(data);
				goto out;
			}
			buf_printf(&used_tor, "%s%04d-%02u", used_tor.len ? ", " : "archive of ",
			           g[i].day.y, g[i].day.m);
		} else if (a->kind == SK_NAMES) {
			if (hist_parse(HIST_AS2ORG, data, len, g[i].url, &names) != 0) {
				msg_error("update", "as of %s: %s; previous data kept", o->date, names.err);
				free(data);
				goto out;
			}
			buf_printf(&used_names, "CAIDA as2org %04d-%02u-%02u", g[i].day.y, g[i].day.m,
			           g[i].day.d);
			if (g[i].shift != 0)
				buf_printf(&used_names, ", %d day%s %s", abs(g[i].shift),
				           abs(g[i].shift) == 1 ? "" : "s", g[i].shift < 0 ? "earlier" : "later");
		} else if (hist_parse(a->kind == SK_REGISTRY ? HIST_DELEGATED : HIST_PFX2AS,
		                      data, len, g[i].url, a->kind == SK_REGISTRY ? &reg : &rt) != 0) {
			msg_error("update", "as of %s: %s; previous data kept", o->date,
			          a->kind == SK_REGISTRY ? reg.err : rt.err);
			free(data);
			goto out;
		} else {
			struct buf *u = a->kind == SK_REGISTRY ? &used_reg : &used_rt;
			char shift[40] = "";

			if (g[i].shift != 0)
				snprintf(shift, sizeof(shift), ", %d day%s %s", abs(g[i].shift),
				         abs(g[i].shift) == 1 ? "" : "s",
				         g[i].shift < 0 ? "earlier" : "later");
			if (a->kind == SK_REGISTRY)
				buf_printf(u, "%s%s %04d-%02u-%02u%s%s", u->len ? ", " : "", a->name,
				           g[i].day.y, g[i].day.m, g[i].day.d,
				           g[i].plain ? " (plain file)" : "", shift);
			else
				buf_printf(u, "routing of %04d-%02u-%02u %.2s:%.2s UTC%s", g[i].day.y,
				           g[i].day.m, g[i].day.d, g[i].hhmm, g[i].hhmm + 2, shift);
		}
		free(data);
	}
	buf_addc(&used_reg, '\0');
	buf_addc(&used_rt, '\0');
	buf_addc(&used_names, '\0');
	{
		char a[24], b[24];

		fmt_time(lo, a);
		fmt_time(hi - 1, b);
		buf_printf(&used_tor, "; exits seen %.10s to %.10s (within %d days)", a, b,
		           o->tor_window);
		buf_addc(&used_tor, '\0');
	}

	remove_set(tmp);
	if (mkdir(tmp, 0777) != 0) {
		msg_error(tmp, "cannot create: %s", strerror(errno));
		goto out;
	}
	{
		char *p1 = xasprintf("%s/registry.mmdb", tmp), *p2 = xasprintf("%s/routing.mmdb", tmp);
		char *p3 = xasprintf("%s/tor.mmdb", tmp);
		int bad = compile_registry(&reg, p1, o->date, used_reg.data, err, sizeof(err)) != 0 ||
		          compile_routing(&rt, &names, p2, o->date, used_rt.data, used_names.data,
		                          err, sizeof(err)) != 0 ||
		          compile_tor(&ex, p3, o->date, lo, hi, used_tor.data, &naddr, &nseen,
		                      err, sizeof(err)) != 0;

		free(p1);
		free(p2);
		free(p3);
		if (bad) {
			msg_error("update", "as of %s: %s; previous data kept", o->date, err);
			goto out;
		}
	}
	{
		char *p = xasprintf("%s/state", tmp);

		fp = fopen(p, "w");
		free(p);
		if (fp == NULL) {
			msg_error(tmp, "cannot write the state file: %s", strerror(errno));
			goto out;
		}
		fprintf(fp, "# geoattr as-of set %s: URL, ETag, Last-Modified (tab-separated)\n", o->date);
		fprintf(fp, "window\t%d\t-\n", o->tor_window);
		for (i = 0; i < ng; i++)
			fprintf(fp, "%s\t%s\t%s\n", g[i].url, g[i].r.etag ? g[i].r.etag : "-",
			        g[i].r.last_modified ? g[i].r.last_modified : "-");
		if (fclose(fp) != 0) {
			msg_error(tmp, "cannot write the state file: %s", strerror(errno));
			goto out;
		}
	}
	/* Swap in: the old set steps aside, the new one takes its name, and
	 * only then is the old one removed. */
	if (stat(set, &sb) == 0 && rename(set, oldset) != 0) {
		msg_error(set, "cannot replace: %s; previous data kept", strerror(errno));
		goto out;
	}
	if (rename(tmp, set) != 0) {
		msg_error(set, "cannot install: %s; previous data kept", strerror(errno));
		rename(oldset, set);
		goto out;
	}
	remove_set(oldset);
	if (!o->quiet) {
		printf("as of %s: installed %s\n", o->date, set);
		printf("  registry  %zu blocks: %s\n", reg.nreg, used_reg.data);
		printf("  routing   %zu prefixes: %s\n", rt.nrt, used_rt.data);
		if (names.nan)
			printf("  AS names  %zu ASes: %s\n", names.nan, used_names.data);
		else
			printf("  AS names  %s\n", used_names.data);
		printf("  tor       %zu exit addresses (%zu sightings) from %d month%s: %s\n",
		       naddr, nseen, nmonths, nmonths == 1 ? "" : "s", used_tor.data);
	}
	rc = 0;
out:
	remove_set(tmp);
	for (i = 0; i < NARCH + 1; i++) {
		fetch_result_free(&g[i].r);
		free(g[i].url);
	}
	state_free(&old);
	hist_data_free(&reg);
	hist_data_free(&rt);
	hist_data_free(&ex);
	hist_data_free(&names);
	buf_free(&used_names);
	buf_free(&used_reg);
	buf_free(&used_rt);
	buf_free(&used_tor);
	free(set);
	free(tmp);
	free(oldset);
	free(spath);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int hist_list(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	static const char *const files[3] = { "registry", "routing", "tor" };

	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, "asof-", 5) == 0 && strlen(de->d_name) == 13) {
			names = xgrow(names, &cap, n + 1, sizeof(*names));
			names[n++] = xstrdup(de->d_name);
		}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n; i++) {
		int k;

		printf("as of %.4s-%.2s-%.2s  %s/%s\n", names[i] + 5, names[i] + 9,
		       names[i] + 11, dir, names[i]);
		for (k = 0; k < 3; k++) {
			char *p = xasprintf("%s/%s/%s.mmdb", dir, names[i], files[k]);
			struct source_set *set = sources_new();
			struct source_info si;

			if (sources_add_file(set, p, 1) == 0) {
				source_info(sources_at(set, 0), &si);
				printf("  %-9s %s\n", files[k], si.description);
			} else {
				printf("  %-9s missing or unreadable\n", files[k]);
			}
			sources_free(set);
			free(p);
		}
		free(names[i]);
	}
	free(names);
	return (int)n;
}

char **hist_set_dates(const char *dir, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **v = NULL;
	size_t cap = 0;

	*n = 0;
	if (d == NULL)
		return NULL;
	while ((de = readdir(d)) != NULL) {
		const char *x = de->d_name;

		if (strncmp(x, "asof-", 5) != 0 || strlen(x) != 13 || strspn(x + 5, "0123456789") != 8)
			continue;
		v = xgrow(v, &cap, *n + 1, sizeof(*v));
		v[(*n)++] = xasprintf("%.4s-%.2s-%.2s", x + 5, x + 9, x + 11);
	}
	closedir(d);
	if (*n > 1)
		qsort(v, *n, sizeof(*v), cmp_str);
	return v;
}
