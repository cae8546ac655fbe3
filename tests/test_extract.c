/*
 * test_extract.c - reading cited lists: every format with realistic
 * samples, auto-detection, the free-text false-positive traps, and bad
 * input (binary, NUL, huge lines, invalid UTF-8, BOM, CRLF, truncation).
 *
 * Each case runs extract_buffer() over a malloc'd copy of exactly the
 * input's size (no NUL after it, so AddressSanitizer sees any over-read)
 * and compares a one-line dump of what came back:
 *   "LINE:TEXT" per item, with "*COUNT" when it has a count, "@CC" for a
 *   cited location that parsed and "@?TEXT" for one that did not;
 *   "LINE:!TEXT" per rejection, whose reasons are collected apart.
 * Every case also checks items = accepted + rejected.
 *
 * A long plain list is read on threads when extract_buffer_shared() is
 * given some (src/input/list.c): test_list_shared() checks that the sink
 * gets exactly what the one-thread reader gives it, pieces run in any
 * order or on a real team, whatever falls on the pieces' and rounds'
 * edges.
 *
 * Choices these tests pin down (see extract.c):
 *   - "OpenSSL 1.1.1.1" yields 1.1.1.1: no product-name guessing; only a
 *     version word, a glued 'v', a '-suffix' or a "product/" token make
 *     a dotted quad a version.
 *   - JSON items carry the line where their array element starts; STIX
 *     pattern addresses the line of their indicator object.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bulk.h"
#include "extract.h"
#include "tap.h"
#include "util.h"

struct got {
	struct buf dump;
	struct buf why;
	unsigned long items, rejects, others;
	int text_ok;            /* every text within bounds */
};

static void on_item(void *ctx, const struct ex_item *it)
{
	struct got *g = ctx;

	if (g->dump.len > 0)
		buf_addc(&g->dump, ' ');
	buf_printf(&g->dump, "%lu:%.*s", it->line, (int)it->len, it->text);
	if (it->has_count)
		buf_printf(&g->dump, "*%g", it->count);
	if (it->cited[0] != '\0')
		buf_printf(&g->dump, "@%s", it->cited);
	else if (it->cited_text != NULL)
		buf_printf(&g->dump, "@?%.*s", (int)it->cited_len,
		    it->cited_text);
	if (it->role_len + it->phase_len + it->observed_len > 0)
		buf_printf(&g->dump, "{%.*s|%.*s|%.*s}", (int)it->role_len,
		    it->role ? it->role : "", (int)it->phase_len,
		    it->phase ? it->phase : "", (int)it->observed_len,
		    it->observed ? it->observed : "");
	if (it->text == NULL || it->len == 0 || it->len > 300)
		g->text_ok = 0;
	g->items++;
}

/* Other indicators: "LINE:=KIND:TEXT". */
static void on_other(void *ctx, enum ex_kind kind, unsigned long line,
                     const char *text, size_t len)
{
	struct got *g = ctx;

	if (g->dump.len > 0)
		buf_addc(&g->dump, ' ');
	buf_printf(&g->dump, "%lu:=%s:%.*s", line, extract_kind_key(kind),
	    (int)len, text);
	if (len > 200)
		g->text_ok = 0;
	g->others++;
}

static void on_reject(void *ctx, unsigned long line, const char *text,
                      size_t len, const char *why)
{
	struct got *g = ctx;
	size_t i;

	if (g->dump.len > 0)
		buf_addc(&g->dump, ' ');
	buf_printf(&g->dump, "%lu:!", line);
	for (i = 0; i < len; i++)
		buf_addc(&g->dump, text[i] == '\0' ? '0' :
		    text[i] == '\n' ? 'N' : text[i]);
	if (g->why.len > 0)
		buf_addc(&g->why, '|');
	buf_adds(&g->why, why);
	if (len > 200 || why == NULL)
		g->text_ok = 0;
	g->rejects++;
}

static struct got g;
static struct ex_stats st;
static char err[256];
static int ret;

/* Run the extractor over exactly s[0..len), the reading shared with
 * `threads` (NULL: extract_buffer() itself). */
static void run_shared(const char *s, size_t len, enum ex_format fmt,
                       const struct ex_threads *threads)
{
	char *in = xmalloc(len > 0 ? len : 1);
	struct ex_sink sink = { on_item, on_reject, on_other, &g };

	memcpy(in, s, len);
	buf_free(&g.dump);
	buf_free(&g.why);
	buf_init(&g.dump);
	buf_init(&g.why);
	buf_adds(&g.dump, "");
	buf_adds(&g.why, "");
	g.items = g.rejects = g.others = 0;
	g.text_ok = 1;
	err[0] = '\0';
	if (threads == NULL)
		ret = extract_buffer(in, len, fmt, &sink, &st, err, sizeof err);
	else
		ret = extract_buffer_shared(in, len, fmt, &sink, threads, &st, err,
		                            sizeof err);
	free(in);
}

static void run_n(const char *s, size_t len, enum ex_format fmt)
{
	run_shared(s, len, fmt, NULL);
}

static void run(const char *s, enum ex_format fmt)
{
	run_n(s, strlen(s), fmt);
}

/* The checks every case makes: return, format, accounting, dump. */
static void expect(const char *what, enum ex_format want_fmt,
                   const char *want_dump)
{
	char name[200];

	snprintf(name, sizeof name, "%s: returns 0", what);
	if (!is_int(ret, 0, name))
		printf("# err: %s\n", err);
	snprintf(name, sizeof name, "%s: format %s", what,
	    extract_format_name(want_fmt));
	is_str(extract_format_name(st.format), extract_format_name(want_fmt),
	    name);
	snprintf(name, sizeof name, "%s: items = accepted + rejected", what);
	ok(st.items == st.accepted + st.rejected &&
	    st.accepted == g.items && st.rejected == g.rejects &&
	    st.others == g.others && g.text_ok, "%s", name);
	snprintf(name, sizeof name, "%s: items", what);
	is_str(g.dump.data, want_dump, name);
}

