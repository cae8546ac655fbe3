/*
 * fuzz_reader.h - what every input-reader fuzz target checks, included by
 * each fuzz_*.c of a reader (each is its own program).
 *
 * Any broken invariant calls abort() so that libFuzzer keeps the input:
 * items = accepted + rejected and agrees with what the sink saw, and so do
 * the other indicators; every item has text of sane length, a line inside
 * the input (a page inside the document for PDF) and a network with
 * lo <= hi in one family; rejected and other text is at most 200 bytes;
 * only the structured formats may fail as a whole, and then with a reason.
 */
#ifndef GEOATTR_FUZZ_READER_H
#define GEOATTR_FUZZ_READER_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
	unsigned long items, rejects, others, max_line;
	volatile char touch;
};

static void on_item(void *ctx, const struct ex_item *it)
{
	struct seen *s = ctx;
	const struct ga_net *n = &it->net;

	if (it->text == NULL || it->len == 0 || it->len > 64 * 1024)
		abort();
	/* Touch the ends so ASan checks the whole text. */
	s->touch ^= it->text[0] ^ it->text[it->len - 1];
	if (it->line == 0)
		abort();
	if (it->line > s->max_line)
		s->max_line = it->line;
	if ((n->lo.family != 4 && n->lo.family != 6) ||
	    n->lo.family != n->hi.family || addr_cmp(&n->lo, &n->hi) > 0)
		abort();
	if (!(it->count >= 0) || (!it->has_count && it->count != 1))
		abort();
	if (it->cited[0] != '\0' && (it->cited[0] < 'A' ||
	    it->cited[0] > 'Z' || it->cited[1] < 'A' || it->cited[1] > 'Z' ||
	    it->cited[2] != '\0'))
		abort();
	if (it->cited[0] != '\0' && it->cited_text == NULL)
		abort();
	if (it->cited_text != NULL && it->cited_len > 0)
		s->touch ^= it->cited_text[it->cited_len - 1];
	s->items++;
}

static void on_reject(void *ctx, unsigned long line, const char *text,
                      size_t len, const char *why)
{
	struct seen *s = ctx;

	if (why == NULL || why[0] == '\0' || len > 200 ||
	    (text == NULL && len > 0))
		abort();
	if (len > 0)
		s->touch ^= text[0] ^ text[len - 1];
	s->touch ^= why[strlen(why) - 1];
	if (line > s->max_line)
		s->max_line = line;
	s->rejects++;
}

static void on_other(void *ctx, enum ex_kind kind, unsigned long line,
                     const char *text, size_t len)
{
	struct seen *s = ctx;

	if ((unsigned)kind >= EXK_COUNT || len > 200 || (text == NULL && len > 0))
		abort();
	if (len > 0)
		s->touch ^= text[0] ^ text[len - 1];
	if (line > s->max_line)
		s->max_line = line;
	s->others++;
}

/* Read in[0..size) (a buffer of exactly that size) as fmt and check. */
static void fuzz_read(const char *in, size_t size, enum ex_format fmt)
{
	struct seen s;
	struct ex_sink sink = { on_item, on_reject, on_other, &s };
	struct ex_stats st;
	char err[256];
	int ret;

	memset(&s, 0, sizeof s);
	memset(err, 'x', sizeof err);
	ret = extract_buffer(in, size, fmt, &sink, &st, err, sizeof err);
	if (ret != 0 && ret != -1)
		abort();
	if (st.items != st.accepted + st.rejected ||
	    st.accepted != s.items || st.rejected != s.rejects ||
	    st.others != s.others)
		abort();
	if (st.format == EX_AUTO || (fmt != EX_AUTO && st.format != fmt &&
	    !(fmt == EX_JSON && (st.format == EX_STIX || st.format == EX_MISP))))
		abort();
	if (ret == -1) {
		/* Lists and text never fail, except that a ZIP archive (a
		 * spreadsheet) is refused as such. */
		if ((st.format == EX_LIST || st.format == EX_TEXT) &&
		    strncmp(err, "a ZIP archive", 13) != 0)
			abort();
		if (memchr(err, '\0', sizeof err) == NULL || err[0] == '\0')
			abort();
	}
	/* Lines named are lines of the input (+1: a NUL-ended last line
	 * still counts, and JSON's fallback is line 1); PDF names pages. */
	if (st.format == EX_PDF ? s.max_line > st.pages : s.max_line > st.lines + 1)
		abort();
	if (st.address_column[sizeof st.address_column - 1] != '\0' &&
	    memchr(st.address_column, '\0', sizeof st.address_column) == NULL)
		abort();
}

/* The input copied to a buffer of exactly its size, so ASan sees any read
 * past the end. */
static void fuzz_copy_read(const uint8_t *data, size_t size, enum ex_format fmt)
{
	char *in = malloc(size > 0 ? size : 1);

	if (in == NULL)
		return;
	memcpy(in, data, size);
	fuzz_read(in, size, fmt);
	free(in);
}

#endif
