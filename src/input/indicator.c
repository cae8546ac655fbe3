/*
 * input/indicator.c - the indicators that are not addresses, and the
 * locations a list cites in its own prose.
 *
 * Kinds.  Advisories mix addresses with domains, URLs and file hashes.
 * We count those by kind so that the report can say what it did not check
 * and why; where the format names a type ("FQDN", "md5", "ip-dst") that
 * type wins, and only an untyped value is judged by its shape.  A domain
 * is never resolved: resolving would contact infrastructure the list says
 * is hostile, and it would say where the name points today, not then.
 *
 * Cited locations.  Advisories write the location they attribute into a
 * description ("This IP address is located in Swaziland.").  A phrase is
 * read only after a trigger that states a location ("located in", "hosted
 * in", "geolocated to", "based in", "X-based" ...), and only a run of
 * words that country_parse() accepts as one country counts: "located in a
 * data centre" cites nothing.  The longest run that parses wins, so "the
 * United States" is not read as a shorter name.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "country.h"
#include "input/input.h"

static const char *const kind_names[EXK_COUNT][2] = {
	[EXK_DOMAIN] = { "domain", "domains" },
	[EXK_URL] = { "URL", "URLs" },
	[EXK_EMAIL] = { "e-mail address", "e-mail addresses" },
	[EXK_MD5] = { "MD5", "MD5" },
	[EXK_SHA1] = { "SHA-1", "SHA-1" },
	[EXK_SHA256] = { "SHA-256", "SHA-256" },
	[EXK_SHA512] = { "SHA-512", "SHA-512" },
	[EXK_FILENAME] = { "file name", "file names" },
	[EXK_OTHER] = { "other indicator", "other indicators" },
};

const char *extract_kind_name(enum ex_kind k)
{
	return (unsigned)k < EXK_COUNT ? kind_names[k][0] : "indicator";
}

const char *extract_kind_key(enum ex_kind k)
{
	static const char *const keys[EXK_COUNT] = {
		"domain", "url", "email", "md5", "sha1", "sha256", "sha512",
		"filename", "other"
	};

	return (unsigned)k < EXK_COUNT ? keys[k] : "other";
}

const char *extract_kind_plural(enum ex_kind k)
{
	return (unsigned)k < EXK_COUNT ? kind_names[k][1] : "indicators";
}

void ex_other(struct ex *x, enum ex_kind k, unsigned long line,
              const char *s, size_t n)
{
	const char *e = s + n;

	if ((unsigned)k >= EXK_COUNT)
		k = EXK_OTHER;
	ex_trim(&s, &e);
	n = (size_t)(e - s);
	if (n > EX_REJECT_MAX) {
		n = EX_REJECT_MAX;
		while (n > EX_REJECT_MAX - 3 && (s[n] & 0xc0) == 0x80)
			n--;
	}
	x->st->others++;
	x->st->other[k]++;
	if (x->sink != NULL && x->sink->other != NULL)
		x->sink->other(x->sink->ctx, k, line, s, n);
}

/* ------------------------------------------------------------ shapes */

static int starts_ci(const char *s, size_t n, const char *w)
{
	size_t k = strlen(w), i;

	if (n < k)
		return 0;
	for (i = 0; i < k; i++)
		if (lower(s[i]) != w[i])
			return 0;
	return 1;
}

static int ends_ci(const char *s, size_t n, const char *w)
{
	size_t k = strlen(w);

	return n >= k && starts_ci(s + n - k, k, w);
}

/* File extensions that make "name.ext" a file, not a domain. */
static const char *const file_exts[] = {
	".exe", ".dll", ".bat", ".cmd", ".ps1", ".vbs", ".vbe", ".js", ".jse",
	".jar", ".zip", ".rar", ".7z", ".doc", ".docx", ".docm", ".xls",
	".xlsx", ".xlsm", ".ppt", ".pptx", ".pdf", ".rtf", ".lnk", ".scr",
	".sys", ".tmp", ".dat", ".bin", ".php", ".asp", ".aspx", ".jsp",
	".sh", ".py", ".pl", ".elf", ".hta", ".msi", ".iso", ".img", ".ocx",
	".cpl", ".wsf", ".txt", ".log", ".ini", ".cfg", ".gz", ".tar", NULL
};

/*
 * s[0..n) with "[.]", "(.)", "[dot]", "[@]", "[at]" and "hxxp" read as
 * what they stand for, into out (cap bytes).  Returns the length, or 0 if
 * it does not fit.
 */