static void expect_why(const char *what, const char *want)
{
	is_str(g.why.data, want, what);
}

/* ------------------------------------------------------------ list */

static void test_list(void)
{
	run("# attackers seen 2024-03\n"
	    "192.0.2.1\n"
	    "198.51.100.0/24   # whole block\n"
	    "\n"
	    "2001:db8::1\n"
	    "203.0.113.5-203.0.113.9\n"
	    "::ffff:192.0.2.7\n"
	    "300.1.2.3\n"
	    "10.1.2.3/8\n"
	    "192.0.2.33 ; SBL12345\n"
	    "   192.0.2.44   \n", EX_LIST);
	expect("list", EX_LIST,
	    "2:192.0.2.1 3:198.51.100.0/24 5:2001:db8::1 "
	    "6:203.0.113.5-203.0.113.9 7:::ffff:192.0.2.7 8:!300.1.2.3 "
	    "9:!10.1.2.3/8 10:192.0.2.33 11:192.0.2.44");
	expect_why("list: reasons from net_parse",
	    "IPv4 octet over 255|host bits set (did you mean the network "
	    "address?)");
	is_int((long long)st.lines, 11, "list: lines");
	is_int((long long)st.accepted, 7, "list: accepted");

	run("ip\n192.0.2.1\n192.0.2.2\n", EX_LIST);
	expect("list with header", EX_LIST, "2:192.0.2.1 3:192.0.2.2");
	is_str(st.address_column, "ip", "list with header: column");

	run("192.0.2[.]1\n198[.]51[.]100[.]7\n203.0.113(.)9\n"
	    "2001[:]db8[:]:5\n", EX_LIST);
	expect("list defanged", EX_LIST,
	    "1:192.0.2.1 2:198.51.100.7 3:203.0.113.9 4:2001:db8::5");

	run("192.0.2.1 is bad\nfoo\n", EX_LIST);
	expect("list junk", EX_LIST, "1:!192.0.2.1 is bad 2:!foo");
	expect_why("list junk: reasons",
	    "invalid character in IPv4 address|not an IP address");
}

/* ------------------------------------------------------------ shared */

static unsigned long fake_calls;

/* Pieces from the last to the first, the caller's own part half way: an
 * order a real team gives only by chance, so mistakes of order show. */
static void fake_run(void *team, size_t count, size_t piece,
                     void (*fn)(size_t lo, size_t hi, unsigned k, void *arg),
                     void (*own)(void *arg), void *arg)
{
	size_t n = (count + piece - 1) / piece, i;

	(void)team;
	fake_calls++;
	for (i = n; i-- > 0;) {
		if (i == n / 2 && own != NULL)
			own(arg);
		fn(i * piece, count - i * piece > piece ? (i + 1) * piece : count,
		   (unsigned)(i % 3), arg);
	}
}

static void real_run(void *team, size_t count, size_t piece,
                     void (*fn)(size_t lo, size_t hi, unsigned k, void *arg),
                     void (*own)(void *arg), void *arg)
{
	bulk_team_run_own(team, count, piece, fn, own, arg);
}

static unsigned long long rnd_state = 88172645463325252ull;

static unsigned rnd(unsigned n)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return (unsigned)(rnd_state % n);
}

/* One line of a list in the wild, with its end, into b. */
static void add_line(struct buf *b, const char *eol)
{
	unsigned k = rnd(100);

	if (k < 4)
		;                               /* blank */
	else if (k < 7)
		buf_printf(b, "# seen 192.0.2.%u", rnd(256));
	else if (k < 9)
		buf_printf(b, "198.51.100.%u ; SBL%u", rnd(256), rnd(9999));
	else if (k < 11)
		buf_printf(b, "bad-%u", rnd(1000));
	else if (k < 12)
		buf_printf(b, " \t203.0.113.%u  ", rnd(256));
	else if (k < 13)
		buf_printf(b, "192.0.2[.]%u", rnd(256));
	else if (k < 14)
		buf_adds(b, "10.1.2.3/8");
	else if (k < 15)
		buf_add(b, "nul\0byte", 8);
	else if (k < 16)
		buf_adds(b, "192.0.2.9 # caf\xc3 cut");
	else if (k < 30)
		buf_printf(b, "2001:db8:%x::%x", rnd(8), rnd(65536));
	else if (k < 33)
		buf_printf(b, "198.51.%u.0/24", rnd(4));
	else if (k < 34)
		buf_printf(b, "192.0.2.%u-192.0.2.200", rnd(100));
	else
		/* Few enough to repeat often. */
		buf_printf(b, "%u.%u.%u.%u", 1 + rnd(3), rnd(4), rnd(16), rnd(256));
	buf_adds(b, eol);
}

/* Lines up to about `size` bytes; every `edge` bytes a bad line is put
 * across the edge, so that pieces and rounds start inside one. */
static void make_list(struct buf *b, size_t size, size_t edge,
                      const char *eol)
{
	size_t next = edge;

	while (b->len < size) {
		add_line(b, eol);
		if (b->len + 40 >= next) {
			while (b->len + 5 < next)
				buf_addc(b, ' ');
			buf_printf(b, "across-%zu%s", next, eol);
			next += edge;
		}
	}
}

/* Read in[0..len) with one thread, then shared each way: the same. */
static void same_shared(const char *what, const char *in, size_t len,
                        struct bulk_team *team)
{
	struct ex_threads fake = { fake_run, NULL }, real = { real_run, team };
	struct ex_threads *th[2] = { &fake, &real };
	struct ex_stats one;
	char *dump, *why, name[200];
	unsigned long calls;
	int t;

