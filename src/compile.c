/*
 * compile.c - range data to MaxMind DB, the engine of `geoattr compile`.
 */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "addr.h"
#include "compile.h"
#include "csvread.h"
#include "exitcodes.h"
#include "mmdbw.h"
#include "util.h"

#define MAX_COLUMNS 64
#define MAX_RECORD (1u << 20)
/* Rows parsed per hand-over between the two threads: large enough that
 * the hand-over costs nothing, small enough to stay in cache. */
#define BATCH_ROWS 4096

enum role {
	ROLE_IGNORE,
	ROLE_START,
	ROLE_END,
	ROLE_NETWORK,
	ROLE_COUNTRY,
	ROLE_ASN,
	ROLE_ORG,
	ROLE_EXTRA
};

struct column {
	enum role role;
	char *name;          /* for ROLE_EXTRA */
};

struct layout {
	struct column col[MAX_COLUMNS];
	size_t n;
	int has_start, has_end, has_network;
};

/*
 * Compiling runs as two stages, on two threads when there are two CPUs:
 * the parser reads rows and encodes their values (struct parser), the
 * inserter stores them in the tree in file order and does all the
 * counting and reporting (struct compiler), so messages, counts and the
 * database are the same whichever way it runs.
 */
struct compiler {
	const struct compile_opts *o;
	struct compile_stats *st;
	struct mmdbw *w;
	atomic_int stop;     /* strict mode hit a bad row */
	uint32_t *handle_of; /* value id (see struct value_cache) -> handle */
	size_t handle_cap;
};

enum row_kind { ROW_STORE, ROW_UNKNOWN, ROW_BAD };

/* One row as the parser hands it over. */
struct row {
	struct ga_addr lo, hi;
	unsigned long line;
	const char *why;     /* ROW_BAD: a static string */
	uint32_t vid;        /* ROW_STORE: its value id */
	uint32_t enc_off, enc_len; /* the value, at the first row of its id */
	int kind;
};

struct batch {
	struct row *rows;
	size_t n;
	struct buf enc;      /* the STORE rows' encoded values, back to back */
	int last;            /* no batch follows for this file */
	int rc;              /* with last: GA_EXIT_OK or the layout error */
	int full;            /* filled and not yet applied */
};

/*
 * The values rows of this file's layout have had, by their raw fields:
 * a repeated value (most rows repeat one) is given the id of its first
 * row instead of being encoded again, and the inserter stores it under
 * the handle it got then, without its bytes crossing between threads or
 * being hashed there.  The encoding depends on the raw fields and the
 * layout alone, so this changes no value.  Ids are never reused.
 */
struct value_cache {
	uint64_t *slot;      /* raw key hash << 32 | (entry + 1), or 0 */
	size_t cap;
	struct vc_entry {
		size_t off;      /* the raw key, in keys */
		uint32_t len;
		uint32_t vid;
	} *ent;
	size_t n;
	size_t ent_cap;
	struct buf keys;
	struct buf key;      /* the row at hand's raw key */
	uint32_t next_vid;
};

struct parser {
	const struct compile_opts *o;
	struct value_cache vc;
	const atomic_int *stop;
	struct csv_reader *r;
	const char *file;
	struct mmdbw_enc *enc;
	struct layout lay;
	int have_layout;
	struct buf keys;     /* top-level keys any layout so far writes */
};

/* Note a top-level key the records may hold (for "geoattr_keys"). */
static void note_key(struct parser *p, const char *k)
{
	size_t n = strlen(k);
	const char *q = p->keys.data;

	while (q != NULL && q < p->keys.data + p->keys.len) {
		size_t m = strcspn(q, " ");

		if (m == n && memcmp(q, k, n) == 0)
			return;
		q += m + 1;
	}
	if (p->keys.len > 0)
		buf_addc(&p->keys, ' ');
	buf_adds(&p->keys, k);
}

