/*
 * test_csvread.c - the CSV reader: RFC 4180 quoting, line endings, line
 * numbers, limits, and recovery after each kind of error.
 *
 * Most cases run the reader over an input and compare a one-line dump of
 * everything it returned: "LINE:field|field;" per record, "LINE:E<n>;"
 * per error.  Every input is copied into a malloc'd buffer of exactly its
 * size with no NUL after it, so AddressSanitizer catches any over-read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvread.h"
#include "tap.h"
#include "util.h"

static char *exact_copy(const char *s, size_t len)
{
	char *p = xmalloc(len);

	memcpy(p, s, len);
	return p;
}

static void dump_bytes(struct buf *out, const char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (p[i] == '\n')
			buf_adds(out, "\\n");
		else if (p[i] == '\r')
			buf_adds(out, "\\r");
		else if (p[i] == '\t')
			buf_adds(out, "\\t");
		else if (p[i] == '\0')
			buf_adds(out, "\\0");
		else
			buf_addc(out, p[i]);
	}
}

/* Read all of s[0..len) and describe what came back; caller frees. */
static char *dump_n(const char *s, size_t len, char sep, size_t max_fields,
                    size_t max_record)
{
	char *in = exact_copy(s, len);
	struct csv_reader *r = csv_new(in, len, sep, max_fields, max_record);
	const struct csv_field *f;
	size_t nf, i;
	unsigned long line;
	struct buf out;
	int st, guard = 0;

	buf_init(&out);
	while ((st = csv_next(r, &f, &nf, &line)) != CSV_EOF && guard++ < 100) {
		if (st != CSV_RECORD) {
			buf_printf(&out, "%lu:E%d;", line, st);
			continue;
		}
		buf_printf(&out, "%lu:", line);
		for (i = 0; i < nf; i++) {
			if (i > 0)
				buf_addc(&out, '|');
			dump_bytes(&out, f[i].p, f[i].len);
		}
		buf_addc(&out, ';');
	}
	/* EOF is sticky. */
	if (csv_next(r, &f, &nf, &line) != CSV_EOF)
		buf_adds(&out, "NOT-STICKY");
	csv_free(r);
	free(in);
	buf_addc(&out, '\0');
	return out.data;
}

static char *dump(const char *s, char sep)
{
	return dump_n(s, strlen(s), sep, 64, 4096);
}

static void check(const char *in, char sep, const char *want, const char *what)
{
	char *got = dump(in, sep);

	is_str(got, want, what);
	free(got);
}

static void check_n(const char *in, size_t len, char sep, size_t max_fields,
                    size_t max_record, const char *want, const char *what)
{
	char *got = dump_n(in, len, sep, max_fields, max_record);

	is_str(got, want, what);
	free(got);
}

static void test_basic(void)
{
	check("a,b,c\n", ',', "1:a|b|c;", "plain record");
	check("a,b\nc,d\ne,f\n", ',', "1:a|b;2:c|d;3:e|f;", "three records");
	check("a,b\r\nc,d\r\n", ',', "1:a|b;2:c|d;", "CRLF line endings");
	check("a,b\nc,d", ',', "1:a|b;2:c|d;", "last line without newline");
	check("a,b\r\nc,d\r", ',', "1:a|b;2:c|d;", "final CR without LF");
	check("", ',', "", "empty input");
	check("\n\n\r\n", ',', "", "only blank lines");
	check("a\n\nb\n\r\n\nc\n", ',', "1:a;3:b;6:c;",
	      "blank lines skipped, line numbers kept");
	check("\xef\xbb\xbf" "a,b\n", ',', "1:a|b;", "BOM skipped");
	check("\xef\xbb\xbf", ',', "", "BOM only");
	check("\xef\xbb", ',', "1:\xef\xbb;", "half a BOM is data");
	check(",,\n", ',', "1:||;", "empty fields");
	check("a,b,\n", ',', "1:a|b|;", "trailing separator");
	check(",a\n", ',', "1:|a;", "leading separator");
	check("a\tb,c\td\n", '\t', "1:a|b,c|d;", "tab separator");
	check("a\t\"b\tc\"\n", '\t', "1:a|b\\tc;", "quoted tab");
	check(" a , b \n", ',', "1: a | b ;", "spaces are data");
	check("a\rb,c\n", ',', "1:a\\rb|c;", "lone CR is data");
	check("5\" disk,x\n", ',', "1:5\" disk|x;", "stray quote is data");
}

