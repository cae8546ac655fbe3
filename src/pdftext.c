/*
 * pdftext.c - PDF text through poppler's GLib interface.
 */
#include <string.h>

#include <poppler.h>

#include "pdftext.h"
#include "util.h"

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
	char *text = poppler_page_get_text(page), *out, *p;
	PopplerRectangle *r = NULL;
	struct glyph *g;
	guint nr = 0, k = 0;
	size_t n, ng = 0, i, o = 0, start;

	if (text == NULL) {
		*len = 0;
		return NULL;
	}
	n = strlen(text);
	if (!poppler_page_get_text_layout(page, &r, &nr) ||
	    nr != (guint)g_utf8_strlen(text, (gssize)n)) {
		g_free(r);
		*len = n;
		return text;
	}
	g = xcalloc(nr > 0 ? nr : 1, sizeof(*g));
	for (p = text; *p; k++) {
		const char *next = g_utf8_next_char(p);

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
	g_free(r);
	qsort(g, ng, sizeof(*g), by_y);
	/* Each glyph takes at most its bytes and one separator. */
	out = g_malloc(2 * n + 2);
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
	g_free(text);
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
	bytes = g_bytes_new_static(buf, len);
	doc = poppler_document_new_from_bytes(bytes, NULL, &gerr);
	if (doc == NULL) {
		if (gerr != NULL && gerr->domain == POPPLER_ERROR &&
		    gerr->code == POPPLER_ERROR_ENCRYPTED)
			errbuf_set(err, errlen, "encrypted: a password is needed "
			    "to read it (not tried)");
		else
			errbuf_set(err, errlen, "not a readable PDF: %s",
			    gerr != NULL && gerr->message != NULL ? gerr->message :
			    "poppler could not open it");
		if (gerr != NULL)
			g_error_free(gerr);
		g_bytes_unref(bytes);
		return -1;
	}
	n = poppler_document_get_n_pages(doc);
	for (i = 0; i < n; i++) {
		PopplerPage *page = poppler_document_get_page(doc, i);
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
			g_free(text);
			g_object_unref(page);
			break;
		}
		g_free(text);
		g_object_unref(page);
	}
	g_object_unref(doc);
	g_bytes_unref(bytes);
	return ret;
}