	run_n(in, len, EX_AUTO);
	one = st;
	dump = xstrdup(g.dump.data);
	why = xstrdup(g.why.data);
	for (t = 0; t < 2; t++) {
		const char *how = t == 0 ? "pieces last first" : "team";

		calls = fake_calls;
		run_shared(in, len, EX_AUTO, th[t]);
		snprintf(name, sizeof name, "%s (%s): same items, rejections, order",
		    what, how);
		if (!ok(strcmp(g.dump.data, dump) == 0, "%s", name)) {
			size_t d = 0;

			while (g.dump.data[d] == dump[d])
				d++;
			printf("# differs at byte %zu: got '%.60s' want '%.60s'\n",
			    d, g.dump.data + (d > 20 ? d - 20 : 0),
			    dump + (d > 20 ? d - 20 : 0));
		}
		snprintf(name, sizeof name, "%s (%s): same reasons", what, how);
		ok(strcmp(g.why.data, why) == 0, "%s", name);
		snprintf(name, sizeof name, "%s (%s): same counts", what, how);
		ok(ret == 0 && st.format == EX_LIST && one.format == EX_LIST &&
		    st.lines == one.lines && st.items == one.items &&
		    st.accepted == one.accepted &&
		    st.accepted_v4 == one.accepted_v4 &&
		    st.rejected == one.rejected &&
		    strcmp(st.address_column, one.address_column) == 0,
		    "%s", name);
		if (t == 0) {
			snprintf(name, sizeof name, "%s: read on the threads", what);
			ok(fake_calls > calls, "%s", name);
		}
	}
	free(dump);
	free(why);
}

static void test_list_shared(void)
{
	struct bulk_team *team = bulk_team_new(3);
	struct buf b;
	size_t i;

	/* A header after blank lines and comments, CRLF, a BOM, no newline
	 * at the end; bad lines across 32 KiB and 256 KiB edges. */
	buf_init(&b);
	buf_adds(&b, "\xef\xbb\xbf; exported\r\n\r\n# from the sensor\r\nsrc_ip\r\n");
	make_list(&b, (size_t)1 << 20, (size_t)32 << 10, "\r\n");
	buf_adds(&b, "192.0.2.250");
	same_shared("CRLF list with header", b.data, b.len, team);
	ok(strcmp(st.address_column, "src_ip") == 0, "CRLF list: header read");
	ok(st.rejected > 0 && st.accepted > 10000 && st.accepted_v4 < st.accepted,
	    "CRLF list: entries of each kind");

	/* No header: the first line is an entry, so a column name after it
	 * is a bad line; lines longer than the longest line read (64 KiB)
	 * and than a round; edges at 256 KiB. */
	buf_reset(&b);
	buf_adds(&b, "192.0.2.1\nip\n");
	make_list(&b, (size_t)300 << 10, (size_t)256 << 10, "\n");
	for (i = 0; i < (size_t)70 << 10; i++)
		buf_addc(&b, 'x');
	buf_addc(&b, '\n');
	make_list(&b, (size_t)700 << 10, (size_t)256 << 10, "\n");
	for (i = 0; i < (size_t)600 << 10; i++)
		buf_addc(&b, i % 1000 == 999 ? ' ' : '7');
	buf_adds(&b, "\n192.0.2.1\n");
	make_list(&b, (size_t)2 << 20, (size_t)256 << 10, "\n");
	same_shared("list with long lines", b.data, b.len, team);
	ok(st.address_column[0] == '\0', "no header: none read");

	/* The header decided only after rounds of blank and comment lines. */
	buf_reset(&b);
	for (i = 0; i < 100000; i++)
		buf_adds(&b, i % 7 == 0 ? "# nothing yet\n" : "\n");
	buf_adds(&b, "address\n");
	make_list(&b, (size_t)1 << 20, (size_t)32 << 10, "\n");
	same_shared("header after 100000 lines", b.data, b.len, team);
	ok(strcmp(st.address_column, "address") == 0, "late header read");

	/* Nothing but blank lines: lines counted, nothing else. */
	buf_reset(&b);
	for (i = 0; i < 300000; i++)
		buf_adds(&b, "\n");
	same_shared("blank lines", b.data, b.len, team);
	is_int((long long)st.lines, 300000, "blank lines: counted");
	is_int((long long)st.items, 0, "blank lines: no items");

	/* Short input stays on the calling thread. */
	{
		struct ex_threads fake = { fake_run, NULL };
		unsigned long calls = fake_calls;

		run_shared("192.0.2.1\n192.0.2.2\n", 20, EX_LIST, &fake);
		ok(fake_calls == calls && st.accepted == 2,
		    "short list: read without the threads");
	}
	buf_free(&b);
	bulk_team_free(team);
}

