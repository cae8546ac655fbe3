/*
 * country.h - ISO 3166-1 country codes and English names.
 *
 * The table holds every assigned ISO 3166-1 alpha-2 code with its alpha-3
 * code and an English short name in the form commonly used (ISO's name
 * without formal qualifiers: "Iran", "South Korea", "Taiwan"), plus the
 * codes IP databases use beyond ISO:
 *   EU  European Union (exceptionally reserved in ISO 3166)
 *   AP  Asia/Pacific Region (used by RIR data for space not tied to one
 *       country)
 *   XK  Kosovo (user-assigned; alpha-3 XKX)
 *   ZZ  Unknown (user-assigned); "??" is read as ZZ
 *
 * Ownership: every returned string is static and must not be freed.
 * Nothing here allocates or keeps state, so all functions are reentrant.
 */
#ifndef GEOATTR_COUNTRY_H
#define GEOATTR_COUNTRY_H

#include <stddef.h>

/*
 * The English name for a two-letter code in either case ("ph" ->
 * "Philippines"), or NULL if the code is not in the table.  O(1): it is
 * called once per address.  country_name() takes a NUL-terminated string,
 * country_name_n() exactly len bytes and never reads past them.
 */
const char *country_name(const char *cc);
const char *country_name_n(const char *cc, size_t len);

/*
 * Read a country from s[0..len), never reading past len: a two-letter code
 * or an alpha-3 code in any case, or an English name, current or former,
 * or a common alias ("USA", "UK", "Burma", "Ivory Coast", "Holland",
 * "Viet Nam", "Korea, Republic of").  Matching ignores ASCII case,
 * surrounding white space, a trailing '.' and a leading "the "; runs of
 * white space count as one space, "&" as "and" and a leading "St." as
 * "Saint".  Names that could mean more than one country ("Korea",
 * "Congo", "Virgin Islands", "Zaire") are rejected rather than guessed.
 *
 * Returns 0 and writes the upper-case code and a NUL to out, or -1 if s
 * names no country.
 */
int country_parse(const char *s, size_t len, char out[3]);

/* The ISO 3166-1 numeric code of an alpha-2 code ("PH" -> 608), or 0 for
 * a code ISO does not assign a number (EU, AP, XK, ZZ) or that is not in
 * the table. */
unsigned country_numeric(const char *cc);
/* The alpha-2 code of an ISO 3166-1 numeric code (608 -> "PH"), written
 * with a NUL into out; returns 0, or -1 if no entry has that number. */
int country_from_numeric(unsigned numeric, char out[3]);

/* The table in code order, for listings: i in [0, country_count()). */
size_t country_count(void);
/* The code of entry i ("AD"), or NULL if i is out of range. */
const char *country_code_at(size_t i);

#endif
