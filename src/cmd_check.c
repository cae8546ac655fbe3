/*
 * cmd_check.c - `geoattr check`: read the list behind a claim, measure
 * it, judge the claim, print the caveats this list triggers.
 *
 * Pipeline: extract -> ipset (dedupe) -> resolve -> classify ->
 * aggregate -> judge -> report.  Each unique entry is resolved once.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aggregate.h"
#include "asof.h"
#include "bulk.h"
#include "classify.h"
#include "cmd.h"
#include "country.h"
#include "dbopts.h"
#include "extract.h"
#include "histupdate.h"
#include "ipset.h"
#include "judge.h"
#include "report.h"
#include "util.h"

static const char check_help[] =
"Usage: geoattr check [OPTIONS] [FILE...]\n"
"       geoattr check [OPTIONS] --claim-file CLAIM.json\n"
"\n"
"Check what a list of IP addresses behind a claim (\"the attacks were traced\n"
"to country X\") does and does not show: where the databases place the\n"
"entries and whether they agree, which networks hold them and how\n"
"concentrated they are, what kind of networks they are, whether the claimed\n"
"share is within what the list shows, and which caveats apply, each with the\n"
"figure that triggered it and a reference.  FILE may be - for standard input.\n"
"\n"
"Input (detected, or --input-format): plain lists, CSV/TSV with a header\n"
"(address, count, cited-location, type, role and date columns found by name;\n"
"locations cited in prose such as \"located in X\" read), JSON (array,\n"
"objects, NDJSON), STIX 2.1 bundles, STIX 1.x XML, MISP events, OpenIOC 1.0\n"
"and 1.1, PDF reports, and free text with defanged addresses (1.2.3[.]4,\n"
"hxxp://...).  Domains, URLs and hashes are counted by kind, never looked up.\n"
"Duplicates are merged with their counts; prefixes and ranges are kept as\n"
"networks.  Every rejected item is reported as FILE:LINE: reason (FILE: page N\n"
"for PDF), and entries = accepted + rejected always holds.\n"
"\n"
"Claim:\n"
"      --claim CC            claimed country (ISO code or English name)\n"
"      --claimed-share S     claimed share: 0.75 or 75%\n"
"      --claim-date DATE     when the claim was made (YYYY-MM-DD)\n"
"      --claim-file FILE     a claim file (JSON: claimant, date, statement,\n"
"                            claimed_country, claimed_share, source, addresses)\n""      --as-of DATE          also judge the list as of DATE with the historical\n"
"                            data `geoattr update --as-of DATE` installed:\n"
"                            registry, origin AS and Tor exits then and now.\n"
"                            Default: the claim's date, when data for it is\n"
"                            installed (--as-of none turns that off)\n"
"Input and output:\n"
"  -i, --input-format F      auto (default), list, csv, json, stix, stix1, misp,\n"
"                            openioc, pdf, text\n"
"  -f, --format F            text (default), json, csv (per-entry table), html\n"
"                            (one self-contained file with inline SVG charts\n"
"                            and a world map), svg (the world map alone)\n"
"  -o, --output FILE         write the report to FILE instead of standard output\n"
"  -d, --details             list every entry in the text report (and in JSON)\n"
"      --map-source V        the map's view: A, B, ... (a country source's\n"
"                            share per country; default A) or disagree (where\n"
"                            the sources disagree); svg writes it, html shows\n"
"                            it first\n"
"      --no-map              no world map in the HTML report\n"
"      --top N               rows in country and ASN tables (default 10)\n"
"      --color WHEN          auto (default: only on a terminal, never with\n"
"                            NO_COLOR), always, never\n"
"      --ascii               bars in ASCII instead of Unicode blocks\n"
"      --strict              fail (exit 3) on any rejected item, printing them\n"
"      --db FILE             also use this MaxMind DB file (repeatable)\n"
"      --no-default-db       use only --db files and $GEOATTR_DB_PATH\n"
"  -h, --help                show this help\n"
"\n"
"Exit status: 0 checked, 1 checked but some items rejected, 2 usage,\n"
"3 rejected under --strict, 4 no database, 5 file error.\n";

enum { OPT_CLAIM = 300, OPT_SHARE, OPT_DATE, OPT_CLAIM_FILE, OPT_TOP,
       OPT_COLOR, OPT_ASCII, OPT_STRICT, OPT_MAP_SOURCE, OPT_NO_MAP, OPT_ASOF };

static const struct option check_options[] = {
	{ "as-of", required_argument, NULL, OPT_ASOF },
	{ "ascii", no_argument, NULL, OPT_ASCII },
	{ "claim", required_argument, NULL, OPT_CLAIM },
	{ "claim-date", required_argument, NULL, OPT_DATE },
	{ "claim-file", required_argument, NULL, OPT_CLAIM_FILE },
	{ "claimed-share", required_argument, NULL, OPT_SHARE },
	{ "color", required_argument, NULL, OPT_COLOR },
	{ "colour", required_argument, NULL, OPT_COLOR },
	{ "db", required_argument, NULL, DBOPT_DB },
	{ "details", no_argument, NULL, 'd' },
	{ "format", required_argument, NULL, 'f' },
	{ "help", no_argument, NULL, 'h' },
	{ "input-format", required_argument, NULL, 'i' },
	{ "map-source", required_argument, NULL, OPT_MAP_SOURCE },
	{ "no-default-db", no_argument, NULL, DBOPT_NO_DEFAULT },
	{ "no-map", no_argument, NULL, OPT_NO_MAP },
	{ "output", required_argument, NULL, 'o' },
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ "top", required_argument, NULL, OPT_TOP },
	{ NULL, 0, NULL, 0 }
};

struct checker {
	struct ipset *set;
	struct input_stats *cur;
	struct rejection *rej;
	size_t nrej, caprej;
	struct other_indicator *oth;
	size_t noth, capoth;
	/* Entries wait here to be added in batches (see ipset_add_many);
	 * cited codes are copied because the item's memory is borrowed. */
	struct ipset_item batch[IPSET_BATCH];
	char cited[IPSET_BATCH][3];
	size_t nbatch;
	/* The input being read, and how much of it was given back. */
	char *buf;
	size_t len, discarded;
};