static void test_list_bad(void)
{
	static const char bin[] = "192.0.2.1\n\x7f" "ELF\x02\x01\0\0\0\n"
	    "\0\0\0\0\n192.0.2.2\n1.2.3.4 # ok\0\n";
	char *big;
	size_t n = 1024 * 1024, i;

	run_n(bin, sizeof bin - 1, EX_LIST);
	expect("binary list", EX_LIST,
	    "1:192.0.2.1 2:!\x7f" "ELF\x02\x01" "000 3:!0000 4:192.0.2.2 "
	    "5:!1.2.3.4 # ok0");
	expect_why("binary list: reasons",
	    "NUL byte in line|NUL byte in line|NUL byte in line");

	run("192.0.2.1\n\xff\xfe" "192.0.2.2\n192.0.2.3 # caf\xc3\xa9\n"
	    "192.0.2.4 # \xc3\n\xed\xa0\x80\n", EX_LIST);
	expect("invalid UTF-8 list", EX_LIST,
	    "1:192.0.2.1 2:!\xff\xfe" "192.0.2.2 3:192.0.2.3 "
	    "4:!192.0.2.4 # \xc3 5:!\xed\xa0\x80");
	expect_why("invalid UTF-8 list: reasons",
	    "invalid UTF-8|invalid UTF-8|invalid UTF-8");

	run("\xef\xbb\xbf" "192.0.2.1\r\n192.0.2.2\r\n# c\r\n", EX_LIST);
	expect("BOM and CRLF", EX_LIST, "1:192.0.2.1 2:192.0.2.2");
	is_int((long long)st.lines, 3, "BOM and CRLF: lines");

	run("", EX_LIST);
	expect("empty list", EX_LIST, "");
	is_int((long long)st.lines, 0, "empty: no lines");
	run("", EX_AUTO);
	expect("empty auto", EX_LIST, "");
	run("\n\n  \n# nothing\n", EX_AUTO);
	expect("blank auto", EX_LIST, "");
	is_int((long long)st.lines, 4, "blank: lines");

	/* A megabyte on one line, between two good ones. */
	big = xmalloc(n + 40);
	memcpy(big, "192.0.2.1\n", 10);
	for (i = 10; i < n + 10; i++)
		big[i] = (char)('0' + i % 10);
	memcpy(big + n + 10, "\n192.0.2.2\n", 11);
	run_n(big, n + 21, EX_LIST);
	is_int(ret, 0, "1 MB line: returns 0");
	is_int((long long)st.items, 3, "1 MB line: three items");
	is_int((long long)st.accepted, 2, "1 MB line: two accepted");
	expect_why("1 MB line: reason", "line too long");
	ok(g.text_ok, "1 MB line: rejected text truncated to 200 bytes");
	run_n(big, n + 21, EX_AUTO);
	is_int((long long)st.accepted, 2, "1 MB line auto: two accepted");
	is_int((long long)st.items, (long long)(st.accepted + st.rejected),
	    "1 MB line auto: accounting");
	run_n(big, n + 21, EX_TEXT);
	is_int((long long)st.accepted, 2, "1 MB line text: two accepted");
	run_n(big, n + 21, EX_CSV);
	ok(st.items == st.accepted + st.rejected,
	    "1 MB line csv: accounting (ret %d)", ret);
	free(big);

	/* The rejected excerpt never ends inside a UTF-8 sequence. */
	big = xmalloc(400);
	memset(big, 'a', 199);
	for (i = 199; i < 399; i += 2) {
		big[i] = '\xc3';
		big[i + 1] = '\xa9';
	}
	big[399] = '\n';
	run_n(big, 400, EX_LIST);
	ok(g.dump.len > 0 && g.dump.len <= 4 + 200 &&
	    (unsigned char)g.dump.data[g.dump.len - 1] != 0xc3,
	    "long rejected line cut at a character boundary");
	free(big);
}

/* ------------------------------------------------------------ CSV */

static void test_csv(void)
{
	run("ip,country,attacks\n"
	    "\"192.0.2.1\",\"the United States\",\"1,204\"\n"
	    "198.51.100.7,RU,17\n"
	    "203.0.113.9,Swaziland,2.5\n"
	    "2001:db8::1,Narnia,3\n"
	    "192.0.2.99,,4\n"
	    "192.0.2.5,CN,\"12,34\"\n"
	    "192.0.2.6,CN,-3\n"
	    "192.0.2.7,CN,many\n"
	    "not-an-ip,CN,1\n", EX_AUTO);
	expect("csv", EX_CSV,
	    "2:192.0.2.1*1204@US 3:198.51.100.7*17@RU 4:203.0.113.9*2.5@SZ "
	    "5:2001:db8::1*3@?Narnia 6:192.0.2.99*4 7:!192.0.2.5 "
	    "8:!192.0.2.6 9:!192.0.2.7 10:!not-an-ip");
	expect_why("csv: reasons",
	    "misplaced thousands separator in count (\"12,34\")|"
	    "negative count (\"-3\")|count is not a number (\"many\")|"
	    "not an IP address");
	ok(st.has_counts && st.has_cited && !st.has_time && !st.has_ports,
	    "csv: count and cited columns found");
	is_str(st.address_column, "ip", "csv: address column");

	run("first_seen\tsrc_ip\tdst_port\tprotocol\tcount\n"
	    "2024-01-02T03:04:05Z\t192.0.2.1\t22\ttcp\t5\n"
	    "2024-01-02T03:04:06Z\t198.51.100.2\t23\ttcp\t1,000\n", EX_AUTO);
	expect("tsv", EX_CSV, "2:192.0.2.1*5{||2024-01-02T03:04:05Z} 3:198.51.100.2*1000{||2024-01-02T03:04:06Z}");
	ok(st.has_time && st.has_ports && st.has_counts && !st.has_cited,
	    "tsv: time and port columns noticed");
	is_str(st.address_column, "src_ip", "tsv: address column");

	/* No column name we know: the address column is found by content. */
	run("when,who,what\n"
	    "monday,192.0.2.1,scan\n"
	    "tuesday,192.0.2.2,brute force\n"
	    "wednesday,198.51.100.0/24,scan\n", EX_CSV);
	expect("csv by content", EX_CSV,
	    "2:192.0.2.1 3:192.0.2.2 4:198.51.100.0/24");
	is_str(st.address_column, "who", "csv by content: column");

	/* Headerless rows. */
	run("192.0.2.1,US,3\n192.0.2.2,DE,4\n", EX_AUTO);
	expect("headerless csv", EX_CSV, "1:192.0.2.1 2:192.0.2.2");
	is_str(st.address_column, "column 1", "headerless csv: column");

	/* abuse.ch style: the header is the last comment line. */
	run("################\n"
	    "# Feodo Tracker #\n"
	    "# first_seen_utc,dst_ip,dst_port,c2_status\n"
	    "\"2024-01-01 00:00:00\",\"192.0.2.1\",\"443\",\"online\"\n"
	    "\"2024-01-01 00:00:01\",\"198.51.100.9\",\"8080\",\"offline\"\n"
	    "# Number of entries: 2\n", EX_AUTO);
	expect("csv with comment header", EX_CSV,
	    "4:192.0.2.1 5:198.51.100.9");
	is_str(st.address_column, "dst_ip", "comment header: column");
	ok(st.has_time && st.has_ports, "comment header: time and ports");

	/* Semicolons, CRLF, BOM, a defanged value, src before dst. */
	run("\xef\xbb\xbf" "dst_ip;src_ip;hits\r\n"
	    "192.0.2.200;192.0.2[.]1;7\r\n"
	    "192.0.2.200;198.51.100.2;8\r\n", EX_CSV);
	expect("semicolon csv", EX_CSV, "2:192.0.2.1*7 3:198.51.100.2*8");
	is_str(st.address_column, "src_ip", "semicolon csv: src preferred");

	/* AbuseIPDB-style camelCase header. */
	run("ipAddress,countryCode,totalReports\n192.0.2.1,cn,12\n", EX_AUTO);
	expect("camelCase csv", EX_CSV, "2:192.0.2.1*12@CN");
}

