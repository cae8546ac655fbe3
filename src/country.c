/*
 * country.c - ISO 3166-1 country codes and English names.
 *
 * The list is written once, as COUNTRIES below, and expanded twice: into
 * a 26x26 array indexed by the two letters of the code, so that a lookup
 * by code is one multiply and one load, and into the list of codes in
 * order for listings and for matching names.
 */
#include <string.h>

#include "country.h"

/* Position of an alpha-2 code in the 26x26 table. */
#define CC_INDEX(a, b) (((a) - 'A') * 26 + ((b) - 'A'))

/* C(first letter, second letter, alpha-3 or NULL, English name) */
#define COUNTRIES(C) \
	C('A', 'D', "AND", "Andorra")                                      \
	C('A', 'E', "ARE", "United Arab Emirates")                         \
	C('A', 'F', "AFG", "Afghanistan")                                  \
	C('A', 'G', "ATG", "Antigua and Barbuda")                          \
	C('A', 'I', "AIA", "Anguilla")                                     \
	C('A', 'L', "ALB", "Albania")                                      \
	C('A', 'M', "ARM", "Armenia")                                      \
	C('A', 'O', "AGO", "Angola")                                       \
	C('A', 'Q', "ATA", "Antarctica")                                   \
	C('A', 'R', "ARG", "Argentina")                                    \
	C('A', 'S', "ASM", "American Samoa")                               \
	C('A', 'T', "AUT", "Austria")                                      \
	C('A', 'U', "AUS", "Australia")                                    \
	C('A', 'W', "ABW", "Aruba")                                        \
	C('A', 'X', "ALA", "Åland Islands")                                \
	C('A', 'Z', "AZE", "Azerbaijan")                                   \
	C('B', 'A', "BIH", "Bosnia and Herzegovina")                       \
	C('B', 'B', "BRB", "Barbados")                                     \
	C('B', 'D', "BGD", "Bangladesh")                                   \
	C('B', 'E', "BEL", "Belgium")                                      \
	C('B', 'F', "BFA", "Burkina Faso")                                 \
	C('B', 'G', "BGR", "Bulgaria")                                     \
	C('B', 'H', "BHR", "Bahrain")                                      \
	C('B', 'I', "BDI", "Burundi")                                      \
	C('B', 'J', "BEN", "Benin")                                        \
	C('B', 'L', "BLM", "Saint Barthélemy")                             \
	C('B', 'M', "BMU", "Bermuda")                                      \
	C('B', 'N', "BRN", "Brunei")                                       \
	C('B', 'O', "BOL", "Bolivia")                                      \
	C('B', 'Q', "BES", "Caribbean Netherlands")                        \
	C('B', 'R', "BRA", "Brazil")                                       \
	C('B', 'S', "BHS", "Bahamas")                                      \
	C('B', 'T', "BTN", "Bhutan")                                       \
	C('B', 'V', "BVT", "Bouvet Island")                                \
	C('B', 'W', "BWA", "Botswana")                                     \
	C('B', 'Y', "BLR", "Belarus")                                      \
	C('B', 'Z', "BLZ", "Belize")                                       \
	C('C', 'A', "CAN", "Canada")                                       \
	C('C', 'C', "CCK", "Cocos (Keeling) Islands")                      \
	C('C', 'D', "COD", "Democratic Republic of the Congo")             \
	C('C', 'F', "CAF", "Central African Republic")                     \
	C('C', 'G', "COG", "Republic of the Congo")                        \
	C('C', 'H', "CHE", "Switzerland")                                  \
	C('C', 'I', "CIV", "Côte d'Ivoire")                                \
	C('C', 'K', "COK", "Cook Islands")                                 \
	C('C', 'L', "CHL", "Chile")                                        \
	C('C', 'M', "CMR", "Cameroon")                                     \
	C('C', 'N', "CHN", "China")                                        \
	C('C', 'O', "COL", "Colombia")                                     \
	C('C', 'R', "CRI", "Costa Rica")                                   \
	C('C', 'U', "CUB", "Cuba")                                         \
	C('C', 'V', "CPV", "Cabo Verde")                                   \
	C('C', 'W', "CUW", "Curaçao")                                      \
	C('C', 'X', "CXR", "Christmas Island")                             \
	C('C', 'Y', "CYP", "Cyprus")                                       \
	C('C', 'Z', "CZE", "Czechia")                                      \
	C('D', 'E', "DEU", "Germany")                                      \
	C('D', 'J', "DJI", "Djibouti")                                     \
	C('D', 'K', "DNK", "Denmark")                                      \
	C('D', 'M', "DMA", "Dominica")                                     \
	C('D', 'O', "DOM", "Dominican Republic")                           \
	C('D', 'Z', "DZA", "Algeria")                                      \
	C('E', 'C', "ECU", "Ecuador")                                      \
	C('E', 'E', "EST", "Estonia")                                      \
	C('E', 'G', "EGY", "Egypt")                                        \
	C('E', 'H', "ESH", "Western Sahara")                               \
	C('E', 'R', "ERI", "Eritrea")                                      \
	C('E', 'S', "ESP", "Spain")                                        \
	C('E', 'T', "ETH", "Ethiopia")                                     \
	C('F', 'I', "FIN", "Finland")                                      \
	C('F', 'J', "FJI", "Fiji")                                         \
	C('F', 'K', "FLK", "Falkland Islands")                             \
	C('F', 'M', "FSM", "Micronesia")                                   \
	C('F', 'O', "FRO", "Faroe Islands")                                \
	C('F', 'R', "FRA", "France")                                       \
	C('G', 'A', "GAB", "Gabon")                                        \
	C('G', 'B', "GBR", "United Kingdom")                               \
	C('G', 'D', "GRD", "Grenada")                                      \
	C('G', 'E', "GEO", "Georgia")                                      \
	C('G', 'F', "GUF", "French Guiana")                                \
	C('G', 'G', "GGY", "Guernsey")                                     \
	C('G', 'H', "GHA", "Ghana")                                        \
	C('G', 'I', "GIB", "Gibraltar")                                    \
	C('G', 'L', "GRL", "Greenland")                                    \
	C('G', 'M', "GMB", "Gambia")                                       \
	C('G', 'N', "GIN", "Guinea")                                       \
	C('G', 'P', "GLP", "Guadeloupe")                                   \
	C('G', 'Q', "GNQ", "Equatorial Guinea")                            \
	C('G', 'R', "GRC", "Greece")                                       \
	C('G', 'S', "SGS", "South Georgia and the South Sandwich Islands") \
	C('G', 'T', "GTM", "Guatemala")                                    \
	C('G', 'U', "GUM", "Guam")                                         \
	C('G', 'W', "GNB", "Guinea-Bissau")                                \
	C('G', 'Y', "GUY", "Guyana")                                       \
	C('H', 'K', "HKG", "Hong Kong")                                    \
	C('H', 'M', "HMD", "Heard Island and McDonald Islands")            \
	C('H', 'N', "HND", "Honduras")                                     \
	C('H', 'R', "HRV", "Croatia")                                      \
	C('H', 'T', "HTI", "Haiti")                                        \
	C('H', 'U', "HUN", "Hungary")                                      \
	C('I', 'D', "IDN", "Indonesia")                                    \
	C('I', 'E', "IRL", "Ireland")                                      \
	C('I', 'L', "ISR", "Israel")                                       \
	C('I', 'M', "IMN", "Isle of Man")                                  \
	C('I', 'N', "IND", "India")                                        \
	C('I', 'O', "IOT", "British Indian Ocean Territory")               \
	C('I', 'Q', "IRQ", "Iraq")                                         \
	C('I', 'R', "IRN", "Iran")                                         \
	C('I', 'S', "ISL", "Iceland")                                      \
	C('I', 'T', "ITA", "Italy")                                        \
	C('J', 'E', "JEY", "Jersey")                                       \
	C('J', 'M', "JAM", "Jamaica")                                      \
	C('J', 'O', "JOR", "Jordan")                                       \
	C('J', 'P', "JPN", "Japan")                                        \
	C('K', 'E', "KEN", "Kenya")                                        \
	C('K', 'G', "KGZ", "Kyrgyzstan")                                   \
	C('K', 'H', "KHM", "Cambodia")                                     \
	C('K', 'I', "KIR", "Kiribati")                                     \
	C('K', 'M', "COM", "Comoros")                                      \
	C('K', 'N', "KNA", "Saint Kitts and Nevis")                        \
	C('K', 'P', "PRK", "North Korea")                                  \
	C('K', 'R', "KOR", "South Korea")                                  \
	C('K', 'W', "KWT", "Kuwait")                                       \
	C('K', 'Y', "CYM", "Cayman Islands")                               \
	C('K', 'Z', "KAZ", "Kazakhstan")                                   \
	C('L', 'A', "LAO", "Laos")                                         \
	C('L', 'B', "LBN", "Lebanon")                                      \
	C('L', 'C', "LCA", "Saint Lucia")                                  \
	C('L', 'I', "LIE", "Liechtenstein")                                \
	C('L', 'K', "LKA", "Sri Lanka")                                    \
	C('L', 'R', "LBR", "Liberia")                                      \
	C('L', 'S', "LSO", "Lesotho")                                      \
	C('L', 'T', "LTU", "Lithuania")                                    \
	C('L', 'U', "LUX", "Luxembourg")                                   \
	C('L', 'V', "LVA", "Latvia")                                       \
	C('L', 'Y', "LBY", "Libya")                                        \
	C('M', 'A', "MAR", "Morocco")                                      \
	C('M', 'C', "MCO", "Monaco")                                       \
	C('M', 'D', "MDA", "Moldova")                                      \
	C('M', 'E', "MNE", "Montenegro")                                   \
	C('M', 'F', "MAF", "Saint Martin")                                 \
	C('M', 'G', "MDG", "Madagascar")                                   \
	C('M', 'H', "MHL", "Marshall Islands")                             \
	C('M', 'K', "MKD", "North Macedonia")                              \
	C('M', 'L', "MLI", "Mali")                                         \
	C('M', 'M', "MMR", "Myanmar")                                      \
	C('M', 'N', "MNG", "Mongolia")                                     \
	C('M', 'O', "MAC", "Macao")                                        \
	C('M', 'P', "MNP", "Northern Mariana Islands")                     \
	C('M', 'Q', "MTQ", "Martinique")                                   \
	C('M', 'R', "MRT", "Mauritania")                                   \
	C('M', 'S', "MSR", "Montserrat")                                   \
	C('M', 'T', "MLT", "Malta")                                        \
	C('M', 'U', "MUS", "Mauritius")                                    \
	C('M', 'V', "MDV", "Maldives")                                     \
	C('M', 'W', "MWI", "Malawi")                                       \
	C('M', 'X', "MEX", "Mexico")                                       \
	C('M', 'Y', "MYS", "Malaysia")                                     \
	C('M', 'Z', "MOZ", "Mozambique")                                   \
	C('N', 'A', "NAM", "Namibia")                                      \
	C('N', 'C', "NCL", "New Caledonia")                                \
	C('N', 'E', "NER", "Niger")                                        \
	C('N', 'F', "NFK", "Norfolk Island")                               \
	C('N', 'G', "NGA", "Nigeria")                                      \
	C('N', 'I', "NIC", "Nicaragua")                                    \
	C('N', 'L', "NLD", "Netherlands")                                  \
	C('N', 'O', "NOR", "Norway")                                       \
	C('N', 'P', "NPL", "Nepal")                                        \
	C('N', 'R', "NRU", "Nauru")                                        \
	C('N', 'U', "NIU", "Niue")                                         \
	C('N', 'Z', "NZL", "New Zealand")                                  \
	C('O', 'M', "OMN", "Oman")                                         \
	C('P', 'A', "PAN", "Panama")                                       \
	C('P', 'E', "PER", "Peru")                                         \
	C('P', 'F', "PYF", "French Polynesia")                             \
	C('P', 'G', "PNG", "Papua New Guinea")                             \
	C('P', 'H', "PHL", "Philippines")                                  \
	C('P', 'K', "PAK", "Pakistan")                                     \
	C('P', 'L', "POL", "Poland")                                       \
	C('P', 'M', "SPM", "Saint Pierre and Miquelon")                    \
	C('P', 'N', "PCN", "Pitcairn Islands")                             \
	C('P', 'R', "PRI", "Puerto Rico")                                  \
	C('P', 'S', "PSE", "Palestine")                                    \
	C('P', 'T', "PRT", "Portugal")                                     \
	C('P', 'W', "PLW", "Palau")                                        \
	C('P', 'Y', "PRY", "Paraguay")                                     \
	C('Q', 'A', "QAT", "Qatar")                                        \
	C('R', 'E', "REU", "Réunion")                                      \
	C('R', 'O', "ROU", "Romania")                                      \
	C('R', 'S', "SRB", "Serbia")                                       \
	C('R', 'U', "RUS", "Russia")                                       \
	C('R', 'W', "RWA", "Rwanda")                                       \
	C('S', 'A', "SAU", "Saudi Arabia")                                 \
	C('S', 'B', "SLB", "Solomon Islands")                              \
	C('S', 'C', "SYC", "Seychelles")                                   \
	C('S', 'D', "SDN", "Sudan")                                        \
	C('S', 'E', "SWE", "Sweden")                                       \
	C('S', 'G', "SGP", "Singapore")                                    \
	C('S', 'H', "SHN", "Saint Helena")                                 \
	C('S', 'I', "SVN", "Slovenia")                                     \
	C('S', 'J', "SJM", "Svalbard and Jan Mayen")                       \
	C('S', 'K', "SVK", "Slovakia")                                     \
	C('S', 'L', "SLE", "Sierra Leone")                                 \
	C('S', 'M', "SMR", "San Marino")                                   \
	C('S', 'N', "SEN", "Senegal")                                      \
	C('S', 'O', "SOM", "Somalia")                                      \
	C('S', 'R', "SUR", "Suriname")                                     \
	C('S', 'S', "SSD", "South Sudan")                                  \
	C('S', 'T', "STP", "São Tomé and Príncipe")                        \
	C('S', 'V', "SLV", "El Salvador")                                  \
	C('S', 'X', "SXM", "Sint Maarten")                                 \
	C('S', 'Y', "SYR", "Syria")                                        \
	C('S', 'Z', "SWZ", "Eswatini")                                     \
	C('T', 'C', "TCA", "Turks and Caicos Islands")                     \
	C('T', 'D', "TCD", "Chad")                                         \
	C('T', 'F', "ATF", "French Southern Territories")                  \
	C('T', 'G', "TGO", "Togo")                                         \
	C('T', 'H', "THA", "Thailand")                                     \
	C('T', 'J', "TJK", "Tajikistan")                                   \
	C('T', 'K', "TKL", "Tokelau")                                      \
	C('T', 'L', "TLS", "Timor-Leste")                                  \
	C('T', 'M', "TKM", "Turkmenistan")                                 \
	C('T', 'N', "TUN", "Tunisia")                                      \
	C('T', 'O', "TON", "Tonga")                                        \
	C('T', 'R', "TUR", "Türkiye")                                      \
	C('T', 'T', "TTO", "Trinidad and Tobago")                          \
	C('T', 'V', "TUV", "Tuvalu")                                       \
	C('T', 'W', "TWN", "Taiwan")                                       \
	C('T', 'Z', "TZA", "Tanzania")                                     \
	C('U', 'A', "UKR", "Ukraine")                                      \
	C('U', 'G', "UGA", "Uganda")                                       \
	C('U', 'M', "UMI", "United States Minor Outlying Islands")         \
	C('U', 'S', "USA", "United States")                                \
	C('U', 'Y', "URY", "Uruguay")                                      \
	C('U', 'Z', "UZB", "Uzbekistan")                                   \
	C('V', 'A', "VAT", "Vatican City")                                 \
	C('V', 'C', "VCT", "Saint Vincent and the Grenadines")             \
	C('V', 'E', "VEN", "Venezuela")                                    \
	C('V', 'G', "VGB", "British Virgin Islands")                       \
	C('V', 'I', "VIR", "U.S. Virgin Islands")                          \
	C('V', 'N', "VNM", "Vietnam")                                      \
	C('V', 'U', "VUT", "Vanuatu")                                      \
	C('W', 'F', "WLF", "Wallis and Futuna")                            \
	C('W', 'S', "WSM", "Samoa")                                        \
	C('Y', 'E', "YEM", "Yemen")                                        \
	C('Y', 'T', "MYT", "Mayotte")                                      \
	C('Z', 'A', "ZAF", "South Africa")                                 \
	C('Z', 'M', "ZMB", "Zambia")                                       \
	C('Z', 'W', "ZWE", "Zimbabwe")                                     \
	C('E', 'U', NULL, "European Union")                                \
	C('A', 'P', NULL, "Asia/Pacific Region")                           \
	C('X', 'K', "XKX", "Kosovo")                                       \
	C('Z', 'Z', NULL, "Unknown")

