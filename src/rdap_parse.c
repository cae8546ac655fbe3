/*
 * rdap_parse.c - the RDAP parsers: IANA bootstrap files (RFC 9224) and
 * "ip network" answers (RFC 9083).  No network here, so the fuzzer links
 * this without libcurl.  See rdap.h.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jsonout.h"
#include "rdap.h"
#include "util.h"

/* Longest text we keep from a server: names and handles are short, and a
 * hostile answer must not fill a report with megabytes of one field. */
#define RDAP_TEXT_MAX 256

void rdap_result_free(struct rdap_result *r)
{
	if (r == NULL)
		return;
	free(r->network);
	free(r->name);
	free(r->type);
	free(r->country);
	free(r->registry);
	free(r->registration_date);
	free(r->last_changed);
	free(r->handle);
	free(r->source_url);
	memset(r, 0, sizeof(*r));
}



/* jv_typeof() does not accept NULL; a missing member is simply "not t". */
static int is(const struct jv *v, enum jv_type t)
{
	return v != NULL && jv_typeof(v) == t;
}

/*
 * A server's string made safe to print: control characters (terminal
 * escapes among them) become '?', and it is cut at RDAP_TEXT_MAX bytes on
 * a UTF-8 character boundary.  NULL when v is not a non-empty string.
 */
static char *clean_text(const struct jv *v)
{
	size_t len, i;
	const char *s = jv_string(v, &len);
	char *o;

	if (s == NULL)
		return NULL;
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	while (len > 0 && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	if (len == 0)
		return NULL;
	if (len > RDAP_TEXT_MAX) {
		len = RDAP_TEXT_MAX;
		while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
			len--;
	}
	o = xstrndup(s, len);
	for (i = 0; i < len; i++)
		if ((unsigned char)o[i] < 0x20 || o[i] == 0x7f)
			o[i] = '?';
	return o;
}

/* Two ASCII letters, upper-cased, or NULL: "country" must be an ISO
 * 3166 code, and a full country name is not one. */
static char *country_code(const char *s, size_t len)
{
	char *o;

	if (s == NULL || len != 2 || !isalpha((unsigned char)s[0]) ||
	    !isalpha((unsigned char)s[1]) || (unsigned char)s[0] >= 0x80 ||
	    (unsigned char)s[1] >= 0x80)
		return NULL;
	o = xmalloc(3);
	o[0] = (char)toupper((unsigned char)s[0]);
	o[1] = (char)toupper((unsigned char)s[1]);
	o[2] = '\0';
	return o;
}

static int has_suffix_host(const char *host, size_t hl, const char *dom)
{
	size_t dl = strlen(dom);

	if (hl == dl)
		return strncasecmp(host, dom, dl) == 0;
	return hl > dl && host[hl - dl - 1] == '.' &&
	       strncasecmp(host + hl - dl, dom, dl) == 0;
}

const char *rdap_registry_for_host(const char *host)
{
	static const struct {
		const char *domain, *name;
	} rirs[] = {
		{ "arin.net", "ARIN" }, { "ripe.net", "RIPE NCC" },
		{ "apnic.net", "APNIC" }, { "lacnic.net", "LACNIC" },
		{ "afrinic.net", "AFRINIC" },
	};
	size_t i, hl;

	if (host == NULL)
		return NULL;
	hl = strlen(host);
	/* "whois.arin.net." is the same name as "whois.arin.net". */
	if (hl > 0 && host[hl - 1] == '.')
		hl--;
	for (i = 0; i < sizeof(rirs) / sizeof(rirs[0]); i++)
		if (has_suffix_host(host, hl, rirs[i].domain))
			return rirs[i].name;
	return NULL;
}

/* ------------------------------------------------------------ bootstrap */

/* A base URL we are willing to hand to the downloader: https with a
 * host, printable ASCII without spaces or quotes, and room for the
 * trailing '/'. */
static int usable_url(const char *s, size_t len, size_t urlsz)
{
	size_t i;

	if (len <= 8 || strncasecmp(s, "https://", 8) != 0 || len + 2 > urlsz ||
	    s[8] == '/' || s[8] == '?' || s[8] == '#')
		return 0;
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f ||
		    s[i] == '"' || s[i] == '\\' || s[i] == '<' || s[i] == '>')
			return 0;
	return 1;
}

