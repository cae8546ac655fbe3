/*
 * cmd_lookup.c - `geoattr lookup`: every source's answer for addresses,
 * prefixes and ranges given as arguments or on standard input.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asof.h"
#include "bulk.h"
#include "classify.h"
#include "cmd.h"
#include "country.h"
#include "dbopts.h"
#include "jsonout.h"
#include "rdap.h"
#include "report.h"
#include "resolve.h"
#include "fetch.h"
#include "histupdate.h"
#include "util.h"
#include "worldmap.h"

static const char lookup_help[] =
"Usage: geoattr lookup [OPTIONS] ADDRESS|PREFIX|RANGE... \n"
"       geoattr lookup [OPTIONS] -        (one per line on standard input)\n"
"\n"
"Show where every database places each address, who holds it (ASN and\n"
"organisation, matched prefix) and whether it is special-use (with its RFC).\n"
"Nothing is sent over the network: lookups use local databases only.\n"
"\n"
"Accepted: IPv4 (192.0.2.1), IPv6 in any RFC 4291 form, ADDR/LEN prefixes,\n"
"LO-HI ranges.  IPv4-mapped IPv6 is looked up as IPv4.  Rejected, with a\n"
"reason: IPv4 octets with leading zeros, zone ids, prefixes with host bits set.\n"
"On standard input, text from # to the end of a line is a comment; blank\nlines are skipped.\n"
"\n"
"Options:\n"
"  -f, --format FORMAT   text (default), json (one array), ndjson (one object\n"
"                        per line), csv, svg (a world map of where the\n"
"                        addresses are placed, one SVG file)\n"
"      --map-source V    the map's view: A, B, ... (a country source's share\n"
"                        per country; default A) or disagree\n"
"      --as-of DATE      also show each address as of DATE from the historical\n"
"                        set `geoattr update --as-of DATE` installed: registry\n"
"                        country and allocation then, origin AS then, Tor exit\n"
"                        then, and flags (text, json, ndjson and csv: the\n"
"                        columns check's csv has)\n"
"      --db FILE         also use this MaxMind DB file (repeatable)\n"
"      --no-default-db   use only --db files and $GEOATTR_DB_PATH\n"
"      --online rdap     also ask the address's regional registry over RDAP\n"
"                        (IANA bootstrap, then the registry; HTTPS only): network\n"
"                        name, registrant country, registration date.  This sends\n"
"                        the address to the registry; answers are cached in\n"
"                        $XDG_CACHE_HOME/geoattr (or ~/.cache/geoattr) for 7 days\n"
"      --rdap-cache-only use only cached RDAP answers: nothing is sent\n"
"      --rdap-bootstrap URL  bootstrap file to use instead of IANA's\n"
"      --cacert FILE     trust this CA bundle for RDAP instead of the system's\n"
"      --timeout SEC     RDAP timeout (default 20)\n"
"  -h, --help            show this help\n"
"\n"
"Exit status: 0 ok, 1 some inputs rejected (each reported as\n"
"geoattr: INPUT: reason, the rest still answered), 2 usage, 4 no database,\n"
"6 an RDAP query failed.\n";

enum lookup_format { FMT_TEXT, FMT_JSON, FMT_NDJSON, FMT_CSV, FMT_SVG };

/* FMT_SVG: answers counted per country, per country source, as the
 * check's aggregate counts them (without the rest of a check). */
struct map_counts {
	size_t ncs;
	size_t csrc[RESOLVE_MAX_SOURCES];
	double total, both, ndis;
	double *cc[RESOLVE_MAX_SOURCES];   /* WORLDMAP_NCC each */
	double *disagree;
};

struct lookup_ctx {
	struct source_set *set;
	enum lookup_format fmt;
	struct jv *array;         /* FMT_JSON */
	unsigned long rejected;
	int first_text;
	struct buf out;           /* FMT_CSV, FMT_NDJSON: records not yet written */
	struct bulk_writer *w;    /* FMT_CSV, FMT_NDJSON */
	struct classifier *cls;   /* network types; NULL when the data is missing */
	int rdap;                 /* --online rdap */
	struct rdap_opts ro;
	char *rdap_cache;
	unsigned long rdap_failed;
	struct map_counts mc;     /* FMT_SVG */
	struct asof_set *asof;    /* --as-of: the historical set, or NULL */
};

