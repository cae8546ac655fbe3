/*
 * common.c - what the historical archive parsers share: the dispatch,
 * the container, line splitting and UTC time arithmetic (timegm() is not
 * in POSIX, and the archives' times are all UTC).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hist/hist.h"
#include "util.h"

void hist_data_init(struct hist_data *d)
{
	memset(d, 0, sizeof(*d));
}

void hist_data_free(struct hist_data *d)
{
	if (d == NULL)
		return;
	free(d->reg);
	free(d->rt);
	free(d->orig);
	free(d->ex);
	free(d->an);
	free(d->names);
	hist_data_init(d);
}

int hist_parse(enum hist_kind k, const char *buf, size_t len,
               const char *where, struct hist_data *d)
{
	size_t nreg = d->nreg, nrt = d->nrt, norig = d->norig, nex = d->nex, nan = d->nan;
	size_t nnames = d->nnames;
	unsigned long records = d->records;
	int rc;

	d->err[0] = '\0';
	switch (k) {
	case HIST_DELEGATED:
		rc = hist_delegated_parse(buf, len, where, d);
		break;
	case HIST_PFX2AS:
		rc = hist_pfx2as_parse(buf, len, where, d);
		break;
	case HIST_EXITLIST:
		rc = hist_exitlist_parse(buf, len, where, d);
		break;
	case HIST_AS2ORG:
		rc = hist_as2org_parse(buf, len, where, d);
		break;
	default:
		errbuf_set(d->err, sizeof(d->err), "%s: unknown archive kind", where);
		return -1;
	}
	if (rc != 0) {
		/* A refused document contributes nothing. */
		d->nreg = nreg;
		d->nrt = nrt;
		d->norig = norig;
		d->nex = nex;
		d->nan = nan;
		d->nnames = nnames;
		d->records = records;
		if (d->err[0] == '\0')
			errbuf_set(d->err, sizeof(d->err), "%s: not in the format", where);
	}
	return rc;
}

const char *hist_kind_name(enum hist_kind k)
{
	switch (k) {
	case HIST_DELEGATED: return "delegated";
	case HIST_PFX2AS: return "pfx2as";
	case HIST_EXITLIST: return "exit-list";
	case HIST_AS2ORG: return "as2org";
	}
	return "?";
}

const char *hist_status_name(enum hist_status s)
{
	switch (s) {
	case HIST_ALLOCATED: return "allocated";
	case HIST_ASSIGNED: return "assigned";
	case HIST_AVAILABLE: return "available";
	case HIST_RESERVED: return "reserved";
	}
	return "?";
}

int hist_next_line(const char *buf, size_t len, size_t *pos,
                   const char **line, size_t *n)
{
	const char *p, *nl;
	size_t rest;

	if (*pos >= len)
		return 0;
	p = buf + *pos;
	rest = len - *pos;
	nl = memchr(p, '\n', rest);
	*line = p;
	*n = nl ? (size_t)(nl - p) : rest;
	*pos += *n + (nl != NULL);
	if (*n > 0 && p[*n - 1] == '\r')
		(*n)--;
	return 1;
}

/* Howard Hinnant's days_from_civil algorithm (public domain description,
 * written here from the arithmetic it states). */
int64_t hist_days_from_civil(int y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int num(const char *s, size_t n, unsigned lo, unsigned hi, unsigned *out)
{
	uint64_t v;

	if (parse_u64(s, n, lo, hi, &v) != 0)
		return -1;
	*out = (unsigned)v;
	return 0;
}

int hist_parse_time(const char *s, size_t n, int64_t *out)
{
	unsigned y, mo, d, h = 0, mi = 0, se = 0;
	static const unsigned mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (n != 10 && n != 19)
		return -1;
	if (s[4] != '-' || s[7] != '-' || num(s, 4, 1970, 9999, &y) ||
	    num(s + 5, 2, 1, 12, &mo) || num(s + 8, 2, 1, 31, &d))
		return -1;
	if (d > mdays[mo - 1] ||
	    (mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))))
		return -1;
	if (n == 19 && (s[10] != ' ' || s[13] != ':' || s[16] != ':' ||
	                num(s + 11, 2, 0, 23, &h) || num(s + 14, 2, 0, 59, &mi) ||
	                num(s + 17, 2, 0, 60, &se)))
		return -1;
	*out = hist_days_from_civil((int)y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
	return 0;
}

int hist_fail(struct hist_data *d, const char *where, unsigned long line,
              const char *fmt, ...)
{
	char why[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	errbuf_set(d->err, sizeof(d->err), "%s:%lu: %s", where, line, why);
	return -1;
}

int hist_split_bar(const char *s, size_t n, const char **f, size_t *fl, int max)
{
	size_t i, start = 0;
	int k = 0;

	for (i = 0; i <= n; i++) {
		if (i == n || s[i] == '|') {
			if (k == max)
				return -1;
			f[k] = s + start;
			fl[k] = i - start;
			k++;
			start = i + 1;
		}
	}
	return k;
}

int hist_is(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && memcmp(s, word, n) == 0;
}
