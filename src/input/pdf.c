/*
 * input/pdf.c - PDF reports: each page's text, as poppler lays it out, is
 * read as free text (defanged forms, tables, URLs and hashes as in any
 * report), and every item carries its page where other formats carry a
 * line: "report.pdf: page 12".
 *
 * poppler gives a page's text with its lines and table rows in reading
 * order, so an IOC table that runs across two pages is read as the rows
 * of both pages.  A table cell is not told from prose: a location is
 * cited only where the line says so ("located in ..."), as in text.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/input.h"
#include "pdftext.h"

static int one_page(void *ctx, unsigned long page, const char *text, size_t len)
{
	struct ex *x = ctx;
	struct ex px = *x;

	px.base = text;
	px.end = text + len;
	px.page = page;
	if (!ex_utf8_valid(text, len)) {
		/* poppler gives UTF-8; anything else is a broken text layer. */
		ex_reject(x, page, "(page text)", 11, R_UTF8);
		return 0;
	}
	ex_read_text(&px);
	return 0;
}

int ex_pdf_like(const char *p, const char *end)
{
	return pdf_magic(p, (size_t)(end - p));
}

int ex_read_pdf(struct ex *x, char *err, size_t errlen)
{
	unsigned long pages = 0;
	int rc;

	if (!pdf_magic(x->base, (size_t)(x->end - x->base))) {
		errbuf_set(err, errlen, "not a PDF (no %%PDF- header)");
		return -1;
	}
	rc = pdf_text_pages(x->base, (size_t)(x->end - x->base), one_page, x,
	    &pages, err, errlen);
	x->st->pages = pages;
	return rc;
}
