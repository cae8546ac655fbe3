/*
 * pdftext.h - the text of a PDF, page by page: the one place poppler is
 * used.
 *
 * Vendor reports carry their indicators in tables and appendices; their
 * text, as poppler lays it out in reading order, is read by the free-text
 * reader like any other report.  Nothing is rendered and no password is
 * tried: an encrypted document is refused as such.
 *
 * Ownership: buf is borrowed for the call; the text handed to each_page
 * is valid only during that call.
 */
#ifndef GEOATTR_PDFTEXT_H
#define GEOATTR_PDFTEXT_H

#include <stddef.h>

/* Called for pages 1..n in order; a non-zero return stops the walk. */
typedef int (*pdf_page_fn)(void *ctx, unsigned long page, const char *text,
                           size_t len);

/*
 * Walk the pages of the PDF in buf[0..len).  Returns 0 with the page count
 * in *npages; or -1 with the reason in err ("encrypted: a password is
 * needed", "page 3: no text could be read", "not a PDF: ..."), having
 * called each_page for the pages read before the failure.
 */
int pdf_text_pages(const char *buf, size_t len, pdf_page_fn each_page,
                   void *ctx, unsigned long *npages, char *err, size_t errlen);

/* Does buf start like a PDF ("%PDF-" within its first 1024 bytes)? */
int pdf_magic(const char *buf, size_t len);

#endif
