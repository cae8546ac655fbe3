/*
 * extract.c - read a cited list in any of the forms claims come in.
 *
 * Every reader ends in one of two places: accept() for a parsed network,
 * reject() for a candidate that did not parse, so the counts in ex_stats
 * are kept in one spot and items = accepted + rejected holds by
 * construction.
 *
 * The list reader is the bulk path (published lists run to millions of
 * lines): one memchr() per line for the newline, one or two for a
 * comment, and net_parse() on the slice in place.  All the slower checks
 * (NUL bytes, UTF-8, defanged forms) run only on lines that failed to
 * parse, since a line that parsed is plain ASCII by construction.
 *
 * Choices worth knowing (they are also in the test file):
 *
 *   Comments.  Lists take '#' and ';' comments, anywhere on a line: ';'
 *   is what the Spamhaus DROP family uses, and neither byte can be part
 *   of an address.  A line holding a NUL byte or invalid UTF-8 is
 *   rejected even when the bad bytes are in its comment, because such a
 *   line means the file is not the text it claims to be.
 *
 *   Host bits.  "1.2.3.4/24" is rejected with net_parse's reason rather
 *   than masked: the author meant either the host or the network and we
 *   cannot tell which.
 *
 *   JSON line numbers.  jansson keeps no positions, so after it has
 *   validated the text we walk the raw bytes once ourselves (skipping
 *   strings, counting depth) and note the line where each element of the
 *   item array starts.  An item's line is that line, exactly; an address
 *   nested deeper (in a STIX pattern, or an observed-data object) carries
 *   the line of the top-level element that holds it.
 *
 *   STIX.  Only comparisons on ipv4-addr:value and ipv6-addr:value with
 *   '=', ISSUBSET or IN count; '!=', NOT and other operators say nothing
 *   about where an address is, and patterns of another pattern_type
 *   (snort, yara, ...) are not STIX patterns.  An address object that an
 *   observed-data object lists in object_refs is read once, through the
 *   observed-data, with its number_observed as the count.
 *
 *   Free text.  A candidate is a maximal run of hex digits, '.' and ':'
 *   (defang markers read as the byte they stand for) that starts and ends
 *   at a word boundary.  It is an IPv4 candidate only if it has exactly
 *   four parts of one to three decimal digits, so dates (2024.01.02),
 *   three-part versions (10.5.2), OIDs (1.3.6.1.4.1.311: a quad inside a
 *   longer dotted run) and hostnames (1.2.3.4.example.com) never are.
 *   Version numbers are recognised by context only: a word right before
 *   the run such as "version", "ver.", "v", "build", "release",
 *   "firmware", "section"; a letter glued on ("v1.2.3.4"); a suffix glued
 *   on with '-' ("1.2.3.4-rc1"); or a "product/1.2.3.4" token.  A bare
 *   product name is not enough: "OpenSSL 1.1.1.1" yields 1.1.1.1, which
 *   is also a well-known resolver address, and we do not guess from a
 *   list of products.  "1.2.3.4:80" yields 1.2.3.4; a "/LEN" after an
 *   address is a prefix except inside a URL.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "country.h"
#include "csvread.h"
#include "extract.h"
#include "jsonout.h"
#include "util.h"

/* Lines longer than this are rejected unread: no address needs them. */
#define EX_LINE_MAX (64 * 1024)
/* Longest text handed to reject(). */
#define EX_REJECT_MAX 200
/* Longest run of address bytes free text may hold as one candidate. */
#define EX_RUN_MAX 128
/* How much of the input the detector and the column sampler look at. */
#define EX_SNIFF_LINES 1000
#define EX_SAMPLE_ROWS 200
/* Object members looked at per JSON object (objects are small). */
#define EX_MAX_MEMBERS 256
#define EX_NAME_MAX 64

static const char R_NUL_LINE[] = "NUL byte in line";
static const char R_UTF8[] = "invalid UTF-8";
static const char R_LONG[] = "line too long";

struct ex {
	const struct ex_sink *sink;
	struct ex_stats *st;
	const char *base;       /* input after the BOM */
	const char *end;
	char fixed[EX_RUN_MAX + 8];     /* a value with defang markers undone */
};

/* ------------------------------------------------------------ bytes */

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
	    c == '\f';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_alnum(char c)
{
	return is_digit(c) || is_alpha(c);
}

static int is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static void trim(const char **s, const char **e)
{
	while (*s < *e && is_space(**s))
		(*s)++;
	while (*e > *s && is_space((*e)[-1]))
		(*e)--;
}

/* True if p[0..n) is well-formed UTF-8 (no overlongs, no surrogates). */
static int utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k, need;
	unsigned c, min;

	while (i < n) {
		c = p[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			need = 1;
			min = 0x80;
			c &= 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			need = 2;
			min = 0x800;
			c &= 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3;
			min = 0x10000;
			c &= 0x07;
		} else {
			return 0;
		}
		if (n - i <= need)
			return 0;
		for (k = 1; k <= need; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
			c = c << 6 | (p[i + k] & 0x3f);
		}
		if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return 0;
		i += need + 1;
	}
	return 1;
}



/* ------------------------------------------------------------ results */

static void reject(struct ex *x, unsigned long line, const char *s, size_t n,
                   const char *why)
{
	if (n > EX_REJECT_MAX) {
		n = EX_REJECT_MAX;
		/* Do not end the excerpt inside a UTF-8 sequence. */
		while (n > EX_REJECT_MAX - 3 && (s[n] & 0xc0) == 0x80)
			n--;
	}
	x->st->items++;
	x->st->rejected++;
	if (x->sink != NULL && x->sink->reject != NULL)
		x->sink->reject(x->sink->ctx, line, s, n, why);
}

static void accept(struct ex *x, const struct ex_item *it)
{
	x->st->items++;
	x->st->accepted++;
	if (x->sink != NULL && x->sink->item != NULL)
		x->sink->item(x->sink->ctx, it);
}

static void item_init(struct ex_item *it)
{
	memset(it, 0, sizeof *it);
	it->count = 1;
}

/*
 * Length of a defang marker at s ("[.]", "(.)", "{.}", "[dot]", "[:]",
 * "[/]" and the other bracket pairs), with the byte it stands for in
 * *out; 0 if there is none.
 */
static size_t marker(const char *s, const char *end, char *out)
{
	size_t n = (size_t)(end - s);
	char close;

	if (n < 3)
		return 0;
	switch (s[0]) {
	case '[': close = ']'; break;
	case '(': close = ')'; break;
	case '{': close = '}'; break;
	default: return 0;
	}
	if ((s[1] == '.' || s[1] == ':' || s[1] == '/') && s[2] == close) {
		*out = s[1];
		return 3;
	}
	if (n >= 5 && lower(s[1]) == 'd' && lower(s[2]) == 'o' &&
	    lower(s[3]) == 't' && s[4] == close) {
		*out = '.';
		return 5;
	}
	return 0;
}

/*
 * Copy s[0..n) to x->fixed with defang markers undone.  Returns the new
 * length, or 0 if nothing changed or the result would not fit.
 */
static size_t refang(struct ex *x, const char *s, size_t n)
{
	const char *p = s, *end = s + n;
	size_t o = 0, m;
	int changed = 0;
	char c;

	if (n > 4 * EX_RUN_MAX)
		return 0;
	while (p < end) {
		if ((m = marker(p, end, &c)) != 0) {
			changed = 1;
			p += m;
		} else {
			c = *p++;
		}
		if (o == EX_RUN_MAX)
			return 0;
		x->fixed[o++] = c;
	}
	return changed ? o : 0;
}

static int has_bracket(const char *s, size_t n)
{
	return memchr(s, '[', n) != NULL || memchr(s, '(', n) != NULL ||
	    memchr(s, '{', n) != NULL;
}

/*
 * Take one value from a structured format (list line, CSV field, JSON
 * string): an item if it parses, directly or once defang markers are
 * undone; else a rejection with net_parse's reason.  `proto` carries the
 * count and cited location.
 */
static void take(struct ex *x, unsigned long line, const char *s, size_t n,
                 const struct ex_item *proto)
{
	struct ex_item it = *proto;
	const char *why = NULL, *why2;
	const char *ts = s, *te = s + n;
	size_t m;

	trim(&ts, &te);
	if (net_parse(ts, (size_t)(te - ts), 0, &it.net, &why) == 0) {
		it.text = ts;
		it.len = (size_t)(te - ts);
		it.line = line;
		accept(x, &it);
		return;
	}
	if (memchr(s, '\0', n) != NULL) {
		reject(x, line, ts, (size_t)(te - ts), R_NUL_LINE);
		return;
	}
	if (has_bracket(ts, (size_t)(te - ts)) &&
	    (m = refang(x, ts, (size_t)(te - ts))) != 0) {
		if (net_parse(x->fixed, m, 0, &it.net, &why2) == 0) {
			it.text = x->fixed;
			it.len = m;
			it.line = line;
			accept(x, &it);
			return;
		}
		why = why2;
	}
	if (!utf8_valid(ts, (size_t)(te - ts)))
		why = R_UTF8;
	reject(x, line, ts, (size_t)(te - ts), why);
}