static size_t plain(const char *s, size_t n, char *out, size_t cap)
{
	const char *end = s + n;
	size_t o = 0, m;
	char c;

	while (s < end) {
		if ((m = ex_marker(s, end, &c)) == 0) {
			if (end - s >= 4 && (starts_ci(s, 4, "[at]") ||
			    starts_ci(s, 4, "(at)"))) {
				c = '@';
				m = 4;
			} else if (end - s >= 3 && (s[0] == '[' || s[0] == '(') &&
			    s[1] == '@' && (s[2] == ']' || s[2] == ')')) {
				c = '@';
				m = 3;
			} else {
				c = *s;
				m = 1;
			}
		}
		if (o + 1 >= cap)
			return 0;
		out[o++] = c;
		s += m;
	}
	if (o >= 4 && (starts_ci(out, o, "hxxp") || starts_ci(out, o, "hxtp")))
		memcpy(out, "http", 4);
	return o;
}

static int all_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!is_hex(s[i]))
			return 0;
	return n > 0;
}

static int domain_shape(const char *s, size_t n)
{
	size_t i, label = 0, labels = 1, tld_alpha = 0;

	if (n < 4 || n > 253 || s[0] == '.' || s[0] == '-')
		return 0;
	if (s[n - 1] == '.')        /* the root: "example.com." */
		n--;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '.') {
			if (label == 0)
				return 0;
			labels++;
			label = 0;
			tld_alpha = 0;
		} else if (is_alnum(c) || c == '-' || c == '_') {
			if (++label > 63)
				return 0;
			if (is_alpha(c) || c == '-')
				tld_alpha++;
		} else {
			return 0;
		}
	}
	/* The last label is a TLD: letters (or an "xn--" label). */
	return labels >= 2 && label >= 2 && tld_alpha == label;
}

enum ex_kind ex_kind_of_value(const char *s, size_t n)
{
	char buf[512];
	const char *e = s + n, *at;
	size_t m, i;

	ex_trim(&s, &e);
	n = (size_t)(e - s);
	if (n == 0)
		return EXK_OTHER;
	if (all_hex(s, n)) {
		switch (n) {
		case 32: return EXK_MD5;
		case 40: return EXK_SHA1;
		case 64: return EXK_SHA256;
		case 128: return EXK_SHA512;
		default: return EXK_OTHER;
		}
	}
	if ((m = plain(s, n, buf, sizeof buf)) == 0)
		return EXK_OTHER;
	for (i = 0; i + 2 < m && i < 12; i++)
		if (buf[i] == ':' && buf[i + 1] == '/' && buf[i + 2] == '/')
			return EXK_URL;
	if (memchr(buf, ' ', m) != NULL)
		return EXK_OTHER;
	if ((at = memchr(buf, '@', m)) != NULL) {
		size_t k = (size_t)(at - buf);

		return k > 0 && domain_shape(at + 1, m - k - 1) ? EXK_EMAIL :
		    EXK_OTHER;
	}
	if (memchr(buf, '/', m) != NULL || memchr(buf, '\\', m) != NULL)
		return EXK_FILENAME;
	for (i = 0; file_exts[i] != NULL; i++)
		if (ends_ci(buf, m, file_exts[i]))
			return EXK_FILENAME;
	if (domain_shape(buf, m))
		return EXK_DOMAIN;
	return EXK_OTHER;
}

/* ------------------------------------------------------------ types */

/* Type words, squeezed: lower case, letters and digits and '|' only. */
static const char *const addr_types[] = {
	"ipv4addr", "ipv6addr", "ipv4", "ipv6", "ip", "ipaddr", "ipaddress",
	"ipv4address", "ipv6address", "ipsrc", "ipdst", "ipsrc|port",
	"ipdst|port", "address", "addr", "cidr", "ipv4cidr", "ipv6cidr",
	"iprange", "ipv4range", "netblock", "network", "ipv4net", "ipv6net",
	"sourceip", "destinationip", "srcip", "dstip", "remoteip", NULL
};

static const struct {
	const char *word;
	enum ex_kind kind;
} type_words[] = {
	{ "fqdn", EXK_DOMAIN }, { "domain", EXK_DOMAIN },
	{ "domainname", EXK_DOMAIN }, { "hostname", EXK_DOMAIN },
	{ "host", EXK_DOMAIN }, { "dns", EXK_DOMAIN }, { "dnsname", EXK_DOMAIN },
	{ "domain|ip", EXK_DOMAIN }, { "hostname|port", EXK_DOMAIN },
	{ "url", EXK_URL }, { "uri", EXK_URL },
	{ "email", EXK_EMAIL }, { "emailaddress", EXK_EMAIL },
	{ "emailsrc", EXK_EMAIL }, { "emaildst", EXK_EMAIL },
	{ "md5", EXK_MD5 }, { "filehashmd5", EXK_MD5 }, { "md5hash", EXK_MD5 },
	{ "sha1", EXK_SHA1 }, { "filehashsha1", EXK_SHA1 },
	{ "sha256", EXK_SHA256 }, { "filehashsha256", EXK_SHA256 },
	{ "sha512", EXK_SHA512 }, { "filename", EXK_FILENAME },
	{ "file", EXK_FILENAME }, { "filepath", EXK_FILENAME },
	{ "filename|md5", EXK_MD5 }, { "filename|sha1", EXK_SHA1 },
	{ "filename|sha256", EXK_SHA256 },
};