struct country {
	const char *alpha3;
	const char *name;
};

#define C_ENTRY(a, b, a3, n) [CC_INDEX(a, b)] = { a3, n },
static const struct country by_code[26 * 26] = { COUNTRIES(C_ENTRY) };

#define C_CODE(a, b, a3, n) { a, b, '\0' },
static const char codes[][3] = { COUNTRIES(C_CODE) };

#define NCODES (sizeof codes / sizeof codes[0])

/*
 * Other names, normalised as country_parse() normalises its input (lower
 * case, no leading "the ", no trailing '.', "&" as "and", "St." as
 * "Saint").  Former names are here when they name one country today;
 * ISO's formal forms and the spellings databases use are here so their
 * output reads back.
 */
static const struct {
	const char *name;
	char cc[3];
} aliases[] = {
	{ "united states of america", "US" },
	{ "u.s", "US" },
	{ "u.s.a", "US" },
	{ "america", "US" },
	{ "uk", "GB" },
	{ "u.k", "GB" },
	{ "great britain", "GB" },
	{ "britain", "GB" },
	{ "united kingdom of great britain and northern ireland", "GB" },
	{ "uae", "AE" },
	{ "u.a.e", "AE" },
	{ "aland islands", "AX" },
	{ "aland", "AX" },
	{ "bosnia", "BA" },
	{ "bosnia-herzegovina", "BA" },
	{ "saint barthelemy", "BL" },
	{ "brunei darussalam", "BN" },
	{ "bolivia (plurinational state of)", "BO" },
	{ "bolivia, plurinational state of", "BO" },
	{ "plurinational state of bolivia", "BO" },
	{ "bonaire, sint eustatius and saba", "BQ" },
	{ "bonaire, saint eustatius and saba", "BQ" },
	{ "cocos islands", "CC" },
	{ "congo, the democratic republic of the", "CD" },
	{ "congo, democratic republic of the", "CD" },
	{ "democratic republic of congo", "CD" },
	{ "dr congo", "CD" },
	{ "drc", "CD" },
	{ "congo (kinshasa)", "CD" },
	{ "congo-kinshasa", "CD" },
	{ "republic of congo", "CG" },
	{ "congo, republic of the", "CG" },
	{ "congo (brazzaville)", "CG" },
	{ "congo-brazzaville", "CG" },
	{ "cote d'ivoire", "CI" },
	{ "ivory coast", "CI" },
	{ "mainland china", "CN" },
	{ "prc", "CN" },
	{ "p.r.c", "CN" },
	{ "people's republic of china", "CN" },
	{ "peoples republic of china", "CN" },
	{ "cape verde", "CV" },
	{ "curacao", "CW" },
	{ "czech republic", "CZ" },
	{ "falkland islands (malvinas)", "FK" },
	{ "micronesia (federated states of)", "FM" },
	{ "micronesia, federated states of", "FM" },
	{ "federated states of micronesia", "FM" },
	{ "south georgia", "GS" },
	{ "guinea bissau", "GW" },
	{ "hong kong sar", "HK" },
	{ "hong kong sar china", "HK" },
	{ "hong kong, china", "HK" },
	{ "iran (islamic republic of)", "IR" },
	{ "iran, islamic republic of", "IR" },
	{ "islamic republic of iran", "IR" },
	{ "kyrgyz republic", "KG" },
	{ "saint kitts", "KN" },
	{ "democratic people's republic of korea", "KP" },
	{ "korea, democratic people's republic of", "KP" },
	{ "korea (democratic people's republic of)", "KP" },
	{ "dprk", "KP" },
	{ "korea, north", "KP" },
	{ "korea (north)", "KP" },
	{ "republic of korea", "KR" },
	{ "korea, republic of", "KR" },
	{ "korea (republic of)", "KR" },
	{ "korea, south", "KR" },
	{ "korea (south)", "KR" },
	{ "lao people's democratic republic", "LA" },
	{ "lao pdr", "LA" },
	{ "lao", "LA" },
	{ "ceylon", "LK" },
	{ "libyan arab jamahiriya", "LY" },
	{ "moldova, republic of", "MD" },
	{ "republic of moldova", "MD" },
	{ "saint martin (french part)", "MF" },
	{ "macedonia", "MK" },
	{ "republic of north macedonia", "MK" },
	{ "former yugoslav republic of macedonia", "MK" },
	{ "macedonia, the former yugoslav republic of", "MK" },
	{ "fyrom", "MK" },
	{ "burma", "MM" },
	{ "macau", "MO" },
	{ "macao sar", "MO" },
	{ "macau sar", "MO" },
	{ "holland", "NL" },
	{ "pitcairn", "PN" },
	{ "palestine, state of", "PS" },
	{ "state of palestine", "PS" },
	{ "palestinian territory", "PS" },
	{ "palestinian territories", "PS" },
	{ "occupied palestinian territory", "PS" },
	{ "reunion", "RE" },
	{ "russian federation", "RU" },
	{ "saint helena, ascension and tristan da cunha", "SH" },
	{ "svalbard", "SJ" },
	{ "slovak republic", "SK" },
	{ "sao tome and principe", "ST" },
	{ "sint maarten (dutch part)", "SX" },
	{ "syrian arab republic", "SY" },
	{ "swaziland", "SZ" },
	{ "kingdom of eswatini", "SZ" },
	{ "turks and caicos", "TC" },
	{ "east timor", "TL" },
	{ "timor leste", "TL" },
	{ "turkey", "TR" },
	{ "turkiye", "TR" },
	{ "taiwan, province of china", "TW" },
	{ "taiwan (province of china)", "TW" },
	{ "chinese taipei", "TW" },
	{ "tanzania, united republic of", "TZ" },
	{ "united republic of tanzania", "TZ" },
	{ "us minor outlying islands", "UM" },
	{ "u.s. minor outlying islands", "UM" },
	{ "holy see", "VA" },
	{ "holy see (vatican city state)", "VA" },
	{ "vatican", "VA" },
	{ "vatican city state", "VA" },
	{ "saint vincent", "VC" },
	{ "venezuela (bolivarian republic of)", "VE" },
	{ "venezuela, bolivarian republic of", "VE" },
	{ "bolivarian republic of venezuela", "VE" },
	{ "virgin islands, british", "VG" },
	{ "virgin islands (british)", "VG" },
	{ "virgin islands, u.s", "VI" },
	{ "virgin islands (u.s.)", "VI" },
	{ "united states virgin islands", "VI" },
	{ "us virgin islands", "VI" },
	{ "viet nam", "VN" },
	{ "wallis and futuna islands", "WF" },
	{ "asia/pacific", "AP" },
	{ "asia pacific", "AP" },
};

