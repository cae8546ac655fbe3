/*
 * pfx2as.c - CAIDA's RouteViews prefix-to-AS files (routeviews-prefix2as):
 * one prefix per line, "prefix TAB length TAB origins", where origins is
 * one AS number, several joined by '_' when RouteViews saw the prefix
 * announced by more than one origin, or joined by ',' when the origin is
 * an AS set; the two may mix ("4134_4538,4809").  The first AS written is
 * kept as the origin and the field is kept as written, in d->orig: real
 * fields run long (105 bytes in the file of 2017-03-29 02:00, an AS set of
 * six joined to one of thirteen), so no length is assumed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hist/hist.h"
#include "util.h"

int hist_pfx2as_parse(const char *buf, size_t len, const char *where,
                      struct hist_data *d)
{
	const char *line;
	size_t n, pos = 0;
	unsigned long lineno = 0, got = 0;

	while (hist_next_line(buf, len, &pos, &line, &n)) {
		const char *t1, *t2, *o, *why = NULL;
		struct hist_route r;
		struct ga_net net;
		size_t on, i, start;
		uint64_t v;

		lineno++;
		if (n == 0) {
			if (pos >= len)
				break;          /* the final newline */
			HIST_FAIL("empty line");
		}
		if (line[0] == '#')
			continue;
		t1 = memchr(line, '\t', n);
		t2 = t1 ? memchr(t1 + 1, '\t', n - (size_t)(t1 + 1 - line)) : NULL;
		if (t1 == NULL || t2 == NULL)
			HIST_FAIL("not prefix TAB length TAB origin");
		memset(&r, 0, sizeof(r));
		if (addr_parse(line, (size_t)(t1 - line), &r.start, &why) != 0)
			HIST_FAIL("bad prefix '%.*s': %s", (int)(t1 - line), line, why);
		if (parse_u64(t1 + 1, (size_t)(t2 - t1 - 1), 0, (uint64_t)addr_bits(&r.start), &v) != 0)
			HIST_FAIL("bad prefix length '%.*s'", (int)(t2 - t1 - 1), t1 + 1);
		r.len = (int)v;
		net_from_prefix(&r.start, r.len, &net);
		if (addr_cmp(&net.lo, &r.start) != 0)
			HIST_FAIL("host bits set in %.*s/%d", (int)(t1 - line), line, r.len);
		o = t2 + 1;
		on = n - (size_t)(o - line);
		if (on == 0)
			HIST_FAIL("origin field empty");
		if (on >= UINT32_MAX - d->norig)
			HIST_FAIL("origin fields over 4 GiB in all");
		/* AS numbers separated by single '_' or ',' only. */
		start = 0;
		for (i = 0; i <= on; i++) {
			if (i < on && o[i] >= '0' && o[i] <= '9')
				continue;
			if (i < on && o[i] != '_' && o[i] != ',')
				HIST_FAIL("bad character '%c' in the origin field", o[i]);
			if (parse_u64(o + start, i - start, 0, UINT32_MAX, &v) != 0)
				HIST_FAIL("bad AS number in '%.*s'", (int)on, o);
			if (start == 0)
				r.asn = (uint32_t)v;
			start = i + 1;
		}
		r.origins = (uint32_t)d->norig;
		d->orig = xgrow(d->orig, &d->caporig, d->norig + on + 1, 1);
		memcpy(d->orig + d->norig, o, on);
		d->orig[d->norig + on] = '\0';
		d->norig += on + 1;
		d->rt = xgrow(d->rt, &d->caprt, d->nrt + 1, sizeof(*d->rt));
		d->rt[d->nrt++] = r;
		got++;
	}
	if (got == 0) {
		lineno = 0;
		HIST_FAIL("no prefix in the file");
	}
	d->records += got;
	return 0;
}

const char *hist_route_origins(const struct hist_data *d, const struct hist_route *r)
{
	return d->orig + r->origins;
}

int hist_pfx2as_pick_time(const char *text, size_t len, int y, unsigned m, unsigned d,
                          char hhmm[5])
{
	char want[40];
	size_t wl, i;
	int best = -1, n;

	n = snprintf(want, sizeof(want), "routeviews-rv2-%04d%02u%02u-", y, m, d);
	if (n < 0 || (size_t)n >= sizeof(want))
		return -1;
	wl = (size_t)n;
	for (i = 0; len >= wl + 14 && i <= len - wl - 14; i++) {
		const char *p = text + i;
		int v = 0, k;

		if (p[0] != 'r' || memcmp(p, want, wl) != 0)
			continue;
		for (k = 0; k < 4 && p[wl + k] >= '0' && p[wl + k] <= '9'; k++)
			v = v * 10 + (p[wl + k] - '0');
		if (k < 4 || memcmp(p + wl + 4, ".pfx2as.gz", 10) != 0 || v % 100 > 59 || v / 100 > 23)
			continue;
		if (best < 0 || abs(v - 1200) < abs(best - 1200) ||
		    (abs(v - 1200) == abs(best - 1200) && v < best))
			best = v;
	}
	if (best < 0)
		return -1;
	hhmm[0] = (char)('0' + best / 1000);
	hhmm[1] = (char)('0' + best / 100 % 10);
	hhmm[2] = (char)('0' + best / 10 % 10);
	hhmm[3] = (char)('0' + best % 10);
	hhmm[4] = '\0';
	return 0;
}