/* ------------------------------------------------------------ names */

/*
 * Column and key names, normalised: lower case, camelCase split with
 * '_', and ' ', '-', '.' read as '_'.  Address names are in order of
 * preference: a file with both src_ip and dst_ip is about its sources.
 */
static const char *const addr_names[] = {
	"ip", "ip_address", "ipaddress", "ip_addr", "ipaddr", "ipv4", "ipv6",
	"ipv4_address", "ipv6_address", "ip_str", "src_ip", "source_ip",
	"srcip", "sourceip", "ip_src", "src_addr", "src_address",
	"source_address", "attacker_ip", "attacker", "remote_ip", "remote_addr",
	"client_ip", "host_ip", "address", "addr", "dst_ip", "dest_ip",
	"destination_ip", "ip_dst", "dstip", "indicator", "ioc", "observable",
	"value", "network", "cidr", "prefix", "subnet", "netblock", "ip_range",
	"range", "source", "src", "host", NULL
};

static const char *const count_names[] = {
	"count", "hits", "hit_count", "attacks", "attack_count", "num_attacks",
	"events", "event_count", "weight", "occurrences", "attempts",
	"connections", "sessions", "reports", "num_reports", "total_reports",
	"requests", "packets", "times_seen", "number_observed", "total",
	"frequency", "freq", "num", "n", NULL
};

static const char *const cited_names[] = {
	"country", "cc", "country_code", "countrycode", "country_name",
	"country_iso", "iso_code", "location", "geo", "geolocation",
	"src_country", "source_country", "attacker_country", "origin",
	"origin_country", "nation", "attributed_country", "cited_country",
	"claimed_country", "geoip_country", NULL
};

static const char *const time_names[] = {
	"time", "timestamp", "date", "datetime", "first_seen", "last_seen",
	"firstseen", "lastseen", "seen", "created", "updated", "modified",
	"ts", "when", "date_added", "dateadded", "first_observed",
	"last_observed", "last_online", "valid_from", NULL
};

static const char *const port_names[] = {
	"port", "ports", "dst_port", "src_port", "dest_port", "source_port",
	"destination_port", "dport", "sport", "dstport", "srcport", "protocol",
	"proto", NULL
};

static const char *const time_suffixes[] = {
	"_time", "_date", "_at", "_seen", "_ts", "timestamp", "_utc", NULL
};

static const char *const port_suffixes[] = {
	"_port", "_proto", "_protocol", NULL
};

/* Normalise s[0..n) into out (EX_NAME_MAX bytes). */
static void norm_name(const char *s, size_t n, char out[EX_NAME_MAX])
{
	const char *e = s + n;
	size_t o = 0;
	char c, prev = 0;

	trim(&s, &e);
	/* A header written as a comment ("# first_seen,dst_ip"). */
	while (s < e && (*s == '#' || *s == ' '))
		s++;
	for (; s < e && o < EX_NAME_MAX - 1; s++) {
		c = *s;
		if (c >= 'A' && c <= 'Z') {
			if (prev >= 'a' && prev <= 'z' && o < EX_NAME_MAX - 2)
				out[o++] = '_';
			c = lower(c);
		} else if (c == ' ' || c == '-' || c == '.') {
			c = '_';
		}
		if (c == '_' && (o == 0 || out[o - 1] == '_')) {
			prev = c;
			continue;
		}
		out[o++] = c;
		prev = *s;
	}
	while (o > 0 && out[o - 1] == '_')
		o--;
	out[o] = '\0';
}

/* Index of name in list, or -1. */
static int name_index(const char *const *list, const char *name)
{
	int i;

	for (i = 0; list[i] != NULL; i++)
		if (strcmp(list[i], name) == 0)
			return i;
	return -1;
}

static int has_suffix(const char *const *list, const char *name)
{
	size_t n = strlen(name), k;
	int i;

	for (i = 0; list[i] != NULL; i++) {
		k = strlen(list[i]);
		if (n > k && strcmp(name + n - k, list[i]) == 0)
			return 1;
	}
	return 0;
}

static int is_time_name(const char *name)
{
	return name_index(time_names, name) >= 0 ||
	    has_suffix(time_suffixes, name);
}

static int is_port_name(const char *name)
{
	return name_index(port_names, name) >= 0 ||
	    has_suffix(port_suffixes, name);
}

static void set_column(struct ex *x, const char *s, size_t n)
{
	if (n >= sizeof x->st->address_column)
		n = sizeof x->st->address_column - 1;
	memcpy(x->st->address_column, s, n);
	x->st->address_column[n] = '\0';
}

/*
 * A count: a decimal number >= 0 with an optional fraction, and commas
 * as thousands separators only where they group by three ("1,234").
 * Returns NULL, or a reason.
 */
static const char *parse_count(const char *s, size_t n, double *out)
{
	const char *e = s + n;
	double v = 0, scale = 1;
	int digits = 0, group = -1;

	trim(&s, &e);
	if (s == e)
		return "empty count";
	if (*s == '-')
		return "negative count";
	for (; s < e && (is_digit(*s) || *s == ','); s++) {
		if (*s == ',') {
			if (digits == 0 || (group >= 0 && group != 3) ||
			    (group < 0 && digits > 3))
				return "misplaced thousands separator in count";
			group = 0;
			continue;
		}
		v = v * 10 + (*s - '0');
		digits++;
		if (group >= 0 && ++group > 3)
			return "misplaced thousands separator in count";
	}
	if (group >= 0 && group != 3)
		return "misplaced thousands separator in count";
	if (digits == 0)
		return "count is not a number";
	if (s < e && *s == '.') {
		s++;
		if (s == e || !is_digit(*s))
			return "count is not a number";
		for (; s < e && is_digit(*s); s++) {
			scale /= 10;
			v += (*s - '0') * scale;
		}
	}
	if (s != e)
		return "count is not a number";
	if (v > 1e15)
		return "count too large";
	*out = v;
	return NULL;
}

/* Fill the cited location of it from s[0..n) (borrowed). */
static void set_cited(struct ex_item *it, const char *s, size_t n)
{
	const char *e = s + n;

	trim(&s, &e);
	it->cited[0] = '\0';
	it->cited_text = NULL;
	it->cited_len = 0;
	if (s == e)
		return;
	it->cited_text = s;
	it->cited_len = (size_t)(e - s);
	if (country_parse(s, (size_t)(e - s), it->cited) != 0)
		it->cited[0] = '\0';
}

/* Physical lines: one per LF, plus an unterminated last line. */
static unsigned long count_lines(const char *p, const char *end)
{
	unsigned long n = 0;
	const char *q = p;

	while (q < end && (q = memchr(q, '\n', (size_t)(end - q))) != NULL) {
		n++;
		q++;
	}
	if (end > p && end[-1] != '\n')
		n++;
	return n;
}

/* A forward-moving cursor that finds the text of line L. */
struct lcur {
	const char *base, *end, *p;
	unsigned long line;
};

static void lcur_init(struct lcur *c, const char *base, const char *end)
{
	c->base = c->p = base;
	c->end = end;
	c->line = 1;
}

/* Start of line L and its length without the line ending. */
static const char *lcur_seek(struct lcur *c, unsigned long line, size_t *len)
{
	const char *nl;

	if (line < c->line) {
		c->p = c->base;
		c->line = 1;
	}
	while (c->line < line && c->p < c->end) {
		nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
		c->p = nl != NULL ? nl + 1 : c->end;
		c->line++;
	}
	nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
	*len = (size_t)((nl != NULL ? nl : c->end) - c->p);
	if (*len > 0 && c->p[*len - 1] == '\r')
		(*len)--;
	return c->p;
}

/* ------------------------------------------------------------ list */

/* Where a '#' or ';' comment starts in s[0..n), or NULL. */
static const char *find_comment(const char *s, size_t n)
{
	const char *h = memchr(s, '#', n);
	const char *c = memchr(s, ';', h != NULL ? (size_t)(h - s) : n);

	return c != NULL ? c : h;
}

