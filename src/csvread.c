/*
 * csvread.c - an RFC 4180 CSV record reader over a buffer.
 *
 * The reader walks the buffer one field at a time.  Unquoted fields are
 * found with a byte-class table (one load and test per byte); quoted
 * fields jump from quote to quote with memchr(), since quoted text is
 * usually long and quotes in it are rare.  Fields are returned as
 * pointers into the buffer; only a quoted field containing "" has to be
 * rebuilt, and that copy goes to the reader's scratch space.
 *
 * Every scan is bounded by `lim', the end of the buffer or the end of the
 * longest record allowed, whichever comes first, so a record can never
 * make the reader look past the buffer or work past the limit.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csvread.h"
#include "util.h"

/* Byte classes for the unquoted-field scan; 0 means ordinary data. */
enum {
	CL_DATA = 0,
	CL_SEP,
	CL_LF,
	CL_CR,
	CL_NUL
};

struct csv_reader {
	const char *pos;        /* start of the next record */
	const char *end;        /* one past the last byte of the input */
	unsigned long line;     /* physical line number at pos */
	size_t max_fields;
	size_t max_record;

	struct csv_field *fields;
	size_t *soff;           /* scratch offset per field, or SIZE_MAX */
	size_t fields_cap;

	char *scratch;          /* unquoted copies of fields that need them */
	size_t scratch_len;
	size_t scratch_cap;

	char sep;
	unsigned char cls[256];
};

struct csv_reader *csv_new(const char *buf, size_t len, char sep,
                           size_t max_fields, size_t max_record)
{
	struct csv_reader *r;

	/* These bytes already mean something to the format. */
	if (sep == '"' || sep == '\n' || sep == '\r' || sep == '\0')
		return NULL;

	r = xcalloc(1, sizeof *r);
	if (buf == NULL) {
		/* NULL + 0 is undefined; read an empty buffer instead. */
		buf = "";
		len = 0;
	}
	r->pos = buf;
	r->end = buf + len;
	r->line = 1;
	r->max_fields = max_fields != 0 ? max_fields : SIZE_MAX;
	r->max_record = max_record != 0 ? max_record : SIZE_MAX;
	r->sep = sep;
	r->cls[(unsigned char)sep] = CL_SEP;
	r->cls['\n'] = CL_LF;
	r->cls['\r'] = CL_CR;
	r->cls['\0'] = CL_NUL;

	/* A UTF-8 byte order mark is an encoding marker, not data. */
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		r->pos += 3;
	return r;
}

void csv_free(struct csv_reader *r)
{
	if (r == NULL)
		return;
	free(r->fields);
	free(r->soff);
	free(r->scratch);
	free(r);
}

const char *csv_strerror(int status)
{
	switch (status) {
	case CSV_RECORD:
		return "record";
	case CSV_EOF:
		return "end of input";
	case CSV_ERR_QUOTE:
		return "quoted field not closed before end of input";
	case CSV_ERR_GARBAGE:
		return "unexpected text after closing quote";
	case CSV_ERR_NUL:
		return "NUL byte in record";
	case CSV_ERR_TOO_LONG:
		return "record too long";
	case CSV_ERR_TOO_MANY:
		return "too many fields in record";
	}
	return "unknown CSV error";
}

