/*
 * claim.c - claim files and the figures in them.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claim.h"
#include "country.h"
#include "jsonout.h"
#include "util.h"

void claim_init(struct claim *c)
{
	memset(c, 0, sizeof(*c));
	c->share = -1;
}

void claim_release(struct claim *c)
{
	free(c->claimant);
	free(c->date);
	free(c->statement);
	free(c->source);
	free(c->addresses);
	free(c->note);
	claim_init(c);
}

int claim_parse_share(const char *s, double *out)
{
	char *end;
	double v;

	while (isspace((unsigned char)*s))
		s++;
	v = strtod(s, &end);
	if (end == s || !isfinite(v))
		return -1;
	while (isspace((unsigned char)*end))
		end++;
	if (*end == '%') {
		v /= 100;
		end++;
	} else if (v > 1) {
		return -1;     /* "75" is ambiguous: say 75% or 0.75 */
	}
	while (isspace((unsigned char)*end))
		end++;
	if (*end != '\0' || v < 0 || v > 1)
		return -1;
	*out = v;
	return 0;
}

int claim_parse_month(const char *s, long *months)
{
	uint64_t y, m = 1, d = 1;
	size_t n = strlen(s);

	if (n < 4 || parse_u64(s, 4, 1900, 2999, &y))
		return -1;
	if (n > 4) {
		if (n < 7 || s[4] != '-' || parse_u64(s + 5, 2, 1, 12, &m))
			return -1;
		if (n > 7 && (n != 10 || s[7] != '-' || parse_u64(s + 8, 2, 1, 31, &d)))
			return -1;
	}
	(void)d;
	*months = (long)(y * 12 + (m - 1));
	return 0;
}

static char *json_strdup(const struct jv *o, const char *key)
{
	const struct jv *v = jv_get(o, key);
	size_t len;
	const char *s = v ? jv_string(v, &len) : NULL;

	return s ? xstrndup(s, len) : NULL;
}

int claim_load(const char *path, struct claim *c, char *err, size_t errlen)
{
	char *buf;
	size_t len;
	int rc;

	if (file_read_all(path, &buf, &len) != 0) {
		snprintf(err, errlen, "%s: cannot read claim file", path);
		return -1;
	}
	rc = claim_parse(path, buf, len, c, err, errlen);
	free(buf);
	return rc;
}

int claim_parse(const char *path, const char *buf, size_t len,
                struct claim *c, char *err, size_t errlen)
{
	char perr[200];
	struct jv *o, *v;
	char *s;

	o = jv_parse(buf, len, perr, sizeof(perr));
	if (o == NULL) {
		snprintf(err, errlen, "%s: not JSON: %s", path, perr);
		return -1;
	}
	if (jv_typeof(o) != JV_OBJECT) {
		snprintf(err, errlen, "%s: a claim file is a JSON object", path);
		jv_free(o);
		return -1;
	}
	c->claimant = json_strdup(o, "claimant");
	c->date = json_strdup(o, "date");
	c->statement = json_strdup(o, "statement");
	c->source = json_strdup(o, "source");
	c->note = json_strdup(o, "note");
	if ((s = json_strdup(o, "claimed_country")) != NULL) {
		if (country_parse(s, strlen(s), c->country) != 0) {
			snprintf(err, errlen, "%s: claimed_country '%s' is not a country", path, s);
			free(s);
			jv_free(o);
			return -1;
		}
		free(s);
	}
	v = jv_get(o, "claimed_share");
	if (v != NULL && (jv_typeof(v) == JV_REAL || jv_typeof(v) == JV_INT)) {
		c->share = jv_number(v);
		if (c->share > 1 && c->share <= 100)
			c->share /= 100;
		if (c->share < 0 || c->share > 1) {
			snprintf(err, errlen, "%s: claimed_share must be 0..1 or a percentage", path);
			jv_free(o);
			return -1;
		}
	} else if (v != NULL && jv_typeof(v) == JV_STRING) {
		if (claim_parse_share(jv_string(v, NULL), &c->share) != 0) {
			snprintf(err, errlen, "%s: claimed_share '%s' is not a share", path, jv_string(v, NULL));
			jv_free(o);
			return -1;
		}
	}
	v = jv_get(o, "addresses");
	if (v != NULL && jv_typeof(v) == JV_STRING) {
		const char *a = jv_string(v, NULL);
		const char *slash = strrchr(path, '/');

		if (a[0] == '/' || slash == NULL)
			c->addresses = xstrdup(a);
		else
			c->addresses = xasprintf("%.*s/%s", (int)(slash - path), path, a);
	} else {
		c->no_list = 1;
	}
	if (c->date != NULL) {
		long m;

		if (claim_parse_month(c->date, &m) != 0) {
			snprintf(err, errlen, "%s: date '%s' is not YYYY-MM-DD", path, c->date);
			jv_free(o);
			return -1;
		}
	}
	jv_free(o);
	return 0;
}