int rdap_parse_bootstrap(const char *buf, size_t len, const struct ga_addr *a,
                         char *url, size_t urlsz)
{
	struct jv *root, *services, *best = NULL;
	size_t i, j, n, slen;
	int best_len = -1, rc;
	const char *s;

	if (urlsz > 0)
		url[0] = '\0';
	root = jv_parse(buf, len, NULL, 0);
	services = jv_get(root, "services");
	if (!is(services, JV_ARRAY)) {
		jv_free(root);
		return RDAP_BOOT_BAD;
	}
	n = jv_len(services);
	for (i = 0; i < n; i++) {
		struct jv *svc = jv_at(services, i);
		struct jv *nets = jv_at(svc, 0);

		if (!is(svc, JV_ARRAY) || !is(nets, JV_ARRAY) ||
		    !is(jv_at(svc, 1), JV_ARRAY))
			continue;
		for (j = 0; j < jv_len(nets); j++) {
			struct ga_net net;

			s = jv_string(jv_at(nets, j), &slen);
			/* One odd entry must not hide the rest of the registry. */
			if (s == NULL || net_parse(s, slen, ADDR_NO_RANGE, &net, NULL) != 0)
				continue;
			if (net.lo.family != a->family || !net_contains(&net, a))
				continue;
			if (net.prefix_len > best_len) {
				best_len = net.prefix_len;
				best = jv_at(svc, 1);
			}
		}
	}
	rc = RDAP_BOOT_NOMATCH;
	if (best != NULL) {
		/* The most specific service is the authoritative one: falling
		 * back to a shorter prefix that has https would ask the wrong
		 * registry. */
		rc = RDAP_BOOT_NOHTTPS;
		for (j = 0; j < jv_len(best); j++) {
			s = jv_string(jv_at(best, j), &slen);
			if (s == NULL || !usable_url(s, slen, urlsz))
				continue;
			/* The scheme in lower case: one spelling for the cache. */
			memcpy(url, "https://", 8);
			memcpy(url + 8, s + 8, slen - 8);
			if (url[slen - 1] != '/')
				url[slen++] = '/';
			url[slen] = '\0';
			rc = RDAP_BOOT_FOUND;
			break;
		}
	}
	jv_free(root);
	return rc;
}

/* -------------------------------------------------------------- answers */

static int count_block(const struct ga_addr *start, int len, void *ctx)
{
	int *v = ctx;

	(void)start;
	v[0]++;
	v[1] = len;
	return 0;
}

/* Fill n as the range lo..hi, with prefix_len set when it is one CIDR
 * block, so that net_format() writes "a/len" or "lo-hi". */
static void set_block(struct ga_net *n, const struct ga_addr *lo,
                      const struct ga_addr *hi)
{
	int cnt[2] = { 0, -1 };

	n->lo = *lo;
	n->hi = *hi;
	n->kind = NET_RANGE;
	addr_range_to_cidrs(lo, hi, count_block, cnt);
	n->prefix_len = cnt[0] == 1 ? cnt[1] : -1;
}

static int member_addr(const struct jv *o, const char *key, struct ga_addr *a)
{
	size_t len;
	const char *s = jv_string(jv_get(o, key), &len);

	return s != NULL && addr_parse(s, len, a, NULL) == 0;
}

/* The cidr0 extension (NRO): [{"v4prefix": "8.8.8.0", "length": 24}].
 * Some servers send the length as a string.  The union of the entries,
 * used only when startAddress/endAddress are missing. */
