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

		if (page == NULL) {
			errbuf_set(err, errlen, "page %d: the page could not be read", i + 1);
			ret = -1;
			break;
		}
		text = poppler_page_get_text(page);
		*npages = (unsigned long)(i + 1);
		if (each_page(ctx, (unsigned long)(i + 1), text != NULL ? text : "",
		    text != NULL ? strlen(text) : 0) != 0) {
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
