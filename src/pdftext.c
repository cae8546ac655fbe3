/*
 * pdftext.c - PDF text through poppler's GLib interface.
 */
#include <stdlib.h>
#include <string.h>

#include <poppler.h>

#include "dynlib.h"
#include "pdftext.h"
#include "util.h"

#ifndef POPPLER_SONAME
#define POPPLER_SONAME "libpoppler-glib.so.8"
#endif

/* poppler-glib and the GLib functions it needs, loaded on first use
 * (dynlib.h says why); GLib's come through poppler-glib's dependencies. */
static struct {
	PopplerDocument *(*document_new_from_bytes)(GBytes *, const char *, GError **);
	int (*document_get_n_pages)(PopplerDocument *);
	PopplerPage *(*document_get_page)(PopplerDocument *, int);
	char *(*page_get_text)(PopplerPage *);
	gboolean (*page_get_text_layout)(PopplerPage *, PopplerRectangle **, guint *);
	GQuark (*error_quark)(void);
	void (*object_unref)(gpointer);
	void (*free)(gpointer);
	GBytes *(*bytes_new_static)(gconstpointer, gsize);
	void (*bytes_unref)(GBytes *);
	void (*error_free)(GError *);
} P;

static int poppler_loaded(char *err, size_t errlen)
{
	static int state;
	const struct dynsym syms[] = {
		{ "poppler_document_new_from_bytes", (void **)&P.document_new_from_bytes },
		{ "poppler_document_get_n_pages", (void **)&P.document_get_n_pages },
		{ "poppler_document_get_page", (void **)&P.document_get_page },
		{ "poppler_page_get_text", (void **)&P.page_get_text },
		{ "poppler_page_get_text_layout", (void **)&P.page_get_text_layout },
		{ "poppler_error_quark", (void **)&P.error_quark },
		{ "g_object_unref", (void **)&P.object_unref },
		{ "g_free", (void **)&P.free },
		{ "g_bytes_new_static", (void **)&P.bytes_new_static },
		{ "g_bytes_unref", (void **)&P.bytes_unref },
		{ "g_error_free", (void **)&P.error_free },
	};

	return dynlib_load(&state, POPPLER_SONAME, "GEOATTR_POPPLER_LIB", syms,
	    sizeof syms / sizeof syms[0], err, errlen);
}