static int cidr0_block(const struct jv *cidrs, struct ga_addr *lo,
                       struct ga_addr *hi)
{
	size_t i, slen;
	int found = 0;

	for (i = 0; is(cidrs, JV_ARRAY) && i < jv_len(cidrs); i++) {
		struct jv *c = jv_at(cidrs, i), *lv = jv_get(c, "length");
		const char *p = jv_string(jv_get(c, "v4prefix"), &slen);
		struct ga_addr start;
		struct ga_net net;
		uint64_t l;
		const char *ls;
		size_t lslen;

		if (p == NULL)
			p = jv_string(jv_get(c, "v6prefix"), &slen);
		if (p == NULL || addr_parse(p, slen, &start, NULL) != 0)
			continue;
		if (is(lv, JV_INT)) {
			if (jv_intval(lv) < 0 || jv_intval(lv) > addr_bits(&start))
				continue;
			l = (uint64_t)jv_intval(lv);
		} else if ((ls = jv_string(lv, &lslen)) != NULL) {
			if (parse_u64(ls, lslen, 0, (uint64_t)addr_bits(&start), &l) != 0)
				continue;
		} else {
			continue;
		}
		net_from_prefix(&start, (int)l, &net);
		if (found && net.lo.family != lo->family)
			continue;
		if (!found || addr_cmp(&net.lo, lo) < 0)
			*lo = net.lo;
		if (!found || addr_cmp(&net.hi, hi) > 0)
			*hi = net.hi;
		found = 1;
	}
	return found;
}

static int has_role(const struct jv *entity, const char *role)
{
	struct jv *roles = jv_get(entity, "roles");
	size_t i;
	const char *s;

	for (i = 0; is(roles, JV_ARRAY) && i < jv_len(roles); i++)
		if ((s = jv_string(jv_at(roles, i), NULL)) != NULL &&
		    strcasecmp(s, role) == 0)
			return 1;
	return 0;
}

/*
 * The country of a jCard (RFC 7095) "adr" property: the "cc" parameter
 * (RFC 8605) when present, else the country-name component if it happens
 * to be a two-letter code.  RIRs often write a full name or only a
 * "label"; then there is no code to report.
 */
static char *vcard_country(const struct jv *entity)
{
	struct jv *vc = jv_get(entity, "vcardArray"), *props;
	size_t i, slen;
	const char *s;
	char *cc;

	props = jv_at(vc, 1);
	for (i = 0; is(props, JV_ARRAY) && i < jv_len(props); i++) {
		struct jv *p = jv_at(props, i), *val, *part;

		if ((s = jv_string(jv_at(p, 0), NULL)) == NULL || strcasecmp(s, "adr") != 0)
			continue;
		s = jv_string(jv_get(jv_at(p, 1), "cc"), &slen);
		if ((cc = country_code(s, slen)) != NULL)
			return cc;
		val = jv_at(p, 3);
		if (!is(val, JV_ARRAY) || jv_len(val) < 7)
			continue;
		part = jv_at(val, 6);
		if (is(part, JV_ARRAY))
			part = jv_at(part, 0);
		s = jv_string(part, &slen);
		if ((cc = country_code(s, slen)) != NULL)
			return cc;
	}
	return NULL;
}

static void take_events(const struct jv *events, struct rdap_result *r)
{
	size_t i;
	const char *act;

	for (i = 0; is(events, JV_ARRAY) && i < jv_len(events); i++) {
		struct jv *e = jv_at(events, i);

		if ((act = jv_string(jv_get(e, "eventAction"), NULL)) == NULL)
			continue;
		if (r->registration_date == NULL && strcasecmp(act, "registration") == 0)
			r->registration_date = clean_text(jv_get(e, "eventDate"));
		else if (r->last_changed == NULL && strcasecmp(act, "last changed") == 0)
			r->last_changed = clean_text(jv_get(e, "eventDate"));
	}
}