/* Longer input cannot be a name: the longest alias is 52 bytes. */
#define NAME_MAX_LEN 80

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

static char to_upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

static char to_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* The table entry for a two-letter code in either case, or NULL. */
static const struct country *by_alpha2(const char *cc, size_t len)
{
	const struct country *c;
	char a, b;

	if (len != 2)
		return NULL;
	if (cc[0] == '?' && cc[1] == '?')
		return &by_code[CC_INDEX('Z', 'Z')];
	a = to_upper(cc[0]);
	b = to_upper(cc[1]);
	if (a < 'A' || a > 'Z' || b < 'A' || b > 'Z')
		return NULL;
	c = &by_code[CC_INDEX(a, b)];
	return c->name != NULL ? c : NULL;
}

const char *country_name_n(const char *cc, size_t len)
{
	const struct country *c;

	if (cc == NULL)
		return NULL;
	c = by_alpha2(cc, len);
	return c != NULL ? c->name : NULL;
}

const char *country_name(const char *cc)
{
	if (cc == NULL)
		return NULL;
	/* strnlen: the code is two bytes; do not walk a long string. */
	return country_name_n(cc, strnlen(cc, 3));
}

size_t country_count(void)
{
	return NCODES;
}

const char *country_code_at(size_t i)
{
	return i < NCODES ? codes[i] : NULL;
}