static void list_line(struct ex *x, unsigned long line, const char *s,
                      const char *eol, int *first)
{
	struct ex_item it;
	const char *c, *e;
	char name[EX_NAME_MAX];

	if (eol - s > EX_LINE_MAX) {
		reject(x, line, s, EX_REJECT_MAX, R_LONG);
		return;
	}
	c = find_comment(s, (size_t)(eol - s));
	e = c != NULL ? c : eol;
	trim(&s, &e);
	if (c != NULL && (memchr(c, '\0', (size_t)(eol - c)) != NULL ||
	    !utf8_valid(c, (size_t)(eol - c)))) {
		const char *why = memchr(c, '\0', (size_t)(eol - c)) != NULL ?
		    R_NUL_LINE : R_UTF8;
		const char *ls = s;

		/* Report from the token when there is one, else the comment. */
		reject(x, line, ls, (size_t)(eol - ls), why);
		return;
	}
	if (s == e)
		return;
	if (*first) {
		*first = 0;
		/* A one-column file with a header ("ip") is not a bad line. */
		if ((size_t)(e - s) < EX_NAME_MAX) {
			norm_name(s, (size_t)(e - s), name);
			if (name_index(addr_names, name) >= 0) {
				set_column(x, s, (size_t)(e - s));
				return;
			}
		}
	}
	item_init(&it);
	take(x, line, s, (size_t)(e - s), &it);
}

static void read_list(struct ex *x)
{
	const char *p = x->base, *end = x->end, *nl, *eol;
	struct ex_item it;
	unsigned long line = 0;
	int first = 1;
	size_t n;

	item_init(&it);
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		eol = nl != NULL ? nl : end;
		line++;
		n = (size_t)(eol - p);
		/*
		 * The common line is a bare address with at most a CR after
		 * it; parse it in place and go on.  Anything else (blank,
		 * comment, header, error) takes the careful path.
		 */
		if (!first && n > 0 && n <= NET_TEXT_MAX &&
		    memchr(p, '#', n) == NULL && memchr(p, ';', n) == NULL) {
			const char *s = p, *e = eol;

			trim(&s, &e);
			if (s < e && net_parse(s, (size_t)(e - s), 0, &it.net,
			    NULL) == 0) {
				it.text = s;
				it.len = (size_t)(e - s);
				it.line = line;
				accept(x, &it);
				p = nl != NULL ? nl + 1 : end;
				continue;
			}
		}
		list_line(x, line, p, eol, &first);
		p = nl != NULL ? nl + 1 : end;
	}
	x->st->lines = line;
}

/* ------------------------------------------------------------ CSV */

struct csv_cols {
	long addr, count, cited;        /* column index, or -1 */
};

/* Pick the separator: whichever of ',', '\t', ';' the line has most of. */
static char pick_sep(const char *s, const char *e)
{
	size_t comma = 0, tab = 0, semi = 0;
	int quoted = 0;

	for (; s < e; s++) {
		if (*s == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (*s == ',')
			comma++;
		else if (*s == '\t')
			tab++;
		else if (*s == ';')
			semi++;
	}
	if (tab > comma && tab >= semi)
		return '\t';
	if (semi > comma && semi > tab)
		return ';';
	return ',';
}

static int field_is_addr(struct ex *x, const struct csv_field *f)
{
	struct ga_net net;
	size_t m;

	if (net_parse(f->p, f->len, 0, &net, NULL) == 0)
		return 1;
	if (has_bracket(f->p, f->len) && (m = refang(x, f->p, f->len)) != 0)
		return net_parse(x->fixed, m, 0, &net, NULL) == 0;
	return 0;
}

static int row_has_addr(struct ex *x, const struct csv_field *f, size_t nf)
{
	size_t i;

	for (i = 0; i < nf; i++)
		if (field_is_addr(x, &f[i]))
			return 1;
	return 0;
}

/*
 * Find the address, count and cited columns among nf header names, and
 * note time and port columns.  Returns 1 if any known name was seen.
 */
static int cols_by_name(struct ex *x, char (*names)[EX_NAME_MAX], size_t nf,
                        struct csv_cols *c)
{
	int best = -1, r, known = 0;
	size_t i;

	c->addr = c->count = c->cited = -1;
	for (i = 0; i < nf; i++) {
		const char *n = names[i];

		if ((r = name_index(addr_names, n)) >= 0 &&
		    (best < 0 || r < best)) {
			best = r;
			c->addr = (long)i;
		}
		if (c->count < 0 && name_index(count_names, n) >= 0)
			c->count = (long)i;
		else if (c->cited < 0 && name_index(cited_names, n) >= 0)
			c->cited = (long)i;
		if (is_time_name(n))
			x->st->has_time = 1;
		if (is_port_name(n))
			x->st->has_ports = 1;
		if (r >= 0 || name_index(count_names, n) >= 0 ||
		    name_index(cited_names, n) >= 0 || is_time_name(n) ||
		    is_port_name(n))
			known = 1;
	}
	/* A column cannot be two things; the address wins. */
	if (c->count == c->addr)
		c->count = -1;
	if (c->cited == c->addr)
		c->cited = -1;
	return known;
}

/* Split the header text s[0..n) (a comment line) into normalised names. */
static size_t header_from_text(const char *s, size_t n, char sep,
                               char (**names)[EX_NAME_MAX],
                               struct buf *raw)
{
	struct csv_reader *r = csv_new(s, n, sep, 1024, EX_LINE_MAX);
	const struct csv_field *f;
	size_t nf = 0, i;
	unsigned long ln;

	if (r != NULL && csv_next(r, &f, &nf, &ln) == CSV_RECORD) {
		*names = xcalloc(nf, sizeof **names);
		buf_reset(raw);
		for (i = 0; i < nf; i++) {
			norm_name(f[i].p, f[i].len, (*names)[i]);
			buf_add(raw, f[i].p, f[i].len);
			buf_addc(raw, '\0');
		}
	} else {
		nf = 0;
	}
	csv_free(r);
	return nf;
}

/* The n-th NUL-terminated string in b. */
static const char *nth_str(const struct buf *b, size_t n)
{
	const char *p = b->data;

	while (n-- > 0)
		p += strlen(p) + 1;
	return p;
}

static int read_csv(struct ex *x, char *err, size_t errlen)
{
	const char *p = x->base, *end = x->end, *nl, *eol, *s;
	const char *comment = NULL, *comment_end = NULL;
	unsigned long line0 = 1, ln;
	const struct csv_field *f;
	char (*names)[EX_NAME_MAX] = NULL;
	struct csv_reader *r;
	struct csv_cols cols;
	struct buf raw;
	struct lcur lc;
	size_t nf, nhead = 0, i, len;
	int stt, header = 1, ret = 0;
	char sep;

	buf_init(&raw);
	lcur_init(&lc, x->base, x->end);
	x->st->lines = count_lines(x->base, x->end);

	/* Skip comment and blank lines before the header; keep the last
	 * comment, which some feeds use as the header. */
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		eol = nl != NULL ? nl : end;
		s = p;
		while (s < eol && is_space(*s))
			s++;
		if (s < eol && *s != '#')
			break;
		if (s < eol) {
			comment = s;
			comment_end = eol;
		}
		p = nl != NULL ? nl + 1 : end;
		line0++;
	}
	if (p == end)
		return 0;
	nl = memchr(p, '\n', (size_t)(end - p));
	sep = pick_sep(p, nl != NULL ? nl : end);

	r = csv_new(p, (size_t)(end - p), sep, 4096, EX_LINE_MAX);
	stt = csv_next(r, &f, &nf, &ln);
	if (stt != CSV_RECORD) {
		errbuf_set(err, errlen, "line %lu: %s", ln + line0 - 1,
		    stt == CSV_ERR_NUL ? "NUL byte in the header "
		    "(binary data?)" : csv_strerror(stt));
		csv_free(r);
		return -1;
	}
	if (row_has_addr(x, f, nf)) {
		/* The first row is data; perhaps the last comment names it. */
		header = 0;
		if (comment != NULL) {
			nhead = header_from_text(comment,
			    (size_t)(comment_end - comment), sep, &names, &raw);
			if (nhead == nf && cols_by_name(x, names, nhead, &cols) &&
			    cols.addr >= 0) {
				set_column(x, nth_str(&raw, (size_t)cols.addr),
				    strlen(nth_str(&raw, (size_t)cols.addr)));
			} else {
				free(names);
				names = NULL;
				nhead = 0;
				x->st->has_time = x->st->has_ports = 0;
			}
		}
		if (names == NULL)
			cols.addr = cols.count = cols.cited = -1;
	} else {
		nhead = nf;
		names = xcalloc(nf, sizeof *names);
		for (i = 0; i < nf; i++) {
			norm_name(f[i].p, f[i].len, names[i]);
			buf_add(&raw, f[i].p, f[i].len);
			buf_addc(&raw, '\0');
		}
		cols_by_name(x, names, nf, &cols);
		if (cols.addr >= 0) {
			const char *h = nth_str(&raw, (size_t)cols.addr);
			const char *he = h + strlen(h);

			trim(&h, &he);
			set_column(x, h, (size_t)(he - h));
		}
	}

	if (cols.addr < 0) {
		/* By content: the column where most values are addresses. */
		size_t *hits = NULL, cap = 0, rows = 0, best = 0;

		csv_free(r);
		r = csv_new(p, (size_t)(end - p), sep, 4096, EX_LINE_MAX);
		if (header)
			csv_next(r, &f, &nf, &ln);
		while (rows < EX_SAMPLE_ROWS &&
		    (stt = csv_next(r, &f, &nf, &ln)) != CSV_EOF) {
			if (stt != CSV_RECORD)
				continue;
			rows++;
			if (nf > cap) {
				size_t old = cap;

				hits = xgrow(hits, &cap, nf, sizeof *hits);
				memset(hits + old, 0, (cap - old) * sizeof *hits);
			}
			for (i = 0; i < nf; i++)
				if (field_is_addr(x, &f[i]))
					hits[i]++;
		}
		for (i = 0; i < cap; i++)
			if (hits[i] > best) {
				best = hits[i];
				cols.addr = (long)i;
			}
		free(hits);
		if (cols.addr < 0) {
			errbuf_set(err, errlen, "line %lu: no address column "
			    "(by name or by content)", line0);
			ret = -1;
			goto out;
		}
		if (header && (size_t)cols.addr < nhead) {
			const char *h = nth_str(&raw, (size_t)cols.addr);
			const char *he = h + strlen(h);

			trim(&h, &he);
			set_column(x, h, (size_t)(he - h));
		}
		if (x->st->address_column[0] == '\0') {
			char col[32];

			snprintf(col, sizeof col, "column %ld", cols.addr + 1);
			set_column(x, col, strlen(col));
		}
	}
	x->st->has_counts = cols.count >= 0;
	x->st->has_cited = cols.cited >= 0;

	/* Read again from the top, skipping the header if there is one. */
	csv_free(r);
	r = csv_new(p, (size_t)(end - p), sep, 4096, EX_LINE_MAX);
	if (header)
		csv_next(r, &f, &nf, &ln);
	while ((stt = csv_next(r, &f, &nf, &ln)) != CSV_EOF) {
		unsigned long line = ln + line0 - 1;
		struct ex_item it;
		const char *why, *ls;
		char msg[96];
		int bad = 0;

		if (stt != CSV_RECORD) {
			ls = lcur_seek(&lc, line, &len);
			reject(x, line, ls, len, stt == CSV_ERR_NUL ? R_NUL_LINE :
			    stt == CSV_ERR_TOO_LONG ? R_LONG : csv_strerror(stt));
			continue;
		}
		/* Comment rows inside the data (feeds end with totals). */
		s = f[0].p;
		while (s < f[0].p + f[0].len && is_space(*s))
			s++;
		if (s < f[0].p + f[0].len && *s == '#')
			continue;
		for (i = 0; i < nf && !bad; i++)
			bad = !utf8_valid(f[i].p, f[i].len);
		if (bad) {
			ls = lcur_seek(&lc, line, &len);
			reject(x, line, ls, len, R_UTF8);
			continue;
		}
		if ((size_t)cols.addr >= nf) {
			ls = lcur_seek(&lc, line, &len);
			reject(x, line, ls, len, "row has no address column");
			continue;
		}
		item_init(&it);
		if (cols.count >= 0) {
			if ((size_t)cols.count >= nf) {
				why = "row has no count column";
			} else {
				why = parse_count(f[cols.count].p,
				    f[cols.count].len, &it.count);
				if (why != NULL) {
					snprintf(msg, sizeof msg, "%s (\"%.*s\")",
					    why, f[cols.count].len > 24 ? 24 :
					    (int)f[cols.count].len,
					    f[cols.count].p);
					why = msg;
				}
			}
			if (why != NULL) {
				reject(x, line, f[cols.addr].p,
				    f[cols.addr].len, why);
				continue;
			}
			it.has_count = 1;
		}
		if (cols.cited >= 0 && (size_t)cols.cited < nf)
			set_cited(&it, f[cols.cited].p, f[cols.cited].len);
		take(x, line, f[cols.addr].p, f[cols.addr].len, &it);
	}
out:
	csv_free(r);
	free(names);
	buf_free(&raw);
	return ret;
}