/* A plain list is read once, front to back: what lies before the current
 * line is never read again, so its pages go back as reading goes on.  A
 * 10M-line list is 190 MB, as much as the set of its entries. */
#define DISCARD_STEP ((size_t)4 << 20)

static void discard_read(struct checker *k, const char *at)
{
	size_t upto;

	/* Compared as integers: the item's text may lie outside the buffer. */
	if (k->cur->ex.format != EX_LIST || (uintptr_t)at < (uintptr_t)k->buf ||
	    (uintptr_t)at > (uintptr_t)k->buf + k->len)
		return;
	upto = (size_t)((uintptr_t)at - (uintptr_t)k->buf);
	if (upto - k->discarded < DISCARD_STEP)
		return;
	mem_discard(k->buf + k->discarded, upto - k->discarded);
	k->discarded = upto;
}

static void flush_items(struct checker *k)
{
	size_t added = ipset_add_many(k->set, k->batch, k->nbatch);

	k->cur->duplicates += k->nbatch - added;
	k->nbatch = 0;
}

static void on_item(void *ctx, const struct ex_item *it)
{
	struct checker *k = ctx;
	struct ipset_item *b = &k->batch[k->nbatch];

	b->net = it->net;
	b->line = it->line;
	b->weight = it->has_count ? it->count : 1;
	b->note = ipset_note_add(k->set, it->role, it->role_len, it->phase, it->phase_len,
	                         it->observed, it->observed_len);
	if (it->cited[0]) {
		memcpy(k->cited[k->nbatch], it->cited, 3);
		b->cited = k->cited[k->nbatch];
	} else {
		b->cited = NULL;
	}
	if (++k->nbatch == IPSET_BATCH) {
		flush_items(k);
		discard_read(k, it->text);
	}
}

