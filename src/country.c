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

/* C(first letter, second letter, alpha-3 or NULL, ISO 3166-1 numeric code
 *   or 0 for codes outside ISO, English name).  The numeric codes were
 *   checked against Debian's iso-codes 3166-1 table; the world map's
 *   shapes (Natural Earth) are keyed by them. */
#define COUNTRIES(C) \
	C('A', 'D', "AND",  20, "Andorra")                                         \
	C('A', 'E', "ARE", 784, "United Arab Emirates")                            \
	C('A', 'F', "AFG",   4, "Afghanistan")                                     \
	C('A', 'G', "ATG",  28, "Antigua and Barbuda")                             \
	C('A', 'I', "AIA", 660, "Anguilla")                                        \
	C('A', 'L', "ALB",   8, "Albania")                                         \
	C('A', 'M', "ARM",  51, "Armenia")                                         \
	C('A', 'O', "AGO",  24, "Angola")                                          \
	C('A', 'Q', "ATA",  10, "Antarctica")                                      \
	C('A', 'R', "ARG",  32, "Argentina")                                       \
	C('A', 'S', "ASM",  16, "American Samoa")                                  \
	C('A', 'T', "AUT",  40, "Austria")                                         \
	C('A', 'U', "AUS",  36, "Australia")                                       \
	C('A', 'W', "ABW", 533, "Aruba")                                           \
	C('A', 'X', "ALA", 248, "Åland Islands")                                   \
	C('A', 'Z', "AZE",  31, "Azerbaijan")                                      \
	C('B', 'A', "BIH",  70, "Bosnia and Herzegovina")                          \
	C('B', 'B', "BRB",  52, "Barbados")                                        \
	C('B', 'D', "BGD",  50, "Bangladesh")                                      \
	C('B', 'E', "BEL",  56, "Belgium")                                         \
	C('B', 'F', "BFA", 854, "Burkina Faso")                                    \
	C('B', 'G', "BGR", 100, "Bulgaria")                                        \
	C('B', 'H', "BHR",  48, "Bahrain")                                         \
	C('B', 'I', "BDI", 108, "Burundi")                                         \
	C('B', 'J', "BEN", 204, "Benin")                                           \
	C('B', 'L', "BLM", 652, "Saint Barthélemy")                                \
	C('B', 'M', "BMU",  60, "Bermuda")                                         \
	C('B', 'N', "BRN",  96, "Brunei")                                          \
	C('B', 'O', "BOL",  68, "Bolivia")                                         \
	C('B', 'Q', "BES", 535, "Caribbean Netherlands")                           \
	C('B', 'R', "BRA",  76, "Brazil")                                          \
	C('B', 'S', "BHS",  44, "Bahamas")                                         \
	C('B', 'T', "BTN",  64, "Bhutan")                                          \
	C('B', 'V', "BVT",  74, "Bouvet Island")                                   \
	C('B', 'W', "BWA",  72, "Botswana")                                        \
	C('B', 'Y', "BLR", 112, "Belarus")                                         \
	C('B', 'Z', "BLZ",  84, "Belize")                                          \
	C('C', 'A', "CAN", 124, "Canada")                                          \
	C('C', 'C', "CCK", 166, "Cocos (Keeling) Islands")                         \
	C('C', 'D', "COD", 180, "Democratic Republic of the Congo")                \
	C('C', 'F', "CAF", 140, "Central African Republic")                        \
	C('C', 'G', "COG", 178, "Republic of the Congo")                           \
	C('C', 'H', "CHE", 756, "Switzerland")                                     \
	C('C', 'I', "CIV", 384, "Côte d'Ivoire")                                   \
	C('C', 'K', "COK", 184, "Cook Islands")                                    \
	C('C', 'L', "CHL", 152, "Chile")                                           \
	C('C', 'M', "CMR", 120, "Cameroon")                                        \
	C('C', 'N', "CHN", 156, "China")                                           \
	C('C', 'O', "COL", 170, "Colombia")                                        \
	C('C', 'R', "CRI", 188, "Costa Rica")                                      \
	C('C', 'U', "CUB", 192, "Cuba")                                            \
	C('C', 'V', "CPV", 132, "Cabo Verde")                                      \
	C('C', 'W', "CUW", 531, "Curaçao")                                         \
	C('C', 'X', "CXR", 162, "Christmas Island")                                \
	C('C', 'Y', "CYP", 196, "Cyprus")                                          \
	C('C', 'Z', "CZE", 203, "Czechia")                                         \
	C('D', 'E', "DEU", 276, "Germany")                                         \
	C('D', 'J', "DJI", 262, "Djibouti")                                        \
	C('D', 'K', "DNK", 208, "Denmark")                                         \
	C('D', 'M', "DMA", 212, "Dominica")                                        \
	C('D', 'O', "DOM", 214, "Dominican Republic")                              \
	C('D', 'Z', "DZA",  12, "Algeria")                                         \
	C('E', 'C', "ECU", 218, "Ecuador")                                         \
	C('E', 'E', "EST", 233, "Estonia")                                         \
	C('E', 'G', "EGY", 818, "Egypt")                                           \
	C('E', 'H', "ESH", 732, "Western Sahara")                                  \
	C('E', 'R', "ERI", 232, "Eritrea")                                         \
	C('E', 'S', "ESP", 724, "Spain")                                           \
	C('E', 'T', "ETH", 231, "Ethiopia")                                        \
	C('F', 'I', "FIN", 246, "Finland")                                         \
	C('F', 'J', "FJI", 242, "Fiji")                                            \
	C('F', 'K', "FLK", 238, "Falkland Islands")                                \
	C('F', 'M', "FSM", 583, "Micronesia")                                      \
	C('F', 'O', "FRO", 234, "Faroe Islands")                                   \
	C('F', 'R', "FRA", 250, "France")                                          \
	C('G', 'A', "GAB", 266, "Gabon")                                           \
	C('G', 'B', "GBR", 826, "United Kingdom")                                  \
	C('G', 'D', "GRD", 308, "Grenada")                                         \
	C('G', 'E', "GEO", 268, "Georgia")                                         \
	C('G', 'F', "GUF", 254, "French Guiana")                                   \
	C('G', 'G', "GGY", 831, "Guernsey")                                        \
	C('G', 'H', "GHA", 288, "Ghana")                                           \
	C('G', 'I', "GIB", 292, "Gibraltar")                                       \
	C('G', 'L', "GRL", 304, "Greenland")                                       \
	C('G', 'M', "GMB", 270, "Gambia")                                          \
	C('G', 'N', "GIN", 324, "Guinea")                                          \
	C('G', 'P', "GLP", 312, "Guadeloupe")                                      \
	C('G', 'Q', "GNQ", 226, "Equatorial Guinea")                               \
	C('G', 'R', "GRC", 300, "Greece")                                          \
	C('G', 'S', "SGS", 239, "South Georgia and the South Sandwich Islands")    \
	C('G', 'T', "GTM", 320, "Guatemala")                                       \
	C('G', 'U', "GUM", 316, "Guam")                                            \
	C('G', 'W', "GNB", 624, "Guinea-Bissau")                                   \
	C('G', 'Y', "GUY", 328, "Guyana")                                          \
	C('H', 'K', "HKG", 344, "Hong Kong")                                       \
	C('H', 'M', "HMD", 334, "Heard Island and McDonald Islands")               \
	C('H', 'N', "HND", 340, "Honduras")                                        \
	C('H', 'R', "HRV", 191, "Croatia")                                         \
	C('H', 'T', "HTI", 332, "Haiti")                                           \
	C('H', 'U', "HUN", 348, "Hungary")                                         \
	C('I', 'D', "IDN", 360, "Indonesia")                                       \
	C('I', 'E', "IRL", 372, "Ireland")                                         \
	C('I', 'L', "ISR", 376, "Israel")                                          \
	C('I', 'M', "IMN", 833, "Isle of Man")                                     \
	C('I', 'N', "IND", 356, "India")                                           \
	C('I', 'O', "IOT",  86, "British Indian Ocean Territory")                  \
	C('I', 'Q', "IRQ", 368, "Iraq")                                            \
	C('I', 'R', "IRN", 364, "Iran")                                            \
	C('I', 'S', "ISL", 352, "Iceland")                                         \
	C('I', 'T', "ITA", 380, "Italy")                                           \
	C('J', 'E', "JEY", 832, "Jersey")                                          \
	C('J', 'M', "JAM", 388, "Jamaica")                                         \
	C('J', 'O', "JOR", 400, "Jordan")                                          \
	C('J', 'P', "JPN", 392, "Japan")                                           \
	C('K', 'E', "KEN", 404, "Kenya")                                           \
	C('K', 'G', "KGZ", 417, "Kyrgyzstan")                                      \
	C('K', 'H', "KHM", 116, "Cambodia")                                        \
	C('K', 'I', "KIR", 296, "Kiribati")                                        \
	C('K', 'M', "COM", 174, "Comoros")                                         \
	C('K', 'N', "KNA", 659, "Saint Kitts and Nevis")                           \
	C('K', 'P', "PRK", 408, "North Korea")                                     \
	C('K', 'R', "KOR", 410, "South Korea")                                     \
	C('K', 'W', "KWT", 414, "Kuwait")                                          \
	C('K', 'Y', "CYM", 136, "Cayman Islands")                                  \
	C('K', 'Z', "KAZ", 398, "Kazakhstan")                                      \
	C('L', 'A', "LAO", 418, "Laos")                                            \
	C('L', 'B', "LBN", 422, "Lebanon")                                         \
	C('L', 'C', "LCA", 662, "Saint Lucia")                                     \
	C('L', 'I', "LIE", 438, "Liechtenstein")                                   \
	C('L', 'K', "LKA", 144, "Sri Lanka")                                       \
	C('L', 'R', "LBR", 430, "Liberia")                                         \
	C('L', 'S', "LSO", 426, "Lesotho")                                         \
	C('L', 'T', "LTU", 440, "Lithuania")                                       \
	C('L', 'U', "LUX", 442, "Luxembourg")                                      \
	C('L', 'V', "LVA", 428, "Latvia")                                          \
	C('L', 'Y', "LBY", 434, "Libya")                                           \
	C('M', 'A', "MAR", 504, "Morocco")                                         \
	C('M', 'C', "MCO", 492, "Monaco")                                          \
	C('M', 'D', "MDA", 498, "Moldova")                                         \
	C('M', 'E', "MNE", 499, "Montenegro")                                      \
	C('M', 'F', "MAF", 663, "Saint Martin")                                    \
	C('M', 'G', "MDG", 450, "Madagascar")                                      \
	C('M', 'H', "MHL", 584, "Marshall Islands")                                \
	C('M', 'K', "MKD", 807, "North Macedonia")                                 \
	C('M', 'L', "MLI", 466, "Mali")                                            \
	C('M', 'M', "MMR", 104, "Myanmar")                                         \
	C('M', 'N', "MNG", 496, "Mongolia")                                        \
	C('M', 'O', "MAC", 446, "Macao")                                           \
	C('M', 'P', "MNP", 580, "Northern Mariana Islands")                        \
	C('M', 'Q', "MTQ", 474, "Martinique")                                      \
	C('M', 'R', "MRT", 478, "Mauritania")                                      \
	C('M', 'S', "MSR", 500, "Montserrat")                                      \
	C('M', 'T', "MLT", 470, "Malta")                                           \
	C('M', 'U', "MUS", 480, "Mauritius")                                       \
	C('M', 'V', "MDV", 462, "Maldives")                                        \
	C('M', 'W', "MWI", 454, "Malawi")                                          \
	C('M', 'X', "MEX", 484, "Mexico")                                          \
	C('M', 'Y', "MYS", 458, "Malaysia")                                        \
	C('M', 'Z', "MOZ", 508, "Mozambique")                                      \
	C('N', 'A', "NAM", 516, "Namibia")                                         \
	C('N', 'C', "NCL", 540, "New Caledonia")                                   \
	C('N', 'E', "NER", 562, "Niger")                                           \
	C('N', 'F', "NFK", 574, "Norfolk Island")                                  \
	C('N', 'G', "NGA", 566, "Nigeria")                                         \
	C('N', 'I', "NIC", 558, "Nicaragua")                                       \
	C('N', 'L', "NLD", 528, "Netherlands")                                     \
	C('N', 'O', "NOR", 578, "Norway")                                          \
	C('N', 'P', "NPL", 524, "Nepal")                                           \
	C('N', 'R', "NRU", 520, "Nauru")                                           \
	C('N', 'U', "NIU", 570, "Niue")                                            \
	C('N', 'Z', "NZL", 554, "New Zealand")                                     \
	C('O', 'M', "OMN", 512, "Oman")                                            \
	C('P', 'A', "PAN", 591, "Panama")                                          \
	C('P', 'E', "PER", 604, "Peru")                                            \
	C('P', 'F', "PYF", 258, "French Polynesia")                                \
	C('P', 'G', "PNG", 598, "Papua New Guinea")                                \
	C('P', 'H', "PHL", 608, "Philippines")                                     \
	C('P', 'K', "PAK", 586, "Pakistan")                                        \
	C('P', 'L', "POL", 616, "Poland")                                          \
	C('P', 'M', "SPM", 666, "Saint Pierre and Miquelon")                       \
	C('P', 'N', "PCN", 612, "Pitcairn Islands")                                \
	C('P', 'R', "PRI", 630, "Puerto Rico")                                     \
	C('P', 'S', "PSE", 275, "Palestine")                                       \
	C('P', 'T', "PRT", 620, "Portugal")                                        \
	C('P', 'W', "PLW", 585, "Palau")                                           \
	C('P', 'Y', "PRY", 600, "Paraguay")                                        \
	C('Q', 'A', "QAT", 634, "Qatar")                                           \
	C('R', 'E', "REU", 638, "Réunion")                                         \
	C('R', 'O', "ROU", 642, "Romania")                                         \
	C('R', 'S', "SRB", 688, "Serbia")                                          \
	C('R', 'U', "RUS", 643, "Russia")                                          \
	C('R', 'W', "RWA", 646, "Rwanda")                                          \
	C('S', 'A', "SAU", 682, "Saudi Arabia")                                    \
	C('S', 'B', "SLB",  90, "Solomon Islands")                                 \
	C('S', 'C', "SYC", 690, "Seychelles")                                      \
	C('S', 'D', "SDN", 729, "Sudan")                                           \
	C('S', 'E', "SWE", 752, "Sweden")                                          \
	C('S', 'G', "SGP", 702, "Singapore")                                       \
	C('S', 'H', "SHN", 654, "Saint Helena")                                    \
	C('S', 'I', "SVN", 705, "Slovenia")                                        \
	C('S', 'J', "SJM", 744, "Svalbard and Jan Mayen")                          \
	C('S', 'K', "SVK", 703, "Slovakia")                                        \
	C('S', 'L', "SLE", 694, "Sierra Leone")                                    \
	C('S', 'M', "SMR", 674, "San Marino")                                      \
	C('S', 'N', "SEN", 686, "Senegal")                                         \
	C('S', 'O', "SOM", 706, "Somalia")                                         \
	C('S', 'R', "SUR", 740, "Suriname")                                        \
	C('S', 'S', "SSD", 728, "South Sudan")                                     \
	C('S', 'T', "STP", 678, "São Tomé and Príncipe")                           \
	C('S', 'V', "SLV", 222, "El Salvador")                                     \
	C('S', 'X', "SXM", 534, "Sint Maarten")                                    \
	C('S', 'Y', "SYR", 760, "Syria")                                           \
	C('S', 'Z', "SWZ", 748, "Eswatini")                                        \
	C('T', 'C', "TCA", 796, "Turks and Caicos Islands")                        \
	C('T', 'D', "TCD", 148, "Chad")                                            \
	C('T', 'F', "ATF", 260, "French Southern Territories")                     \
	C('T', 'G', "TGO", 768, "Togo")                                            \
	C('T', 'H', "THA", 764, "Thailand")                                        \
	C('T', 'J', "TJK", 762, "Tajikistan")                                      \
	C('T', 'K', "TKL", 772, "Tokelau")                                         \
	C('T', 'L', "TLS", 626, "Timor-Leste")                                     \
	C('T', 'M', "TKM", 795, "Turkmenistan")                                    \
	C('T', 'N', "TUN", 788, "Tunisia")                                         \
	C('T', 'O', "TON", 776, "Tonga")                                           \
	C('T', 'R', "TUR", 792, "Türkiye")                                         \
	C('T', 'T', "TTO", 780, "Trinidad and Tobago")                             \
	C('T', 'V', "TUV", 798, "Tuvalu")                                          \
	C('T', 'W', "TWN", 158, "Taiwan")                                          \
	C('T', 'Z', "TZA", 834, "Tanzania")                                        \
	C('U', 'A', "UKR", 804, "Ukraine")                                         \
	C('U', 'G', "UGA", 800, "Uganda")                                          \
	C('U', 'M', "UMI", 581, "United States Minor Outlying Islands")            \
	C('U', 'S', "USA", 840, "United States")                                   \
	C('U', 'Y', "URY", 858, "Uruguay")                                         \
	C('U', 'Z', "UZB", 860, "Uzbekistan")                                      \
	C('V', 'A', "VAT", 336, "Vatican City")                                    \
	C('V', 'C', "VCT", 670, "Saint Vincent and the Grenadines")                \
	C('V', 'E', "VEN", 862, "Venezuela")                                       \
	C('V', 'G', "VGB",  92, "British Virgin Islands")                          \
	C('V', 'I', "VIR", 850, "U.S. Virgin Islands")                             \
	C('V', 'N', "VNM", 704, "Vietnam")                                         \
	C('V', 'U', "VUT", 548, "Vanuatu")                                         \
	C('W', 'F', "WLF", 876, "Wallis and Futuna")                               \
	C('W', 'S', "WSM", 882, "Samoa")                                           \
	C('Y', 'E', "YEM", 887, "Yemen")                                           \
	C('Y', 'T', "MYT", 175, "Mayotte")                                         \
	C('Z', 'A', "ZAF", 710, "South Africa")                                    \
	C('Z', 'M', "ZMB", 894, "Zambia")                                          \
	C('Z', 'W', "ZWE", 716, "Zimbabwe")                                        \
	C('E', 'U', NULL,   0, "European Union")                                   \
	C('A', 'P', NULL,   0, "Asia/Pacific Region")                              \
	C('X', 'K', "XKX",   0, "Kosovo")                                          \
	C('Z', 'Z', NULL,   0, "Unknown")

struct country {
	const char *alpha3;
	const char *name;
	unsigned short numeric;
};

#define C_ENTRY(a, b, a3, num, n) [CC_INDEX(a, b)] = { a3, n, num },
static const struct country by_code[26 * 26] = { COUNTRIES(C_ENTRY) };

#define C_CODE(a, b, a3, num, n) { a, b, '\0' },
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

unsigned country_numeric(const char *cc)
{
	const struct country *c = cc != NULL ? by_alpha2(cc, strnlen(cc, 3)) : NULL;

	return c != NULL ? c->numeric : 0;
}

/* A scan of the table: only the world map's build asks, a few hundred
 * times, so an index would cost more than it saves. */
int country_from_numeric(unsigned numeric, char out[3])
{
	size_t i;

	if (numeric == 0)
		return -1;
	for (i = 0; i < NCODES; i++)
		if (by_code[CC_INDEX(codes[i][0], codes[i][1])].numeric == numeric) {
			memcpy(out, codes[i], 3);
			return 0;
		}
	return -1;
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