/* ------------------------------------------------------------ JSON */

/*
 * Lines where the elements of the item array start.  With key NULL the
 * array is the top-level value; else it is the member `key` of the
 * top-level object (the last one, as jansson keeps the last of a
 * duplicated key).  The text has been validated, so skipping strings
 * and counting brackets is enough.  Returns the number of elements seen.
 */
static size_t elem_lines(const char *p, const char *end, const char *key,
                         unsigned long *out, size_t cap)
{
	size_t klen = key != NULL ? strlen(key) : 0, n = 0;
	unsigned long line = 1;
	int depth = 0, target = key != NULL ? 2 : 1, in = 0, expect = 0;
	int armed = 0, top_obj = -1;
	const char *q;
	char c;

	for (; p < end; p++) {
		c = *p;
		if (c == '\n') {
			line++;
			continue;
		}
		if (is_space(c) || c == ':')
			continue;
		if (top_obj < 0)
			top_obj = c == '{';
		if (in && depth == target && expect && c != ']' && c != '}') {
			if (n < cap)
				out[n] = line;
			n++;
			expect = 0;
		}
		if (c == '"') {
			q = ++p;
			while (p < end && *p != '"') {
				if (*p == '\\' && p + 1 < end)
					p++;
				else if (*p == '\n')
					line++;
				p++;
			}
			if (key != NULL && top_obj == 1 && depth == 1 && !in) {
				const char *t = p + 1;

				while (t < end && is_space(*t))
					t++;
				if (t < end && *t == ':') {
					armed = (size_t)(p - q) == klen &&
					    memcmp(q, key, klen) == 0;
					continue;
				}
			}
			armed = 0;
			continue;
		}
		if (c == '[' || c == '{') {
			depth++;
			if (c == '[' && !in && ((key == NULL && depth == 1) ||
			    (armed && depth == 2))) {
				in = 1;
				expect = 1;
				n = 0;
			}
			armed = 0;
			continue;
		}
		if (c == ']' || c == '}') {
			if (in && depth == target)
				in = 0;
			depth--;
			continue;
		}
		if (c == ',') {
			if (in && depth == target)
				expect = 1;
			continue;
		}
		armed = 0;
	}
	return n;
}

/* jv_typeof() for a value that may be missing (NULL). */
static enum jv_type jtype(const struct jv *v)
{
	return v != NULL ? jv_typeof(v) : JV_NULL;
}

struct jctx {
	struct ex *x;
	const char *key;        /* address key found by content, or NULL */
	char keybuf[EX_NAME_MAX];
	int column_set;
};

static const char *jtype_name(const struct jv *v)
{
	switch (jtype(v)) {
	case JV_NULL: return "null";
	case JV_BOOL: return "a boolean";
	case JV_INT:
	case JV_REAL: return "a number";
	case JV_STRING: return "a string";
	case JV_ARRAY: return "an array";
	case JV_OBJECT: return "an object";
	}
	return "a value";
}

/* A short stand-in for a value that has no text of its own. */
static void jdescribe(const struct jv *v, char *out, size_t n)
{
	switch (jtype(v)) {
	case JV_NULL: snprintf(out, n, "null"); break;
	case JV_BOOL: snprintf(out, n, "boolean"); break;
	case JV_INT: snprintf(out, n, "%lld", jv_intval(v)); break;
	case JV_REAL: snprintf(out, n, "%g", jv_number(v)); break;
	case JV_ARRAY: snprintf(out, n, "[...]"); break;
	case JV_OBJECT: snprintf(out, n, "{...}"); break;
	case JV_STRING: snprintf(out, n, "\"...\""); break;
	}
}

static const char *jcount(const struct jv *v, double *out)
{
	const char *s;
	size_t n;
	double d;

	switch (jtype(v)) {
	case JV_INT:
	case JV_REAL:
		d = jv_number(v);
		if (!(d >= 0))
			return "negative count";
		if (d > 1e15)
			return "count too large";
		*out = d;
		return NULL;
	case JV_STRING:
		s = jv_string(v, &n);
		return parse_count(s, n, out);
	default:
		return "count is not a number";
	}
}