static void test_csv_bad(void)
{
	static const char nul[] = "ip,cc\n192.0.2.1,US\n192.0\0.2.2,US\n"
	    "192.0.2.3,US\n";

	run_n(nul, sizeof nul - 1, EX_CSV);
	expect("csv with NUL row", EX_CSV,
	    "2:192.0.2.1@US 3:!192.00.2.2,US 4:192.0.2.3@US");
	expect_why("csv with NUL row: reason", "NUL byte in line");

	run("ip,cc\n192.0.2.1,\xff\n192.0.2.2,DE\n", EX_CSV);
	expect("csv invalid UTF-8", EX_CSV, "2:!192.0.2.1,\xff 3:192.0.2.2@DE");
	expect_why("csv invalid UTF-8: reason", "invalid UTF-8");

	run("ip,cc\n\"192.0.2.1\"x,US\n192.0.2.2,US\n\"192.0.2.3,US\n",
	    EX_CSV);
	expect("csv quoting errors", EX_CSV,
	    "2:!\"192.0.2.1\"x,US 3:192.0.2.2@US 4:!\"192.0.2.3,US");

	run("ip,cc\n192.0.2.1\n", EX_CSV);
	expect("csv short row", EX_CSV, "2:192.0.2.1");

	run("a,b\nx,y\n", EX_CSV);
	is_int(ret, -1, "csv without addresses: error");
	ok(strstr(err, "line 1: no address column") != NULL,
	    "csv without addresses: message (%s)", err);

	run_n("ip\0,cc\n1.2.3.4,US\n", 18, EX_CSV);
	is_int(ret, -1, "csv binary header: error");
	ok(strncmp(err, "line 1: NUL", 11) == 0, "binary header: %s", err);
}

/* ------------------------------------------------------------ JSON */

static void test_json(void)
{
	run("[\n  \"192.0.2.1\",\n  \"198.51.100.0/24\",\n\n"
	    "  \"bogus\", 42, null,\n  \"2001:db8::1\"\n]\n", EX_AUTO);
	expect("json strings", EX_JSON,
	    "2:192.0.2.1 3:198.51.100.0/24 5:!bogus 5:!42 5:!null "
	    "6:2001:db8::1");
	expect_why("json strings: reasons",
	    "not an IP address|a number, not an address|null, not an "
	    "address");

	run("[{\"src_ip\": \"192.0.2.1\", \"count\": 3, \"country\": \"CN\","
	    " \"timestamp\": \"2024-01-01\"},\n"
	    " {\"src_ip\": \"198.51.100.2\", \"count\": \"1,500\","
	    " \"country\": \"Russian Federation\"},\n"
	    " {\"src_ip\": \"192.0.2.3\", \"count\": -1},\n"
	    " {\"src_ip\": 7},\n"
	    " {\"name\": \"x\"}\n]", EX_AUTO);
	expect("json objects", EX_JSON,
	    "1:192.0.2.1*3@CN 2:198.51.100.2*1500@RU 3:!192.0.2.3 4:!7 "
	    "5:!{...}");
	expect_why("json objects: reasons",
	    "negative count|address field is not a string|no address field "
	    "in object");
	ok(st.has_counts && st.has_cited && st.has_time && !st.has_ports,
	    "json objects: fields noticed");
	is_str(st.address_column, "src_ip", "json objects: key");

	run("{\"src_ip\":\"192.0.2.1\",\"dst_port\":22}\n"
	    "{\"src_ip\":\"192.0.2.2\",\"dst_port\":23}\n"
	    "\n"
	    "{\"src_ip\":\"192.0.2.3\",\n"
	    "\"192.0.2.4\"\n", EX_AUTO);
	expect("ndjson", EX_JSON,
	    "1:192.0.2.1 2:192.0.2.2 4:!{\"src_ip\":\"192.0.2.3\", "
	    "5:192.0.2.4");
	ok(st.has_ports, "ndjson: port field noticed");

	run("{\"meta\": {\"source\": \"honeypot\"},\n \"data\": [\n"
	    "  {\"ipAddress\": \"192.0.2.1\", \"countryCode\": \"US\","
	    " \"totalReports\": 9},\n"
	    "  {\"ipAddress\": \"192.0.2.2\", \"countryCode\": \"KP\","
	    " \"totalReports\": 1}\n ]}\n", EX_AUTO);
	expect("json wrapper object", EX_JSON,
	    "3:192.0.2.1*9@US 4:192.0.2.2*1@KP");
	is_str(st.address_column, "ipAddress", "wrapper: key as written");

	run("[{\"a\": \"x\", \"b\": \"192.0.2.1\"}, {\"a\": \"y\","
	    " \"b\": \"192.0.2.2\"}]", EX_JSON);
	expect("json key by content", EX_JSON, "1:192.0.2.1 1:192.0.2.2");
	is_str(st.address_column, "b", "json key by content: key");

	run("[\"a\\\"]\", \"192.0.2.1\", [\"nested\"], \"192.0.2.2\"]",
	    EX_JSON);
	expect("json escapes and nesting", EX_JSON,
	    "1:!a\"] 1:192.0.2.1 1:![...] 1:192.0.2.2");

	run("\"192.0.2.9\"", EX_JSON);
	expect("json scalar", EX_JSON, "1:192.0.2.9");
}