int ex_kind_of_type(const char *s, size_t n, int *is_addr)
{
	char w[48];
	size_t o = 0, i;

	*is_addr = 0;
	for (i = 0; i < n && o + 1 < sizeof w; i++) {
		char c = lower(s[i]);

		if (is_alnum(c) || c == '|')
			w[o++] = c;
	}
	if (i < n || o == 0)
		return -1;
	w[o] = '\0';
	if (ex_name_index(addr_types, w) >= 0) {
		*is_addr = 1;
		return -1;
	}
	for (i = 0; i < sizeof type_words / sizeof type_words[0]; i++)
		if (strcmp(type_words[i].word, w) == 0)
			return (int)type_words[i].kind;
	return -1;
}

/* ------------------------------------------------------------ phrases */

/* Phrases after which a place is named. */
static const char *const triggers[] = {
	"located in ", "hosted in ", "geolocated to ", "geolocated in ",
	"geo-located to ", "geo-located in ", "geolocates to ", "based in ",
	"registered in ", "originating from ", "originates from ",
	"traced to ", "situated in ", "resides in ", "location: ",
	"located within ", NULL
};

#define PHRASE_WORDS 6

/*
 * The longest run of up to PHRASE_WORDS words from p that names a
 * country.  Words end at white space; the run stops at punctuation
 * other than '.', '-', '\'' and ',' inside a name ("Korea, Republic
 * of" is read by country_parse as one name).
 */
static int country_after(const char *p, const char *end, char cc[3],
                         const char **at, size_t *alen)
{
	const char *ends[PHRASE_WORDS], *q = p;
	int nw = 0, i;

	while (q < end && (*q == ' ' || *q == '\t'))
		q++;
	p = q;
	if (end - p >= 4 && starts_ci(p, 4, "the "))
		p += 4;
	q = p;
	while (q < end && nw < PHRASE_WORDS) {
		const char *w = q;

		while (q < end && (is_alpha(*q) || *q == '-' || *q == '\'' ||
		    (unsigned char)*q >= 0x80))
			q++;
		if (q == w)
			break;
		ends[nw++] = q;
		if (q < end && *q == '.')
			break;          /* "in Canada." ends the sentence */
		if (q < end && *q == ',' && q + 1 < end && q[1] == ' ') {
			/* "Korea, Republic of" goes on; "Canada, and" does
			 * not, which country_parse() will tell. */
			q += 2;
			continue;
		}
		if (q < end && *q == ' ')
			q++;
		else
			break;
	}
	for (i = nw - 1; i >= 0; i--) {
		const char *e = ends[i];

		if (country_parse(p, (size_t)(e - p), cc) == 0) {
			*at = p;
			*alen = (size_t)(e - p);
			return 1;
		}
	}
	return 0;
}

/* "Russia-based", "a South Korea-based host": the capitalised words right
 * before "-based", longest name first. */
static int country_before(const char *base, const char *dash, char cc[3],
                          const char **at, size_t *alen)
{
	const char *starts[4], *s = dash;
	int nw = 0, i;

	while (s > base && nw < 4) {
		const char *w = s;

		while (s > base && (is_alpha(s[-1]) ||
		    (unsigned char)s[-1] >= 0x80))
			s--;
		if (s == w || !(*s >= 'A' && *s <= 'Z'))
			break;
		starts[nw++] = s;
		if (s - 1 > base && s[-1] == ' ')
			s--;
		else
			break;
	}
	for (i = nw - 1; i >= 0; i--)
		if (country_parse(starts[i], (size_t)(dash - starts[i]), cc) == 0) {
			*at = starts[i];
			*alen = (size_t)(dash - starts[i]);
			return 1;
		}
	return 0;
}

int ex_cited_phrase(const char *s, size_t n, char cc[3], const char **at,
                    size_t *alen)
{
	const char *end = s + n, *p;
	size_t i, k;

	if (n < 8)
		return 0;
	for (p = s; p < end; p++) {
		char c = lower(*p);

		/* Every trigger starts with one of these letters. */
		if (c != 'l' && c != 'h' && c != 'g' && c != 'b' && c != 'r' &&
		    c != 'o' && c != 't' && c != 's' && c != '-')
			continue;
		if (p > s && is_alpha(p[-1]))
			continue;
		if (c == '-') {
			if (end - p >= 6 && starts_ci(p, 6, "-based") &&
			    (end - p == 6 || !is_alpha(p[6])) &&
			    country_before(s, p, cc, at, alen))
				return 1;
			continue;
		}
		for (i = 0; triggers[i] != NULL; i++) {
			k = strlen(triggers[i]);
			if ((size_t)(end - p) > k && starts_ci(p, k, triggers[i]) &&
			    country_after(p + k, end, cc, at, alen))
				return 1;
		}
	}
	return 0;
}