static void json_object_item(struct jctx *j, const struct jv *o,
                             unsigned long line)
{
	struct ex *x = j->x;
	const struct jv *addr = NULL, *cnt = NULL, *cited = NULL, *v;
	const char *key, *addr_key = NULL, *why, *s;
	char name[EX_NAME_MAX], msg[96];
	struct ex_item it;
	size_t i, n;
	int best = -1, r;

	for (i = 0; i < EX_MAX_MEMBERS &&
	    (v = jv_member(o, i, &key)) != NULL; i++) {
		norm_name(key, strlen(key), name);
		if ((r = name_index(addr_names, name)) >= 0 &&
		    (best < 0 || r < best)) {
			best = r;
			addr = v;
			addr_key = key;
		}
		if (cnt == NULL && name_index(count_names, name) >= 0)
			cnt = v;
		else if (cited == NULL && name_index(cited_names, name) >= 0)
			cited = v;
		if (is_time_name(name))
			x->st->has_time = 1;
		if (is_port_name(name))
			x->st->has_ports = 1;
	}
	if (addr == NULL && j->key != NULL) {
		addr = jv_get(o, j->key);
		addr_key = j->key;
	}
	if (cnt == addr)
		cnt = NULL;
	if (cited == addr)
		cited = NULL;
	if (addr == NULL) {
		reject(x, line, "{...}", 5, "no address field in object");
		return;
	}
	if (!j->column_set) {
		set_column(x, addr_key, strlen(addr_key));
		j->column_set = 1;
	}
	if ((s = jv_string(addr, &n)) == NULL) {
		jdescribe(addr, msg, sizeof msg);
		reject(x, line, msg, strlen(msg), "address field is not a string");
		return;
	}
	item_init(&it);
	if (cnt != NULL) {
		x->st->has_counts = 1;
		if ((why = jcount(cnt, &it.count)) != NULL) {
			reject(x, line, s, n, why);
			return;
		}
		it.has_count = 1;
	}
	if (cited != NULL && (s = jv_string(cited, &n)) != NULL) {
		x->st->has_cited = 1;
		set_cited(&it, s, n);
	}
	s = jv_string(addr, &n);
	take(x, line, s, n, &it);
}

static void json_element(struct jctx *j, const struct jv *v,
                         unsigned long line)
{
	struct ex_item it;
	const char *s;
	char msg[96], why[64];
	size_t n;

	switch (jtype(v)) {
	case JV_STRING:
		s = jv_string(v, &n);
		item_init(&it);
		take(j->x, line, s, n, &it);
		break;
	case JV_OBJECT:
		json_object_item(j, v, line);
		break;
	default:
		jdescribe(v, msg, sizeof msg);
		snprintf(why, sizeof why, "%s, not an address", jtype_name(v));
		reject(j->x, line, msg, strlen(msg), why);
		break;
	}
}

/*
 * Arrays of objects whose keys name nothing we know: the key whose
 * string values parse as addresses most often in the first objects.
 */
static void json_key_by_content(struct jctx *j, const struct jv *arr)
{
	size_t i, k, n = jv_len(arr), best = 0, hits;
	const struct jv *first = NULL, *o;
	const char *key, *s;
	char name[EX_NAME_MAX];
	struct ga_net net;
	size_t sl;

	for (i = 0; i < n && i < EX_SAMPLE_ROWS; i++) {
		o = jv_at(arr, i);
		if (jtype(o) != JV_OBJECT)
			continue;
		if (first == NULL)
			first = o;
		for (k = 0; k < EX_MAX_MEMBERS &&
		    jv_member(o, k, &key) != NULL; k++) {
			norm_name(key, strlen(key), name);
			if (name_index(addr_names, name) >= 0)
				return; /* names will do */
		}
	}
	if (first == NULL)
		return;
	for (k = 0; k < EX_MAX_MEMBERS &&
	    jv_member(first, k, &key) != NULL; k++) {
		if (strlen(key) >= sizeof j->keybuf)
			continue;
		hits = 0;
		for (i = 0; i < n && i < EX_SAMPLE_ROWS; i++) {
			o = jv_at(arr, i);
			if (jtype(o) == JV_OBJECT &&
			    (s = jv_string(jv_get(o, key), &sl)) != NULL &&
			    net_parse(s, sl, 0, &net, NULL) == 0)
				hits++;
		}
		if (hits > best) {
			best = hits;
			snprintf(j->keybuf, sizeof j->keybuf, "%s", key);
			j->key = j->keybuf;
		}
	}
}

static void json_array(struct jctx *j, const struct jv *arr,
                       const char *key)
{
	size_t n = jv_len(arr), i, seen;
	unsigned long *lines = xcalloc(n > 0 ? n : 1, sizeof *lines);

	seen = elem_lines(j->x->base, j->x->end, key, lines, n);
	json_key_by_content(j, arr);
	for (i = 0; i < n; i++)
		json_element(j, jv_at(arr, i), i < seen ? lines[i] : 1);
	free(lines);
}

/* Keys that usually hold the list in a wrapping object. */
static const char *const wrap_names[] = {
	"data", "results", "result", "items", "ips", "addresses", "indicators",
	"iocs", "entries", "records", "list", "values", "hosts", "attackers",
	"blocklist", "blacklist", NULL
};

static void json_top(struct jctx *j, const struct jv *v)
{
	const struct jv *m, *pick = NULL;
	const char *key, *pick_key = NULL;
	char name[EX_NAME_MAX];
	size_t i;
	int rank = -1, r;

	if (jtype(v) == JV_ARRAY) {
		json_array(j, v, NULL);
		return;
	}
	if (jtype(v) != JV_OBJECT) {
		json_element(j, v, 1);
		return;
	}
	/* An object holding an array of items, or one item itself. */
	for (i = 0; i < EX_MAX_MEMBERS &&
	    (m = jv_member(v, i, &key)) != NULL; i++) {
		if (jtype(m) != JV_ARRAY)
			continue;
		norm_name(key, strlen(key), name);
		r = name_index(wrap_names, name);
		r = r < 0 ? 1000 : r;
		if (pick == NULL || r < rank) {
			pick = m;
			pick_key = key;
			rank = r;
		}
	}
	if (pick != NULL) {
		for (i = 0; i < EX_MAX_MEMBERS &&
		    (m = jv_member(v, i, &key)) != NULL; i++) {
			norm_name(key, strlen(key), name);
			if (name_index(addr_names, name) >= 0 &&
			    jtype(m) == JV_STRING) {
				pick = NULL;    /* the object is an item */
				break;
			}
		}
	}
	if (pick != NULL)
		json_array(j, pick, pick_key);
	else
		json_element(j, v, 1);
}

/* NDJSON: one value per line; a line that does not parse is rejected. */
static void read_ndjson(struct ex *x, struct jctx *j)
{
	const char *p = x->base, *end = x->end, *nl, *s, *e;
	unsigned long line = 0;
	char jerr[200];
	struct jv *v;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		s = p;
		e = nl != NULL ? nl : end;
		p = nl != NULL ? nl + 1 : end;
		line++;
		trim(&s, &e);
		if (s == e)
			continue;
		if (e - s > EX_LINE_MAX) {
			reject(x, line, s, EX_REJECT_MAX, R_LONG);
			continue;
		}
		if ((v = jv_parse(s, (size_t)(e - s), jerr, sizeof jerr)) ==
		    NULL) {
			/* jansson counts from the line we gave it. */
			const char *c = strstr(jerr, "column ");

			reject(x, line, s, (size_t)(e - s), c != NULL ? c : jerr);
			continue;
		}
		if (jtype(v) == JV_ARRAY) {
			size_t i;

			for (i = 0; i < jv_len(v); i++)
				json_element(j, jv_at(v, i), line);
		} else {
			json_element(j, v, line);
		}
		jv_free(v);
	}
}

/* ------------------------------------------------------------ STIX */

struct sco {
	const char *id;
	size_t idx;
	int consumed;
};

static int sco_cmp(const void *a, const void *b)
{
	return strcmp(((const struct sco *)a)->id, ((const struct sco *)b)->id);
}

static int is_addr_type(const char *t)
{
	return t != NULL && (strcmp(t, "ipv4-addr") == 0 ||
	    strcmp(t, "ipv6-addr") == 0);
}

static int contains(const char *s, size_t n, const char *w)
{
	size_t k = strlen(w), i;

	for (i = 0; i + k <= n; i++)
		if (memcmp(s + i, w, k) == 0)
			return 1;
	return 0;
}

static const char *jstr(const struct jv *o, const char *key)
{
	return jv_string(jv_get(o, key), NULL);
}

/* One address-object value (an SCO or a member of an objects map). */
static void stix_sco(struct ex *x, const struct jv *o, unsigned long line,
                     const struct ex_item *proto)
{
	const char *s;
	size_t n;

	if ((s = jv_string(jv_get(o, "value"), &n)) == NULL) {
		reject(x, line, jstr(o, "type"), strlen(jstr(o, "type")),
		    "address object without a string value");
		return;
	}
	take(x, line, s, n, proto);
}

/*
 * One STIX string literal at *pp ('...' with \' and \\ escapes) into b.
 * Returns 0, or -1 if there is none.
 */
static int stix_literal(const char **pp, const char *end, struct buf *b)
{
	const char *p = *pp;

	while (p < end && is_space(*p))
		p++;
	if (p == end || *p != '\'')
		return -1;
	buf_reset(b);
	for (p++; p < end && *p != '\''; p++) {
		if (*p == '\\' && p + 1 < end)
			p++;
		buf_addc(b, *p);
	}
	if (p == end)
		return -1;
	*pp = p + 1;
	return 0;
}