/* An RDAP error answer (RFC 9083 section 6) as one line. */
static void error_answer(const struct jv *root, char *err, size_t errlen)
{
	struct jv *code = jv_get(root, "errorCode");
	char *title = clean_text(jv_get(root, "title"));
	char *desc = clean_text(jv_at(jv_get(root, "description"), 0));

	errbuf_set(err, errlen, "the server answered with RDAP error %lld%s%s%s%s",
	    is(code, JV_INT) ? jv_intval(code) : 0LL,
	    title ? ": " : "", title ? title : "",
	    desc ? ": " : "", desc ? desc : "");
	free(title);
	free(desc);
}

int rdap_parse_network(const char *buf, size_t len, struct rdap_result *r,
                       char *err, size_t errlen)
{
	struct jv *root, *cls, *ents;
	struct ga_addr lo, hi;
	char jerr[200], text[NET_TEXT_MAX];
	const char *s;
	size_t i, slen;

	memset(r, 0, sizeof(*r));
	root = jv_parse(buf, len, jerr, sizeof(jerr));
	if (root == NULL) {
		errbuf_set(err, errlen, "the RDAP answer is not JSON (%s)", jerr);
		return -1;
	}
	if (!is(root, JV_OBJECT)) {
		errbuf_set(err, errlen, "the RDAP answer is not a JSON object");
		goto fail;
	}
	if (jv_get(root, "errorCode") != NULL) {
		error_answer(root, err, errlen);
		goto fail;
	}
	cls = jv_get(root, "objectClassName");
	if (cls != NULL) {
		s = jv_string(cls, NULL);
		if (s == NULL || strcmp(s, "ip network") != 0) {
			char *c = clean_text(cls);

			errbuf_set(err, errlen, "the RDAP answer is a \"%s\", not an \"ip network\"",
			    c ? c : "?");
			free(c);
			goto fail;
		}
	}

	/* The block is what the cache is keyed on and what says whether
	 * the answer is about the address at all, so it is required. */
	if (jv_get(root, "startAddress") != NULL || jv_get(root, "endAddress") != NULL) {
		if (!member_addr(root, "startAddress", &lo) ||
		    !member_addr(root, "endAddress", &hi)) {
			errbuf_set(err, errlen, "the RDAP answer has a missing or invalid startAddress or endAddress");
			goto fail;
		}
		if (lo.family != hi.family || addr_cmp(&lo, &hi) > 0) {
			errbuf_set(err, errlen, "the RDAP answer's startAddress and endAddress are not a range");
			goto fail;
		}
	} else if (!cidr0_block(jv_get(root, "cidr0_cidrs"), &lo, &hi)) {
		errbuf_set(err, errlen, "the RDAP answer names no address block "
		    "(no startAddress/endAddress or cidr0_cidrs)");
		goto fail;
	}
	set_block(&r->block, &lo, &hi);
	r->network = xstrdup(net_format(&r->block, text));

	r->name = clean_text(jv_get(root, "name"));
	r->type = clean_text(jv_get(root, "type"));
	r->handle = clean_text(jv_get(root, "handle"));
	s = jv_string(jv_get(root, "country"), &slen);
	r->country = country_code(s, slen);
	take_events(jv_get(root, "events"), r);

	ents = jv_get(root, "entities");
	for (i = 0; r->country == NULL && is(ents, JV_ARRAY) && i < jv_len(ents); i++)
		if (has_role(jv_at(ents, i), "registrant"))
			r->country = vcard_country(jv_at(ents, i));

	if ((s = jv_string(jv_get(root, "port43"), NULL)) != NULL) {
		const char *rir = rdap_registry_for_host(s);

		r->registry = rir ? xstrdup(rir) : clean_text(jv_get(root, "port43"));
	}
	jv_free(root);
	return 0;

fail:
	jv_free(root);
	rdap_result_free(r);
	return -1;
}