static size_t map_index(const char *cc)
{
	if (cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z' || cc[2] != '\0')
		return WORLDMAP_NODATA;
	return (size_t)((cc[0] - 'A') * 26 + (cc[1] - 'A'));
}

static void map_count(struct map_counts *m, const struct answer *a)
{
	size_t i, k, answered = 0;
	int differ = 0;

	m->total++;
	for (i = 0; i < m->ncs; i++) {
		const char *cc = answer_country(a, m->csrc[i]);

		m->cc[i][map_index(cc)]++;
		if (cc[0]) {
			answered++;
			differ |= answered > 1 && strcmp(cc, answer_country(a, m->csrc[0])) != 0;
		}
	}
	if (answered < 2 || answered != m->ncs)
		return;
	m->both++;
	if (!differ)
		return;
	m->ndis++;
	for (i = 0; i < m->ncs; i++) {
		const char *cc = answer_country(a, m->csrc[i]);

		for (k = 0; k < i && strcmp(answer_country(a, m->csrc[k]), cc) != 0; k++)
			;
		if (k == i)
			m->disagree[map_index(cc)]++;
	}
}

/* The map of what was counted, on standard output. */
static int map_write(const struct lookup_ctx *c, int view)
{
	const struct map_counts *m = &c->mc;
	struct worldmap *wm;
	struct map_view v;
	char err[512], heading[256];

	if (view == REPORT_MAP_DISAGREE ? m->ncs < 2 : (size_t)view >= m->ncs) {
		msg_error("lookup", "--map-source: %s", m->ncs == 0 ? "no country source to map"
		          : view == REPORT_MAP_DISAGREE ? "only one country source: nothing to disagree"
		          : "no country source with that letter");
		return GA_EXIT_USAGE;
	}
	if ((wm = worldmap_load_default(err, sizeof(err))) == NULL) {
		msg_error(NULL, "%s", err);
		return GA_EXIT_IO;
	}
	memset(&v, 0, sizeof(v));
	v.id = "wm";
	v.heading = heading;
	v.total = m->total;
	if (view == REPORT_MAP_DISAGREE) {
		snprintf(heading, sizeof(heading), "Where the sources disagree: %.0f of the %.0f addresses both place",
		         m->ndis, m->both);
		v.value = m->disagree;
		v.what = "addresses on which the sources disagree";
		v.scale = MAP_COUNT;
	} else {
		struct source_info si;

		source_info(sources_at(c->set, m->csrc[view]), &si);
		snprintf(heading, sizeof(heading), "Source %c (%s): share of the %.0f addresses per country",
		         si.label ? si.label : 'A' + view, si.name, m->total);
		v.value = m->cc[view];
		v.what = "addresses";
		v.scale = MAP_SHARE;
	}
	worldmap_svg(wm, &v, stdout, 1);
	worldmap_free(wm);
	return GA_EXIT_OK;
}

/* CSV and NDJSON records are built in memory and written in large
 * blocks: per-field stdio calls were most of the cost of bulk output. */
static void flush_out(struct lookup_ctx *c)
{
	if (c->out.len > 0)
		fwrite(c->out.data, 1, c->out.len, stdout);
	c->out.len = 0;
}

static void csv_header(const struct lookup_ctx *c)
{
	size_t i;

	fputs("input,address,ip_version,special_use,special_rfc,network,asn,org", stdout);
	for (i = 0; i < sources_count(c->set); i++) {
		const struct source *s = sources_at(c->set, i);

		if (source_caps(s) & SRC_HAS_COUNTRY) {
			fputs(",country_", stdout);
			csv_fputs(stdout, source_name(s));
		}
	}
	fputs(",sources_agree,network_type,type_basis,type_confidence,type_tier,"
	      "provider_region", stdout);
	if (c->asof != NULL)
		fputs(REPORT_ASOF_CSV_HEADER, stdout);
	fputs(",error\n", stdout);
}

/* The record of a rejected input, after its message (sent by the caller). */
static void error_record(struct lookup_ctx *c, const char *input, size_t len,
                         const char *why)
{
	struct jv *o;
	char *copy;

	c->rejected++;
	switch (c->fmt) {
	case FMT_TEXT:
		break;
	case FMT_JSON:
		copy = xstrndup(input, len);
		o = jv_object();
		jv_set(o, "input", jv_str(copy));
		jv_set(o, "error", jv_str(why));
		jv_push(c->array, o);
		free(copy);
		break;
	case FMT_NDJSON:
		bulk_ndjson_error(&c->out, input, len, why);
		break;
	case FMT_CSV:
		bulk_csv_error_more(&c->out, c->w, input, len, why,
		                    c->asof != NULL ? REPORT_ASOF_CSV_COLUMNS : 0);
		break;
	case FMT_SVG:
		break;
	}
}

static void text_answer(struct lookup_ctx *c, const struct answer *a)
{
	char t[NET_TEXT_MAX];
	size_t i;
	const char *org = answer_org(a);

	if (!c->first_text)
		putchar('\n');
	c->first_text = 0;
	printf("%s\n", net_format(&a->net, t));
	if (a->special != NULL)
		printf("  special   %s%s: %s, %s (%s)\n",
		       a->special_partial ? "partly " : "",
		       special_class_name(a->special->cls), a->special->name,
		       a->special->rfc, a->special->prefix);
	if (a->asn_src >= 0)
		printf("  holder    AS%lu %s  [%s, %s]\n",
		       (unsigned long)answer_asn(a), org ? org : "(no name)",
		       net_format(&a->hit[a->asn_src].block, t),
		       source_name(sources_at(c->set, (size_t)a->asn_src)));
	else
		printf("  holder    no ASN in any source\n");
	for (i = 0; i < a->nsrc; i++) {
		const struct source *s = sources_at(c->set, i);
		const struct src_entry *e = a->hit[i].e;
		struct source_info si;

		if (!(source_caps(s) & SRC_HAS_COUNTRY))
			continue;
		source_info(s, &si);
		if (e == NULL || e->country[0] == '\0') {
			printf("  country   %c %-16s no data\n", si.label, si.name);
			continue;
		}
		printf("  country   %c %-16s %s %s  [%s]", si.label, si.name,
		       e->country, country_name(e->country) ? country_name(e->country) : "",
		       net_format(&a->hit[i].block, t));
		if (e->city != NULL)
			printf("  city %s", e->city);
		if (e->registered[0] && strcmp(e->registered, e->country) != 0)
			printf("  registered %s", e->registered);
		putchar('\n');
	}
	if (a->typed)
		printf("  type      %s (%s; tier: %s; %s confidence%s%s)\n", net_type_label(a->type.type),
		       a->type.basis, type_tier_label(a->type.tier), confidence_name(a->type.conf),
		       a->type.detail && a->type.detail[0] ? ": " : "",
		       a->type.detail ? a->type.detail : "");
	{
		int f = answer_feed(a);

		if (f >= 0)
			printf("  provider  %s says %s  [%s, %s]\n",
			       a->hit[f].e->provider ? a->hit[f].e->provider : "the provider",
			       a->hit[f].e->region ? a->hit[f].e->region : "(no region)",
			       net_format(&a->hit[f].block, t),
			       source_name(sources_at(c->set, (size_t)f)));
	}
	if (a->disagree)
		printf("  note      the sources disagree on the country\n");
	if (a->partial && a->net.kind != NET_ADDR)
		printf("  note      the databases split this network; shown: its first address\n");
}

/* --as-of: the address then, beside its answer now. */
static void asof_record(const struct lookup_ctx *c, const struct answer *a, struct asof_rec *r)
{
	size_t i;

	memset(r, 0, sizeof(*r));
	r->compared = a->special == NULL;
	asof_lookup(c->asof, &a->net.lo, r);
	r->asn_now = answer_asn(a);
	for (i = 0; i < a->nsrc; i++)
		if ((source_caps(sources_at(c->set, i)) & SRC_HAS_COUNTRY) && a->hit[i].e != NULL) {
			memcpy(r->cc_now, a->hit[i].e->country, 3);
			break;
		}
	r->tor_now = a->typed && a->type.type == NT_TOR;
	asof_compare(c->asof, r);
}

/* The "then" member of the json and ndjson formats. */
static struct jv *asof_then_json(const struct lookup_ctx *c, const struct asof_rec *ar)
{
	struct jv *t = report_asof_json(c->asof, ar);

	if (ar->compared)
		jv_set(t, "date", jv_str(asof_date(c->asof)));
	return t;
}

/* A CSV row or NDJSON line for an answer; with --as-of, the then
 * columns (as check's CSV has them) or the "then" member (as the json
 * format has it).  May run on several threads: only out is written. */
static void bulk_row(const struct lookup_ctx *c, const struct answer *a,
                     const char *input, size_t len, struct buf *out)
{
	struct asof_rec ar;
	struct buf more;
	struct jv *t;
	char *js;

	if (c->asof == NULL) {
		if (c->fmt == FMT_CSV)
			bulk_csv_answer(out, c->w, a, input, len);
		else
			bulk_ndjson_answer(out, c->w, a, input, len);
		return;
	}
	asof_record(c, a, &ar);
	buf_init(&more);
	if (c->fmt == FMT_CSV) {
		report_asof_csv(&more, c->asof, &ar);
		bulk_csv_answer_more(out, c->w, a, input, len, more.data, more.len);
	} else {
		t = asof_then_json(c, &ar);
		js = jv_dumps(t);
		jv_free(t);
		buf_adds(&more, ",\"then\":");
		buf_adds(&more, js);
		free(js);
		bulk_ndjson_answer_more(out, c->w, a, input, len, more.data, more.len);
	}
	buf_free(&more);
}

static void asof_text(const struct lookup_ctx *c, const struct asof_rec *r)
{
	char fl[128];
	struct asof_then t;

	if (!r->compared)
		return;
	asof_then_get(c->asof, r, &t);
	printf("  then      %s: ", asof_date(c->asof));
	if (t.reg != NULL)
		printf("registry %s %s%s%s (%s)", t.reg->country[0] ? t.reg->country : "--",
		       t.reg->hist_status ? t.reg->hist_status : "?",
		       t.reg->hist_date ? " " : "", t.reg->hist_date ? t.reg->hist_date : "",
		       t.reg->hist_registry ? t.reg->hist_registry : "?");
	else
		printf("no registry record");
	if (t.rt != NULL) {
		printf(" \xc2\xb7 origin AS%s", t.rt->hist_origins ? t.rt->hist_origins : "?");
		if (t.rt->org != NULL)
			printf(" (%s)", t.rt->org);
	} else
		printf(" \xc2\xb7 unrouted");
	if (t.tor != NULL)
		printf(" \xc2\xb7 Tor exit, seen %s to %s\n",
		       t.tor->hist_first_seen ? t.tor->hist_first_seen : "?",
		       t.tor->hist_last_seen ? t.tor->hist_last_seen : "?");
	else
		printf(" \xc2\xb7 not a Tor exit\n");
	if (r->flags)
		printf("  flags     %s\n", asof_flag_names(r->flags, fl, sizeof(fl)));
}

/* One answer in the chosen format, on the main thread. */
static void answer_record(struct lookup_ctx *c, struct answer *ans,
                          const char *input, size_t len)
{
	char *copy;

	struct rdap_result rr;
	int have_rdap = 0;
	char err[512];

	answer_classify(c->cls, ans);
	memset(&rr, 0, sizeof(rr));
	if (c->rdap && ans->special == NULL) {
		/* Only on request: this sends the address to its registry. */
		if (rdap_lookup(&c->ro, &ans->net.lo, &rr, err, sizeof(err)) == 0) {
			have_rdap = 1;
		} else {
			msg_error("rdap", "%s", err);
			c->rdap_failed++;
		}
	}
	switch (c->fmt) {
	case FMT_SVG:
		map_count(&c->mc, ans);
		break;
	case FMT_TEXT:
		text_answer(c, ans);
		if (c->asof != NULL) {
			struct asof_rec ar;

			asof_record(c, ans, &ar);
			asof_text(c, &ar);
		}
		if (have_rdap)
			printf("  registry  %s %s%s%s%s, registered %s  [%s, %s]\n",
			       rr.registry ? rr.registry : "?", rr.handle ? rr.handle : "",
			       rr.name ? " \"" : "", rr.name ? rr.name : "", rr.name ? "\"" : "",
			       rr.registration_date ? rr.registration_date : "?",
			       rr.network ? rr.network : "?",
			       rr.from_cache ? "RDAP cache" : "RDAP");
		if (have_rdap && rr.country)
			printf("  registry  registrant country %s\n", rr.country);
		break;
	case FMT_CSV:
	case FMT_NDJSON:
		bulk_row(c, ans, input, len, &c->out);
		break;
	case FMT_JSON: {
		struct jv *o;

		copy = xstrndup(input, len);
		o = answer_to_json(c->set, ans, copy);
		if (c->asof != NULL) {
			struct asof_rec ar;

			asof_record(c, ans, &ar);
			jv_set(o, "then", asof_then_json(c, &ar));
		}
		if (have_rdap) {
			struct jv *r = jv_object();

			jv_set(r, "registry", jv_str(rr.registry));
			jv_set(r, "handle", jv_str(rr.handle));
			jv_set(r, "name", jv_str(rr.name));
			jv_set(r, "network", jv_str(rr.network));
			jv_set(r, "country", jv_str(rr.country));
			jv_set(r, "registration_date", jv_str(rr.registration_date));
			jv_set(r, "last_changed", jv_str(rr.last_changed));
			jv_set(r, "source_url", jv_str(rr.source_url));
			jv_set(r, "from_cache", jv_bool(rr.from_cache));
			jv_set(o, "registration", r);
		}
		jv_push(c->array, o);
		free(copy);
		break;
	}
	}
	rdap_result_free(&rr);
}

static void lookup_one(struct lookup_ctx *c, const char *s)
{
	struct ga_net net;
	struct answer ans;
	const char *why;
	size_t len = strlen(s);

	if (net_parse(s, len, 0, &net, &why) != 0) {
		msg_error(s, "%s", why);
		error_record(c, s, len, why);
	} else {
		resolve_net(c->set, &net, &ans);
		answer_record(c, &ans, s, len);
	}
	flush_out(c);
}

/* --as-of on standard input: each line through the one-address path,
 * which knows the historical set (the bulk path has no "then").  Blank
 * lines and '#' comments are skipped, as in the bulk path. */
static void lookup_lines(struct lookup_ctx *c, FILE *fp)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	while ((n = getline(&line, &cap, fp)) >= 0) {
		char *s = line, *e = line + n, *h;

		if ((h = memchr(s, '#', (size_t)n)) != NULL)
			e = h;
		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		while (e > s && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (s == e)
			continue;
		*e = '\0';
		lookup_one(c, s);
	}
	free(line);
}

/*
 * Standard input is read in large blocks of whole lines.  A block's lines
 * are parsed, looked up in address order (bulk.h: neighbours share
 * database blocks and tree pages, so the larger the block the fewer tree
 * walks) and then written in input order, each step shared by a team of
 * threads piece by piece (bulk_team_run).  Per line only the results are
 * kept: its place in the block, its first address, its order, and each
 * source's entry and prefix length (67 bytes with four databases); a
 * network (not a single address) is parsed again when its record is
 * written.
 */
#define READ_BLOCK (16u << 20)
/* The fewest lines worth a thread. */
#define MIN_SHARE 4096
/* Lines per piece of each step: small enough that the threads finish
 * close together, large enough that taking one costs nothing. */
#define PARSE_PIECE 2048
#define LOOKUP_PIECE 512
#define WRITE_PIECE 1024
/* Lines whose records are written before the main thread takes them. */
#define WRITE_ROUND (16 * WRITE_PIECE)

/* What a line holds.  A single address is all its network says; only
 * the others are parsed again for their records. */
enum { LINE_ADDR, LINE_NET, LINE_BAD };

struct line {
	uint32_t off;            /* trimmed text, from the block's start */
	uint32_t len;
};

struct stream {
	struct lookup_ctx *c;
	const char *buf;
	size_t nsrc;
	struct bulk_team *team;  /* made for the first block worth it */
	struct line *lines;
	size_t n, cap;
	struct ga_addr *addr;    /* first address of each line's network */
	unsigned char *kind;     /* LINE_* */
	unsigned char *skip;     /* for bulk_order(): rejected */
	uint32_t *order;
	const struct src_entry **e;   /* n x nsrc */
	unsigned char *bits;          /* n x nsrc */
	size_t arrcap;
	size_t norder;
	size_t first;            /* write_piece(): first line of the round */
	/* Line numbers, counted only for messages: the number of the line
	 * holding buf[scan_off]. */
	size_t scan_off, scan_line;
	struct bulk_cursor cur[BULK_MAX_THREADS];
	struct buf out[WRITE_ROUND / WRITE_PIECE];   /* a round's pieces */
};

/* Cut buf[0..len) into trimmed, non-blank lines, as the line rules say:
 * a '#' starts a comment, white space and CR around the text go, and a
 * UTF-8 byte order mark opens the stream's first line only. */
static void split_lines(struct stream *st, const char *buf, size_t len,
                        size_t *lineno)
{
	const char *p = buf, *end = buf + len, *nl, *hash, *q;
	size_t n;

	st->n = 0;
	while (p < end) {
		q = p;
		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl ? (size_t)(nl + 1 - p) : (size_t)(end - p);
		p += n;
		++*lineno;
		/* '#' starts a comment anywhere: no address form contains it. */
		hash = memchr(q, '#', n);
		if (hash != NULL)
			n = (size_t)(hash - q);
		while (n > 0 && (q[n - 1] == '\n' || q[n - 1] == '\r' ||
		                 q[n - 1] == ' ' || q[n - 1] == '\t'))
			n--;
		while (n > 0 && (*q == ' ' || *q == '\t')) {
			q++;
			n--;
		}
		if (*lineno == 1 && n >= 3 && memcmp(q, "\xef\xbb\xbf", 3) == 0) {
			q += 3;
			n -= 3;
		}
		if (n == 0)
			continue;
		st->lines = xgrow(st->lines, &st->cap, st->n + 1,
		                  sizeof(*st->lines));
		st->lines[st->n].off = (uint32_t)(q - buf);
		st->lines[st->n].len = (uint32_t)n;
		st->n++;
	}
}

static void parse_piece(size_t lo, size_t hi, unsigned k, void *p)
{
	struct stream *st = p;
	struct ga_net net;
	const char *why;
	size_t i;

	(void)k;
	for (i = lo; i < hi; i++) {
		const struct line *l = &st->lines[i];

		if (net_parse(st->buf + l->off, l->len, 0, &net, &why) != 0) {
			st->kind[i] = LINE_BAD;
			continue;
		}
		st->kind[i] = net.kind == NET_ADDR ? LINE_ADDR : LINE_NET;
		st->addr[i] = net.lo;
	}
}

static void lookup_piece(size_t lo, size_t hi, unsigned k, void *p)
{
	struct stream *st = p;
	/* On this thread's stack: the threads' cursors share cache lines. */
	struct bulk_cursor cur = st->cur[k];
	size_t i;

	for (i = lo; i < hi; i++) {
		uint32_t j = st->order[i];

		if (i + BULK_AHEAD < hi) {
			uint32_t ahead = st->order[i + BULK_AHEAD];

			BULK_PREFETCH(&st->addr[ahead]);
			BULK_PREFETCH(&st->e[ahead * st->nsrc]);
			BULK_PREFETCH(&st->bits[ahead * st->nsrc]);
		}
		bulk_lookup(&cur, st->c->set, &st->addr[j],
		            &st->e[j * st->nsrc], &st->bits[j * st->nsrc]);
	}
	st->cur[k] = cur;
}

/* The network of line i, or 0 with the reason it was rejected. */
static int line_net(const struct stream *st, size_t i, struct ga_net *net,
                    const char **why)
{
	const struct line *l = &st->lines[i];

	if (st->kind[i] == LINE_ADDR) {
		net->lo = net->hi = st->addr[i];
		net->prefix_len = addr_bits(&st->addr[i]);
		net->kind = NET_ADDR;
		return 1;
	}
	return net_parse(st->buf + l->off, l->len, 0, net, why) == 0;
}

/* Write the records of one chunk of lines into out. */
static void write_chunk(struct stream *st, size_t lo, size_t hi,
                        struct buf *out)
{
	struct lookup_ctx *c = st->c;
	struct answer ans;
	struct ga_net net;
	const char *why;
	size_t i;

	for (i = lo; i < hi; i++) {
		const struct line *l = &st->lines[i];
		const char *s = st->buf + l->off;
		size_t k;

		/* The entries of a line some way ahead (scattered over the
		 * heap), then nearer, once they are in, the holder's name each
		 * points to, which the row copies.  (A rejected line was never
		 * looked up: it has none.) */
		if (i + 2 * BULK_AHEAD < hi && st->kind[i + 2 * BULK_AHEAD] != LINE_BAD)
			for (k = 0; k < st->nsrc; k++)
				src_entry_prefetch(st->e[(i + 2 * BULK_AHEAD) * st->nsrc + k]);
		if (i + BULK_AHEAD < hi && st->kind[i + BULK_AHEAD] != LINE_BAD)
			for (k = 0; k < st->nsrc; k++) {
				const struct src_entry *e = st->e[(i + BULK_AHEAD) * st->nsrc + k];

				if (e != NULL && e->org != NULL)
					BULK_PREFETCH(e->org);
			}
		if (!line_net(st, i, &net, &why)) {
			if (c->fmt == FMT_CSV)
				bulk_csv_error_more(out, c->w, s, l->len, why,
				                    c->asof != NULL ? REPORT_ASOF_CSV_COLUMNS : 0);
			else
				bulk_ndjson_error(out, s, l->len, why);
			continue;
		}
		bulk_answer(c->set, &net, &st->e[i * st->nsrc],
		            &st->bits[i * st->nsrc], &ans);
		answer_classify(c->cls, &ans);
		bulk_row(c, &ans, s, l->len, out);
	}
}

/* Lines [first + lo, first + hi) of the round, into the piece's buffer. */
static void write_piece(size_t lo, size_t hi, unsigned k, void *p)
{
	struct stream *st = p;
	/* On this thread's stack: the pieces' buffers share cache lines. */
	struct buf out = st->out[lo / WRITE_PIECE];

	(void)k;
	write_chunk(st, st->first + lo, st->first + hi, &out);
	st->out[lo / WRITE_PIECE] = out;
}

/* The messages for rejected lines in [lo, hi), in order; returns how
 * many there were. */
static size_t report_rejected(struct stream *st, const char *name, size_t lo,
                              size_t hi)
{
	char where[256];
	struct ga_net net;
	const char *why;
	size_t i, n = 0;

	for (i = lo; i < hi; i++) {
		const struct line *l = &st->lines[i];

		if (st->kind[i] != LINE_BAD)
			continue;
		n++;
		net_parse(st->buf + l->off, l->len, 0, &net, &why);
		while (st->scan_off < l->off)
			if (st->buf[st->scan_off++] == '\n')
				st->scan_line++;
		snprintf(where, sizeof(where), "%s:%zu", name, st->scan_line);
		msg_error(where, "%s", why);
	}
	return n;
}

/* Parse, look up and write the lines of buf[0..len). */
static void stream_block(struct stream *st, const char *buf, size_t len,
                         const char *name, size_t *lineno)
{
	struct lookup_ctx *c = st->c;
	struct bulk_team *team;
	size_t i, hi, round, p;
	unsigned threads = bulk_threads();

	st->scan_off = 0;
	st->scan_line = *lineno + 1;
	split_lines(st, buf, len, lineno);
	st->buf = buf;
	if (st->n > st->arrcap) {
		st->arrcap = st->n;
		free(st->addr);
		free(st->kind);
		free(st->skip);
		free(st->order);
		free(st->e);
		free(st->bits);
		st->addr = xmalloc(st->arrcap * sizeof(*st->addr));
		st->kind = xmalloc(st->arrcap);
		st->skip = xmalloc(st->arrcap);
		st->order = xmalloc(st->arrcap * sizeof(*st->order));
		st->e = xmalloc(st->arrcap * st->nsrc * sizeof(*st->e));
		st->bits = xmalloc(st->arrcap * st->nsrc);
	}
	if (st->team == NULL && threads > 1 && st->n / MIN_SHARE >= 2)
		st->team = bulk_team_new(threads);
	/* A small block is the main thread's alone. */
	team = st->n / MIN_SHARE >= 2 ? st->team : NULL;
	bulk_team_run(team, st->n, PARSE_PIECE, parse_piece, st);
	/* Rejected lines have no address to sort by. */
	for (i = 0; i < st->n; i++)
		st->skip[i] = st->kind[i] == LINE_BAD;
	st->norder = bulk_order(team, st->addr, sizeof(*st->addr), st->skip, st->n,
	                        st->order);
	bulk_team_run(team, st->norder, LOOKUP_PIECE, lookup_piece, st);

	if (c->fmt == FMT_CSV || c->fmt == FMT_NDJSON) {
		for (st->first = 0; st->first < st->n; st->first += round) {
			round = st->n - st->first < WRITE_ROUND ? st->n - st->first : WRITE_ROUND;
			bulk_team_run(team, round, WRITE_PIECE, write_piece, st);
			/* The pieces in order, each with its lines' messages. */
			for (p = 0; p * WRITE_PIECE < round; p++) {
				i = st->first + p * WRITE_PIECE;
				hi = i + WRITE_PIECE < st->first + round ? i + WRITE_PIECE : st->first + round;
				c->rejected += report_rejected(st, name, i, hi);
				fwrite(st->out[p].data, 1, st->out[p].len, stdout);
				st->out[p].len = 0;
			}
		}
		return;
	}
	/* Text and JSON: on this thread, in order. */
	for (i = 0; i < st->n; i++) {
		const struct line *l = &st->lines[i];
		const char *s = buf + l->off;
		struct ga_net net;
		struct answer ans;
		const char *why;

		report_rejected(st, name, i, i + 1);
		if (!line_net(st, i, &net, &why)) {
			error_record(c, s, l->len, why);
			continue;
		}
		bulk_answer(c->set, &net, &st->e[i * st->nsrc],
		            &st->bits[i * st->nsrc], &ans);
		answer_record(c, &ans, s, l->len);
	}
}

static void lookup_stream(struct lookup_ctx *c, FILE *fp, const char *name)
{
	struct stream st;
	char *buf;
	size_t cap = READ_BLOCK, len = 0, done, lineno = 0, got;
	int eof = 0;
	unsigned k;

	memset(&st, 0, sizeof(st));
	st.c = c;
	st.nsrc = sources_count(c->set) < RESOLVE_MAX_SOURCES
	    ? sources_count(c->set) : RESOLVE_MAX_SOURCES;
	if (st.nsrc == 0)
		st.nsrc = 1;
	for (k = 0; k < BULK_MAX_THREADS; k++) {
		bulk_cursor_init(&st.cur[k], c->set);
		/* In address order, each tree walk resumes from the last. */
		st.cur[k].walk = xcalloc(st.nsrc, sizeof(*st.cur[k].walk));
	}
	for (k = 0; k < WRITE_ROUND / WRITE_PIECE; k++)
		buf_init(&st.out[k]);
	bulk_prepare();
	if (c->fmt == FMT_NDJSON)
		bulk_writer_warm(c->w);
	flush_out(c);
	buf = xmalloc(cap);
	while (!eof || len > 0) {
		while (!eof && len < cap) {
			got = fread(buf + len, 1, cap - len, fp);
			len += got;
			if (got == 0)
				eof = 1;
		}
		if (eof) {
			done = len;
		} else {
			const char *p = buf + len;

			/* Up to the last newline; the rest waits for more. */
			while (p > buf && p[-1] != '\n')
				p--;
			done = (size_t)(p - buf);
			if (done == 0) {
				/* One line longer than the buffer. */
				if (cap >= UINT32_MAX / 2) {
					msg_error(name, "line too long");
					c->rejected++;
					break;
				}
				cap *= 2;
				buf = xrealloc(buf, cap);
				continue;
			}
		}
		stream_block(&st, buf, done, name, &lineno);
		memmove(buf, buf + done, len - done);
		len -= done;
	}
	free(buf);
	free(st.lines);
	free(st.addr);
	free(st.kind);
	free(st.skip);
	free(st.order);
	free(st.e);
	free(st.bits);
	bulk_team_free(st.team);
	for (k = 0; k < BULK_MAX_THREADS; k++)
		free(st.cur[k].walk);
	for (k = 0; k < WRITE_ROUND / WRITE_PIECE; k++)
		buf_free(&st.out[k]);
}

static const struct option lookup_options[] = {
	{ "as-of", required_argument, NULL, 'A' },
	{ "cacert", required_argument, NULL, 'C' },
	{ "db", required_argument, NULL, DBOPT_DB },
	{ "format", required_argument, NULL, 'f' },
	{ "help", no_argument, NULL, 'h' },
	{ "map-source", required_argument, NULL, 'M' },
	{ "no-default-db", no_argument, NULL, DBOPT_NO_DEFAULT },
	{ "online", required_argument, NULL, 'O' },
	{ "rdap-bootstrap", required_argument, NULL, 'B' },
	{ "rdap-cache-only", no_argument, NULL, 'R' },
	{ "timeout", required_argument, NULL, 'T' },
	{ NULL, 0, NULL, 0 }
};

static int run_lookup(int argc, char **argv)
{
	struct lookup_ctx c;
	struct dbopts dbo;
	int ch, i, rc, map_view = 0;
	size_t k;
	static char outbuf[1 << 16];

	memset(&c, 0, sizeof(c));
	dbopts_init(&dbo);
	c.first_text = 1;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "f:h", lookup_options, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if (strcmp(optarg, "text") == 0) c.fmt = FMT_TEXT;
			else if (strcmp(optarg, "json") == 0) c.fmt = FMT_JSON;
			else if (strcmp(optarg, "ndjson") == 0) c.fmt = FMT_NDJSON;
			else if (strcmp(optarg, "csv") == 0) c.fmt = FMT_CSV;
			else if (strcmp(optarg, "svg") == 0) c.fmt = FMT_SVG;
			else
				return cmd_usage_error("lookup", "unknown format '%s' (text, json, ndjson, csv, svg)", optarg);
			break;
		case 'M':
			if (cmd_map_source(optarg, &map_view) != 0) {
				dbopts_release(&dbo);
				return cmd_usage_error("lookup", "--map-source takes a source letter (A, B, ...) or disagree");
			}
			break;
		case 'h':
			return cmd_print_help(lookup_help);
		case 'O':
			if (strcmp(optarg, "rdap") != 0)
				return cmd_usage_error("lookup", "--online takes: rdap");
			c.rdap = 1;
			break;
		case 'A': {
			char why[300];

			if (hist_check_date(optarg, why, sizeof(why)) != 0) {
				dbopts_release(&dbo);
				asof_close(c.asof);
				return cmd_usage_error("lookup", "--as-of: %s", why);
			}
			asof_close(c.asof);
			if ((c.asof = asof_open(optarg, why, sizeof(why))) == NULL) {
				msg_error("lookup", "--as-of: %s", why);
				dbopts_release(&dbo);
				return GA_EXIT_NODB;
			}
			break;
		}
		case 'C': c.ro.cacert = optarg; break;
		case 'B': c.ro.bootstrap_url_v4 = c.ro.bootstrap_url_v6 = optarg; break;
		case 'R': c.ro.offline = 1; break;
		case 'T': {
			uint64_t v;

			if (parse_u64(optarg, strlen(optarg), 1, 3600, &v) != 0)
				return cmd_usage_error("lookup", "--timeout takes seconds from 1 to 3600");
			c.ro.timeout = (long)v;
			break;
		}
		case DBOPT_DB:
		case DBOPT_NO_DEFAULT:
			dbopts_take(&dbo, ch, optarg);
			break;
		default:
			fprintf(stderr, "Try 'geoattr lookup --help'.\n");
			dbopts_release(&dbo);
			return GA_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		dbopts_release(&dbo);
		return cmd_usage_error("lookup", "no addresses given (use - to read standard input)");
	}
	if (c.asof != NULL && c.fmt == FMT_SVG) {
		asof_close(c.asof);
		dbopts_release(&dbo);
		return cmd_usage_error("lookup", "--as-of works with the text, json, ndjson and csv formats");
	}
	if (c.rdap && (c.fmt == FMT_CSV || c.fmt == FMT_NDJSON || c.fmt == FMT_SVG)) {
		dbopts_release(&dbo);
		return cmd_usage_error("lookup", "--online rdap works with the text and json formats");
	}
	if (c.rdap) {
		const char *x = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

		c.rdap_cache = x != NULL && x[0] == '/' ? xasprintf("%s/geoattr", x)
		    : xasprintf("%s/.cache/geoattr", home != NULL ? home : ".");
		c.ro.cache_dir = c.rdap_cache;
		if (!c.ro.offline && fetch_global_init() != 0) {
			dbopts_release(&dbo);
			free(c.rdap_cache);
			return GA_EXIT_NETWORK;
		}
	}
	rc = dbopts_open(&dbo, &c.set);
	if (rc != GA_EXIT_OK) {
		dbopts_release(&dbo);
		return rc;
	}
	{
		char err[512];

		struct classifier *(*loader)(const char *, char *, size_t) = classify_load_lazy;

		/* A few addresses on the command line: search the ASN table
		 * as text instead of parsing all of it first. */
		for (i = optind; i < argc; i++)
			if (strcmp(argv[i], "-") == 0)
				loader = classify_load;
		c.cls = loader(sources_embedded_dir(), err, sizeof(err));
		if (c.cls == NULL && sources_source_geo_dir() != NULL)
			c.cls = loader(sources_source_geo_dir(), err, sizeof(err));
		if (c.cls == NULL)
			msg_warn("lookup", "network types unavailable: %s", err);
	}
	setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	if (c.fmt == FMT_SVG) {
		for (k = 0; k < sources_count(c.set) && c.mc.ncs < RESOLVE_MAX_SOURCES; k++)
			if (source_caps(sources_at(c.set, k)) & SRC_HAS_COUNTRY) {
				c.mc.csrc[c.mc.ncs] = k;
				c.mc.cc[c.mc.ncs++] = xcalloc(WORLDMAP_NCC, sizeof(double));
			}
		c.mc.disagree = xcalloc(WORLDMAP_NCC, sizeof(double));
	}
	if (c.fmt == FMT_JSON)
		c.array = jv_array();
	if (c.fmt == FMT_CSV)
		csv_header(&c);
	buf_init(&c.out);
	/* Only CSV and NDJSON rows go through the writer: a one-address
	 * lookup in text does not pay for making it. */
	c.w = c.fmt == FMT_CSV || c.fmt == FMT_NDJSON ? bulk_writer_new(c.set) : NULL;
	for (i = optind; i < argc; i++) {
		/* Text and json with --as-of read line by line; csv and ndjson
		 * go through the bulk path, which writes the then columns. */
		if (strcmp(argv[i], "-") == 0 && c.asof != NULL &&
		    (c.fmt == FMT_TEXT || c.fmt == FMT_JSON))
			lookup_lines(&c, stdin);
		else if (strcmp(argv[i], "-") == 0)
			lookup_stream(&c, stdin, "(stdin)");
		else
			lookup_one(&c, argv[i]);
	}
	buf_free(&c.out);
	bulk_writer_free(c.w);
	if (c.fmt == FMT_JSON) {
		jv_dump(c.array, stdout, JV_PRETTY);
		jv_free(c.array);
	}
	rc = GA_EXIT_OK;
	if (c.fmt == FMT_SVG) {
		rc = map_write(&c, map_view);
		for (k = 0; k < c.mc.ncs; k++)
			free(c.mc.cc[k]);
		free(c.mc.disagree);
	}
	classify_free(c.cls);
	sources_free(c.set);
	asof_close(c.asof);
	dbopts_release(&dbo);
	if (c.rdap) {
		free(c.rdap_cache);
		fetch_global_cleanup();
	}
	if (rc != GA_EXIT_OK)
		return rc;
	if (c.rejected)
		return GA_EXIT_PARTIAL;
	return c.rdap_failed ? GA_EXIT_NETWORK : GA_EXIT_OK;
}

const struct cmd cmd_lookup = {
	"lookup", "show every database's answer for addresses, prefixes, ranges",
	run_lookup
};