static void test_json_bad(void)
{
	run("[\"192.0.2.1\",\n \"192.0.2.2\",\n \"192.0", EX_AUTO);
	is_int(ret, -1, "truncated json: error");
	ok(strncmp(err, "line 3 column", 13) == 0,
	    "truncated json: line and column (%s)", err);
	is_int((long long)st.items, 0, "truncated json: no items");

	run("{\"ips\": [\"192.0.2.1\"", EX_JSON);
	is_int(ret, -1, "truncated object: error");
	ok(strncmp(err, "line 1 column", 13) == 0, "truncated object: %s",
	    err);

	run_n("[\"192.0.2.1\", \0\"x\"]", 19, EX_JSON);
	is_int(ret, -1, "json with NUL: error");

	run("\xef\xbb\xbf[\"192.0.2.1\"]\r\n", EX_AUTO);
	expect("json with BOM and CRLF", EX_JSON, "1:192.0.2.1");

	run("[]", EX_AUTO);
	expect("empty json array", EX_JSON, "");
}

/* ------------------------------------------------------------ STIX */

static const char stix_bundle[] =
    "{\n"
    "  \"type\": \"bundle\",\n"
    "  \"id\": \"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d\",\n"
    "  \"objects\": [\n"
    "    {\n"
    "      \"type\": \"indicator\",\n"
    "      \"spec_version\": \"2.1\",\n"
    "      \"id\": \"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\",\n"
    "      \"created\": \"2024-03-01T12:00:00.000Z\",\n"
    "      \"modified\": \"2024-03-01T12:00:00.000Z\",\n"
    "      \"name\": \"C2 servers\",\n"
    "      \"pattern\": \"[ipv4-addr:value = '192.0.2.1'] OR "
    "[ipv4-addr:value = '198.51.100.0/24' AND ipv6-addr:value = "
    "'2001:db8::1'] OR [ipv4-addr:value != '203.0.113.1']\",\n"
    "      \"pattern_type\": \"stix\",\n"
    "      \"valid_from\": \"2024-03-01T12:00:00Z\"\n"
    "    },\n"
    "    {\n"
    "      \"type\": \"indicator\", \"spec_version\": \"2.1\",\n"
    "      \"id\": \"indicator--2\",\n"
    "      \"pattern\": \"[ipv4-addr:value ISSUBSET '203.0.113.0/25'] "
    "OR [ipv4-addr:value IN ('192.0.2.10', '192.0.2.11')] OR "
    "[domain-name:value = 'evil.example'] OR "
    "[network-traffic:dst_port = 443]\",\n"
    "      \"pattern_type\": \"stix\", \"valid_from\": "
    "\"2024-03-01T12:00:00Z\"\n"
    "    },\n"
    "    {\"type\": \"indicator\", \"id\": \"indicator--3\","
    " \"pattern\": \"alert ip 192.0.2.77 any\", \"pattern_type\": "
    "\"snort\", \"valid_from\": \"2024-03-01T12:00:00Z\"},\n"
    "    {\"type\": \"ipv4-addr\", \"spec_version\": \"2.1\",\n"
    "     \"id\": \"ipv4-addr--a\", \"value\": \"192.0.2.20\"},\n"
    "    {\"type\": \"ipv4-addr\", \"spec_version\": \"2.1\",\n"
    "     \"id\": \"ipv4-addr--b\", \"value\": \"192.0.2.21\"},\n"
    "    {\"type\": \"ipv6-addr\", \"id\": \"ipv6-addr--c\","
    " \"value\": \"2001:db8::zz\"},\n"
    "    {\n"
    "      \"type\": \"observed-data\", \"spec_version\": \"2.1\",\n"
    "      \"id\": \"observed-data--1\",\n"
    "      \"first_observed\": \"2024-03-01T00:00:00Z\",\n"
    "      \"last_observed\": \"2024-03-02T00:00:00Z\",\n"
    "      \"number_observed\": 40,\n"
    "      \"object_refs\": [\"ipv4-addr--b\", \"domain-name--x\"]\n"
    "    },\n"
    "    {\n"
    "      \"type\": \"observed-data\", \"id\": \"observed-data--2\",\n"
    "      \"number_observed\": 2,\n"
    "      \"objects\": {\"0\": {\"type\": \"ipv4-addr\", \"value\": "
    "\"192.0.2.30\"}, \"1\": {\"type\": \"network-traffic\", "
    "\"src_ref\": \"0\", \"dst_port\": 22}}\n"
    "    },\n"
    "    {\"type\": \"relationship\", \"id\": \"relationship--1\"}\n"
    "  ]\n"
    "}\n";

