/*
 * markup.c - text into HTML and SVG (see markup.h).
 */
#include <stdio.h>
#include <string.h>

#include "markup.h"


static void put_fffd(FILE *fp)
{
	fputs("\xef\xbf\xbd", fp);
}

/*
 * Length of the valid UTF-8 sequence at s (at most n bytes), or 0 when it
 * is not valid; *bad is set to the number of bytes to replace by one
 * U+FFFD (the maximal subpart, as Unicode recommends), and *cp to the code
 * point when valid.
 */
static size_t utf8_seq(const unsigned char *s, size_t n, size_t *bad,
                       unsigned long *cp)
{
	unsigned char b = s[0];
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len, i;
	unsigned long c;

	if (b < 0x80) {
		*cp = b;
		return 1;
	}
	if (b >= 0xc2 && b <= 0xdf) {
		len = 2;
		c = b & 0x1f;
	} else if (b >= 0xe0 && b <= 0xef) {
		len = 3;
		c = b & 0x0f;
		/* No overlong forms, no UTF-16 surrogates. */
		if (b == 0xe0)
			lo = 0xa0;
		else if (b == 0xed)
			hi = 0x9f;
	} else if (b >= 0xf0 && b <= 0xf4) {
		len = 4;
		c = b & 0x07;
		if (b == 0xf0)
			lo = 0x90;
		else if (b == 0xf4)
			hi = 0x8f;
	} else {
		*bad = 1;
		return 0;
	}
	for (i = 1; i < len; i++) {
		if (i >= n || s[i] < lo || s[i] > hi) {
			*bad = i;
			return 0;
		}
		c = (c << 6) | (s[i] & 0x3f);
		lo = 0x80;
		hi = 0xbf;
	}
	*cp = c;
	return len;
}

/*
 * Write s[0..len) as HTML text or attribute value: the five markup
 * characters become references, invalid UTF-8 and the characters HTML
 * forbids in text (controls other than tab and line breaks,
 * noncharacters) become U+FFFD.
 */
void markup_text_n(FILE *fp, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n, bad;
	unsigned long cp;

	while (i < len) {
		n = utf8_seq(p + i, len - i, &bad, &cp);
		if (n == 0) {
			put_fffd(fp);
			i += bad;
			continue;
		}
		if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
		    (cp >= 0x7f && cp <= 0x9f) || (cp >= 0xfdd0 && cp <= 0xfdef) ||
		    (cp & 0xfffe) == 0xfffe) {
			put_fffd(fp);
		} else if (n > 1) {
			fwrite(p + i, 1, n, fp);
		} else {
			switch (cp) {
			case '&': fputs("&amp;", fp); break;
			case '<': fputs("&lt;", fp); break;
			case '>': fputs("&gt;", fp); break;
			case '"': fputs("&quot;", fp); break;
			case '\'': fputs("&#39;", fp); break;
			default: fputc((int)cp, fp); break;
			}
		}
		i += n;
	}
}

void markup_text(FILE *fp, const char *s)
{
	if (s != NULL)
		markup_text_n(fp, s, strlen(s));
}