static void test_quotes(void)
{
	check("\"a,b\",c\n", ',', "1:a,b|c;", "quoted comma");
	check("\"\"\n", ',', "1:;", "empty quoted field");
	check("\"\",\"\"\n", ',', "1:|;", "two empty quoted fields");
	check("\"a\"\"b\"\n", ',', "1:a\"b;", "doubled quote");
	check("\"\"\"\"\n", ',', "1:\";", "only a doubled quote");
	check("\"\"\"a\"\"\",\"x\"\"\"\"y\"\n", ',', "1:\"a\"|x\"\"y;",
	      "doubled quotes at both ends and in pairs");
	check("O'Brien,\"Côte d'Ivoire\"\n", ',', "1:O'Brien|Côte d'Ivoire;",
	      "apostrophes");
	check("\"a\nb\",c\nd\n", ',', "1:a\\nb|c;3:d;",
	      "quoted newline advances line number");
	check("\"a\r\n\r\nb\"\r\nx\r\n", ',', "1:a\\r\\n\\r\\nb;4:x;",
	      "quoted CRLFs kept, lines counted");
	check("\"a\n\"\"b\"\"\nc\",d\ne\n", ',', "1:a\\n\"b\"\\nc|d;4:e;",
	      "quoted newlines with doubled quotes");
	check("\"a\",\"b\"", ',', "1:a|b;", "quoted last field at end of input");
	check("\"a\",\n", ',', "1:a|;", "quoted then trailing separator");
	check("\"a\"\r\n", ',', "1:a;", "quoted then CRLF");
}

static void test_real_rows(void)
{
	check("1.0.0.0,1.0.0.255,13335,\"Cloudflare, Inc.\"\n"
	      "2.56.8.0,2.56.8.255,8100,\"QuadraNet Enterprises LLC\"\n"
	      "1.0.4.0,1.0.7.255,38803,Gtelecom Pty Ltd\n"
	      "5.1.2.0,5.1.2.255,64512,\"The \"\"Best\"\" ISP, Ltd\"\n",
	      ',',
	      "1:1.0.0.0|1.0.0.255|13335|Cloudflare, Inc.;"
	      "2:2.56.8.0|2.56.8.255|8100|QuadraNet Enterprises LLC;"
	      "3:1.0.4.0|1.0.7.255|38803|Gtelecom Pty Ltd;"
	      "4:5.1.2.0|5.1.2.255|64512|The \"Best\" ISP, Ltd;",
	      "ip-location-db style rows");
}

static void test_errors(void)
{
	check("\"abc\n", ',', "1:E-1;", "unterminated quote");
	check("a,\"b\nc,d\ne\n", ',', "1:E-1;2:c|d;3:e;",
	      "unterminated quote: resume after its line");
	check("\"a\"b,c\nd,e\n", ',', "1:E-2;2:d|e;", "garbage after quote");
	check("\"a\" ,c\nd\n", ',', "1:E-2;2:d;", "space after quote is garbage");
	check("\"a\"\rb\nd\n", ',', "1:E-2;2:d;", "CR then data after quote");
	check("\"x\ny\"z\nw\n", ',', "2:E-2;3:w;",
	      "garbage on second line of a quoted field names that line");
	check_n("a,b\0c\nd\n", 8, ',', 64, 4096, "1:E-3;2:d;",
	        "NUL byte in unquoted field");
	check_n("\"a\nb\0\"\nd\n", 9, ',', 64, 4096, "2:E-3;3:d;",
	        "NUL byte in quoted field names its line");
	check_n("\0", 1, ',', 64, 4096, "1:E-3;", "lone NUL");
	check_n("a,b,c,d\nx,y\n", 12, ',', 3, 4096, "1:E-5;2:x|y;",
	        "too many fields");
	check_n("a,b,c\n", 6, ',', 3, 4096, "1:a|b|c;",
	        "exactly max fields");
	check_n("abcdef\nxy\n", 10, ',', 8, 5, "1:E-4;2:xy;",
	        "too long unquoted record");
	check_n("abcde\nxy\n", 9, ',', 8, 5, "1:abcde;2:xy;",
	        "record of exactly max length");
	check_n("abcde\r\nxy\n", 10, ',', 8, 5, "1:abcde;2:xy;",
	        "CRLF not counted in record length");
	check_n("abcde", 5, ',', 8, 5, "1:abcde;",
	        "max-length record at end of input");
	check_n("abcd,\nxy\n", 9, ',', 8, 4, "1:E-4;2:xy;",
	        "separator past the limit");
	check_n("\"abcdefgh\"\nxy\n", 14, ',', 8, 5, "1:E-4;2:xy;",
	        "too long quoted record");
	check_n("\"ab\nc\ndefgh\"\nxy\n", 16, ',', 8, 8, "3:E-4;4:xy;",
	        "too long quoted record spanning lines");
	check_n("\"abc\"\nxy\n", 9, ',', 8, 5, "1:abc;2:xy;",
	        "quoted record of exactly max length");
	check_n("\"ab\"\"\"\nxy\n", 10, ',', 8, 5, "1:E-4;2:xy;",
	        "doubled quote across the limit");
	check_n("\"abcd\"x\nxy\n", 11, ',', 8, 6, "1:E-4;2:xy;",
	        "garbage past the limit is too long");
	check_n("a\nb\n", 4, ',', 0, 0, "1:a;2:b;", "0 means no limit");
}

static void test_recovery(void)
{
	check("ok,1\n\"bad\"x,2\nok,3\n\"unterminated,4\n", ',',
	      "1:ok|1;2:E-2;3:ok|3;4:E-1;", "records around errors");
	check("\"a\nb\"junk\n\"c\nd\",e\nf\n", ',', "2:E-2;3:c\\nd|e;5:f;",
	      "error after a multi-line field, then another one");
}

