/*
 * compile.c - range data to MaxMind DB, the engine of `geoattr compile`.
 */
#include <ctype.h>
#include <errno.h>
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

struct compiler {
	const struct compile_opts *o;
	struct compile_stats *st;
	struct mmdbw *w;
	struct mmdbw_enc *enc;
	struct layout lay;
	int have_layout;
	int stop;            /* strict mode hit a bad row */
	struct buf last;     /* encoding of the previous stored value */
	uint32_t last_handle;
	int have_last;
};

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

static int parse_bound(const char *s, size_t n, struct ga_addr *a,
                       const char **why)
{
	if (n > 0 && n <= 10 && strspn(s, "0123456789") >= n)
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
		c->stop = 1;
}

/* Encode the values of one record; returns 0 if nothing known is left. */
static int encode_values(struct compiler *c, const struct csv_field *f,
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

static void compile_record(struct compiler *c, const char *file,
                           unsigned long line, const struct csv_field *f,
                           size_t nf)
{
	const struct layout *l = &c->lay;
	struct ga_addr lo, hi;
	struct ga_net net;
	const char *why = NULL;
	int have_lo = 0, have_hi = 0, r, status;
	uint64_t before;
	size_t i;
	uint32_t d;

	c->st->records++;
	if (nf != l->n) {
		report(c, file, line, nf < l->n ? "too few fields" : "too many fields");
		return;
	}
	for (i = 0; i < nf; i++) {
		switch (l->col[i].role) {
		case ROLE_START:
			if (parse_bound(f[i].p, f[i].len, &lo, &why)) {
				report(c, file, line, why);
				return;
			}
			have_lo = 1;
			break;
		case ROLE_END:
			if (parse_bound(f[i].p, f[i].len, &hi, &why)) {
				report(c, file, line, why);
				return;
			}
			have_hi = 1;
			break;
		case ROLE_NETWORK:
			if (net_parse(f[i].p, f[i].len, 0, &net, &why)) {
				report(c, file, line, why);
				return;
			}
			lo = net.lo;
			hi = net.hi;
			have_lo = have_hi = 1;
			break;
		default:
			break;
		}
	}
	if (!have_lo || !have_hi) {
		report(c, file, line, "no address range");
		return;
	}
	if (lo.family != hi.family) {
		report(c, file, line, "range start and end are of different IP versions");
		return;
	}
	if (addr_cmp(&lo, &hi) > 0) {
		report(c, file, line, "range end is before its start");
		return;
	}
	if (lo.family == 6 && c->o->ip_version == 4) {
		report(c, file, line, "IPv6 range in an IPv4 database");
		return;
	}
	mmdbw_enc_reset(c->enc);
	r = encode_values(c, f, nf, &why);
	if (r < 0) {
		report(c, file, line, why);
		return;
	}
	if (r == 0) {
		c->st->unknown++;
		return;
	}
	{
		/* Neighbouring rows often carry the same value (one holder's
		 * ranges in a row): reuse its handle without hashing it again. */
		size_t elen;
		const uint8_t *eb = mmdbw_enc_data(c->enc, &elen);

		if (c->have_last && elen == c->last.len &&
		    memcmp(eb, c->last.data, elen) == 0) {
			d = c->last_handle;
			mmdbw_enc_reset(c->enc);
		} else {
			buf_reset(&c->last);
			buf_add(&c->last, eb, elen);
			d = mmdbw_data_add(c->w, c->enc);
			c->last_handle = d;
			c->have_last = 1;
		}
	}
	before = mmdbw_overlaps(c->w);
	status = mmdbw_insert_range(c->w, &lo, &hi, d);
	if (status != MMDBW_OK) {
		report(c, file, line, mmdbw_strerror(status));
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
static int choose_layout(struct compiler *c, const char *file,
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

static int compile_buffer(struct compiler *c, const char *file,
                          const char *buf, size_t len)
{
	struct csv_reader *r;
	const struct csv_field *f;
	size_t nf;
	unsigned long line;
	int st, rc = GA_EXIT_OK, consumed;
	char sep = c->o->sep ? c->o->sep : guess_sep(buf, len);

	c->have_layout = 0;
	r = csv_new(buf, len, sep, MAX_COLUMNS, MAX_RECORD);
	while (!c->stop && (st = csv_next(r, &f, &nf, &line)) != CSV_EOF) {
		if (st != CSV_RECORD) {
			c->st->records++;
			report(c, file, line, csv_strerror(st));
			continue;
		}
		if (is_comment(f, nf))
			continue;
		if (!c->have_layout) {
			rc = choose_layout(c, file, line, f, nf, &consumed);
			if (rc != GA_EXIT_OK)
				break;
			if (consumed)
				continue;
		}
		compile_record(c, file, line, f, nf);
	}
	csv_free(r);
	return rc;
}

static void set_metadata(struct compiler *c)
{
	const struct compile_opts *o = c->o;

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
	c.enc = mmdbw_enc_new();
	for (i = 0; i < ninputs && rc == GA_EXIT_OK && !c.stop; i++) {
		const char *name = strcmp(inputs[i], "-") == 0 ? "(stdin)" : inputs[i];

		if (file_read_all(inputs[i], &buf, &len) != 0) {
			msg_error(name, "cannot read: %s", strerror(errno));
			rc = GA_EXIT_IO;
			break;
		}
		rc = compile_buffer(&c, name, buf, len);
		free(buf);
	}
	if (rc == GA_EXIT_OK && c.stop)
		rc = GA_EXIT_STRICT;
	if (rc == GA_EXIT_OK) {
		if (st->rejected > o->max_report)
			msg_error(NULL, "%llu more bad rows not shown",
			          (unsigned long long)(st->rejected - o->max_report));
		set_metadata(&c);
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
	layout_clear(&c.lay);
	buf_free(&c.last);
	mmdbw_enc_free(c.enc);
	mmdbw_free(c.w);
	return rc;
}