static void note_layout_keys(struct parser *p)
{
	size_t i;

	for (i = 0; i < p->lay.n; i++) {
		switch (p->lay.col[i].role) {
		case ROLE_COUNTRY: note_key(p, "country"); break;
		case ROLE_ASN: note_key(p, "autonomous_system_number"); break;
		case ROLE_ORG: note_key(p, "autonomous_system_organization"); break;
		case ROLE_EXTRA: note_key(p, p->lay.col[i].name); break;
		default: break;
		}
	}
}

void compile_opts_init(struct compile_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->header = -1;
	o->ip_version = 6;
	o->type = "geoattr";
	o->max_report = 50;
}

static enum role role_of(const char *s, size_t n)
{
	static const struct {
		const char *name;
		enum role role;
	} names[] = {
		{ "start", ROLE_START }, { "ip_range_start", ROLE_START },
		{ "first", ROLE_START }, { "end", ROLE_END },
		{ "ip_range_end", ROLE_END }, { "last", ROLE_END },
		{ "network", ROLE_NETWORK }, { "prefix", ROLE_NETWORK },
		{ "cidr", ROLE_NETWORK }, { "ip_prefix", ROLE_NETWORK },
		{ "country", ROLE_COUNTRY }, { "cc", ROLE_COUNTRY },
		{ "country_code", ROLE_COUNTRY }, { "iso_code", ROLE_COUNTRY },
		{ "asn", ROLE_ASN }, { "autonomous_system_number", ROLE_ASN },
		{ "org", ROLE_ORG }, { "organization", ROLE_ORG },
		{ "as_name", ROLE_ORG }, { "as_org", ROLE_ORG },
		{ "autonomous_system_organization", ROLE_ORG },
		{ "-", ROLE_IGNORE }, { "_", ROLE_IGNORE },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i].name) == n &&
		    strncasecmp(names[i].name, s, n) == 0)
			return names[i].role;
	return ROLE_EXTRA;
}

static void layout_clear(struct layout *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->col[i].name);
	memset(l, 0, sizeof(*l));
}

