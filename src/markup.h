/*
 * markup.h - text from the input, a claim or a database, written into
 * HTML or SVG (XML) as character data or an attribute value.
 *
 * The five markup characters become references (&amp; &lt; &gt; &quot;
 * &#39;, valid in HTML and XML alike); bytes that are not valid UTF-8,
 * and the characters HTML and XML 1.0 forbid (controls other than tab
 * and line breaks, noncharacters), become U+FFFD.  A list may be binary
 * and an organisation name may hold "<script>".
 *
 * Nothing is kept; s is read for exactly len bytes (markup_text: up to
 * its NUL; NULL writes nothing).
 */
#ifndef GEOATTR_MARKUP_H
#define GEOATTR_MARKUP_H

#include <stddef.h>
#include <stdio.h>

void markup_text_n(FILE *fp, const char *s, size_t len);
void markup_text(FILE *fp, const char *s);

#endif