static int word_at(const char *p, const char *end, const char *w)
{
	size_t n = strlen(w), i;

	if ((size_t)(end - p) < n)
		return 0;
	for (i = 0; i < n; i++)
		if (lower(p[i]) != lower(w[i]))
			return 0;
	return p + n == end || !is_alnum(p[n]);
}

static void stix_pattern(struct ex *x, const char *pat, size_t plen,
                         unsigned long line)
{
	const char *p = pat, *end = pat + plen, *q;
	struct ex_item it;
	struct buf lit;

	buf_init(&lit);
	item_init(&it);
	while (p < end && (q = memchr(p, ':', (size_t)(end - p))) != NULL) {
		const char *path = q - 9;       /* "ipv4-addr" */
		int set = 0;

		p = q + 1;
		if (q - pat < 9 || (memcmp(path, "ipv4-addr", 9) != 0 &&
		    memcmp(path, "ipv6-addr", 9) != 0))
			continue;
		if (path > pat && (is_alnum(path[-1]) || path[-1] == '-' ||
		    path[-1] == '_'))
			continue;
		if (end - p < 5 || memcmp(p, "value", 5) != 0)
			continue;
		p += 5;
		if (p < end && (is_alnum(*p) || *p == '_' || *p == '.'))
			continue;
		while (p < end && is_space(*p))
			p++;
		if (p < end && *p == '=') {
			p++;
		} else if (word_at(p, end, "ISSUBSET")) {
			p += 8;
		} else if (word_at(p, end, "IN")) {
			p += 2;
			while (p < end && is_space(*p))
				p++;
			if (p == end || *p != '(')
				continue;
			p++;
			set = 1;
		} else {
			/* !=, NOT, MATCHES, LIKE, ...: not a location. */
			continue;
		}
		for (;;) {
			if (stix_literal(&p, end, &lit) != 0)
				break;
			take(x, line, lit.data != NULL ? lit.data : "", lit.len,
			    &it);
			if (!set)
				break;
			while (p < end && is_space(*p))
				p++;
			if (p == end || *p != ',')
				break;
			p++;
		}
	}
	buf_free(&lit);
}

/* number_observed as a count, if the object has a sensible one. */
static void stix_count(struct ex *x, const struct jv *o, struct ex_item *it)
{
	const struct jv *n = jv_get(o, "number_observed");

	if (n != NULL && (jtype(n) == JV_INT) && jv_intval(n) >= 0) {
		it->count = (double)jv_intval(n);
		it->has_count = 1;
		x->st->has_counts = 1;
	}
}

static void read_stix(struct ex *x, const struct jv *bundle)
{
	const struct jv *objs = jv_get(bundle, "objects"), *o, *refs, *m;
	struct sco *scos = NULL, key, *hit;
	size_t n, i, k, nsco = 0, seen;
	unsigned long *lines;
	struct ex_item it;
	const char *t, *id, *s, *mk;
	size_t sl;

	if (jtype(objs) != JV_ARRAY)
		return;
	n = jv_len(objs);
	lines = xcalloc(n > 0 ? n : 1, sizeof *lines);
	seen = elem_lines(x->base, x->end, "objects", lines, n);
	for (i = 0; i < n; i++)
		if (i >= seen)
			lines[i] = 1;

	/* Address objects by id, so observed-data can claim them. */
	scos = xcalloc(n > 0 ? n : 1, sizeof *scos);
	for (i = 0; i < n; i++) {
		o = jv_at(objs, i);
		if (is_addr_type(jstr(o, "type")) &&
		    (id = jstr(o, "id")) != NULL) {
			scos[nsco].id = id;
			scos[nsco].idx = i;
			nsco++;
		}
	}
	qsort(scos, nsco, sizeof *scos, sco_cmp);
	for (i = 0; i < n; i++) {
		o = jv_at(objs, i);
		t = jstr(o, "type");
		if (t == NULL || strcmp(t, "observed-data") != 0)
			continue;
		refs = jv_get(o, "object_refs");
		for (k = 0; jtype(refs) == JV_ARRAY && k < jv_len(refs);
		    k++) {
			if ((key.id = jv_string(jv_at(refs, k), NULL)) == NULL)
				continue;
			hit = nsco > 0 ? bsearch(&key, scos, nsco, sizeof *scos,
			    sco_cmp) : NULL;
			if (hit != NULL)
				hit->consumed = 1;
		}
	}

	for (i = 0; i < n; i++) {
		o = jv_at(objs, i);
		if ((t = jstr(o, "type")) == NULL)
			continue;
		item_init(&it);
		if (strcmp(t, "indicator") == 0) {
			s = jstr(o, "pattern_type");
			if (s != NULL && strcmp(s, "stix") != 0)
				continue;
			if ((s = jv_string(jv_get(o, "pattern"), &sl)) != NULL) {
				if (contains(s, sl, "_port"))
					x->st->has_ports = 1;
				stix_pattern(x, s, sl, lines[i]);
			}
		} else if (is_addr_type(t)) {
			key.id = jstr(o, "id");
			hit = key.id != NULL && nsco > 0 ? bsearch(&key, scos,
			    nsco, sizeof *scos, sco_cmp) : NULL;
			if (hit == NULL || !hit->consumed)
				stix_sco(x, o, lines[i], &it);
		} else if (strcmp(t, "network-traffic") == 0) {
			if (jv_get(o, "src_port") != NULL ||
			    jv_get(o, "dst_port") != NULL)
				x->st->has_ports = 1;
		} else if (strcmp(t, "observed-data") == 0) {
			if (jv_get(o, "first_observed") != NULL ||
			    jv_get(o, "last_observed") != NULL)
				x->st->has_time = 1;
			stix_count(x, o, &it);
			refs = jv_get(o, "object_refs");
			for (k = 0; jtype(refs) == JV_ARRAY &&
			    k < jv_len(refs); k++) {
				if ((key.id = jv_string(jv_at(refs, k), NULL)) ==
				    NULL || nsco == 0)
					continue;
				hit = bsearch(&key, scos, nsco, sizeof *scos,
				    sco_cmp);
				if (hit != NULL)
					stix_sco(x, jv_at(objs, hit->idx),
					    lines[hit->idx], &it);
			}
			/* STIX 2.0 style: the objects inline, by local key. */
			refs = jv_get(o, "objects");
			for (k = 0; jtype(refs) == JV_OBJECT &&
			    k < EX_MAX_MEMBERS &&
			    (m = jv_member(refs, k, &mk)) != NULL; k++) {
				if (is_addr_type(jstr(m, "type")))
					stix_sco(x, m, lines[i], &it);
				else if (jv_get(m, "src_port") != NULL ||
				    jv_get(m, "dst_port") != NULL)
					x->st->has_ports = 1;
			}
		}
	}
	free(scos);
	free(lines);
}

/* ------------------------------------------------------------ JSON entry */

static int is_bundle(const struct jv *v)
{
	const char *t;

	return jtype(v) == JV_OBJECT && (t = jstr(v, "type")) != NULL &&
	    strcmp(t, "bundle") == 0;
}

/* The first non-blank line of p..end, parsed alone, and there is more. */
static int looks_ndjson(const char *p, const char *end)
{
	const char *nl, *s, *e;
	struct jv *v;

	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			return 0;
		s = p;
		e = nl;
		trim(&s, &e);
		if (s == e)
			continue;
		if ((v = jv_parse(s, (size_t)(e - s), NULL, 0)) == NULL)
			return 0;
		jv_free(v);
		for (s = nl + 1; s < end; s++)
			if (!is_space(*s))
				return 1;
		return 0;
	}
	return 0;
}

static int read_json(struct ex *x, enum ex_format fmt, char *err,
                     size_t errlen)
{
	struct jctx j;
	struct jv *v;
	char jerr[256];

	memset(&j, 0, sizeof j);
	j.x = x;
	x->st->lines = count_lines(x->base, x->end);
	v = jv_parse(x->base, (size_t)(x->end - x->base), jerr, sizeof jerr);
	if (v == NULL) {
		if (fmt != EX_STIX && looks_ndjson(x->base, x->end)) {
			x->st->format = EX_JSON;
			read_ndjson(x, &j);
			return 0;
		}
		errbuf_set(err, errlen, "%s", jerr);
		return -1;
	}
	if (is_bundle(v)) {
		x->st->format = EX_STIX;
		read_stix(x, v);
	} else if (fmt == EX_STIX) {
		errbuf_set(err, errlen, "line 1: not a STIX bundle "
		    "(no \"type\": \"bundle\" at the top level)");
		jv_free(v);
		return -1;
	} else {
		x->st->format = EX_JSON;
		json_top(&j, v);
	}
	jv_free(v);
	return 0;
}

