/* FUZZ_SOURCES: src/extract.c src/input/common.c src/input/list.c src/input/csv.c src/input/json.c src/input/stix2.c src/input/text.c src/input/indicator.c src/input/xmlcommon.c src/input/stix1.c src/input/openioc.c src/input/misp.c src/input/pdf.c src/xmlread.c src/pdftext.c src/dynlib.c src/addr.c src/csvread.c src/country.c src/jsonout.c src/util.c */
/* FUZZ_LIBS: jansson libxml-2.0 poppler-glib */
/*
 * fuzz_list_shared.c - libFuzzer target for the plain list reader's
 * shared path (extract_buffer_shared() with threads): the input is
 * repeated until it is long enough to be shared, read once by the one
 * thread path and once with pieces run from the last to the first, and
 * the two must hand the sink the same things in the same order.  Any
 * difference calls abort() so that libFuzzer keeps the input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Long enough for list.c to share the reading (it wants 64 KiB). */
#define SHARED_LEN ((size_t)80 << 10)

/* What the sink saw, as a running hash and counts: equal traces give
 * equal hashes, and one event out of order changes it. */
struct trace {
	uint64_t h;
	unsigned long items, rejects, others;
};

static void mix(struct trace *t, const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		t->h = (t->h ^ b[i]) * 0x100000001b3ull;
}

static void on_item(void *ctx, const struct ex_item *it)
{
	struct trace *t = ctx;

	/* The text by content: a refanged one is in the reader's own buffer. */
	mix(t, "i", 1);
	mix(t, &it->line, sizeof(it->line));
	mix(t, &it->len, sizeof(it->len));
	mix(t, it->text, it->len);
	mix(t, &it->net.lo, sizeof(it->net.lo));
	mix(t, &it->net.hi, sizeof(it->net.hi));
	mix(t, &it->net.prefix_len, sizeof(it->net.prefix_len));
	mix(t, &it->net.kind, sizeof(it->net.kind));
	t->items++;
}

static void on_reject(void *ctx, unsigned long line, const char *text,
                      size_t len, const char *why)
{
	struct trace *t = ctx;

	mix(t, "r", 1);
	mix(t, &line, sizeof(line));
	mix(t, text, len);
	mix(t, why, strlen(why));
	t->rejects++;
}

static void on_other(void *ctx, enum ex_kind kind, unsigned long line,
                     const char *text, size_t len)
{
	struct trace *t = ctx;

	mix(t, "o", 1);
	mix(t, &kind, sizeof(kind));
	mix(t, &line, sizeof(line));
	mix(t, text, len);
	t->others++;
}

static unsigned long runs;

/* Pieces from the last to the first, the caller's part half way. */
static void backwards(void *team, size_t count, size_t piece,
                      void (*fn)(size_t lo, size_t hi, unsigned k, void *arg),
                      void (*own)(void *arg), void *arg)
{
	size_t n = (count + piece - 1) / piece, i;

	(void)team;
	runs++;
	for (i = n; i-- > 0;) {
		if (i == n / 2 && own != NULL)
			own(arg);
		fn(i * piece, count - i * piece > piece ? (i + 1) * piece : count,
		   (unsigned)(i % 2), arg);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct ex_threads threads = { backwards, NULL };
	struct trace one, two;
	struct ex_sink s1 = { on_item, on_reject, on_other, &one };
	struct ex_sink s2 = { on_item, on_reject, on_other, &two };
	struct ex_stats st1, st2;
	char err1[256], err2[256];
	char *buf;
	size_t len = 0;
	int r1, r2;

	if (size == 0 || size > 16384)
		return 0;
	buf = malloc(SHARED_LEN + size);
	if (buf == NULL)
		return 0;
	while (len < SHARED_LEN) {
		memcpy(buf + len, data, size);
		len += size;
	}
	memset(&one, 0, sizeof(one));
	memset(&two, 0, sizeof(two));
	err1[0] = err2[0] = '\0';
	runs = 0;
	r1 = extract_buffer(buf, len, EX_LIST, &s1, &st1, err1, sizeof(err1));
	r2 = extract_buffer_shared(buf, len, EX_LIST, &s2, &threads, &st2,
	                           err2, sizeof(err2));
	if (r1 != r2 || one.h != two.h || one.items != two.items ||
	    one.rejects != two.rejects || one.others != two.others ||
	    strcmp(err1, err2) != 0 || st1.items != st2.items ||
	    st1.accepted != st2.accepted || st1.rejected != st2.rejected ||
	    st1.lines != st2.lines || st1.others != st2.others)
		abort();
	/* The shared path was taken whenever the list reader read it. */
	if (r1 == 0 && st1.format == EX_LIST && runs == 0)
		abort();
	free(buf);
	return 0;
}