static void test_stix(void)
{
	run(stix_bundle, EX_AUTO);
	/* Items come in bundle order; an address object an observed-data
	 * claims comes with it (count 40) but keeps its own line. */
	expect("stix bundle", EX_STIX,
	    "5:192.0.2.1 5:198.51.100.0/24 5:2001:db8::1 "
	    "16:203.0.113.0/25 16:192.0.2.10 16:192.0.2.11 "
	    "23:192.0.2.20 27:!2001:db8::zz 25:192.0.2.21*40 "
	    "36:192.0.2.30*2");
	ok(st.has_time && st.has_ports && st.has_counts,
	    "stix: time, ports and counts noticed");
	is_str(st.address_column, "", "stix: no column");

	run(stix_bundle, EX_STIX);
	expect("stix forced", EX_STIX,
	    "5:192.0.2.1 5:198.51.100.0/24 5:2001:db8::1 "
	    "16:203.0.113.0/25 16:192.0.2.10 16:192.0.2.11 "
	    "23:192.0.2.20 27:!2001:db8::zz 25:192.0.2.21*40 "
	    "36:192.0.2.30*2");

	run("{\"type\":\"bundle\",\"id\":\"bundle--1\",\"objects\":[{\"type\":"
	    "\"indicator\",\"pattern\":\"[ipv4-addr:value = '300.1.2.3'] OR "
	    "[ipv4-addr:value = 'it\\\\'s'] OR [ipv4-addr:value NOT = "
	    "'192.0.2.1'] OR [x-ipv4-addr:value = '192.0.2.2']\"}]}",
	    EX_AUTO);
	expect("stix bad values", EX_STIX, "1:!300.1.2.3 1:!it's");

	run("{\"type\":\"bundle\",\"id\":\"bundle--1\",\"objects\":[]}",
	    EX_AUTO);
	expect("empty bundle", EX_STIX, "");

	run("{\"type\": \"indicator\", \"pattern\": "
	    "\"[ipv4-addr:value = '192.0.2.1']\"}", EX_STIX);
	is_int(ret, -1, "stix not a bundle: error");
	ok(strstr(err, "not a STIX bundle") != NULL, "not a bundle: %s",
	    err);
	run("[\"192.0.2.1\"]", EX_STIX);
	is_int(ret, -1, "stix array: error");
	run("192.0.2.1\n", EX_STIX);
	is_int(ret, -1, "stix given a list: error");
	ok(strncmp(err, "line 1", 6) == 0, "stix given a list: %s", err);
}

/* ------------------------------------------------------------ text */

static void test_text(void)
{
	run("Our analysts traced the campaign to infrastructure in Country "
	    "X.\nThe C2 servers were 192.0.2[.]1 and 198[.]51[.]100[.]7, with\n"
	    "staging on hxxp://203.0.113.9/payload.bin and "
	    "hxxps://[2001:db8::1]/x.\nA fallback at 2001[:]db8[:]:2 and "
	    "192.0.2{.}33 was seen; the\nwhole 198.51.100.0/24 and "
	    "203.0.113.16[/]28 blocks, plus 192.0.2.5:8080.\n"
	    "Also 192.0.2(.)6, then 300.1.2.3 and 192.0.2.04 (typos).\n",
	    EX_AUTO);
	expect("text paragraph", EX_TEXT,
	    "2:192.0.2.1 2:198.51.100.7 3:203.0.113.9 3:2001:db8::1 "
	    "4:2001:db8::2 4:192.0.2.33 5:198.51.100.0/24 5:203.0.113.16/28 "
	    "5:192.0.2.5 6:192.0.2.6 6:!300.1.2.3 6:!192.0.2.04 "
	    "3:=url:hxxp://203.0.113.9/payload.bin "
	    "3:=url:hxxps://[2001:db8::1]/x");
	expect_why("text paragraph: reasons",
	    "IPv4 octet over 255|leading zero in IPv4 octet is ambiguous "
	    "(octal or decimal)");

	run("<html><body><table>\n"
	    "<tr><td>192.0.2.1</td><td>CN</td></tr>\n"
	    "<tr><td>&nbsp;198.51.100.2</td></tr>\n"
	    "<a href=\"http://203.0.113.5/24/index.html\">link</a>\n"
	    "<script src=\"jquery-1.12.4.min.js?v=1.2.3.4\"></script>\n"
	    "<meta name=\"viewport\" content=\"initial-scale=1.0\">\n"
	    "</table></body></html>\n", EX_AUTO);
	expect("html", EX_TEXT, "2:192.0.2.1 3:198.51.100.2 4:203.0.113.5 "
	    "4:=url:http://203.0.113.5/24/index.html");

	run("| IP | Country | Hits |\n|----|---------|-----:|\n"
	    "| `192.0.2.1` | CN | 1,204 |\n| 198.51.100.2 | RU | 7 |\n"
	    "| 2001:db8::/32 | KP | 1 |\n", EX_AUTO);
	expect("markdown table", EX_TEXT,
	    "3:192.0.2.1 4:198.51.100.2 5:2001:db8::/32");

	run("range 192.0.2.0-192.0.2.255 and inetnum: 198.51.100.0 - "
	    "198.51.100.127, zone fe80::1%eth0, ipv4-mapped "
	    "::ffff:192.0.2.9, [2001:db8::3]:443, IP:192.0.2.8.\n",
	    EX_TEXT);
	expect("text ranges and forms", EX_TEXT,
	    "1:192.0.2.0-192.0.2.255 1:198.51.100.0-198.51.100.127 "
	    "1:!fe80::1%eth0 1:::ffff:192.0.2.9 1:2001:db8::3 1:192.0.2.8");

	run("1.1.1.1 and 8.8.8.8 resolvers; OpenSSL 1.1.1.1 too\n", EX_TEXT);
	expect("product names are not guessed", EX_TEXT,
	    "1:1.1.1.1 1:8.8.8.8 1:1.1.1.1");
}