/*
 * Normalise a name into out (NAME_MAX_LEN + 1 bytes) as described in
 * country.h.  Returns the length, or -1 if s cannot be a name (too long,
 * or holds a NUL).
 */
static int normalise(const char *s, size_t len, char *out)
{
	static const char rsquo[] = "\xe2\x80\x99";
	const char *e = s + len;
	size_t n = 0;

	while (s < e && is_space(*s))
		s++;
	while (e > s && is_space(e[-1]))
		e--;
	if (e > s && e[-1] == '.') {
		e--;
		while (e > s && is_space(e[-1]))
			e--;
	}

	while (s < e) {
		const char *add;
		size_t addlen;

		if (*s == '\0')
			return -1;
		if (is_space(*s)) {
			while (s < e && is_space(*s))
				s++;
			add = " ";
			addlen = 1;
		} else if (*s == '&' && n > 0 && out[n - 1] == ' ' &&
		           s + 1 < e && is_space(s[1])) {
			s++;
			add = "and";
			addlen = 3;
		} else if ((size_t)(e - s) >= 3 && memcmp(s, rsquo, 3) == 0) {
			/* A typographic apostrophe, as in Côte d’Ivoire. */
			s += 3;
			add = "'";
			addlen = 1;
		} else {
			add = s++;
			addlen = 1;
		}
		if (n + addlen > NAME_MAX_LEN)
			return -1;
		while (addlen-- > 0)
			out[n++] = to_lower(*add++);
	}
	out[n] = '\0';

	if (n > 4 && memcmp(out, "the ", 4) == 0) {
		n -= 4;
		memmove(out, out + 4, n + 1);
	}
	if (n > 3 && (memcmp(out, "st ", 3) == 0 || memcmp(out, "st. ", 4) == 0)) {
		size_t skip = out[2] == '.' ? 4 : 3;

		if (n - skip + 6 > NAME_MAX_LEN)
			return -1;
		memmove(out + 6, out + skip, n - skip + 1);
		memcpy(out, "saint ", 6);
		n = n - skip + 6;
	}
	return (int)n;
}

