/*
 * test_asnlist.c - the readers of third-party ASN lists: the published
 * files as they are, their quirks, and a FILE:LINE error for every kind
 * of broken row.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asnlist.h"
#include "util.h"
#include "tap.h"

/* Parse text from an exact-size copy (no NUL after it). */
static int parse(enum asnlist_format f, const char *text, struct asnlist *l,
                 char *err, size_t errlen)
{
	size_t len = strlen(text);
	char *b = xmalloc(len ? len : 1);
	int rc;

	memcpy(b, text, len);
	rc = asnlist_parse(f, b, len, "t.txt", l, err, errlen);
	free(b);
	return rc;
}

static void bad(enum asnlist_format f, const char *text, const char *want)
{
	struct asnlist l;
	char err[256] = "";

	ok(parse(f, text, &l, err, sizeof(err)) == -1 && strcmp(err, want) == 0 && l.n == 0,
	   "refused as \"%s\" (got \"%s\")", want, err);
}

static void test_x4bnet(void)
{
	struct asnlist l;
	char err[256];

	ok(parse(ASNLIST_X4BNET, "# header comment\n\nAS64500 # Example, NL\r\n"
	         "AS64496\t# Tabbed, US\nas64501\nAS64500 # again\nAS4200000000", &l,
	         err, sizeof(err)) == 0, "x4bnet list with comments, tabs, CRLF, no final newline");
	is_int((long long)l.n, 4, "four distinct ASNs");
	is_int((long long)l.repeated, 1, "one repeated row counted");
	ok(l.n == 4 && l.v[0].asn == 64496 && l.v[1].asn == 64500 && l.v[3].asn == 4200000000u,
	   "sorted by ASN, 32-bit ASNs kept");
	ok(l.n == 4 && strcmp(l.v[0].name, "Tabbed, US") == 0 && strcmp(l.v[1].name, "Example, NL") == 0 &&
	   strcmp(l.v[2].name, "") == 0, "the comment is the name; the first of a repeated ASN kept");
	ok(l.n == 4 && l.v[1].line == 3, "line numbers kept");
	asnlist_free(&l);
	asnlist_free(&l);
	ok(1, "asnlist_free twice is harmless");

	/* Numbers that differ in each of their four bytes, repeats far
	 * apart: sorted by number, the earliest line of each kept. */
	ok(parse(ASNLIST_X4BNET, "AS4294967295 # top\nAS65536 # a\nAS16777216\nAS256 # b\n"
	         "AS1 # one\nAS65536 # a again\nAS257\nAS1 # one again\nAS4294967295\n", &l,
	         err, sizeof(err)) == 0, "x4bnet list out of order, with repeats");
	ok(l.n == 6 && l.v[0].asn == 1 && l.v[1].asn == 256 && l.v[2].asn == 257 &&
	   l.v[3].asn == 65536 && l.v[4].asn == 16777216 && l.v[5].asn == 4294967295u,
	   "sorted by number across all four bytes");
	ok(l.n == 6 && l.v[0].line == 5 && strcmp(l.v[0].name, "one") == 0 &&
	   l.v[3].line == 2 && strcmp(l.v[3].name, "a") == 0 &&
	   l.v[5].line == 1 && strcmp(l.v[5].name, "top") == 0,
	   "each repeated number keeps its first line and name");
	is_int((long long)l.repeated, 3, "three repeats counted");
	asnlist_free(&l);

	bad(ASNLIST_X4BNET, "AS1\n12345 # no prefix\n", "t.txt:2: not an \"AS<number>\" line");
	bad(ASNLIST_X4BNET, "AS1\nAS0\n", "t.txt:2: the ASN is not a number from 1 to 4294967295");
	bad(ASNLIST_X4BNET, "AS4294967296\n", "t.txt:1: the ASN is not a number from 1 to 4294967295");
	bad(ASNLIST_X4BNET, "AS12x # x\n", "t.txt:1: unexpected text after the ASN (want blanks and a # comment)");
	bad(ASNLIST_X4BNET, "AS12 name without hash\n", "t.txt:1: unexpected text after the ASN (want a # comment)");
	bad(ASNLIST_X4BNET, "AS\n", "t.txt:1: not an \"AS<number>\" line");
	bad(ASNLIST_X4BNET, "# only comments\n\n", "t.txt: no ASN in the list");
	bad(ASNLIST_X4BNET, "", "t.txt: no ASN in the list");
	{
		struct asnlist l2;
		char e[256];
		static const char nul[] = "AS1\nAS2\0 # x\n";

		ok(asnlist_parse(ASNLIST_X4BNET, nul, sizeof(nul) - 1, "t.txt", &l2, e, sizeof(e)) == -1 &&
		   strcmp(e, "t.txt:2: NUL byte in the line") == 0, "a NUL byte is an error: %s", e);
	}
}

