/*
 * csvread.h - an RFC 4180 CSV record reader over a buffer.
 *
 * Fields may be quoted with '"'; inside quotes, separators, CR, LF and
 * doubled quotes ("") are data.  Records end at LF or CRLF.  A UTF-8 BOM
 * at the start is skipped.  The separator is configurable (',' or '\t').
 * The reader never reads past the buffer and never relies on NUL
 * termination; fields are returned as (pointer, length) into the buffer,
 * or into the reader's scratch space when unquoting changed them.
 *
 * Ownership: the reader borrows the input buffer, which must outlive it;
 * returned fields are valid until the next csv_next() call.
 * csv_free(NULL) is a no-op.
 */
#ifndef GEOATTR_CSVREAD_H
#define GEOATTR_CSVREAD_H

#include <stddef.h>

struct csv_field {
	const char *p;
	size_t len;
};

enum csv_status {
	CSV_RECORD = 1,        /* a record was returned */
	CSV_EOF = 0,           /* no more records */
	CSV_ERR_QUOTE = -1,    /* quote not closed before end of input */
	CSV_ERR_GARBAGE = -2,  /* text after a closing quote before the separator */
	CSV_ERR_NUL = -3,      /* NUL byte in the record */
	CSV_ERR_TOO_LONG = -4, /* record longer than the limit */
	CSV_ERR_TOO_MANY = -5  /* more fields than the limit */
};

struct csv_reader;

/*
 * max_fields and max_record bound the work done per record; 0 means no
 * limit.  max_record counts the bytes of a record without its line ending.
 * Returns NULL if sep is '"', CR, LF or NUL, which already mean something.
 *
 * Outside quotes, a '"' that does not start a field and a CR not followed
 * by LF are data: real files contain both and their meaning is plain.
 */
struct csv_reader *csv_new(const char *buf, size_t len, char sep,
                           size_t max_fields, size_t max_record);
void csv_free(struct csv_reader *r);

/*
 * Read the next record.  On CSV_RECORD, *fields points to *nfields fields
 * and *line is the 1-based line where the record starts.  On an error the
 * reader skips to the start of the next line, so the caller may report
 * and continue; *line names the bad line.  Blank lines are skipped.
 *
 * Line numbers count physical lines, so a quoted field that spans lines
 * moves the count on.  On an error *line is the line of the offending
 * byte (for CSV_ERR_QUOTE, of the opening quote; for CSV_ERR_TOO_LONG, of
 * the first byte past the limit) and reading resumes after that line.
 */
int csv_next(struct csv_reader *r, const struct csv_field **fields,
             size_t *nfields, unsigned long *line);

const char *csv_strerror(int status);

#endif
