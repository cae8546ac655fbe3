/*
 * test_country.c - the country table: codes, names, aliases, alpha-3
 * codes, and input that must be rejected rather than guessed.
 */
#include <stdlib.h>
#include <string.h>

#include "country.h"
#include "tap.h"
#include "util.h"

/* Parse s from an exact-size copy, so reading past len is caught. */
static const char *parse(const char *s)
{
	static char out[3];
	size_t len = strlen(s);
	char *p = xmalloc(len);
	int rc;

	memcpy(p, s, len);
	rc = country_parse(p, len, out);
	free(p);
	return rc == 0 ? out : NULL;
}

static void parses(const char *s, const char *want)
{
	is_str(parse(s), want, s);
}

static void rejects(const char *s)
{
	const char *got = parse(s);

	if (!ok(got == NULL, "reject \"%s\"", s))
		printf("# got %s\n", got);
}

static void test_names(void)
{
	is_str(country_name("US"), "United States", "US");
	is_str(country_name("PH"), "Philippines", "PH");
	is_str(country_name("CN"), "China", "CN");
	is_str(country_name("RU"), "Russia", "RU");
	is_str(country_name("KR"), "South Korea", "KR");
	is_str(country_name("KP"), "North Korea", "KP");
	is_str(country_name("TW"), "Taiwan", "TW");
	is_str(country_name("IR"), "Iran", "IR");
	is_str(country_name("GB"), "United Kingdom", "GB");
	is_str(country_name("EU"), "European Union", "EU");
	is_str(country_name("AP"), "Asia/Pacific Region", "AP");
	is_str(country_name("XK"), "Kosovo", "XK");
	is_str(country_name("ZZ"), "Unknown", "ZZ");
	is_str(country_name("??"), "Unknown", "??");
	is_str(country_name("ph"), "Philippines", "lower case code");
	is_str(country_name("pH"), "Philippines", "mixed case code");
	ok(country_name("UK") == NULL, "UK is not an ISO code");
	ok(country_name("AA") == NULL, "AA unassigned");
	ok(country_name("USA") == NULL, "three letters are not a code");
	ok(country_name("U") == NULL, "one letter");
	ok(country_name("") == NULL, "empty");
	ok(country_name(NULL) == NULL, "NULL");
	ok(country_name("1A") == NULL, "digit");
	ok(country_name("[A") == NULL, "byte after Z");
	ok(country_name("\xc3\x9c" "S") == NULL, "non-ASCII");
	is_str(country_name_n("USA", 2), "United States", "length-bounded code");
	ok(country_name_n("US", 1) == NULL, "length 1");
	ok(country_name_n("US", 0) == NULL, "length 0");
}

static void test_table(void)
{
	size_t i, n = country_count();
	const char *prev = NULL;
	int good = 1, sorted = 1;

	is_int((long long)n, 249 + 4, "249 ISO codes plus EU, AP, XK, ZZ");
	for (i = 0; i < n; i++) {
		const char *cc = country_code_at(i);
		char out[3];

		if (cc == NULL || strlen(cc) != 2 || country_name(cc) == NULL ||
		    country_parse(cc, 2, out) != 0 || strcmp(out, cc) != 0 ||
		    country_parse(country_name(cc), strlen(country_name(cc)),
		                  out) != 0 || strcmp(out, cc) != 0) {
			good = 0;
			printf("# entry %zu (%s) does not round-trip\n", i,
			       cc ? cc : "NULL");
		}
		if (i > 0 && i < 249 && cc != NULL && prev != NULL &&
		    strcmp(prev, cc) >= 0)
			sorted = 0;
		prev = cc;
	}
	ok(good, "every code and name parses back to its code");
	ok(sorted, "ISO codes in order, no duplicates");
	ok(country_code_at(n) == NULL, "past the end");
	ok(country_code_at((size_t)-1) == NULL, "far past the end");
}

static void test_codes(void)
{
	parses("US", "US");
	parses("us", "US");
	parses("Ph", "PH");
	parses(" de ", "DE");
	parses("??", "ZZ");
	parses("XK", "XK");
	parses("EU", "EU");
	parses("USA", "US");
	parses("usa", "US");
	parses("CHN", "CN");
	parses("PHL", "PH");
	parses("RUS", "RU");
	parses("GBR", "GB");
	parses("DEU", "DE");
	parses("FRA", "FR");
	parses("KOR", "KR");
	parses("PRK", "KP");
	parses("XKX", "XK");
	parses("twn", "TW");
}