/* ------------------------------------------------------------ free text */

/* Words that make the number after them a version or section number. */
static const char *const version_words[] = {
	"version", "versions", "ver", "vers", "v", "release", "rel", "build",
	"firmware", "fw", "rev", "revision", "patch", "update", "kernel",
	"section", "sect", "sec", "chapter", "clause", "oid", NULL
};

/* May an address start at p?  Not inside a word or a dotted run. */
static int start_ok(const char *base, const char *p)
{
	char c;

	if (p == base)
		return 1;
	c = p[-1];
	if (is_alnum(c) || c == '_' || c == '.')
		return 0;
	/* "build-1.2.3.4", "Agent/1.2.3.4": part of a product token. */
	if ((c == '-' || c == '/') && p - 1 > base && is_alnum(p[-2]))
		return 0;
	return 1;
}

/* True if the word right before p (past "=", ":" and blanks) is one of
 * version_words. */
static int after_version_word(const char *base, const char *p)
{
	const char *e, *s;
	char w[16];
	size_t n, i;
	int k = 0;

	while (p > base && k < 3 && (p[-1] == ' ' || p[-1] == '\t' ||
	    p[-1] == '=' || p[-1] == ':')) {
		p--;
		k++;
	}
	if (p > base && p[-1] == '.')
		p--;
	e = p;
	while (p > base && is_alpha(p[-1]))
		p--;
	s = p;
	n = (size_t)(e - s);
	if (n == 0 || n >= sizeof w)
		return 0;
	for (i = 0; i < n; i++)
		w[i] = lower(s[i]);
	w[n] = '\0';
	return name_index(version_words, w) >= 0;
}

/*
 * Read a run of address bytes from p: hex digits, '.', ':' and defang
 * markers for them.  The undone text goes to out (cap EX_RUN_MAX);
 * raw[k] is the input offset just past out[k].  Returns the length, or
 * EX_RUN_MAX + 1 if the run is longer; *rend is where the run ends.
 */
static size_t read_run(const char *p, const char *end, char *out,
                       const char **raw, const char **rend)
{
	size_t n = 0, m;
	char c;

	while (p < end) {
		if (is_hex(*p) || *p == '.' || *p == ':') {
			c = *p++;
		} else if (n > 0 && (m = marker(p, end, &c)) != 0 && c != '/') {
			p += m;
		} else {
			break;
		}
		if (n < EX_RUN_MAX) {
			out[n] = c;
			raw[n] = p;
		}
		n++;
	}
	*rend = p;
	return n > EX_RUN_MAX ? EX_RUN_MAX + 1 : n;
}

/* Four parts of one to three decimal digits: an IPv4 candidate. */
static int v4_shape(const char *s, size_t n)
{
	size_t i, digits = 0;
	int parts = 1;

	for (i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (digits == 0)
				return 0;
			parts++;
			digits = 0;
		} else if (is_digit(s[i]) && digits < 3) {
			digits++;
		} else {
			return 0;
		}
	}
	return parts == 4 && digits > 0;
}

/*
 * An IPv6 candidate: groups of one to four hex digits separated by ':',
 * with "::" or seven colons, perhaps ending in a dotted quad.
 */
static int v6_shape(const char *s, size_t n)
{
	size_t i, g = 0, colons = 0, hexd = 0, last = 0;
	int dbl = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == ':') {
			if (i > 0 && s[i - 1] == ':')
				dbl = 1;
			colons++;
			g = 0;
			last = i + 1;
		} else if (s[i] == '.') {
			return colons >= 2 && (dbl || colons == 6) &&
			    v4_shape(s + last, n - last);
		} else if (g < 4) {
			g++;
			hexd++;
		} else {
			return 0;
		}
	}
	return colons >= 2 && hexd > 0 && (dbl || colons == 7);
}

/*
 * Classify the undone run r[0..n): returns the candidate's length (a
 * prefix of r) and its family in *fam, or 0 if it is not a candidate.
 */
static size_t classify(const char *r, size_t n, int *fam)
{
	const char *c = memchr(r, ':', n);
	size_t k;

	if (c == NULL) {
		*fam = 4;
		return v4_shape(r, n) ? n : 0;
	}
	/* "1.2.3.4:8080": the address and a port. */
	k = (size_t)(c - r);
	if (k > 0 && memchr(r, '.', k) != NULL) {
		size_t i;

		if (!v4_shape(r, k))
			return 0;
		for (i = k + 1; i < n && is_digit(r[i]); i++)
			;
		*fam = 4;
		return i == n && i - k - 1 <= 5 ? k : 0;
	}
	*fam = 6;
	return v6_shape(r, n) ? n : 0;
}

struct tcand {
	char text[2 * EX_RUN_MAX + 16];
	size_t len;
	const char *rstart;     /* raw start */
	const char *rend;       /* raw end of what was consumed */
	int fam;
};

/*
 * Read one candidate starting at p.  Returns 1 with c filled in, or 0
 * with c->rend set to where scanning should go on.
 */
static int text_candidate(struct ex *x, const char *p, struct tcand *c)
{
	const char *base = x->base, *end = x->end, *rend, *q, *after;
	const char *raw[EX_RUN_MAX];
	char r[EX_RUN_MAX];
	size_t n, k, m, d;
	int url;
	char ch;

	c->rstart = p;
	n = read_run(p, end, r, raw, &rend);
	c->rend = rend;
	if (n > EX_RUN_MAX || n == 0)
		return 0;
	/* Sentence punctuation is not part of the run. */
	while (n > 0 && r[n - 1] == '.')
		n--;
	if (n > 1 && r[n - 1] == ':' && r[n - 2] != ':')
		n--;
	if (n == 0)
		return 0;
	if ((k = classify(r, n, &c->fam)) == 0) {
		/* "abc:1.2.3.4", "12:34:56": look again after the colon. */
		q = memchr(p, ':', (size_t)(rend - p));
		if (q != NULL)
			c->rend = q + 1;
		return 0;
	}
	after = raw[k - 1];
	/* "1.2.3.4g", "1.2.3.4.example.com": part of a longer token. */
	if (rend < end && (is_alnum(*rend) || *rend == '_'))
		return 0;
	if (c->fam == 4 && after_version_word(base, p))
		return 0;
	memcpy(c->text, r, k);
	c->len = k;

	/* A prefix length, except in a URL path ("hxxp://1.2.3.4/24/"). */
	url = p - base >= 3 && memcmp(p - 3, "://", 3) == 0;
	if (!url && p - base >= 4 && memcmp(p - 4, "://[", 4) == 0)
		url = 1;
	q = after;
	m = 0;
	if (q < end && *q == '/')
		m = 1;
	else if (q < end && marker(q, end, &ch) != 0 && ch == '/')
		m = 3;
	if (!url && m > 0 && k == n) {
		for (d = 0; q + m + d < end && d < 4 && is_digit(q[m + d]); d++)
			;
		if (d >= 1 && d <= 3 && (q + m + d == end ||
		    (!is_alnum(q[m + d]) && q[m + d] != '/' &&
		    !(q[m + d] == '.' && q + m + d + 1 < end &&
		    is_digit(q[m + d + 1]))))) {
			c->text[c->len++] = '/';
			memcpy(c->text + c->len, q + m, d);
			c->len += d;
			c->rend = q + m + d;
			return 1;
		}
	}
	/* "1.2.3.4-rc1" is a version; "1.2.3.0-1.2.3.255" a range. */
	if (k == n && q < end && (*q == '-' || (*q == ' ' && q + 2 < end &&
	    q[1] == '-' && q[2] == ' '))) {
		const char *s2 = *q == '-' ? q + 1 : q + 3, *rend2;
		const char *raw2[EX_RUN_MAX];
		char r2[EX_RUN_MAX];
		size_t n2;
		int fam2;

		if (*q == ' ' && s2 < end && *s2 == ' ')
			s2++;
		n2 = s2 < end && is_hex(*s2) ?
		    read_run(s2, end, r2, raw2, &rend2) : 0;
		while (n2 > 0 && n2 <= EX_RUN_MAX && r2[n2 - 1] == '.')
			n2--;
		if (n2 > 0 && n2 <= EX_RUN_MAX &&
		    classify(r2, n2, &fam2) == n2 && fam2 == c->fam &&
		    (rend2 == end || !(is_alnum(*rend2) || *rend2 == '_'))) {
			c->text[c->len++] = '-';
			memcpy(c->text + c->len, r2, n2);
			c->len += n2;
			c->rend = raw2[n2 - 1];
			return 1;
		}
		if (*q == '-' && s2 < end && is_alnum(*s2))
			return 0;
	}
	/* "fe80::1%eth0": keep the zone so that it is refused by name. */
	if (c->fam == 6 && k == n && q < end && *q == '%') {
		for (d = 1; q + d < end && d < 32 && (is_alnum(q[d]) ||
		    q[d] == '_' || q[d] == '.'); d++)
			;
		memcpy(c->text + c->len, q, d);
		c->len += d;
		c->rend = q + d;
	}
	return 1;
}

