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

/*
 * A page's text with the gaps between table cells kept.  poppler's text
 * glues cells that sit far apart ("1198[.]51[.]100[.]1C2 server" for the
 * cells "1", "198[.]51[.]100[.]1", "C2 server"), so the character boxes
 * are read as well: where the next character on the same line starts
 * more than a third of the line's height after the previous one ends, a
 * space goes in.  The text is otherwise poppler's, byte for byte.
 */
static char *page_text(PopplerPage *page, size_t *len)
{
	char *text = poppler_page_get_text(page), *out, *p;
	PopplerRectangle *r = NULL;
	guint nr = 0, k = 0;
	size_t n, o = 0;
	int have_prev = 0;
	PopplerRectangle prev = { 0, 0, 0, 0 };

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
	out = g_malloc(2 * n + 1);
	for (p = text; *p; k++) {
		const char *next = g_utf8_next_char(p);
		size_t cl = (size_t)(next - p);

		if (k < nr && *p != '\n' && *p != ' ' && *p != '\t') {
			const PopplerRectangle *c = &r[k];
			double h = c->y2 - c->y1;

			if (have_prev && o > 0 && out[o - 1] != ' ' &&
			    out[o - 1] != '\n' && h > 0 &&
			    c->y1 < prev.y2 && c->y2 > prev.y1 &&
			    c->x1 - prev.x2 > h / 3)
				out[o++] = ' ';
			prev = *c;
			have_prev = 1;
		} else if (*p == '\n') {
			have_prev = 0;
		}
		memcpy(out + o, p, cl);
		o += cl;
		p = (char *)next;
	}
	out[o] = '\0';
	g_free(r);
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