static void test_aliases(void)
{
	parses("United States", "US");
	parses("the United States", "US");
	parses("The United States.", "US");
	parses("United States of America", "US");
	parses("U.S.", "US");
	parses("U.S.A.", "US");
	parses("America", "US");
	parses("  united   STATES \t", "US");
	parses("UK", "GB");
	parses("U.K.", "GB");
	parses("Great Britain", "GB");
	parses("Britain", "GB");
	parses("United Kingdom", "GB");
	parses("Swaziland", "SZ");
	parses("Eswatini", "SZ");
	parses("Burma", "MM");
	parses("Ivory Coast", "CI");
	parses("Côte d'Ivoire", "CI");
	parses("C\xc3\xb4te d\xe2\x80\x99Ivoire", "CI");
	parses("Cote d'Ivoire", "CI");
	parses("Czech Republic", "CZ");
	parses("Czechia", "CZ");
	parses("Holland", "NL");
	parses("The Netherlands", "NL");
	parses("Russian Federation", "RU");
	parses("Republic of Korea", "KR");
	parses("Korea, Republic of", "KR");
	parses("Korea, Democratic People's Republic of", "KP");
	parses("Viet Nam", "VN");
	parses("Vietnam", "VN");
	parses("Turkey", "TR");
	parses("Türkiye", "TR");
	parses("Turkiye", "TR");
	parses("Macedonia", "MK");
	parses("North Macedonia", "MK");
	parses("Cape Verde", "CV");
	parses("Cabo Verde", "CV");
	parses("East Timor", "TL");
	parses("Timor-Leste", "TL");
	parses("Mainland China", "CN");
	parses("PRC", "CN");
	parses("People's Republic of China", "CN");
	parses("Hong Kong", "HK");
	parses("Macau", "MO");
	parses("Taiwan, Province of China", "TW");
	parses("Iran, Islamic Republic of", "IR");
	parses("Trinidad & Tobago", "TT");
	parses("St. Lucia", "LC");
	parses("St Kitts & Nevis", "KN");
	parses("Saint Vincent and the Grenadines", "VC");
	parses("The Gambia", "GM");
	parses("Bahamas", "BS");
	parses("Curacao", "CW");
	parses("Réunion", "RE");
	parses("Aland Islands", "AX");
	parses("DR Congo", "CD");
	parses("Republic of the Congo", "CG");
	parses("Palestinian Territory", "PS");
	parses("Kosovo", "XK");
	parses("European Union", "EU");
	parses("Unknown", "ZZ");
	parses("Philippines", "PH");
	parses("PHILIPPINES", "PH");
}

static void test_rejects(void)
{
	char out[3] = "xx";

	rejects("X");
	rejects("Narnia");
	rejects("");
	rejects("   ");
	rejects(".");
	rejects("U S");
	rejects("UU");
	rejects("XXX");
	rejects("Korea");
	rejects("Congo");
	rejects("Zaire");
	rejects("Virgin Islands");
	rejects("the");
	rejects("United States of Narnia");
	rejects("United  States  of  America  and  more  words  until  it  is  too  long  to  be  a  name");
	rejects("US..");
	rejects("U.S.A.A.");
	ok(country_parse("US\0", 3, out) == -1, "NUL byte rejected");
	ok(country_parse("PH", 0, out) == -1, "zero length");
	ok(country_parse(NULL, 0, out) == -1, "NULL");
	ok(strcmp(out, "xx") == 0, "out untouched on failure");
}

static void test_bounds(void)
{
	char out[3];

	ok(country_parse("USA", 2, out) == 0 && strcmp(out, "US") == 0,
	   "only len bytes read: USA/2 is US");
	ok(country_parse("Philippines", 5, out) == -1, "prefix of a name");
	ok(country_parse("PHX", 2, out) == 0 && strcmp(out, "PH") == 0,
	   "code then junk, bounded");
	ok(country_parse("Chinaaaa", 5, out) == 0 && strcmp(out, "CN") == 0,
	   "name, bounded");
}

/* ISO 3166-1 numeric codes, which the world map's shapes are keyed by. */
static void test_numeric(void)
{
	char out[3] = "xx";
	size_t i, j, n = country_count(), numbered = 0, clash = 0;

	is_int(country_numeric("PH"), 608, "PH is 608");
	is_int(country_numeric("us"), 840, "us is 840, any case");
	is_int(country_numeric("AF"), 4, "AF is 4 (written 004)");
	is_int(country_numeric("SS"), 728, "South Sudan 728");
	is_int(country_numeric("XK"), 0, "Kosovo has no ISO number");
	is_int(country_numeric("EU"), 0, "EU has none");
	is_int(country_numeric("QQ"), 0, "unknown code: 0");
	is_int(country_numeric(NULL), 0, "NULL: 0");
	ok(country_from_numeric(156, out) == 0 && strcmp(out, "CN") == 0, "156 is CN");
	ok(country_from_numeric(10, out) == 0 && strcmp(out, "AQ") == 0, "10 is Antarctica");
	ok(country_from_numeric(826, out) == 0 && strcmp(out, "GB") == 0, "826 is GB");
	ok(country_from_numeric(999, out) == -1, "999 is no country");
	ok(country_from_numeric(0, out) == -1, "0 is no country");
	for (i = 0; i < n; i++) {
		unsigned v = country_numeric(country_code_at(i));

		if (v == 0)
			continue;
		numbered++;
		for (j = i + 1; j < n; j++)
			clash += country_numeric(country_code_at(j)) == v;
		if (country_from_numeric(v, out) != 0 || strcmp(out, country_code_at(i)) != 0)
			clash++;
	}
	is_int((long long)numbered, 249, "every ISO 3166-1 entry has its number");
	is_int((long long)clash, 0, "numbers are unique and read back");
}

int main(void)
{
	test_numeric();
	test_names();
	test_table();
	test_codes();
	test_aliases();
	test_rejects();
	test_bounds();
	return done_testing();
}