/* Bytes in the UTF-8 sequence that starts with c (1 for a stray byte). */
static size_t utf8_len(unsigned char c)
{
	return c < 0xc0 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

static size_t utf8_chars(const char *s, size_t n)
{
	size_t i = 0, k = 0, l;

	while (i < n) {
		l = utf8_len((unsigned char)s[i]);
		i += l <= n - i ? l : n - i;
		k++;
	}
	return k;
}

int pdf_magic(const char *buf, size_t len)
{
	size_t n = len < 1024 ? len : 1024, i;

	/* The header may follow a few bytes of junk (the spec allows it
	 * within the first 1024 bytes). */
	for (i = 0; i + 5 <= n; i++)
		if (buf[i] == '%' && memcmp(buf + i, "%PDF-", 5) == 0)
			return 1;
	return 0;
}

/* One character of a page: its bytes in poppler's text and its box. */
struct glyph {
	size_t off, len;
	double x1, y1, x2, y2;
};

static int by_y(const void *a, const void *b)
{
	const struct glyph *g = a, *h = b;
	double ya = (g->y1 + g->y2) / 2, yb = (h->y1 + h->y2) / 2;

	if (ya != yb)
		return ya < yb ? -1 : 1;
	return g->x1 < h->x1 ? -1 : g->x1 > h->x1;
}

static int by_x(const void *a, const void *b)
{
	const struct glyph *g = a, *h = b;

	if (g->x1 != h->x1)
		return g->x1 < h->x1 ? -1 : 1;
	return g->off < h->off ? -1 : g->off > h->off;
}

/*
 * A page's text laid out as it is seen: characters grouped into visual
 * lines by their boxes, each line read left to right, with a space where
 * two characters stand apart.  poppler's own order follows its text
 * blocks, which in a table means a column at a time and cells glued
 * together ("1198[.]51[.]100[.]1C2 server" for the cells "1",
 * "198[.]51[.]100[.]1" and "C2 server"), so a row's address and the
 * location cited beside it would never meet on one line.  This is the
 * layout pdftotext -layout gives; in a page of two columns of prose a line
 * holds both, which costs nothing to finding addresses.  If the boxes do
 * not match the text, poppler's text is used as it is.
 */
static char *page_text(PopplerPage *page, size_t *len)
{
	char *text = P.page_get_text(page), *out, *p;
	PopplerRectangle *r = NULL;
	struct glyph *g;
	guint nr = 0, k = 0;
	size_t n, ng = 0, i, o = 0, start;

	if (text == NULL) {
		*len = 0;
		return NULL;
	}
	n = strlen(text);
	if (!P.page_get_text_layout(page, &r, &nr) ||
	    nr != (guint)utf8_chars(text, n)) {
		P.free(r);
		out = xstrndup(text, n);
		P.free(text);
		*len = n;
		return out;
	}
	g = xcalloc(nr > 0 ? nr : 1, sizeof(*g));
	for (p = text; *p; k++) {
		const char *next = p + 1;

		/* Continuation bytes; the NUL at the end is none. */
		while ((*next & 0xc0) == 0x80)
			next++;

		if (*p != '\n' && *p != '\r' && k < nr &&
		    r[k].y2 > r[k].y1) {
			g[ng].off = (size_t)(p - text);
			g[ng].len = (size_t)(next - p);
			g[ng].x1 = r[k].x1;
			g[ng].y1 = r[k].y1;
			g[ng].x2 = r[k].x2;
			g[ng].y2 = r[k].y2;
			ng++;
		}
		p = (char *)next;
	}
	P.free(r);
	qsort(g, ng, sizeof(*g), by_y);
	/* Each glyph takes at most its bytes and one separator. */
	out = xmalloc(2 * n + 2);
	for (start = 0; start < ng; start = i) {
		double top = g[start].y1, bottom = g[start].y2;

		/* A line: glyphs whose middle lies within the first one's
		 * height. */
		for (i = start + 1; i < ng; i++) {
			double mid = (g[i].y1 + g[i].y2) / 2;

			if (mid < top || mid > bottom)
				break;
		}
		qsort(g + start, i - start, sizeof(*g), by_x);
		for (k = (guint)start; k < i; k++) {
			const struct glyph *c = &g[k];
			int blank = c->len == 1 && (text[c->off] == ' ' ||
			    text[c->off] == '\t');

			if (k > start && o > 0 && out[o - 1] != ' ' &&
			    (blank || c->x1 - g[k - 1].x2 > (c->y2 - c->y1) * 0.3)) {
				out[o++] = ' ';
				if (blank)
					continue;
			} else if (blank) {
				continue;
			}
			memcpy(out + o, text + c->off, c->len);
			o += c->len;
		}
		out[o++] = '\n';
	}
	out[o] = '\0';
	free(g);
	P.free(text);
	*len = o;
	return out;
}

int pdf_text_pages(const char *buf, size_t len, pdf_page_fn each_page,
                   void *ctx, unsigned long *npages, char *err, size_t errlen)
{
	GBytes *bytes;
	GError *gerr = NULL;
	PopplerDocument *doc;
	int n, i, ret = 0;

	*npages = 0;
	if (poppler_loaded(err, errlen) != 0)
		return -1;
	bytes = P.bytes_new_static(buf, len);
	doc = P.document_new_from_bytes(bytes, NULL, &gerr);
	if (doc == NULL) {
		if (gerr != NULL && gerr->domain == P.error_quark() &&
		    gerr->code == POPPLER_ERROR_ENCRYPTED)
			errbuf_set(err, errlen, "encrypted: a password is needed "
			    "to read it (not tried)");
		else
			errbuf_set(err, errlen, "not a readable PDF: %s",
			    gerr != NULL && gerr->message != NULL ? gerr->message :
			    "poppler could not open it");
		if (gerr != NULL)
			P.error_free(gerr);
		P.bytes_unref(bytes);
		return -1;
	}
	n = P.document_get_n_pages(doc);
	for (i = 0; i < n; i++) {
		PopplerPage *page = P.document_get_page(doc, i);
		char *text;
		size_t tlen;

		if (page == NULL) {
			errbuf_set(err, errlen, "page %d: the page could not be read", i + 1);
			ret = -1;
			break;
		}
		text = page_text(page, &tlen);
		*npages = (unsigned long)(i + 1);
		if (each_page(ctx, (unsigned long)(i + 1), text != NULL ? text : "",
		    tlen) != 0) {
			free(text);
			P.object_unref(page);
			break;
		}
		free(text);
		P.object_unref(page);
	}
	P.object_unref(doc);
	P.bytes_unref(bytes);
	return ret;
}
