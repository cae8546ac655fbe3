/*
 * delegated.c - the RIR statistics exchange format (NRO), plain and
 * extended:
 *
 *   2|apnic|20141102|35664|19850701|20141031|+1000     version line
 *   apnic|*|ipv4|*|26107|summary                      one per type
 *   apnic|PH|ipv4|1.37.0.0|65536|20110405|allocated   records
 *   apnic||ipv4|14.102.240.0|4096||available|         (extended)
 *
 * IPv4 records count addresses (not always a power of two), IPv6 records
 * give a prefix length; asn records are counted and skipped.  The version
 * line's record count is checked against the records read, which is how
 * a plain-text archive cut short is told from a whole one.
 */
#include <string.h>

#include "hist/hist.h"
#include "util.h"

#define MAXF 12

static int known_registry(const char *s, size_t n)
{
	return hist_is(s, n, "afrinic") || hist_is(s, n, "apnic") || hist_is(s, n, "arin") ||
	       hist_is(s, n, "lacnic") || hist_is(s, n, "ripencc") || hist_is(s, n, "iana");
}

static int parse_date8(const char *s, size_t n, uint32_t *out)
{
	uint64_t v;
	int64_t t;
	char buf[11];

	if (n == 0 || (n == 8 && memcmp(s, "00000000", 8) == 0)) {
		*out = 0;
		return 0;
	}
	if (n != 8 || parse_u64(s, 8, 0, 99991231, &v) != 0)
		return -1;
	memcpy(buf, s, 4);
	buf[4] = '-';
	memcpy(buf + 5, s + 4, 2);
	buf[7] = '-';
	memcpy(buf + 8, s + 6, 2);
	/* ARIN dates some legacy blocks before 1970 (e.g. 19830101 is fine,
	 * but the check needs a real calendar date from 1970 on); older ones
	 * keep their value without the calendar check. */
	if (v >= 19700101 && hist_parse_time(buf, 10, &t) != 0)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int hist_delegated_parse(const char *buf, size_t len, const char *where,
                         struct hist_data *d)
{
	const char *line, *f[MAXF];
	size_t n, fl[MAXF], pos = 0;
	unsigned long lineno = 0, announced = 0, records = 0;
	int have_version = 0, k;
	uint64_t v;

	while (hist_next_line(buf, len, &pos, &line, &n)) {
		struct hist_reg r;
		const char *why = NULL;

		lineno++;
		if (n == 0 || line[0] == '#')
			continue;
		if (memchr(line, '\0', n) != NULL)
			HIST_FAIL("NUL byte in the line");
		k = hist_split_bar(line, n, f, fl, MAXF);
		if (k < 0)
			HIST_FAIL("more than %d fields", MAXF);
		if (!have_version) {
			/* version|registry|serial|records|startdate|enddate|UTCoffset */
			if (k != 7 || fl[0] == 0 || (line[0] != '2' && line[0] != '1'))
				HIST_FAIL("not a delegated statistics file: no version line");
			if (!known_registry(f[1], fl[1]))
				HIST_FAIL("unknown registry '%.*s'", (int)fl[1], f[1]);
			if (parse_u64(f[3], fl[3], 0, 100000000, &v) != 0)
				HIST_FAIL("bad record count '%.*s' in the version line", (int)fl[3], f[3]);
			announced = (unsigned long)v;
			have_version = 1;
			continue;
		}
		if (k == 6 && hist_is(f[5], fl[5], "summary")) {
			if (!known_registry(f[0], fl[0]) || !hist_is(f[1], fl[1], "*") ||
			    !(hist_is(f[2], fl[2], "asn") || hist_is(f[2], fl[2], "ipv4") || hist_is(f[2], fl[2], "ipv6")) ||
			    parse_u64(f[4], fl[4], 0, 100000000, &v) != 0)
				HIST_FAIL("malformed summary line");
			continue;
		}
		if (k < 7)
			HIST_FAIL("%d fields where a record has at least 7", k);
		if (!known_registry(f[0], fl[0]))
			HIST_FAIL("unknown registry '%.*s'", (int)fl[0], f[0]);
		records++;
		if (hist_is(f[2], fl[2], "asn"))
			continue;
		memset(&r, 0, sizeof(r));
		if (hist_is(f[6], fl[6], "allocated"))
			r.status = HIST_ALLOCATED;
		else if (hist_is(f[6], fl[6], "assigned"))
			r.status = HIST_ASSIGNED;
		else if (hist_is(f[6], fl[6], "available"))
			r.status = HIST_AVAILABLE;
		else if (hist_is(f[6], fl[6], "reserved"))
			r.status = HIST_RESERVED;
		else
			HIST_FAIL("unknown status '%.*s'", (int)fl[6], f[6]);
		if (fl[1] == 2 && f[1][0] >= 'A' && f[1][0] <= 'Z' && f[1][1] >= 'A' && f[1][1] <= 'Z') {
			r.cc[0] = f[1][0];
			r.cc[1] = f[1][1];
		} else if (!(fl[1] == 0 || hist_is(f[1], fl[1], "*"))) {
			HIST_FAIL("bad country code '%.*s'", (int)fl[1], f[1]);
		} else if (r.status == HIST_ALLOCATED || r.status == HIST_ASSIGNED) {
			HIST_FAIL("an %s block without a country", hist_status_name(r.status));
		}
		memcpy(r.registry, f[0], fl[0]);
		if (parse_date8(f[5], fl[5], &r.date) != 0)
			HIST_FAIL("bad date '%.*s'", (int)fl[5], f[5]);
		if (addr_parse(f[3], fl[3], &r.lo, &why) != 0)
			HIST_FAIL("bad start address '%.*s': %s", (int)fl[3], f[3], why);
		if (hist_is(f[2], fl[2], "ipv4")) {
			uint64_t lo;

			if (r.lo.family != 4)
				HIST_FAIL("an ipv4 record with an IPv6 address");
			if (parse_u64(f[4], fl[4], 1, (uint64_t)1 << 32, &v) != 0)
				HIST_FAIL("bad address count '%.*s'", (int)fl[4], f[4]);
			lo = ((uint64_t)r.lo.bytes[0] << 24) | ((uint64_t)r.lo.bytes[1] << 16) |
			     ((uint64_t)r.lo.bytes[2] << 8) | r.lo.bytes[3];
			if (lo + v - 1 > 0xffffffffu)
				HIST_FAIL("the block runs past 255.255.255.255");
			lo += v - 1;
			r.hi = r.lo;
			r.hi.bytes[0] = (uint8_t)(lo >> 24);
			r.hi.bytes[1] = (uint8_t)(lo >> 16);
			r.hi.bytes[2] = (uint8_t)(lo >> 8);
			r.hi.bytes[3] = (uint8_t)lo;
		} else if (hist_is(f[2], fl[2], "ipv6")) {
			struct ga_net net;

			if (r.lo.family != 6)
				HIST_FAIL("an ipv6 record with an IPv4 address");
			if (parse_u64(f[4], fl[4], 0, 128, &v) != 0)
				HIST_FAIL("bad prefix length '%.*s'", (int)fl[4], f[4]);
			net_from_prefix(&r.lo, (int)v, &net);
			if (addr_cmp(&net.lo, &r.lo) != 0)
				HIST_FAIL("host bits set in %.*s/%d", (int)fl[3], f[3], (int)v);
			r.hi = net.hi;
		} else {
			HIST_FAIL("unknown type '%.*s'", (int)fl[2], f[2]);
		}
		d->reg = xgrow(d->reg, &d->capreg, d->nreg + 1, sizeof(*d->reg));
		d->reg[d->nreg++] = r;
	}
	if (!have_version) {
		lineno = 0;
		HIST_FAIL("not a delegated statistics file: no version line");
	}
	/* Some registries' version lines count only the records of some
	 * types; what no file does is announce more than it holds. */
	if (records < announced) {
		errbuf_set(d->err, sizeof(d->err), "%s: truncated: the version line "
		           "announces %lu records, the file holds %lu", where, announced,
		           records);
		return -1;
	}
	d->records += records;
	return 0;
}