/* Plain lines (no quote, no NUL) take a short path in csv_next(); these
 * mix them with lines that need the full reader and with errors, at the
 * edges where the two could disagree. */
static void test_plain_path(void)
{
	check("a,b\n\"q,1\",c\nd,e\n", ',', "1:a|b;2:q,1|c;3:d|e;",
	      "plain, quoted, plain: fields and line numbers");
	check("a,b\n5\" disk,x\nc\n", ',', "1:a|b;2:5\" disk|x;3:c;",
	      "a quote inside a field sends the line to the full reader");
	check("a\r\r\nb\n", ',', "1:a\\r;2:b;", "a CR before the CRLF is data");
	check("a\r\r", ',', "1:a\\r;", "a CR before the final CR is data");
	check("a,\rb\r\nc\n", ',', "1:a|\\rb;2:c;", "a CR at the start of a field is data");
	check("a,b\n\"x\"y\nc,d\n", ',', "1:a|b;2:E-2;3:c|d;",
	      "an error between plain lines names its line");
	check_n("a,b\nc,\0\nd\n", 9, ',', 64, 4096, "1:a|b;2:E-3;3:d;",
	        "NUL after plain lines names its line");
	check_n("a,b\nc,d,e,f\ng\n", 14, ',', 3, 4096, "1:a|b;2:E-5;3:g;",
	        "too many fields after a plain line");
	check_n("ab\nabcdef\nabcde\r\nxy", 19, ',', 8, 5, "1:ab;2:E-4;3:abcde;4:xy;",
	        "record length limit around plain lines");
	check_n("abcdef", 6, ',', 8, 5, "1:E-4;", "too long at end of input, no newline");
	check_n("abcde\r", 6, ',', 8, 5, "1:abcde;", "max length, then CR at end of input");
	{
		/* Forty fields: the field array grows on the short path. */
		struct buf in, want;
		char *got;
		int i;

		buf_init(&in);
		buf_init(&want);
		buf_adds(&want, "1:");
		for (i = 0; i < 40; i++) {
			buf_printf(&in, "%s%d", i ? "," : "", i);
			buf_printf(&want, "%s%d", i ? "|" : "", i);
		}
		buf_adds(&in, "\nz\n");
		buf_adds(&want, ";2:z;");
		got = dump_n(in.data, in.len, ',', 0, 0);
		is_str(got, want.data, "forty plain fields");
		free(got);
		buf_free(&in);
		buf_free(&want);
	}
}

static void test_api(void)
{
	const char *in = "\"a\"\"b\",c,\"d\"\"e\"\n";
	char *buf = exact_copy(in, strlen(in));
	struct csv_reader *r = csv_new(buf, strlen(in), ',', 0, 0);
	const struct csv_field *f;
	size_t nf;
	unsigned long line;

	ok(csv_new("a", 1, '"', 0, 0) == NULL, "quote as separator rejected");
	ok(csv_new("a", 1, '\n', 0, 0) == NULL, "LF as separator rejected");
	is_int(csv_next(r, &f, &nf, &line), CSV_RECORD, "record");
	is_int((long long)nf, 3, "three fields");
	ok(f[1].p == buf + 7 && f[1].len == 1, "unchanged field points into input");
	ok(f[0].len == 3 && memcmp(f[0].p, "a\"b", 3) == 0 &&
	   (f[0].p < buf || f[0].p >= buf + strlen(in)),
	   "unquoted copy lives outside the input");
	ok(f[2].len == 3 && memcmp(f[2].p, "d\"e", 3) == 0,
	   "second scratch field survives growth");
	is_int(csv_next(r, &f, &nf, &line), CSV_EOF, "eof");
	csv_free(r);
	csv_free(NULL);
	free(buf);

	r = csv_new(NULL, 0, ',', 0, 0);
	is_int(csv_next(r, &f, &nf, &line), CSV_EOF, "NULL buffer is empty");
	csv_free(r);

	is_str(csv_strerror(CSV_ERR_QUOTE),
	       "quoted field not closed before end of input", "strerror");
	ok(strcmp(csv_strerror(42), "unknown CSV error") == 0,
	   "strerror of unknown status");
}

/* Many fields and many scratch copies force the arrays to grow. */
static void test_growth(void)
{
	struct buf in, want;
	char *got;
	int i;

	buf_init(&in);
	buf_init(&want);
	buf_adds(&want, "1:");
	for (i = 0; i < 200; i++) {
		buf_printf(&in, "%s\"f\"\"%d\"", i ? "," : "", i);
		buf_printf(&want, "%sf\"%d", i ? "|" : "", i);
	}
	buf_adds(&in, "\n");
	buf_adds(&want, ";");
	buf_addc(&want, '\0');
	got = dump_n(in.data, in.len, ',', 200, 1 << 20);
	is_str(got, want.data, "200 scratch fields");
	free(got);
	buf_free(&in);
	buf_free(&want);
}

int main(void)
{
	test_basic();
	test_quotes();
	test_real_rows();
	test_errors();
	test_recovery();
	test_plain_path();
	test_api();
	test_growth();
	return done_testing();
}