static void read_text(struct ex *x)
{
	const char *p = x->base, *end = x->end;
	struct lcur lc;
	struct tcand c;
	struct ex_item it;
	const char *why;

	x->st->lines = count_lines(x->base, x->end);
	lcur_init(&lc, x->base, x->end);
	while (p < end) {
		if (!is_hex(*p) && !(*p == ':' && p + 1 < end && p[1] == ':')) {
			p++;
			continue;
		}
		if (!start_ok(x->base, p)) {
			p++;
			while (p < end && (is_alnum(*p) || *p == '_'))
				p++;
			continue;
		}
		if (!text_candidate(x, p, &c)) {
			p = c.rend > p ? c.rend : p + 1;
			continue;
		}
		p = c.rend > p ? c.rend : p + 1;
		/* Find the line: the cursor only moves forward. */
		while (lc.p < end) {
			const char *nl = memchr(lc.p, '\n',
			    (size_t)(end - lc.p));

			if (nl == NULL || nl >= c.rstart)
				break;
			lc.p = nl + 1;
			lc.line++;
		}
		item_init(&it);
		if (net_parse(c.text, c.len, 0, &it.net, &why) == 0) {
			it.text = c.text;
			it.len = c.len;
			it.line = lc.line;
			accept(x, &it);
		} else {
			reject(x, lc.line, c.text, c.len, why);
		}
	}
}

/* ------------------------------------------------------------ detection */

/* Is the first line a CSV header, or a data row with company after it? */
static int csv_like(struct ex *x, const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	const char *eol = nl != NULL ? nl : end;
	const struct csv_field *f;
	struct csv_reader *r;
	struct csv_cols cols;
	struct ex_stats save = *x->st;
	char (*names)[EX_NAME_MAX];
	size_t nf, nf2, i;
	unsigned long ln;
	int yes = 0;
	char sep;

	if (memchr(p, ',', (size_t)(eol - p)) == NULL &&
	    memchr(p, '\t', (size_t)(eol - p)) == NULL)
		return 0;
	sep = pick_sep(p, eol);
	if (sep == ';')
		sep = ',';
	r = csv_new(p, (size_t)(end - p), sep, 1024, EX_LINE_MAX);
	if (csv_next(r, &f, &nf, &ln) != CSV_RECORD || nf < 2) {
		csv_free(r);
		return 0;
	}
	if (!row_has_addr(x, f, nf)) {
		int known, more;

		names = xcalloc(nf, sizeof *names);
		for (i = 0; i < nf; i++)
			norm_name(f[i].p, f[i].len, names[i]);
		known = cols_by_name(x, names, nf, &cols);
		free(names);
		*x->st = save;
		/*
		 * Header-like: it names an address column and the next row
		 * has as many fields, or it names some other column we know
		 * and the next row holds an address.  A known word alone is
		 * not enough: prose starts "Time, they say, ..." too.
		 */
		more = csv_next(r, &f, &nf2, &ln);
		if (cols.addr >= 0)
			yes = more == CSV_EOF ||
			    (more == CSV_RECORD && nf2 == nf);
		else if (known && more == CSV_RECORD)
			yes = nf2 == nf && row_has_addr(x, f, nf2);
	} else if (csv_next(r, &f, &nf2, &ln) == CSV_RECORD) {
		yes = nf2 == nf;
	}
	csv_free(r);
	return yes;
}

static int list_like(struct ex *x, const char *p, const char *end)
{
	unsigned long lines = 0, single = 0, good = 0;
	const char *nl, *eol, *s, *e, *t;
	struct ga_net net;
	size_t m;

	while (p < end && lines < EX_SNIFF_LINES) {
		nl = memchr(p, '\n', (size_t)(end - p));
		eol = nl != NULL ? nl : end;
		s = p;
		p = nl != NULL ? nl + 1 : end;
		if (eol - s > EX_LINE_MAX) {
			lines++;
			continue;
		}
		e = find_comment(s, (size_t)(eol - s));
		if (e == NULL)
			e = eol;
		trim(&s, &e);
		if (s == e)
			continue;
		lines++;
		for (t = s; t < e && !is_space(*t); t++)
			;
		if (t < e) {
			/* "1.2.3.0 - 1.2.3.255" is one token too. */
			if (net_parse(s, (size_t)(e - s), 0, &net, NULL) != 0)
				continue;
		}
		single++;
		if (net_parse(s, (size_t)(e - s), 0, &net, NULL) == 0 ||
		    (has_bracket(s, (size_t)(e - s)) &&
		    (m = refang(x, s, (size_t)(e - s))) != 0 &&
		    net_parse(x->fixed, m, 0, &net, NULL) == 0))
			good++;
	}
	if (lines == 0)
		return 1;
	return single * 10 >= lines * 9 && good * 2 >= single;
}

/* Does the text at p (a '[' or '{') start a JSON value? */
static int json_like(const char *p, const char *end)
{
	const char *q = p + 1;
	struct jv *v;

	while (q < end && is_space(*q))
		q++;
	if (q == end)
		return 1;       /* "[" alone: truncated JSON */
	if (*p == '{')
		return *q == '"' || *q == '}';
	if (*q == '"' || *q == '{' || *q == '[' || *q == ']')
		return 1;
	/* "[1.2.3.4]" or "[link](url)": JSON only if it parses. */
	v = jv_parse(p, (size_t)(end - p), NULL, 0);
	jv_free(v);
	return v != NULL;
}

static enum ex_format detect(struct ex *x)
{
	const char *p = x->base, *end = x->end, *nl, *s;

	while (p < end && is_space(*p))
		p++;
	if (p == end)
		return EX_LIST;
	if ((*p == '[' || *p == '{') && json_like(p, end))
		return EX_JSON;
	/* The first line that is not a comment decides CSV. */
	for (s = x->base; s < end; s = nl + 1) {
		const char *t = s;

		nl = memchr(s, '\n', (size_t)(end - s));
		while (t < (nl != NULL ? nl : end) && is_space(*t))
			t++;
		if (t < (nl != NULL ? nl : end) && *t != '#' && *t != ';') {
			if (csv_like(x, s, end))
				return EX_CSV;
			break;
		}
		if (nl == NULL)
			break;
	}
	if (list_like(x, x->base, end))
		return EX_LIST;
	return EX_TEXT;
}

/* ------------------------------------------------------------ API */

static const char *const format_names[] = {
	"auto", "list", "csv", "json", "stix", "text"
};

const char *extract_format_name(enum ex_format f)
{
	if ((unsigned)f >= sizeof format_names / sizeof format_names[0])
		return "unknown";
	return format_names[f];
}

int extract_format_parse(const char *s, enum ex_format *out)
{
	static const struct {
		const char *name;
		enum ex_format f;
	} alias[] = {
		{ "auto", EX_AUTO }, { "list", EX_LIST }, { "csv", EX_CSV },
		{ "tsv", EX_CSV }, { "json", EX_JSON }, { "ndjson", EX_JSON },
		{ "stix", EX_STIX }, { "text", EX_TEXT }, { "txt", EX_TEXT },
	};
	size_t i;

	if (s == NULL)
		return -1;
	for (i = 0; i < sizeof alias / sizeof alias[0]; i++)
		if (strcmp(s, alias[i].name) == 0) {
			*out = alias[i].f;
			return 0;
		}
	return -1;
}

int extract_buffer(const char *buf, size_t len, enum ex_format fmt,
                   const struct ex_sink *sink, struct ex_stats *st,
                   char *err, size_t errlen)
{
	struct ex_stats local;
	struct ex x;
	int ret = 0;

	if (st == NULL)
		st = &local;
	memset(st, 0, sizeof *st);
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (buf == NULL) {
		/* NULL + 0 is undefined; read an empty buffer instead. */
		buf = "";
		len = 0;
	}
	memset(&x, 0, sizeof x);
	x.sink = sink;
	x.st = st;
	x.base = buf;
	x.end = buf + len;
	/* A UTF-8 byte order mark is an encoding marker, not data. */
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		x.base += 3;

	if (fmt == EX_AUTO)
		fmt = detect(&x);
	st->format = fmt;
	switch (fmt) {
	case EX_LIST:
		read_list(&x);
		break;
	case EX_CSV:
		ret = read_csv(&x, err, errlen);
		break;
	case EX_JSON:
	case EX_STIX:
		ret = read_json(&x, fmt, err, errlen);
		break;
	case EX_TEXT:
		read_text(&x);
		break;
	default:
		errbuf_set(err, errlen, "unknown input format");
		ret = -1;
		break;
	}
	return ret;
}