static void test_badasn(void)
{
	struct asnlist l;
	char err[256];

	ok(parse(ASNLIST_BADASN, "ASN,Entity\n198375,\"INULOGIC SARL, FR\"\n"
	         "51447, \"RootLayer Web Services Ltd, NL\"\n\"20248\",\"Take 2 Hosting, Inc.\"\n"
	         "395978,UNKNOWN\n", &l, err, sizeof(err)) == 0,
	   "bad-asn-list rows in each published shape: %s", err);
	is_int((long long)l.n, 4, "four ASNs");
	ok(l.n == 4 && l.v[0].asn == 20248 && strcmp(l.v[0].name, "Take 2 Hosting, Inc.") == 0,
	   "quoted number and quoted entity");
	ok(l.n == 4 && l.v[1].asn == 51447 && strcmp(l.v[1].name, "RootLayer Web Services Ltd, NL") == 0,
	   "blank after the comma");
	ok(l.n == 4 && strcmp(l.v[2].name, "INULOGIC SARL, FR") == 0 && strcmp(l.v[3].name, "UNKNOWN") == 0,
	   "unquoted entity");
	asnlist_free(&l);

	bad(ASNLIST_BADASN, "asn;entity\n1,x\n", "t.txt:1: header is not \"ASN,Entity\"");
	bad(ASNLIST_BADASN, "ASN,Entity\n1,x\nAS2,y\n", "t.txt:3: the ASN is not a number from 1 to 4294967295");
	bad(ASNLIST_BADASN, "ASN,Entity\n\"12,x\n", "t.txt:2: the quoted ASN has no closing quote");
	bad(ASNLIST_BADASN, "ASN,Entity\n12 x\n", "t.txt:2: no comma after the ASN");
	bad(ASNLIST_BADASN, "ASN,Entity\n12,\"x\n", "t.txt:2: the quoted entity has no closing quote");
	bad(ASNLIST_BADASN, "ASN,Entity\n", "t.txt: no ASN in the list");
}

/* The embedded copies parse whole: every line is a row, a comment or blank. */
static void test_embedded(void)
{
	static const struct { const char *file; enum asnlist_format f; size_t min; } files[] = {
		{ "x4bnet-datacenter-ASN.txt", ASNLIST_X4BNET, 850 },
		{ "x4bnet-vpn-ASN.txt", ASNLIST_X4BNET, 15 },
		{ "bad-asn-list.csv", ASNLIST_BADASN, 700 },
	};
	const char *top = getenv("TOP_SRCDIR");
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[4096], err[256];
		struct asnlist l;
		char *buf;
		size_t len, lines = 0, k;

		snprintf(path, sizeof(path), "%s/geo/%s", top ? top : "..", files[i].file);
		if (!ok(file_read_all(path, &buf, &len) == 0, "read %s", path))
			continue;
		for (k = 0; k < len; k++)
			lines += buf[k] == '\n';
		ok(asnlist_parse(files[i].f, buf, len, path, &l, err, sizeof(err)) == 0,
		   "%s parses: %s", files[i].file, err);
		ok(l.n >= files[i].min, "%s: %zu ASNs (%lu repeated) of %zu lines", files[i].file, l.n,
		   l.repeated, lines);
		asnlist_free(&l);
		free(buf);
	}
}

int main(void)
{
	test_x4bnet();
	test_badasn();
	test_embedded();
	return done_testing();
}