static unsigned long count_lf(const char *p, const char *e)
{
	unsigned long n = 0;

	while (p < e && (p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
		n++;
		p++;
	}
	return n;
}

/*
 * Give up on the current record: *at is the offending byte, on physical
 * line `line'.  Reading resumes after the end of that line.
 */
static int fail(struct csv_reader *r, int status, const char *at,
                unsigned long line, unsigned long *out_line)
{
	const char *nl = NULL;

	*out_line = line;
	if (at < r->end)
		nl = memchr(at, '\n', (size_t)(r->end - at));
	if (nl != NULL) {
		r->pos = nl + 1;
		r->line = line + 1;
	} else {
		r->pos = r->end;
		r->line = line;
	}
	return status;
}

static void scratch_add(struct csv_reader *r, const char *p, size_t n)
{
	r->scratch = xgrow(r->scratch, &r->scratch_cap, r->scratch_len + n, 1);
	memcpy(r->scratch + r->scratch_len, p, n);
	r->scratch_len += n;
}

/* Room for field number nf (0-based); the caller has checked the limit. */
static void fields_reserve(struct csv_reader *r, size_t nf)
{
	size_t cap = r->fields_cap;

	if (nf < cap)
		return;
	/* Both arrays grow from the same capacity, so they stay in step. */
	r->fields = xgrow(r->fields, &cap, nf + 1, sizeof *r->fields);
	cap = r->fields_cap;
	r->soff = xgrow(r->soff, &cap, nf + 1, sizeof *r->soff);
	r->fields_cap = cap;
}

/* True if the record ends at p: end of input, LF, or CR before LF/end. */
static int at_eol(const struct csv_reader *r, const char *p)
{
	if (p == r->end || *p == '\n')
		return 1;
	return *p == '\r' && (p + 1 == r->end || p[1] == '\n');
}

/*
 * The common record, read the short way: one line, within the limits,
 * holding no '"' and no NUL.  Its fields are then simply the text
 * between separators, as the full scan in csv_next() would find them,
 * but found with memchr() rather than a byte at a time.  (A CR other
 * than the one ending the line is data there too: the first LF ends the
 * line, so no other CR can stand before one.)  Returns 0, having
 * consumed nothing, when the record is not that plain: the caller reads
 * it the full way, which also says what is wrong with it.
 */
static int next_plain(struct csv_reader *r, const char *rec, size_t *nfields)
{
	const char *end = r->end, *nl, *le, *p, *s;
	size_t span = (size_t)(end - rec), nf = 0;

	/* The line ending can be no further than the limit, a CR and the LF. */
	if (r->max_record < SIZE_MAX - 2 && span > r->max_record + 2)
		span = r->max_record + 2;
	nl = memchr(rec, '\n', span);
	if (nl == NULL && rec + span != end)
		return 0;
	le = nl != NULL ? nl : end;
	/* A CR before the LF or the end of input ends the record. */
	if (le > rec && le[-1] == '\r')
		le--;
	if ((size_t)(le - rec) > r->max_record ||
	    memchr(rec, '"', (size_t)(le - rec)) != NULL ||
	    memchr(rec, '\0', (size_t)(le - rec)) != NULL)
		return 0;
	for (p = rec;; p = s + 1) {
		if (nf == r->max_fields)
			return 0;
		if (nf >= r->fields_cap)
			fields_reserve(r, nf);
		s = memchr(p, r->sep, (size_t)(le - p));
		r->fields[nf].p = p;
		r->fields[nf].len = (size_t)((s != NULL ? s : le) - p);
		nf++;
		if (s == NULL)
			break;
	}
	r->pos = nl != NULL ? nl + 1 : end;
	if (nl != NULL)
		r->line++;
	*nfields = nf;
	return 1;
}

int csv_next(struct csv_reader *r, const struct csv_field **fields,
             size_t *nfields, unsigned long *line)
{
	const char *end = r->end;
	const char *rec, *lim, *p;
	unsigned long ln;
	size_t nf = 0, i;
	int scratched = 0;

	*fields = NULL;
	*nfields = 0;

	/* Skip blank lines; they separate nothing in RFC 4180. */
	for (;;) {
		p = r->pos;
		if (p == end) {
			*line = r->line;
			return CSV_EOF;
		}
		if (*p == '\n')
			p++;
		else if (*p == '\r' && (p + 1 == end || p[1] == '\n'))
			p += p + 1 == end ? 1 : 2;
		else
			break;
		r->pos = p;
		r->line++;
	}

	rec = r->pos;
	ln = r->line;
	*line = ln;
	r->scratch_len = 0;
	if (next_plain(r, rec, &nf)) {
		*fields = r->fields;
		*nfields = nf;
		return CSV_RECORD;
	}
	if ((size_t)(end - rec) > r->max_record)
		lim = rec + r->max_record;
	else
		lim = end;

	for (;;) {
		const char *fstart, *fend;
		size_t off = SIZE_MAX;

		if (nf == r->max_fields) {
			/* p is just past the separator that opened this field. */
			return fail(r, CSV_ERR_TOO_MANY, p - 1, ln, line);
		}
		fields_reserve(r, nf);

		if (p < lim && *p == '"') {
			const char *open = p, *q = p + 1, *c, *z;
			unsigned long open_ln = ln;

			for (;;) {
				c = q < lim ? memchr(q, '"', (size_t)(lim - q)) : NULL;
				if (c == NULL) {
					if (lim == end)
						return fail(r, CSV_ERR_QUOTE, open, open_ln, line);
					if (q > lim)
						q = lim;
					ln += count_lf(q, lim);
					return fail(r, CSV_ERR_TOO_LONG, lim, ln, line);
				}
				if ((z = memchr(q, '\0', (size_t)(c - q))) != NULL) {
					ln += count_lf(q, z);
					return fail(r, CSV_ERR_NUL, z, ln, line);
				}
				ln += count_lf(q, c);
				if (c + 1 < end && c[1] == '"') {
					/* A doubled quote: one literal '"'. */
					if (off == SIZE_MAX)
						off = r->scratch_len;
					scratch_add(r, q, (size_t)(c + 1 - q));
					q = c + 2;
					continue;
				}
				break;
			}
			if (off != SIZE_MAX) {
				scratch_add(r, q, (size_t)(c - q));
				fstart = NULL;
				fend = NULL;
				r->fields[nf].len = r->scratch_len - off;
				scratched = 1;
			} else {
				fstart = q;
				fend = c;
			}
			p = c + 1;
			if (!at_eol(r, p) && *p != r->sep) {
				if (p >= lim)
					return fail(r, CSV_ERR_TOO_LONG, p, ln, line);
				return fail(r, CSV_ERR_GARBAGE, p, ln, line);
			}
		} else {
			/*
			 * Unquoted: anything but the separator, LF and NUL is
			 * data, including a stray '"' and a CR not before LF;
			 * real files contain both and the meaning is plain.
			 */
			const unsigned char *s = (const unsigned char *)p;
			const unsigned char *sl = (const unsigned char *)lim;

			fstart = p;
			for (;;) {
				while (s < sl && r->cls[*s] == CL_DATA)
					s++;
				if (s == sl || *s != '\r' || at_eol(r, (const char *)s))
					break;
				s++;
			}
			p = (const char *)s;
			fend = p;
			if (p < end && *p == '\0')
				return fail(r, CSV_ERR_NUL, p, ln, line);
			if (p == lim && !at_eol(r, p))
				return fail(r, CSV_ERR_TOO_LONG, p, ln, line);
		}

		r->soff[nf] = off;
		if (off == SIZE_MAX) {
			r->fields[nf].p = fstart;
			r->fields[nf].len = (size_t)(fend - fstart);
		}
		nf++;

		if (at_eol(r, p))
			break;
		/* *p is the separator. */
		if (p >= lim)
			return fail(r, CSV_ERR_TOO_LONG, p, ln, line);
		p++;
	}

	/* Consume the line ending. */
	if (p < end && *p == '\r')
		p++;
	if (p < end && *p == '\n') {
		p++;
		ln++;
	}
	r->pos = p;
	r->line = ln;

	/* The scratch space may have moved while it grew: point fields now. */
	if (scratched) {
		for (i = 0; i < nf; i++)
			if (r->soff[i] != SIZE_MAX)
				r->fields[i].p = r->scratch + r->soff[i];
	}
	*fields = r->fields;
	*nfields = nf;
	return CSV_RECORD;
}
