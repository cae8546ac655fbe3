/*
 * input/common.c - what every reader ends in: accept, reject, other; the
 * byte tests, defang markers, column names and counts they share.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "country.h"
#include "input/input.h"

void ex_trim(const char **s, const char **e)
{
	while (*s < *e && is_space(**s))
		(*s)++;
	while (*e > *s && is_space((*e)[-1]))
		(*e)--;
}

/* True if p[0..n) is well-formed UTF-8 (no overlongs, no surrogates). */
int ex_utf8_valid(const char *s, size_t n)
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

void ex_reject(struct ex *x, unsigned long line, const char *s, size_t n,
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

void ex_accept(struct ex *x, const struct ex_item *it)
{
	x->st->items++;
	x->st->accepted++;
	if (it->net.lo.family == 4)
		x->st->accepted_v4++;
	if (it->cited[0])
		x->st->cited_items++;
	else if (it->cited_len > 0)
		x->st->cited_unread++;
	if (x->sink != NULL && x->sink->item != NULL)
		x->sink->item(x->sink->ctx, it);
}

void ex_item_init(struct ex_item *it)
{
	memset(it, 0, sizeof *it);
	it->count = 1;
}

/*
 * Length of a defang marker at s ("[.]", "(.)", "{.}", "[dot]", "[:]",
 * "[/]" and the other bracket pairs), with the byte it stands for in
 * *out; 0 if there is none.
 */
size_t ex_marker(const char *s, const char *end, char *out)
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
size_t ex_refang(struct ex *x, const char *s, size_t n)
{
	const char *p = s, *end = s + n;
	size_t o = 0, m;
	int changed = 0;
	char c;

	if (n > 4 * EX_RUN_MAX)
		return 0;
	while (p < end) {
		if ((m = ex_marker(p, end, &c)) != 0) {
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

int ex_has_bracket(const char *s, size_t n)
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
void ex_take(struct ex *x, unsigned long line, const char *s, size_t n,
                 const struct ex_item *proto)
{
	struct ex_item it = *proto;
	const char *why = NULL, *why2;
	const char *ts = s, *te = s + n;
	size_t m;

	ex_trim(&ts, &te);
	if (net_parse(ts, (size_t)(te - ts), 0, &it.net, &why) == 0) {
		it.text = ts;
		it.len = (size_t)(te - ts);
		it.line = line;
		ex_accept(x, &it);
		return;
	}
	if (memchr(s, '\0', n) != NULL) {
		ex_reject(x, line, ts, (size_t)(te - ts), R_NUL_LINE);
		return;
	}
	if (ex_has_bracket(ts, (size_t)(te - ts)) &&
	    (m = ex_refang(x, ts, (size_t)(te - ts))) != 0) {
		if (net_parse(x->fixed, m, 0, &it.net, &why2) == 0) {
			it.text = x->fixed;
			it.len = m;
			it.line = line;
			ex_accept(x, &it);
			return;
		}
		why = why2;
	}
	if (!ex_utf8_valid(ts, (size_t)(te - ts)))
		why = R_UTF8;
	ex_reject(x, line, ts, (size_t)(te - ts), why);
}

/* ------------------------------------------------------------ names */

/*
 * Column and key names, normalised: lower case, camelCase split with
 * '_', and ' ', '-', '.' read as '_'.  Address names are in order of
 * preference: a file with both src_ip and dst_ip is about its sources.
 */
const char *const ex_addr_names[] = {
	"ip", "ip_address", "ipaddress", "ip_addr", "ipaddr", "ipv4", "ipv6",
	"ipv4_address", "ipv6_address", "ip_str", "src_ip", "source_ip",
	"srcip", "sourceip", "ip_src", "src_addr", "src_address",
	"source_address", "attacker_ip", "attacker", "remote_ip", "remote_addr",
	"client_ip", "host_ip", "address", "addr", "dst_ip", "dest_ip",
	"destination_ip", "ip_dst", "dstip", "indicator_value", "ioc_value",
	"observable_value", "indicator", "ioc", "observable",
	"value", "network", "cidr", "prefix", "subnet", "netblock", "ip_range",
	"range", "source", "src", "host", NULL
};

const char *const ex_count_names[] = {
	"count", "hits", "hit_count", "attacks", "attack_count", "num_attacks",
	"events", "event_count", "weight", "occurrences", "attempts",
	"connections", "sessions", "reports", "num_reports", "total_reports",
	"requests", "packets", "times_seen", "number_observed", "total",
	"frequency", "freq", "num", "n", NULL
};

const char *const ex_cited_names[] = {
	"country", "cc", "country_code", "countrycode", "country_name",
	"country_iso", "iso_code", "location", "geo", "geolocation",
	"src_country", "source_country", "attacker_country", "origin",
	"origin_country", "nation", "attributed_country", "cited_country",
	"claimed_country", "geoip_country", "claimed_location",
	"cited_location", "reported_location", "attributed_location",
	"reported_country", "alleged_country", "alleged_location", NULL
};

/* Column names of an advisory's indicator type, role, phase and date. */
const char *const ex_type_names[] = {
	"type", "indicator_type", "ioc_type", "type_of_indicator",
	"indicator_kind", "attribute_type", "observable_type", "data_type",
	"kind", NULL
};
const char *const ex_role_names[] = {
	"role", "roles", "indicator_role", "threat_type", "usage", "purpose",
	NULL
};
const char *const ex_phase_names[] = {
	"attack_phase", "phase", "kill_chain_phase", "kill_chain",
	"killchain", "killchain_phase", NULL
};
const char *const ex_observed_names[] = {
	"observed_date", "observed", "first_observed", "first_seen",
	"firstseen", "date", "date_observed", "seen", "timestamp", "date_added",
	"last_seen", "lastseen", NULL
};

/*
 * A cited-location column: a known name, or one whose parts include
 * "country" or "location" and nothing that makes it a finer place or
 * another field ("city_location", "country_asn").
 */
int ex_is_cited_name(const char *name)
{
	static const char *const not_country[] = {
		"city", "region", "state", "province", "lat", "latitude", "lon",
		"lng", "longitude", "asn", "org", "isp", "postal", "zip",
		"metro", "timezone", "tz", "accuracy", "radius", NULL
	};
	char part[EX_NAME_MAX];
	const char *p = name, *u;
	int place = 0;

	if (ex_name_index(ex_cited_names, name) >= 0)
		return 1;
	while (*p) {
		size_t n;

		u = strchr(p, '_');
		n = u != NULL ? (size_t)(u - p) : strlen(p);
		if (n >= sizeof part)
			return 0;
		memcpy(part, p, n);
		part[n] = '\0';
		if (strcmp(part, "country") == 0 || strcmp(part, "location") == 0)
			place = 1;
		else if (ex_name_index(not_country, part) >= 0)
			return 0;
		p = u != NULL ? u + 1 : p + n;
	}
	return place;
}

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
void ex_norm_name(const char *s, size_t n, char out[EX_NAME_MAX])
{
	const char *e = s + n;
	size_t o = 0;
	char c, prev = 0;

	ex_trim(&s, &e);
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
int ex_name_index(const char *const *list, const char *name)
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

int ex_is_time_name(const char *name)
{
	return ex_name_index(time_names, name) >= 0 ||
	    has_suffix(time_suffixes, name);
}

int ex_is_port_name(const char *name)
{
	return ex_name_index(port_names, name) >= 0 ||
	    has_suffix(port_suffixes, name);
}

void ex_set_column(struct ex *x, const char *s, size_t n)
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
const char *ex_parse_count(const char *s, size_t n, double *out)
{
	const char *e = s + n;
	double v = 0, scale = 1;
	int digits = 0, group = -1;

	ex_trim(&s, &e);
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
void ex_set_cited(struct ex_item *it, const char *s, size_t n)
{
	const char *e = s + n;

	ex_trim(&s, &e);
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
unsigned long ex_count_lines(const char *p, const char *end)
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
void ex_lcur_init(struct lcur *c, const char *base, const char *end)
{
	c->base = c->p = base;
	c->end = end;
	c->line = 1;
}

/* Start of line L and its length without the line ending. */
const char *ex_lcur_seek(struct lcur *c, unsigned long line, size_t *len)
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
