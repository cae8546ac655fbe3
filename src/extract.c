/*
 * extract.c - read a cited list in any of the forms claims come in:
 * detect the format by content and hand the input to its reader in
 * src/input/ (one file per format, behind input/input.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/input.h"

static enum ex_format detect(struct ex *x)
{
	const char *p = x->base, *end = x->end, *nl, *s;
	enum ex_format xf;

	if (ex_pdf_like(x->base, end))
		return EX_PDF;
	while (p < end && is_space(*p))
		p++;
	if (p == end)
		return EX_LIST;
	if ((*p == '[' || *p == '{') && ex_json_like(p, end))
		return EX_JSON;
	if (*p == '<' && ex_xml_like(p, end, &xf))
		return xf;
	/* The first line that is not a comment decides CSV. */
	for (s = x->base; s < end; s = nl + 1) {
		const char *t = s;

		nl = memchr(s, '\n', (size_t)(end - s));
		while (t < (nl != NULL ? nl : end) && is_space(*t))
			t++;
		if (t < (nl != NULL ? nl : end) && *t != '#' && *t != ';') {
			if (ex_csv_like(x, s, end))
				return EX_CSV;
			break;
		}
		if (nl == NULL)
			break;
	}
	if (ex_list_like(x, x->base, end))
		return EX_LIST;
	return EX_TEXT;
}

/* ------------------------------------------------------------ API */

static const char *const format_names[EX_FORMAT_COUNT] = {
	"auto", "list", "csv", "json", "stix", "text", "stix1", "misp",
	"openioc", "pdf"
};

const char *extract_format_name(enum ex_format f)
{
	if ((unsigned)f >= sizeof format_names / sizeof format_names[0])
		return "unknown";
	return format_names[f];
}

int extract_format_parse(const char *s, enum ex_format *out)
{
	static const struct {
		const char *name;
		enum ex_format f;
	} alias[] = {
		{ "auto", EX_AUTO }, { "list", EX_LIST }, { "csv", EX_CSV },
		{ "tsv", EX_CSV }, { "json", EX_JSON }, { "ndjson", EX_JSON },
		{ "stix", EX_STIX }, { "stix2", EX_STIX }, { "text", EX_TEXT },
		{ "txt", EX_TEXT }, { "stix1", EX_STIX1 }, { "misp", EX_MISP },
		{ "openioc", EX_OPENIOC }, { "ioc", EX_OPENIOC }, { "pdf", EX_PDF },
	};
	size_t i;

	if (s == NULL)
		return -1;
	for (i = 0; i < sizeof alias / sizeof alias[0]; i++)
		if (strcmp(s, alias[i].name) == 0) {
			*out = alias[i].f;
			return 0;
		}
	return -1;
}

int extract_buffer(const char *buf, size_t len, enum ex_format fmt,
                   const struct ex_sink *sink, struct ex_stats *st,
                   char *err, size_t errlen)
{
	return extract_buffer_shared(buf, len, fmt, sink, NULL, st, err,
	                             errlen);
}

int extract_buffer_shared(const char *buf, size_t len, enum ex_format fmt,
                          const struct ex_sink *sink,
                          const struct ex_threads *threads,
                          struct ex_stats *st, char *err, size_t errlen)
{
	struct ex_stats local;
	struct ex x;
	int ret = 0;

	if (st == NULL)
		st = &local;
	memset(st, 0, sizeof *st);
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (buf == NULL) {
		/* NULL + 0 is undefined; read an empty buffer instead. */
		buf = "";
		len = 0;
	}
	memset(&x, 0, sizeof x);
	x.sink = sink;
	x.threads = threads;
	x.st = st;
	x.base = buf;
	x.end = buf + len;
	/* A UTF-8 byte order mark is an encoding marker, not data. */
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		x.base += 3;

	/* A spreadsheet (XLSX, ODS: a ZIP archive) is refused by name rather
	 * than read as binary text: no well-kept C library reads XLSX. */
	if (len >= 4 && memcmp(buf, "PK\x03\x04", 4) == 0 &&
	    (fmt == EX_AUTO || fmt == EX_CSV || fmt == EX_TEXT)) {
		st->format = fmt == EX_AUTO ? EX_TEXT : fmt;
		errbuf_set(err, errlen, "a ZIP archive (an XLSX or ODS spreadsheet?): "
		    "not read; save the sheet as CSV and check that");
		return -1;
	}
	if (fmt == EX_AUTO)
		fmt = detect(&x);
	st->format = fmt;
	switch (fmt) {
	case EX_LIST:
		ex_read_list(&x);
		break;
	case EX_CSV:
		ret = ex_read_csv(&x, err, errlen);
		break;
	case EX_JSON:
	case EX_STIX:
	case EX_MISP:
		ret = ex_read_json(&x, fmt, err, errlen);
		break;
	case EX_STIX1:
		ret = ex_read_stix1(&x, err, errlen);
		break;
	case EX_OPENIOC:
		ret = ex_read_openioc(&x, err, errlen);
		break;
	case EX_PDF:
		ret = ex_read_pdf(&x, err, errlen);
		break;
	case EX_TEXT:
		ex_read_text(&x);
		break;
	default:
		errbuf_set(err, errlen, "unknown input format");
		ret = -1;
		break;
	}
	return ret;
}