/* Printable copy of at most 200 bytes of text: it may be binary. */
static char *printable(const char *text, size_t len)
{
	char *s = xstrndup(text, len > 200 ? 200 : len);

	for (char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return s;
}

static void on_reject(void *ctx, unsigned long line, const char *text,
                      size_t len, const char *why)
{
	struct checker *k = ctx;
	struct rejection *r;

	k->rej = xgrow(k->rej, &k->caprej, k->nrej + 1, sizeof(*k->rej));
	r = &k->rej[k->nrej++];
	r->file = k->cur->name;
	r->line = line;
	r->text = printable(text, len);
	/* Copied: a reason such as a bad count's is built in the reader's
	 * own buffer, gone by the time the report is written. */
	r->why = xstrdup(why);
	r->page = k->cur->ex.format == EX_PDF;
}


/* Other indicators are kept for the listing up to a bound (the counts are
 * always whole): a million hashes need not be held to be counted. */
#define MAX_OTHERS 100000

static void on_other(void *ctx, enum ex_kind kind, unsigned long line,
                     const char *text, size_t len)
{
	struct checker *k = ctx;
	struct other_indicator *o;

	if (k->noth >= MAX_OTHERS)
		return;
	k->oth = xgrow(k->oth, &k->capoth, k->noth + 1, sizeof(*k->oth));
	o = &k->oth[k->noth++];
	o->file = k->cur->name;
	o->line = line;
	o->kind = kind;
	o->text = printable(text, len);
	o->page = k->cur->ex.format == EX_PDF;
}

/* Input of at least this many bytes (a few thousand lines) is worth a
 * thread team for its lookups (resolve_batch_ahead), and for reading a
 * plain list (extract_buffer_shared). */
#define CHECK_TEAM_BYTES (64u << 10)

/* The team as extract's threads (struct ex_threads). */
static void team_run(void *team, size_t count, size_t piece,
                     void (*fn)(size_t lo, size_t hi, unsigned k, void *arg),
                     void (*own)(void *arg), void *arg)
{
	bulk_team_run_own(team, count, piece, fn, own, arg);
}

struct agg_feed {
	struct aggregate *agg;
	const struct classifier *cls;
	const struct ipset *set;
	size_t base;
	struct asof_set *asof;      /* NULL: no historical data */
	struct asof_rec *recs;      /* per entry */
	struct asof_summary *sum;   /* the entries' counts then and now */
};

static void feed_one(size_t i, const struct answer *ans, void *ctx)
{
	struct agg_feed *f = ctx;
	struct net_class nc;
	struct ipset_entry e;

	answer_type(f->cls, ans, &nc);
	ipset_get(f->set, f->base + i, &e);
	agg_add(f->agg, (uint32_t)(f->base + i), &e, ans, &nc);
	if (f->asof != NULL) {
		struct asof_rec *r = &f->recs[f->base + i];

		/* Special-use space is left out: it was never anyone's. */
		r->compared = ans->special == NULL;
		r->asn_now = answer_asn(ans);
		{
			/* Copied by hand: a snprintf per entry was 5% of a check. */
			const char *cc = f->agg->ncs ? answer_country(ans, f->agg->csrc[0]) : "";

			r->cc_now[0] = cc[0];
			r->cc_now[1] = cc[0] ? cc[1] : '\0';
			r->cc_now[2] = '\0';
		}
		r->tor_now = nc.type == NT_TOR;
	}
}

/* With --as-of: the answer now and the set's entries then, from the one
 * walk; the record is filled by feed_one and then compared. */
static void feed_one_asof(size_t i, const struct answer *ans,
                          const src_ref *then, const void *pre, void *ctx)
{
	struct agg_feed *f = ctx;
	struct asof_rec *r = &f->recs[f->base + i];

	feed_one(i, ans, ctx);
	memcpy(r->then, then, sizeof(r->then));
	asof_compare_pre(f->asof, pre, r);
	/* Once per entry, so counted here rather than in a pass of its own. */
	asof_count(f->sum, r);
}

/* On the worker thread that looked the entries up: what the comparison
 * needs of them, so that the caller's thread reads none. */
_Static_assert(sizeof(struct asof_pre) <= BULK_ALSO_SCRATCH, "asof_pre fits the scratch");
static void feed_prep_asof(const src_ref *then, void *pre, const src_ref *last,
                           const void *last_pre, const void *ctx)
{
	const struct agg_feed *f = ctx;

	asof_prepare_from(f->asof, then, pre, last, last_pre);
}

static void feed_ahead(size_t i, int stage, const struct answer *ans, void *ctx)
{
	struct agg_feed *f = ctx;

	agg_prefetch(f->agg, f->set, f->base + i, stage, ans->asn);
}

/* The same, and the entry's as-of record, reached in address order too. */
static void feed_ahead_asof(size_t i, int stage, const struct answer *ans, void *ctx)
{
	struct agg_feed *f = ctx;

	agg_prefetch(f->agg, f->set, f->base + i, stage, ans->asn);
	if (stage == 0)
		__builtin_prefetch(&f->recs[f->base + i], 1);
}

static int want_unicode(void)
{
	const char *v = getenv("LC_ALL");

	if (v == NULL || !*v)
		v = getenv("LC_CTYPE");
	if (v == NULL || !*v)
		v = getenv("LANG");
	return v != NULL && (strstr(v, "UTF-8") || strstr(v, "utf8") || strstr(v, "UTF8") ||
	                     strstr(v, "utf-8"));
}

int cmd_map_source(const char *arg, int *view)
{
	if (strcmp(arg, "disagree") == 0) {
		*view = REPORT_MAP_DISAGREE;
		return 0;
	}
	if (strlen(arg) == 1 && ((*arg >= 'A' && *arg < 'A' + AGG_MAX_CSRC) ||
	                         (*arg >= 'a' && *arg < 'a' + AGG_MAX_CSRC))) {
		*view = (*arg | 0x20) - 'a';
		return 0;
	}
	return -1;
}

static int run_check(int argc, char **argv)
{
	struct dbopts dbo;
	struct claim claim;
	struct checker k;
	struct bulk_team *team = NULL;  /* shares the lookups; see CHECK_TEAM_BYTES */
	struct input_stats *inputs = NULL;
	size_t ninputs = 0, i;
	const char **files = NULL;
	size_t nfiles = 0;
	enum ex_format infmt = EX_AUTO;
	int fmt = 0, details = 0, strict = 0, color = -1, ascii = 0, ch, rc = GA_EXIT_OK;
	int map_view = 0, no_map = 0;
	struct worldmap *map = NULL;
	uint64_t top = 10;
	const char *claim_file = NULL, *cc_arg = NULL, *share_arg = NULL, *date_arg = NULL;
	const char *output = NULL;
	char *tmpout = NULL;
	FILE *fp = stdout;
	char err[512];
	struct source_set *sset = NULL;
	struct classifier *cls = NULL;
	struct aggregate agg;
	struct judgement j;
	struct check_report rep;
	long data_month = -1;
	int rc2;
	const char *asof_arg = NULL;
	struct asof_set *asof = NULL;
	struct asof_rec *asof_recs = NULL;
	struct asof_summary asof_sum;
	char *asof_hint = NULL;

	dbopts_init(&dbo);
	claim_init(&claim);
	memset(&k, 0, sizeof(k));
	optind = 1;
	while ((ch = getopt_long(argc, argv, "df:hi:o:", check_options, NULL)) != -1) {
		switch (ch) {
		case 'o': output = optarg; break;
		case 'd': details = 1; break;
		case 'f':
			if (strcmp(optarg, "text") == 0) fmt = 0;
			else if (strcmp(optarg, "json") == 0) fmt = 1;
			else if (strcmp(optarg, "csv") == 0) fmt = 2;
			else if (strcmp(optarg, "html") == 0) fmt = 3;
			else if (strcmp(optarg, "svg") == 0) fmt = 4;
			else { rc = cmd_usage_error("check", "unknown format '%s' (text, json, csv, html, svg)", optarg); goto out; }
			break;
		case 'h': rc = cmd_print_help(check_help); goto out;
		case 'i':
			if (extract_format_parse(optarg, &infmt) != 0) {
				rc = cmd_usage_error("check", "unknown input format '%s' (auto, list, csv, json, stix, stix1, misp, openioc, pdf, text)", optarg);
				goto out;
			}
			break;
		case OPT_CLAIM: cc_arg = optarg; break;
		case OPT_SHARE: share_arg = optarg; break;
		case OPT_DATE: date_arg = optarg; break;
		case OPT_CLAIM_FILE: claim_file = optarg; break;
		case OPT_TOP:
			if (parse_u64(optarg, strlen(optarg), 1, 1000, &top) != 0) {
				rc = cmd_usage_error("check", "--top takes a number from 1 to 1000");
				goto out;
			}
			break;
		case OPT_COLOR:
			if (strcmp(optarg, "auto") == 0) color = -1;
			else if (strcmp(optarg, "always") == 0) color = 1;
			else if (strcmp(optarg, "never") == 0) color = 0;
			else { rc = cmd_usage_error("check", "--color takes auto, always or never"); goto out; }
			break;
		case OPT_ASCII: ascii = 1; break;
		case OPT_STRICT: strict = 1; break;
		case OPT_NO_MAP: no_map = 1; break;
		case OPT_ASOF: asof_arg = optarg; break;
		case OPT_MAP_SOURCE:
			if (cmd_map_source(optarg, &map_view) != 0) {
				rc = cmd_usage_error("check", "--map-source takes a source letter (A, B, ...) or disagree");
				goto out;
			}
			break;
		case DBOPT_DB:
		case DBOPT_NO_DEFAULT:
			dbopts_take(&dbo, ch, optarg);
			break;
		default:
			fprintf(stderr, "Try 'geoattr check --help'.\n");
			rc = GA_EXIT_USAGE;
			goto out;
		}
	}

	/* The claim: a file, then options override it. */
	if (claim_file != NULL && claim_load(claim_file, &claim, err, sizeof(err)) != 0) {
		msg_error(NULL, "%s", err);
		rc = GA_EXIT_IO;
		goto out;
	}
	if (cc_arg != NULL && country_parse(cc_arg, strlen(cc_arg), claim.country) != 0) {
		rc = cmd_usage_error("check", "--claim: '%s' is not a country code or name", cc_arg);
		goto out;
	}
	if (share_arg != NULL && claim_parse_share(share_arg, &claim.share) != 0) {
		rc = cmd_usage_error("check", "--claimed-share: '%s' is not a share (0.75 or 75%%)", share_arg);
		goto out;
	}
	if (date_arg != NULL) {
		long m;

		if (claim_parse_month(date_arg, &m) != 0) {
			rc = cmd_usage_error("check", "--claim-date: '%s' is not YYYY-MM-DD", date_arg);
			goto out;
		}
		free(claim.date);
		claim.date = xstrdup(date_arg);
	}
	/* As of: a date given, else the claim's when its data is installed;
	 * without data for the claim's date the report says how to get it. */
	memset(&asof_sum, 0, sizeof(asof_sum));
	if (asof_arg != NULL && strcmp(asof_arg, "none") != 0) {
		char why[300];

		if (hist_check_date(asof_arg, why, sizeof(why)) != 0) {
			rc = cmd_usage_error("check", "--as-of: %s", why);
			goto out;
		}
		if ((asof = asof_open(asof_arg, why, sizeof(why))) == NULL) {
			msg_error("check", "--as-of: %s", why);
			rc = GA_EXIT_NODB;
			goto out;
		}
	} else if (asof_arg == NULL && claim.date != NULL && strlen(claim.date) == 10 &&
	           hist_check_date(claim.date, err, sizeof(err)) == 0) {
		if (asof_installed(claim.date))
			asof = asof_open(claim.date, err, sizeof(err));
		if (asof == NULL)
			asof_hint = xasprintf("no historical data for %s is installed: "
			                      "`geoattr update --as-of %s` gets it, and check then "
			                      "compares then and now", claim.date, claim.date);
	}
	if (claim.share >= 0 && !claim.country[0]) {
		rc = cmd_usage_error("check", "a claimed share needs a claimed country (--claim)");
		goto out;
	}

	if (fmt == 4 && no_map) {
		rc = cmd_usage_error("check", "--no-map leaves nothing for --format svg");
		goto out;
	}
	/* The map's table is read only for the formats that draw it.  Its
	 * absence costs the HTML report its map, and the SVG its purpose. */
	if ((fmt == 3 && !no_map) || fmt == 4) {
		map = worldmap_load_default(err, sizeof(err));
		if (map == NULL && fmt == 4) {
			msg_error(NULL, "%s", err);
			rc = GA_EXIT_IO;
			goto out;
		}
		if (map == NULL)
			msg_warn("check", "no world map in the report: %s", err);
	}

	/* Inputs: arguments, else the claim file's list. */
	for (i = (size_t)optind; i < (size_t)argc; i++) {
		files = xrealloc(files, (nfiles + 1) * sizeof(*files));
		files[nfiles++] = argv[i];
	}
	if (nfiles == 0 && claim.addresses != NULL) {
		files = xrealloc(files, sizeof(*files));
		files[nfiles++] = claim.addresses;
	}
	if (nfiles > 0)
		claim.no_list = 0;
	if (nfiles == 0 && !claim.no_list) {
		rc = cmd_usage_error("check", "no input: give FILE (- for standard input) or --claim-file");
		goto out;
	}

	rc = dbopts_open(&dbo, &sset);
	if (rc != GA_EXIT_OK)
		goto out;
	cls = classify_load(sources_embedded_dir(), err, sizeof(err));
	if (cls == NULL && sources_source_geo_dir() != NULL)
		cls = classify_load(sources_source_geo_dir(), err, sizeof(err));
	if (cls == NULL)
		msg_warn("check", "network types unavailable: %s", err);

	k.set = ipset_new();
	inputs = xcalloc(nfiles ? nfiles : 1, sizeof(*inputs));
	for (i = 0; i < nfiles; i++) {
		struct ex_sink sink = { on_item, on_reject, on_other, &k };
		struct ex_threads threads = { team_run, NULL };
		char *buf;
		size_t len;
		struct input_stats *in = &inputs[ninputs++];

		in->name = strcmp(files[i], "-") == 0 ? "(stdin)" : files[i];
		k.cur = in;
		if (file_read_all(files[i], &buf, &len) != 0) {
			msg_error(in->name, "cannot read: %s", strerror(errno));
			rc = GA_EXIT_IO;
			goto out;
		}
		/* Started before the parse: a long plain list is read with
		 * it, and its threads (they begin milliseconds late) are up
		 * by the time the lookups start. */
		if (team == NULL && len >= CHECK_TEAM_BYTES && bulk_threads() > 1)
			team = bulk_team_new(bulk_threads());
		/* A line of a list is rarely under 16 bytes: room for that many
		 * entries saves rehashing millions of them as they come. */
		ipset_reserve(k.set, ipset_count(k.set) + len / 16);
		k.buf = buf;
		k.len = len;
		k.discarded = 0;
		threads.team = team;
		rc2 = extract_buffer_shared(buf, len, infmt, &sink,
		                            team != NULL ? &threads : NULL,
		                            &in->ex, err, sizeof(err));
		flush_items(&k);
		k.buf = NULL;
		if (rc2 != 0) {
			in->failed = 1;
			snprintf(in->error, sizeof(in->error), "%s", err);
			msg_error(in->name, "%s", err);
			if (strict) {
				free(buf);
				rc = GA_EXIT_STRICT;
				goto out;
			}
		}
		free(buf);
	}
	if (k.nrej > 0) {
		size_t shown = fmt == 0 ? 0 : (k.nrej < 20 ? k.nrej : 20);

		/* In text the report lists them; otherwise stderr names the first. */
		for (i = 0; i < shown || (strict && i < k.nrej); i++) {
			char where[512];

			snprintf(where, sizeof(where), "%s:%lu", k.rej[i].file, k.rej[i].line);
			msg_error(where, "%s", k.rej[i].why);
		}
		if (strict) {
			rc = GA_EXIT_STRICT;
			goto out;
		}
	}

	/* Nothing more is added: the hash goes before resolving needs its
	 * caches and tables. */
	ipset_seal(k.set);
	agg_init(&agg, sset, cls);
	agg_reserve(&agg, k.set);
	{
		/* Resolved in chunks: each is sorted and looked up with block
		 * reuse (and threads) by resolve_batch, while the networks it
		 * needs stay a small, bounded copy of the unique set; with --as-of
		 * the historical set is looked up in the same walk. */
		size_t chunk = 1u << 18, base, m;
		struct ga_net *nets = xmalloc(chunk * sizeof(*nets));
		struct agg_feed feed = { &agg, cls, k.set, 0, asof, NULL, &asof_sum };

		if (asof != NULL)
			feed.recs = asof_recs = xcalloc(ipset_count(k.set) ? ipset_count(k.set) : 1,
			                                sizeof(*asof_recs));

		for (base = 0; base < ipset_count(k.set); base += chunk) {
			m = ipset_count(k.set) - base < chunk ? ipset_count(k.set) - base : chunk;
			for (i = 0; i < m; i++)
				ipset_net(k.set, base + i, &nets[i]);
			feed.base = base;
			if (asof != NULL)
				resolve_batch_also(team, sset, asof_sources(asof), nets, m,
				                   feed_prep_asof, feed_one_asof, feed_ahead_asof, &feed);
			else
				resolve_batch_ahead(team, sset, nets, m, feed_one, feed_ahead, &feed);
		}
		free(nets);
		bulk_team_free(team);
		team = NULL;
	}
	agg_finish(&agg);
	if (agg.ncs > 0) {
		struct source_info si;

		source_info(sources_at(sset, agg.csrc[0]), &si);
		if (!si.data_date[0] || claim_parse_month(si.data_date, &data_month) != 0)
			data_month = -1;
	}
	judge(&agg, &claim, ninputs ? &inputs[0].ex : NULL, data_month, &j);
	if (asof != NULL)
		judge_asof(&j, &asof_sum, asof_date(asof));

	memset(&rep, 0, sizeof(rep));
	rep.claim = &claim;
	rep.inputs = inputs;
	rep.ninputs = ninputs;
	rep.rejections = k.rej;
	rep.nrejections = k.nrej;
	rep.others = k.oth;
	rep.nothers = k.noth;
	rep.set = k.set;
	rep.agg = &agg;
	rep.j = &j;
	rep.details = details;
	rep.top = (size_t)top;
	rep.max_rejections = 10;
	rep.color = color < 0 ? (isatty(STDOUT_FILENO) && getenv("NO_COLOR") == NULL) : color;
	if (getenv("NO_COLOR") != NULL && getenv("NO_COLOR")[0] != '\0' && color < 0)
		rep.color = 0;
	rep.unicode = !ascii && want_unicode();
	rep.map = fmt == 3 ? map : NULL;
	rep.map_view = map_view;
	rep.asof = asof;
	rep.asof_recs = asof_recs;
	rep.asof_sum = asof ? &asof_sum : NULL;
	rep.asof_hint = asof_hint;
	if (fmt == 4 && (map_view == REPORT_MAP_DISAGREE ? agg.ncs < 2 : (size_t)map_view >= agg.ncs)) {
		msg_error("check", "--map-source: %s", agg.ncs == 0 ? "no country source to map"
		          : map_view == REPORT_MAP_DISAGREE ? "only one country source: nothing to disagree"
		          : "no country source with that letter");
		rc = GA_EXIT_USAGE;
		judgement_release(&j);
		agg_release(&agg);
		goto out;
	}
	if (output != NULL) {
		/* Written beside the target and renamed: a failed run never
		 * leaves half a report where a good one was. */
		tmpout = xasprintf("%s.tmp", output);
		if ((fp = fopen(tmpout, "w")) == NULL) {
			msg_error(output, "cannot write: %s", strerror(errno));
			rc = GA_EXIT_IO;
			judgement_release(&j);
			agg_release(&agg);
			goto out;
		}
		rep.color = color > 0;
	}
	if (fmt == 1)
		report_json(&rep, fp);
	else if (fmt == 2)
		report_csv(&rep, fp);
	else if (fmt == 3)
		report_html(&rep, fp);
	else if (fmt == 4)
		report_svg(&rep, map, fp);
	else
		report_text(&rep, fp);
	if (fp != stdout) {
		if (ferror(fp) | fclose(fp) || rename(tmpout, output) != 0) {
			msg_error(output, "cannot write: %s", strerror(errno));
			unlink(tmpout);
			rc = GA_EXIT_IO;
		}
		fp = stdout;
	}
	judgement_release(&j);
	agg_release(&agg);
	if (rc == GA_EXIT_OK && k.nrej > 0)
		rc = GA_EXIT_PARTIAL;
	for (i = 0; i < ninputs; i++)
		if (inputs[i].failed && rc == GA_EXIT_OK)
			rc = GA_EXIT_PARTIAL;
out:
	bulk_team_free(team);
	free(tmpout);
	asof_close(asof);
	free(asof_recs);
	free(asof_hint);
	for (i = 0; i < k.nrej; i++) {
		free(k.rej[i].text);
		free(k.rej[i].why);
	}
	free(k.rej);
	for (i = 0; i < k.noth; i++)
		free(k.oth[i].text);
	free(k.oth);
	ipset_free(k.set);
	free(inputs);
	free(files);
	classify_free(cls);
	worldmap_free(map);
	sources_free(sset);
	claim_release(&claim);
	dbopts_release(&dbo);
	return rc;
}

const struct cmd cmd_check = {
	"check", "check a claim against the IP list behind it: spread, networks, caveats",
	run_check
};
