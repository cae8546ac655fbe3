/* FUZZ_SOURCES: src/extract.c src/input/common.c src/input/list.c src/input/csv.c src/input/json.c src/input/stix2.c src/input/text.c src/input/indicator.c src/addr.c src/csvread.c src/country.c src/jsonout.c src/util.c */
/* FUZZ_LIBS: jansson */
/*
 * fuzz_extract.c - libFuzzer target for extract_buffer().
 *
 * The first input byte picks the format (auto, list, csv, json, stix,
 * text); the rest is the input, copied to a buffer of exactly its size.
 * Any broken invariant calls abort() so that libFuzzer keeps the input:
 * items = accepted + rejected and agrees with what the sink saw; every
 * item has text of sane length, a line inside the input and a network
 * with lo <= hi in one family; rejected text is at most 200 bytes; only
 * the structured formats may fail as a whole.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seen s;
	struct ex_sink sink = { on_item, on_reject, on_other, &s };
	struct ex_stats st;
	enum ex_format fmt;
	char err[256], *in;
	int ret;

	if (size == 0)
		return 0;
	fmt = (enum ex_format)(data[0] % EX_FORMAT_COUNT);
	size--;
	in = malloc(size > 0 ? size : 1);
	if (in == NULL)
		return 0;
	memcpy(in, data + 1, size);
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
	    !(fmt == EX_JSON && st.format == EX_STIX)))
		abort();
	if (ret == -1) {
		if (st.format == EX_LIST || st.format == EX_TEXT)
			abort();
		if (memchr(err, '\0', sizeof err) == NULL || err[0] == '\0')
			abort();
	}
	/* Lines named are lines of the input (+1: a NUL-ended last line
	 * still counts, and JSON's fallback is line 1). */
	if (s.max_line > st.lines + 1)
		abort();
	if (st.address_column[sizeof st.address_column - 1] != '\0' &&
	    memchr(st.address_column, '\0', sizeof st.address_column) == NULL)
		abort();
	free(in);
	return 0;
}