static int layout_add(struct layout *l, const char *s, size_t n)
{
	struct column *c;

	while (n > 0 && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (l->n == MAX_COLUMNS)
		return -1;
	c = &l->col[l->n++];
	c->role = role_of(s, n);
	c->name = c->role == ROLE_EXTRA ? xstrndup(s, n) : NULL;
	if (c->role == ROLE_EXTRA && n == 0)
		return -1;
	l->has_start += c->role == ROLE_START;
	l->has_end += c->role == ROLE_END;
	l->has_network += c->role == ROLE_NETWORK;
	return 0;
}

/* Is the layout usable: exactly one way to say where a row applies? */
static const char *layout_check(const struct layout *l)
{
	if (l->has_network > 1 || l->has_start > 1 || l->has_end > 1)
		return "a column role appears twice";
	if (l->has_network && (l->has_start || l->has_end))
		return "give either network or start,end, not both";
	if (!l->has_network && !(l->has_start && l->has_end))
		return "no network column and no start,end columns";
	return NULL;
}

static int layout_parse_spec(struct layout *l, const char *spec)
{
	const char *p = spec, *comma;

	for (;;) {
		comma = strchr(p, ',');
		if (layout_add(l, p, comma ? (size_t)(comma - p) : strlen(p)))
			return -1;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	return 0;
}

/* Decimal IPv4 as used by Tor's geoip file. */
static int parse_int_v4(const char *s, size_t n, struct ga_addr *a)
{
	uint64_t v;

	if (parse_u64(s, n, 0, 0xffffffffu, &v))
		return -1;
	memset(a, 0, sizeof(*a));
	a->family = 4;
	a->bytes[0] = (uint8_t)(v >> 24);
	a->bytes[1] = (uint8_t)(v >> 16);
	a->bytes[2] = (uint8_t)(v >> 8);
	a->bytes[3] = (uint8_t)v;
	return 0;
}

/* Are s[0..n) all decimal digits?  Nothing past n is read: the field
 * may end the buffer. */
static int all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int parse_bound(const char *s, size_t n, struct ga_addr *a,
                       const char **why)
{
	if (n > 0 && n <= 10 && all_digits(s, n))
		return parse_int_v4(s, n, a) ? (*why = "integer address over 2^32-1", -1) : 0;
	return addr_parse(s, n, a, why);
}

static int is_unknown_country(const char *s, size_t n)
{
	return n == 0 || (n == 1 && s[0] == '-') ||
	       (n == 2 && ((s[0] == '?' && s[1] == '?') ||
	                   (toupper((unsigned char)s[0]) == 'Z' &&
	                    toupper((unsigned char)s[1]) == 'Z')));
}

static int parse_asn(const char *s, size_t n, uint32_t *asn)
{
	uint64_t v;

	if (n > 2 && (s[0] == 'A' || s[0] == 'a') && (s[1] == 'S' || s[1] == 's')) {
		s += 2;
		n -= 2;
	}
	if (parse_u64(s, n, 0, 0xffffffffu, &v))
		return -1;
	*asn = (uint32_t)v;
	return 0;
}

static void report(struct compiler *c, const char *file, unsigned long line,
                   const char *why)
{
	char where[512];

	c->st->rejected++;
	if (c->st->rejected <= c->o->max_report || c->o->strict) {
		snprintf(where, sizeof(where), "%s:%lu", file, line);
		msg_error(where, "%s", why);
	}
	if (c->o->strict)
		atomic_store(&c->stop, 1);
}

/* The raw key of a record: its value fields, each after its length. */
static void raw_key(struct parser *p, const struct csv_field *f, size_t nf)
{
	const struct layout *l = &p->lay;
	size_t i;

	buf_reset(&p->vc.key);
	for (i = 0; i < l->n && i < nf; i++) {
		uint32_t n = (uint32_t)f[i].len;

		switch (l->col[i].role) {
		case ROLE_COUNTRY: case ROLE_ASN: case ROLE_ORG: case ROLE_EXTRA:
			buf_add(&p->vc.key, &n, sizeof n);
			buf_add(&p->vc.key, f[i].p, f[i].len);
			break;
		default:
			break;
		}
	}
}

/* The slot of p->vc.key (hash h): its entry + 1 there, or an empty slot. */
static size_t vc_find(const struct value_cache *vc, uint32_t h)
{
	size_t i;

	for (i = h & (vc->cap - 1); vc->slot[i] != 0; i = (i + 1) & (vc->cap - 1)) {
		const struct vc_entry *e;

		if ((uint32_t)(vc->slot[i] >> 32) != h)
			continue;
		e = &vc->ent[(uint32_t)vc->slot[i] - 1];
		if (e->len == vc->key.len &&
		    memcmp(vc->keys.data + e->off, vc->key.data, e->len) == 0)
			break;
	}
	return i;
}

static void vc_grow(struct value_cache *vc)
{
	size_t cap = vc->cap ? vc->cap * 2 : 4096, k, i;
	uint64_t *t = xcalloc(cap, sizeof *t);

	for (k = 0; k < vc->cap; k++) {
		if (vc->slot[k] == 0)
			continue;
		for (i = (vc->slot[k] >> 32) & (cap - 1); t[i] != 0;
		     i = (i + 1) & (cap - 1))
			;
		t[i] = vc->slot[k];
	}
	free(vc->slot);
	vc->slot = t;
	vc->cap = cap;
}

/* A new layout gives the same fields other meanings. */
static void vc_clear(struct value_cache *vc)
{
	if (vc->cap)
		memset(vc->slot, 0, vc->cap * sizeof *vc->slot);
	vc->n = 0;
	buf_reset(&vc->keys);
}

static void vc_free(struct value_cache *vc)
{
	free(vc->slot);
	free(vc->ent);
	buf_free(&vc->keys);
	buf_free(&vc->key);
}

/* Encode the values of one record; returns 0 if nothing known is left. */
static int encode_values(struct parser *c, const struct csv_field *f,
                         size_t nf, const char **why)
{
	const struct layout *l = &c->lay;
	const struct csv_field *country = NULL, *org = NULL;
	uint32_t asn = 0;
	int has_asn = 0;
	uint32_t nkeys = 0;
	size_t i;
	char cc[2];

	for (i = 0; i < l->n && i < nf; i++) {
		switch (l->col[i].role) {
		case ROLE_COUNTRY:
			if (!is_unknown_country(f[i].p, f[i].len)) {
				if (f[i].len != 2 || !isalpha((unsigned char)f[i].p[0]) ||
				    !isalpha((unsigned char)f[i].p[1])) {
					*why = "country is not a two-letter code";
					return -1;
				}
				country = &f[i];
				nkeys++;
			}
			break;
		case ROLE_ASN:
			if (f[i].len == 0)
				break;
			if (parse_asn(f[i].p, f[i].len, &asn)) {
				*why = "ASN is not a number from 0 to 4294967295";
				return -1;
			}
			/* AS0 means "not routed" (RFC 7607): nothing to store. */
			if (asn != 0) {
				has_asn = 1;
				nkeys++;
			}
			break;
		case ROLE_ORG:
			if (f[i].len > 0) {
				org = &f[i];
				nkeys++;
			}
			break;
		case ROLE_EXTRA:
			nkeys += f[i].len > 0;
			break;
		default:
			break;
		}
	}
	if (nkeys == 0)
		return 0;
	mmdbw_enc_map(c->enc, nkeys);
	if (country != NULL) {
		cc[0] = (char)toupper((unsigned char)country->p[0]);
		cc[1] = (char)toupper((unsigned char)country->p[1]);
		mmdbw_enc_cstr(c->enc, "country");
		mmdbw_enc_map(c->enc, 1);
		mmdbw_enc_cstr(c->enc, "iso_code");
		mmdbw_enc_str(c->enc, cc, 2);
	}
	if (has_asn) {
		mmdbw_enc_cstr(c->enc, "autonomous_system_number");
		mmdbw_enc_u32(c->enc, asn);
	}
	if (org != NULL) {
		mmdbw_enc_cstr(c->enc, "autonomous_system_organization");
		mmdbw_enc_str(c->enc, org->p, org->len);
	}
	for (i = 0; i < l->n && i < nf; i++) {
		if (l->col[i].role == ROLE_EXTRA && f[i].len > 0) {
			mmdbw_enc_cstr(c->enc, l->col[i].name);
			mmdbw_enc_str(c->enc, f[i].p, f[i].len);
		}
	}
	return 1;
}

/* Parse one data record into row.  Returns 1 when its value is new and
 * encoded in c->enc, else 0. */
static int parse_record(struct parser *c, const struct csv_field *f,
                         size_t nf, struct row *row)
{
	const struct layout *l = &c->lay;
	struct ga_net net;
	const char *why = NULL;
	int have_lo = 0, have_hi = 0, r;
	size_t i, slot;
	uint32_t h;

	row->kind = ROW_BAD;
	if (nf != l->n) {
		row->why = nf < l->n ? "too few fields" : "too many fields";
		return 0;
	}
	for (i = 0; i < nf; i++) {
		switch (l->col[i].role) {
		case ROLE_START:
			if (parse_bound(f[i].p, f[i].len, &row->lo, &why)) {
				row->why = why;
				return 0;
			}
			have_lo = 1;
			break;
		case ROLE_END:
			if (parse_bound(f[i].p, f[i].len, &row->hi, &why)) {
				row->why = why;
				return 0;
			}
			have_hi = 1;
			break;
		case ROLE_NETWORK:
			if (net_parse(f[i].p, f[i].len, 0, &net, &why)) {
				row->why = why;
				return 0;
			}
			row->lo = net.lo;
			row->hi = net.hi;
			have_lo = have_hi = 1;
			break;
		default:
			break;
		}
	}
	if (!have_lo || !have_hi) {
		row->why = "no address range";
		return 0;
	}
	if (row->lo.family != row->hi.family) {
		row->why = "range start and end are of different IP versions";
		return 0;
	}
	if (addr_cmp(&row->lo, &row->hi) > 0) {
		row->why = "range end is before its start";
		return 0;
	}
	if (row->lo.family == 6 && c->o->ip_version == 4) {
		row->why = "IPv6 range in an IPv4 database";
		return 0;
	}
	raw_key(c, f, nf);
	if (c->vc.key.len == 0)
		buf_addc(&c->vc.key, 0);   /* no value fields: still a key */
	h = (uint32_t)hash_bytes(c->vc.key.data, c->vc.key.len);
	if (2 * (c->vc.n + 1) > c->vc.cap)
		vc_grow(&c->vc);
	slot = vc_find(&c->vc, h);
	if (c->vc.slot[slot] != 0) {
		row->vid = c->vc.ent[(uint32_t)c->vc.slot[slot] - 1].vid;
		row->kind = ROW_STORE;
		return 0;
	}
	mmdbw_enc_reset(c->enc);
	r = encode_values(c, f, nf, &why);
	if (r < 0) {
		row->why = why;
		return 0;
	}
	row->kind = r == 0 ? ROW_UNKNOWN : ROW_STORE;
	if (r == 0)
		return 0;
	/* only values that are stored are remembered */
	c->vc.ent = xgrow(c->vc.ent, &c->vc.ent_cap, c->vc.n + 1,
	                  sizeof *c->vc.ent);
	c->vc.ent[c->vc.n].off = c->vc.keys.len;
	c->vc.ent[c->vc.n].len = (uint32_t)c->vc.key.len;
	c->vc.ent[c->vc.n].vid = row->vid = c->vc.next_vid++;
	buf_add(&c->vc.keys, c->vc.key.data, c->vc.key.len);
	c->vc.slot[slot] = (uint64_t)h << 32 | (uint64_t)(c->vc.n + 1);
	c->vc.n++;
	return 1;
}

/* Store one parsed row: the inserting stage. */
static void apply_row(struct compiler *c, const char *file,
                      const struct row *row, const uint8_t *encs)
{
	uint64_t before;
	int status;
	uint32_t d;

	c->st->records++;
	if (row->kind == ROW_BAD) {
		report(c, file, row->line, row->why);
		return;
	}
	if (row->kind == ROW_UNKNOWN) {
		c->st->unknown++;
		return;
	}
	if (row->enc_len > 0) {
		/* the first row of its value id */
		d = mmdbw_data_add_encoded(c->w, encs + row->enc_off, row->enc_len);
		c->handle_of = xgrow(c->handle_of, &c->handle_cap, row->vid + 1,
		                     sizeof *c->handle_of);
		c->handle_of[row->vid] = d;
	} else {
		d = c->handle_of[row->vid];
	}
	before = mmdbw_overlaps(c->w);
	status = mmdbw_insert_range(c->w, &row->lo, &row->hi, d);
	if (status != MMDBW_OK) {
		report(c, file, row->line, mmdbw_strerror(status));
		return;
	}
	c->st->stored++;
	c->st->overlaps += mmdbw_overlaps(c->w) > before;
}

static int is_comment(const struct csv_field *f, size_t nf)
{
	return nf > 0 && f[0].len > 0 && f[0].p[0] == '#';
}

/* Does this record look like a header (its first field is no address)? */
static int looks_like_header(const struct csv_field *f, size_t nf)
{
	struct ga_net net;
	struct ga_addr a;
	const char *why;

	if (nf == 0)
		return 0;
	if (net_parse(f[0].p, f[0].len, ADDR_HOSTBITS_MASK, &net, &why) == 0)
		return 0;
	if (parse_bound(f[0].p, f[0].len, &a, &why) == 0)
		return 0;
	return 1;
}

/* Pick a layout for a file from options, its header or its first row. */
static int choose_layout(struct parser *c, const char *file,
                         unsigned long line, const struct csv_field *f,
                         size_t nf, int *consumed)
{
	const struct compile_opts *o = c->o;
	enum compile_format fmt = o->format;
	const char *bad;
	size_t i;
	int header = o->header;

	*consumed = 0;
	if (header < 0)
		header = o->columns == NULL && looks_like_header(f, nf);
	layout_clear(&c->lay);
	if (o->columns != NULL) {
		if (layout_parse_spec(&c->lay, o->columns)) {
			msg_error("--columns", "bad column list '%s'", o->columns);
			return GA_EXIT_USAGE;
		}
		*consumed = header;
	} else if (header) {
		for (i = 0; i < nf; i++)
			if (layout_add(&c->lay, f[i].p, f[i].len)) {
				char where[512];

				snprintf(where, sizeof(where), "%s:%lu", file, line);
				msg_error(where, "header has an empty or extra column name");
				return GA_EXIT_USAGE;
			}
		*consumed = 1;
	} else {
		/* No names given: the layouts of the data we ship. */
		if (fmt == COMPILE_AUTO)
			fmt = nf > 0 && memchr(f[0].p, '/', f[0].len) ? COMPILE_CIDR_CSV
			                                              : COMPILE_RANGE_CSV;
		if (fmt == COMPILE_CIDR_CSV)
			layout_parse_spec(&c->lay, nf >= 3 ? "network,asn,org" : "network,country");
		else if (fmt == COMPILE_TOR || nf == 3)
			layout_parse_spec(&c->lay, "start,end,country");
		else if (nf == 4)
			layout_parse_spec(&c->lay, "start,end,asn,org");
		else {
			char where[512];

			snprintf(where, sizeof(where), "%s:%lu", file, line);
			msg_error(where, "cannot guess what the %zu columns hold: give --columns or a header row", nf);
			return GA_EXIT_USAGE;
		}
	}
	if ((bad = layout_check(&c->lay)) != NULL) {
		msg_error(o->columns ? "--columns" : file, "%s", bad);
		return GA_EXIT_USAGE;
	}
	c->have_layout = 1;
	vc_clear(&c->vc);
	return GA_EXIT_OK;
}

static char guess_sep(const char *buf, size_t len)
{
	const char *nl = memchr(buf, '\n', len);
	size_t n = nl ? (size_t)(nl - buf) : len;

	if (memchr(buf, '\t', n) != NULL && memchr(buf, ',', n) == NULL)
		return '\t';
	return ',';
}

/* Fill b with the next rows of the file.  Sets b->last at the end of
 * the file, at a layout error (b->rc) or once the inserter has stopped. */
static void parse_batch(struct parser *p, struct batch *b)
{
	const struct csv_field *f;
	struct row *row;
	size_t nf;
	unsigned long line;
	int st, consumed;

	b->n = 0;
	b->last = 0;
	b->rc = GA_EXIT_OK;
	buf_reset(&b->enc);
	while (b->n < BATCH_ROWS) {
		if (atomic_load_explicit(p->stop, memory_order_relaxed) ||
		    (st = csv_next(p->r, &f, &nf, &line)) == CSV_EOF) {
			b->last = 1;
			return;
		}
		row = &b->rows[b->n];
		row->line = line;
		if (st != CSV_RECORD) {
			row->kind = ROW_BAD;
			row->why = csv_strerror(st);
			b->n++;
			continue;
		}
		if (is_comment(f, nf))
			continue;
		if (!p->have_layout) {
			b->rc = choose_layout(p, p->file, line, f, nf, &consumed);
			if (b->rc != GA_EXIT_OK) {
				b->last = 1;
				return;
			}
			note_layout_keys(p);
			if (consumed)
				continue;
		}
		row->enc_len = 0;
		if (parse_record(p, f, nf, row)) {
			size_t elen;
			const uint8_t *eb = mmdbw_enc_data(p->enc, &elen);

			row->enc_off = (uint32_t)b->enc.len;
			row->enc_len = (uint32_t)elen;
			buf_add(&b->enc, eb, elen);
		}
		b->n++;
	}
}

static void apply_batch(struct compiler *c, const char *file,
                        const struct batch *b)
{
	size_t i;

	for (i = 0; i < b->n && !atomic_load(&c->stop); i++)
		apply_row(c, file, &b->rows[i], (const uint8_t *)b->enc.data);
}

/* Two batches go round between the parsing thread and this one. */
struct pipe {
	struct parser *p;
	struct batch b[2];
	pthread_mutex_t lock;
	pthread_cond_t cond;
};

static void *parse_main(void *arg)
{
	struct pipe *pp = arg;
	size_t k;
	int last = 0;

	for (k = 0; !last; k ^= 1) {
		struct batch *b = &pp->b[k];

		pthread_mutex_lock(&pp->lock);
		while (b->full)
			pthread_cond_wait(&pp->cond, &pp->lock);
		pthread_mutex_unlock(&pp->lock);
		parse_batch(pp->p, b);
		last = b->last;
		pthread_mutex_lock(&pp->lock);
		b->full = 1;
		pthread_cond_broadcast(&pp->cond);
		pthread_mutex_unlock(&pp->lock);
	}
	return NULL;
}

/* Returns the layout error of the file, or GA_EXIT_OK; with threaded 0
 * (or when no thread can be started) both stages run here in turn. */
static int run_pipe(struct compiler *c, struct parser *p, int threaded)
{
	struct pipe pp;
	pthread_t tid;
	size_t k;
	int rc = GA_EXIT_OK, last = 0;

	memset(&pp, 0, sizeof(pp));
	pp.p = p;
	for (k = 0; k < 2; k++) {
		pp.b[k].rows = xmalloc(BATCH_ROWS * sizeof(struct row));
		buf_init(&pp.b[k].enc);
	}
	pthread_mutex_init(&pp.lock, NULL);
	pthread_cond_init(&pp.cond, NULL);
	if (threaded && pthread_create(&tid, NULL, parse_main, &pp) != 0)
		threaded = 0;
	for (k = 0; !last; k ^= 1) {
		struct batch *b = &pp.b[k];

		if (threaded) {
			pthread_mutex_lock(&pp.lock);
			while (!b->full)
				pthread_cond_wait(&pp.cond, &pp.lock);
			pthread_mutex_unlock(&pp.lock);
		} else {
			parse_batch(p, b);
		}
		apply_batch(c, p->file, b);
		last = b->last;
		rc = b->rc;
		if (threaded) {
			pthread_mutex_lock(&pp.lock);
			b->full = 0;
			pthread_cond_broadcast(&pp.cond);
			pthread_mutex_unlock(&pp.lock);
		}
	}
	if (threaded)
		pthread_join(tid, NULL);
	pthread_cond_destroy(&pp.cond);
	pthread_mutex_destroy(&pp.lock);
	for (k = 0; k < 2; k++) {
		free(pp.b[k].rows);
		buf_free(&pp.b[k].enc);
	}
	return rc;
}

static int compile_buffer(struct compiler *c, struct parser *p,
                          const char *file, const char *buf, size_t len)
{
	char sep = c->o->sep ? c->o->sep : guess_sep(buf, len);
	int rc;

	p->have_layout = 0;
	p->file = file;
	p->r = csv_new(buf, len, sep, MAX_COLUMNS, MAX_RECORD);
	/* Below a few thousand rows a thread costs more than it saves. */
	rc = run_pipe(c, p, len > (1u << 20) && ga_threads(2) > 1);
	csv_free(p->r);
	p->r = NULL;
	return rc;
}

static void set_metadata(struct compiler *c, const struct parser *p)
{
	const struct compile_opts *o = c->o;

	/* Every top-level key a record may hold: geoattr then searches a
	 * record for these only (see source.c).  On request: the plain
	 * output has no metadata other readers do not know. */
	if (o->list_keys)
		mmdbw_meta_extra(c->w, "geoattr_keys", p->keys.len ? p->keys.data : "");

	mmdbw_meta_type(c->w, o->type ? o->type : "geoattr");
	if (o->description)
		mmdbw_meta_description(c->w, "en", o->description);
	if (o->source_name)
		mmdbw_meta_extra(c->w, "geoattr_source", o->source_name);
	if (o->license)
		mmdbw_meta_extra(c->w, "geoattr_license", o->license);
	if (o->attribution)
		mmdbw_meta_extra(c->w, "geoattr_attribution", o->attribution);
	if (o->data_date)
		mmdbw_meta_extra(c->w, "geoattr_data_date", o->data_date);
	if (o->record_size)
		mmdbw_meta_record_size(c->w, o->record_size);
}

int compile_run(const struct compile_opts *o, const char *const *inputs,
                size_t ninputs, const char *out, struct compile_stats *st)
{
	struct compiler c;
	struct parser p;
	size_t i;
	int rc = GA_EXIT_OK, status;
	char *buf;
	size_t len;
	FILE *fp;

	memset(st, 0, sizeof(*st));
	memset(&c, 0, sizeof(c));
	c.o = o;
	c.st = st;
	c.w = mmdbw_new(o->ip_version);
	atomic_init(&c.stop, 0);
	memset(&p, 0, sizeof(p));
	p.o = o;
	p.stop = &c.stop;
	p.enc = mmdbw_enc_new();
	buf_init(&p.keys);
	for (i = 0; i < ninputs && rc == GA_EXIT_OK && !atomic_load(&c.stop); i++) {
		const char *name = strcmp(inputs[i], "-") == 0 ? "(stdin)" : inputs[i];

		if (file_read_all(inputs[i], &buf, &len) != 0) {
			msg_error(name, "cannot read: %s", strerror(errno));
			rc = GA_EXIT_IO;
			break;
		}
		rc = compile_buffer(&c, &p, name, buf, len);
		free(buf);
	}
	if (rc == GA_EXIT_OK && atomic_load(&c.stop))
		rc = GA_EXIT_STRICT;
	if (rc == GA_EXIT_OK) {
		if (st->rejected > o->max_report)
			msg_error(NULL, "%llu more bad rows not shown",
			          (unsigned long long)(st->rejected - o->max_report));
		set_metadata(&c, &p);
		status = mmdbw_write_file(c.w, out);
		if (status != MMDBW_OK) {
			msg_error(out, "cannot write: %s%s%s", mmdbw_strerror(status),
			          status == MMDBW_ERR_IO ? ": " : "",
			          status == MMDBW_ERR_IO ? strerror(errno) : "");
			rc = status == MMDBW_ERR_IO ? GA_EXIT_IO : GA_EXIT_INTERNAL;
		} else {
			st->distinct = mmdbw_data_count(c.w);
			st->nodes = mmdbw_node_count(c.w);
			st->record_size = mmdbw_record_size(c.w);
			if ((fp = fopen(out, "rb")) != NULL) {
				if (fseek(fp, 0, SEEK_END) == 0)
					st->bytes = (uint64_t)ftell(fp);
				fclose(fp);
			}
			if (st->rejected > 0)
				rc = GA_EXIT_PARTIAL;
		}
	}
	layout_clear(&p.lay);
	buf_free(&p.keys);
	free(c.handle_of);
	vc_free(&p.vc);
	mmdbw_enc_free(p.enc);
	mmdbw_free(c.w);
	return rc;
}
