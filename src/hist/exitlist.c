/*
 * exitlist.c - TorDNSEL exit lists as the Tor Project's CollecTor keeps
 * them (one file per hourly download, in monthly tar.xz archives):
 *
 *   @type tordnsel 1.0
 *   Downloaded 2017-07-17 17:02:00
 *   ExitNode 0011BD2485AD45D984EC4159C88FC066E5E3300E
 *   Published 2017-07-17 13:20:49
 *   LastStatus 2017-07-17 14:03:15
 *   ExitAddress 162.247.72.201 2017-07-17 14:11:38
 *
 * Every ExitAddress line gives one sighting (address, time).  A record
 * must start with ExitNode and name a 40-hex-digit fingerprint; Published
 * and LastStatus are checked as times; an unknown keyword fails the file.
 */
#include <string.h>

#include "hist/hist.h"
#include "util.h"

static int key(const char *s, size_t n, const char *k, const char **rest,
               size_t *rn)
{
	size_t kl = strlen(k);

	if (n <= kl || memcmp(s, k, kl) != 0 || s[kl] != ' ')
		return 0;
	*rest = s + kl + 1;
	*rn = n - kl - 1;
	return 1;
}

int hist_exitlist_parse(const char *buf, size_t len, const char *where,
                        struct hist_data *d)
{
	const char *line, *r;
	size_t n, rn, pos = 0, i;
	unsigned long lineno = 0, nodes = 0;
	int in_node = 0, seen_any = 0;
	int64_t t;

	while (hist_next_line(buf, len, &pos, &line, &n)) {
		lineno++;
		if (n == 0) {
			if (pos >= len)
				break;
			HIST_FAIL("empty line");
		}
		if (n == 18 && memcmp(line, "@type tordnsel 1.", 17) == 0 && lineno == 1)
			continue;
		if (line[0] == '@')
			HIST_FAIL("not a TorDNSEL exit list: '%.*s'", (int)(n > 40 ? 40 : n), line);
		if (key(line, n, "Downloaded", &r, &rn)) {
			if (seen_any || hist_parse_time(r, rn, &t) != 0)
				HIST_FAIL("bad Downloaded line");
			continue;
		}
		if (key(line, n, "ExitNode", &r, &rn)) {
			if (rn != 40)
				HIST_FAIL("fingerprint of %zu characters, not 40", rn);
			for (i = 0; i < rn; i++)
				if (!((r[i] >= '0' && r[i] <= '9') || (r[i] >= 'A' && r[i] <= 'F') ||
				      (r[i] >= 'a' && r[i] <= 'f')))
					HIST_FAIL("fingerprint is not hexadecimal");
			in_node = 1;
			seen_any = 1;
			nodes++;
			continue;
		}
		if (!in_node)
			HIST_FAIL("'%.*s' before the first ExitNode", (int)(n > 40 ? 40 : n), line);
		if (key(line, n, "Published", &r, &rn) || key(line, n, "LastStatus", &r, &rn)) {
			if (hist_parse_time(r, rn, &t) != 0)
				HIST_FAIL("bad time '%.*s'", (int)rn, r);
			continue;
		}
		if (key(line, n, "ExitAddress", &r, &rn)) {
			const char *sp = memchr(r, ' ', rn), *why = NULL;
			struct hist_exit e;

			if (sp == NULL)
				HIST_FAIL("ExitAddress without a time");
			memset(&e, 0, sizeof(e));
			if (addr_parse(r, (size_t)(sp - r), &e.addr, &why) != 0)
				HIST_FAIL("bad exit address '%.*s': %s", (int)(sp - r), r, why);
			if (hist_parse_time(sp + 1, rn - (size_t)(sp + 1 - r), &e.seen) != 0)
				HIST_FAIL("bad time '%.*s'", (int)(rn - (size_t)(sp + 1 - r)), sp + 1);
			d->ex = xgrow(d->ex, &d->capex, d->nex + 1, sizeof(*d->ex));
			d->ex[d->nex++] = e;
			continue;
		}
		HIST_FAIL("unknown line '%.*s'", (int)(n > 40 ? 40 : n), line);
	}
	/* A file of the hour when no exit was known is legitimate but holds
	 * no record; one with no header and no record is not an exit list. */
	if (nodes == 0 && !(len >= 18 && memcmp(buf, "@type tordnsel 1.", 17) == 0)) {
		lineno = 0;
		HIST_FAIL("not a TorDNSEL exit list");
	}
	d->records += nodes;
	return 0;
}