/* Case-insensitive (ASCII) equality of lower-case a and table string b. */
static int same_name(const char *a, const char *b)
{
	while (*a != '\0' && *a == to_lower(*b)) {
		a++;
		b++;
	}
	return *a == '\0' && *b == '\0';
}

static void put_code(char out[3], char a, char b)
{
	out[0] = a;
	out[1] = b;
	out[2] = '\0';
}

int country_parse(const char *s, size_t len, char out[3])
{
	char norm[NAME_MAX_LEN + 1];
	const struct country *c;
	size_t i;
	int n;

	if (s == NULL || (n = normalise(s, len, norm)) <= 0)
		return -1;

	if (n == 2 && (c = by_alpha2(norm, 2)) != NULL) {
		size_t k = (size_t)(c - by_code);

		put_code(out, (char)('A' + k / 26), (char)('A' + k % 26));
		return 0;
	}
	for (i = 0; i < NCODES; i++) {
		c = &by_code[CC_INDEX(codes[i][0], codes[i][1])];
		if ((n == 3 && c->alpha3 != NULL && same_name(norm, c->alpha3)) ||
		    same_name(norm, c->name)) {
			put_code(out, codes[i][0], codes[i][1]);
			return 0;
		}
	}
	for (i = 0; i < sizeof aliases / sizeof aliases[0]; i++) {
		if (strcmp(norm, aliases[i].name) == 0) {
			put_code(out, aliases[i].cc[0], aliases[i].cc[1]);
			return 0;
		}
	}
	return -1;
}