/* Each of these must yield nothing at all. */
static void test_traps(void)
{
	static const char *const traps[] = {
		"running version 1.2.3.4 of the agent",
		"Version: 10.0.0.1 released",
		"ver. 1.2.3.4",
		"upgrade to v1.2.3.4 now",
		"firmware 2.0.1.12 fixes it",
		"build 4.1.0.7, release 5.2.0.1",
		"User-Agent: Mozilla/5.0 Agent/1.2.3.4",
		"the package foo-1.2.3.4 and bar_1.2.3.4",
		"tag 1.2.3.4-rc1 and 1.2.3.4-beta",
		"on 2024.01.02 and 01.02.2024 we met",
		"OID 1.3.6.1.4.1.311.21.7 and 1.3.6.1.4.1",
		"iso.3.6.1.2.1.1.1.0 = STRING",
		"semver 1.2.3, 1.2.3-alpha.1+build.5, 10.5.2",
		"the reverse zone 4.3.2.1.in-addr.arpa resolves",
		"host 1.2.3.4.nip.io is a name",
		"Chrome/120.0.6099.109 Windows 10.0.19041.1",
		"at 12:34:56 the MAC was 00:1a:2b:3c:4d:5e",
		"C++ std::vector and Foo::Bar::baz, Rust crate::fs",
		"hash e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		"see section 4.2.1.3 of RFC 5280",
		"price 1.234.567 and ratio 3.14159 and 1.2.3.4.5",
		"::: note\nfenced div\n:::",
		"192.0.2.1x and x192.0.2.1 and 192.0.2.1_ok",
	};
	size_t i, k;
	char name[160];

	for (i = 0; i < sizeof traps / sizeof traps[0]; i++) {
		run(traps[i], EX_TEXT);
		snprintf(name, sizeof name, "trap \"%.60s\" yields 0 items",
		    traps[i]);
		for (k = 0; name[k] != '\0'; k++)
			if (name[k] == '\n')
				name[k] = ' ';
		ok(ret == 0 && st.items == 0 && st.accepted + st.rejected == 0,
		    "%s", name);
		if (st.items != 0)
			printf("# got %s\n", g.dump.data);
	}
	/* Prose without candidates: nothing, not rejections. */
	run("The attackers, we believe, were based in Country X. No "
	    "addresses are given in this report, version 2.\n", EX_AUTO);
	expect("prose", EX_TEXT, "");
}

/* ------------------------------------------------------------ detection */

static void test_detect(void)
{
	static const struct {
		const char *in;
		enum ex_format want;
		const char *what;
	} cases[] = {
		{ "192.0.2.1\n192.0.2.2\n", EX_LIST, "plain list" },
		{ "# list\n192.0.2.0/24\n2001:db8::/32\n", EX_LIST,
		  "list with comment" },
		{ "; Spamhaus DROP List\n192.0.2.0/24 ; SBL1\n", EX_LIST,
		  "semicolon comments" },
		{ "192.0.2[.]1\n198.51.100[.]2\n", EX_LIST, "defanged list" },
		{ "ip,country\n192.0.2.1,US\n", EX_CSV, "csv" },
		{ "address\tcc\n192.0.2.1\tUS\n", EX_CSV, "tsv" },
		{ "# header next\nsrc_ip,count\n192.0.2.1,1\n", EX_CSV,
		  "csv after comment" },
		{ "  [\"192.0.2.1\"]", EX_JSON, "json array" },
		{ "{\"ip\": \"192.0.2.1\"}", EX_JSON, "json object" },
		{ "{\"type\": \"bundle\", \"objects\": []}", EX_STIX,
		  "stix" },
		{ "[1, 2]", EX_JSON, "json numbers" },
		{ "[Report](http://x) says 192.0.2.1", EX_TEXT,
		  "markdown link is not json" },
		{ "[192.0.2.1]\n", EX_TEXT, "bracketed address is not json" },
		{ "Hello, world. We saw 192.0.2.1.\n", EX_TEXT,
		  "prose with commas" },
		{ "The IP 192.0.2.1 attacked\n192.0.2.2 attacked too\n",
		  EX_TEXT, "sentences" },
		{ "hello\nworld\n", EX_TEXT, "words are not a list" },
		{ "Time, they say, heals all.\nBut 192.0.2.1 stayed.\n",
		  EX_TEXT, "prose starting with a column name" },
		{ "Address, as we noted, matters\nto us: 192.0.2.1\n",
		  EX_TEXT, "prose starting with an address name" },
		{ "date,src\n2024-01-01,192.0.2.1\n", EX_CSV,
		  "known names and an address below" },
		{ "ip\n", EX_TEXT, "a lone header word is text" },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		run(cases[i].in, EX_AUTO);
		is_str(extract_format_name(st.format),
		    extract_format_name(cases[i].want), cases[i].what);
		ok(st.items == st.accepted + st.rejected, "%s: accounting",
		    cases[i].what);
	}
}

static void test_names(void)
{
	enum ex_format f = EX_AUTO;

	is_str(extract_format_name(EX_LIST), "list", "name list");
	is_str(extract_format_name(EX_STIX), "stix", "name stix");
	is_str(extract_format_name((enum ex_format)99), "unknown",
	    "name out of range");
	ok(extract_format_parse("tsv", &f) == 0 && f == EX_CSV, "parse tsv");
	ok(extract_format_parse("ndjson", &f) == 0 && f == EX_JSON,
	    "parse ndjson");
	ok(extract_format_parse("text", &f) == 0 && f == EX_TEXT,
	    "parse text");
	ok(extract_format_parse("xml", &f) == -1, "parse xml fails");

	/* A NULL sink only counts. */
	ok(extract_buffer("192.0.2.1\nx\n", 12, EX_LIST, NULL, &st, NULL, 0)
	    == 0 && st.accepted == 1 && st.rejected == 1,
	    "NULL sink and err still count");
}

int main(void)
{
	test_list();
	test_list_bad();
	test_list_shared();
	test_csv();
	test_csv_bad();
	test_json();
	test_json_bad();
	test_stix();
	test_text();
	test_traps();
	test_detect();
	test_names();
	buf_free(&g.dump);
	buf_free(&g.why);
	return done_testing();
}
