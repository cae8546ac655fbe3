/*
 * classify.c - network type from special-use, feeds, anycast prefixes,
 * curated ASNs and, last, words in the organisation name.
 *
 * Curated ASNs live in one array sorted by ASN with the numbers kept
 * apart in their own array, so the binary search touches a few cache
 * lines and no strings.  Anycast prefixes are few (dozens): each is
 * parsed once into a masked 128-bit value and a lookup is a scan of
 * mask-and-compare with no parsing.  The name rules tokenise the name
 * into a fixed array on the stack and compare words in place; nothing
 * is allocated per call.
 */
#include <errno.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify_int.h"
#include "csvread.h"
#include "util.h"

#define NITEMS(a) (sizeof(a) / sizeof((a)[0]))

/* Bounds on the data files: a longer record or more fields is a broken
 * file, not data, and the reader stops there. */
#define CSV_MAX_FIELDS 32
#define CSV_MAX_RECORD 4096

/* The name rules look at the first ORG_MAX_WORDS words of the first
 * ORG_MAX_BYTES bytes: real organisation names are far shorter, and the
 * bound keeps the work per call fixed whatever the input. */
#define ORG_MAX_WORDS 64
#define ORG_MAX_BYTES 1024

/* The third-party lists, in the order their bits are numbered, with the
 * format each is read in and the type its rows mean. */
const struct list_file classify_list_files[LIST_COUNT] = {
	{ { "x4bnet datacenter list", "x4bnet-datacenter-ASN.txt", "MIT",
	    "X4BNet/lists_vpn input/datacenter/ASN.txt @167937a76d424a1a176eccda7d929e40cedd6b40",
	    "2026-08-22", 0, "ASNs" }, ASNLIST_X4BNET, NT_HOSTING },
	{ { "x4bnet vpn list", "x4bnet-vpn-ASN.txt", "MIT",
	    "X4BNet/lists_vpn input/vpn/ASN.txt @167937a76d424a1a176eccda7d929e40cedd6b40",
	    "2026-08-22", 0, "ASNs" }, ASNLIST_X4BNET, NT_VPN },
	{ { "bad-asn-list", "bad-asn-list.csv", "MIT",
	    "brianhama/bad-asn-list bad-asn-list.csv @cac788be6fa162cc5eefc4658d42c5a73035da2c",
	    "2026-03-18", 0, "ASNs" }, ASNLIST_BADASN, NT_HOSTING },
};

/* The third-party range list, read with the ASN lists; its rows mean
 * hosting.  client9/ipcat's datacenters.csv last changed at 331b6e21
 * (2019-02-20); the commit named is the repository's head then. */
const struct classify_list_info classify_range_file = {
	"ipcat datacenter ranges", "ipcat-datacenters.csv", "MIT",
	"client9/ipcat datacenters.csv @a26c906069861bcfb9d63372ccdb92941eb80d78",
	"2019-02-20", 0, "ranges"
};
#define RANGE_BASIS "ipcat datacenter ranges of 2019-02-20"

/* Basis strings for every set of lists naming one ASN (bit i = list i). */
static const char *const list_basis[1u << LIST_COUNT] = {
	"", "x4bnet datacenter list", "x4bnet vpn list",
	"x4bnet datacenter and vpn lists", "bad-asn-list",
	"x4bnet datacenter list, bad-asn-list", "x4bnet vpn list, bad-asn-list",
	"x4bnet datacenter and vpn lists, bad-asn-list"
};

/* Name rules cost about a microsecond; a list of millions of addresses
 * holds far fewer organisations, so remember the answer per name, in a
 * slot chosen by the name's hash; a collision just costs a new match.
 * The table starts small and doubles as it fills: a list of ten
 * thousand addresses meets a few thousand names, and each page of a
 * table made at its largest is a page fault when first touched.
 *
 * Readers take no lock: every thread of a bulk lookup types answers, and
 * two threads taking one lock twice a name were a tenth of a million-line
 * lookup.  A slot is written once, its len last (release), so a reader
 * that sees len sees the rest; a table that grows is replaced whole and
 * the old one kept (retired) until the classifier goes, as readers may
 * still be in it. */
#define MEMO_FIRST_SLOTS 4096
#define MEMO_MAX_SLOTS 131072
struct memo_slot {
	uint64_t hash;
	const struct name_rule *rule;
	_Atomic uint32_t len;       /* length + 1 of the text; 0: empty slot */
};
struct name_memo {
	size_t nslots;              /* a power of two */
	size_t used;                /* slots not empty (written under the lock) */
	struct name_memo *retired;  /* the table this one replaced */
	struct memo_slot slot[];
};

static const char *const type_names[NT_COUNT] = {
	"unknown", "hosting", "vpn", "tor", "cdn", "mobile", "isp", "edu",
	"gov", "enterprise", "special-use"
};

static const char *const type_labels[NT_COUNT] = {
	"unknown", "cloud/hosting", "VPN", "Tor exit", "CDN/anycast",
	"mobile ISP", "fixed/residential ISP", "education/research",
	"government", "enterprise", "special-use"
};

const char *net_type_name(enum net_type t)
{
	if ((unsigned)t >= NT_COUNT)
		return type_names[NT_UNKNOWN];
	return type_names[t];
}

const char *net_type_label(enum net_type t)
{
	if ((unsigned)t >= NT_COUNT)
		return type_labels[NT_UNKNOWN];
	return type_labels[t];
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* s[0..len) equals the lower-case NUL-terminated word w, ignoring ASCII
 * case. */
static int eq_word(const char *s, size_t len, const char *w)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (w[i] == '\0' || lower((unsigned char)s[i]) != w[i])
			return 0;
	return w[len] == '\0';
}

int net_type_parse(const char *s, size_t len, enum net_type *out)
{
	size_t i;

	if (s == NULL || len == 0)
		return -1;
	for (i = 0; i < NT_COUNT; i++) {
		/* The first byte rules out all names but one or two. */
		if (lower((unsigned char)s[0]) == type_names[i][0] &&
		    eq_word(s, len, type_names[i])) {
			*out = (enum net_type)i;
			return 0;
		}
	}
	/* Feeds and people say "anycast" and "special" for these. */
	if (eq_word(s, len, "anycast")) {
		*out = NT_CDN;
		return 0;
	}
	if (eq_word(s, len, "special")) {
		*out = NT_SPECIAL;
		return 0;
	}
	return -1;
}

static const char *const tier_names[TIER_COUNT] = {
	"none", "special-use", "provider", "curated", "list", "name-rule"
};
static const char *const tier_labels[TIER_COUNT] = {
	"no evidence", "special-use registry", "provider ranges", "curated",
	"third-party lists", "name rules"
};

const char *type_tier_name(enum type_tier t)
{
	return (unsigned)t < TIER_COUNT ? tier_names[t] : "none";
}

const char *type_tier_label(enum type_tier t)
{
	return (unsigned)t < TIER_COUNT ? tier_labels[t] : "no evidence";
}

const char *confidence_name(enum confidence c)
{
	static const char *const names[] = { "none", "low", "medium", "high" };

	if ((unsigned)c >= NITEMS(names))
		return names[0];
	return names[c];
}

/* ------------------------------------------------------------------ */
/* Name rules                                                          */
/* ------------------------------------------------------------------ */

/*
 * A rule is a phrase of lower-case words separated by single spaces.  It
 * matches when the same words appear consecutively in the name, whole
 * words only, ASCII case ignored.  Words are runs of ASCII letters and
 * digits and of bytes >= 0x80, so the boundary never falls inside a
 * UTF-8 character: "Hostelworld" and "Ghost" are single words and do not
 * contain the word "host"; "T-Mobile" is the words "t" and "mobile".
 *
 * RULE_SUFFIX lets the last word of the phrase be the tail of a longer
 * word: VPN brands glue the word on ("NordVPN"), and no English word
 * ends in "vpn"; VPS sellers do the same ("SteamVPS", "BlueVPS"), and
 * no word ends in "vps"; carriers glue "telecom" on ("AZERTELECOM",
 * "Iskratelecom": 334 holder names of the embedded data, none of them
 * a curated hoster, VPN, Tor or CDN network).  No other rule may use
 * it: "ghosting" ends in "hosting", "observer" in "server".
 *
 * RULE_PREFIX lets the last word of the phrase be the head of a longer
 * word: "VpsQuan", "VPSTTT", and the hosters that put "host" first
 * ("HostSlim", "HOSTSHIELD", "Hostcenter").  A word that begins with
 * one of prefix_not[] ("Hostelworld", "Hostess") is not a match.
 */
#define RULE_SUFFIX 0x1u
#define RULE_PREFIX 0x4u
/* RULE_WEAK: a word hosting firms use in their names as often as
 * carriers do ("GloboTech Communications", "Hydra Communications"); it
 * types a holder no list knows, but does not overrule a list. */
#define RULE_WEAK 0x2u

struct name_rule {
	const char *phrase;
	enum net_type type;
	enum confidence conf;
	unsigned flags;
};

/*
 * The table is in priority order: the match with the highest confidence
 * wins, and among equal confidence the one listed first.  So education
 * outranks hosting ("University Data Center" is the university's), and
 * in the low tier hosting, VPN, mobile and government come before the
 * generic carrier words ("China Mobile Communications" is mobile, "IDC,
 * China Telecommunications" is the carrier's data centre).
 */
static const struct name_rule rules[] = {
	/* Education and research: these words name the institution itself,
	 * in the languages most seen in registry names. */
	{ "university", NT_EDU, CONF_MEDIUM, 0 },
	{ "universidad", NT_EDU, CONF_MEDIUM, 0 },
	{ "universidade", NT_EDU, CONF_MEDIUM, 0 },
	{ "universite", NT_EDU, CONF_MEDIUM, 0 },
	{ "universitaet", NT_EDU, CONF_MEDIUM, 0 },
	{ "universitat", NT_EDU, CONF_MEDIUM, 0 },
	{ "universita", NT_EDU, CONF_MEDIUM, 0 },
	{ "universiteit", NT_EDU, CONF_MEDIUM, 0 },
	{ "uniwersytet", NT_EDU, CONF_MEDIUM, 0 },   /* Polish */
	{ "fachhochschule", NT_EDU, CONF_MEDIUM, 0 }, /* German: university of applied sciences */
	{ "college", NT_EDU, CONF_MEDIUM, 0 },
	{ "polytechnic", NT_EDU, CONF_MEDIUM, 0 },
	{ "institute of technology", NT_EDU, CONF_MEDIUM, 0 },
	{ "research network", NT_EDU, CONF_MEDIUM, 0 },
	{ "academic network", NT_EDU, CONF_MEDIUM, 0 },
	{ "education", NT_EDU, CONF_MEDIUM, 0 },
	{ "educational", NT_EDU, CONF_MEDIUM, 0 },
	{ "school district", NT_EDU, CONF_MEDIUM, 0 },

	/* Hosting, strong words: a business that calls itself this rents
	 * out machines or rack space. */
	{ "hosting", NT_HOSTING, CONF_MEDIUM, 0 },
	{ "webhosting", NT_HOSTING, CONF_MEDIUM, 0 },
	{ "datacenter", NT_HOSTING, CONF_MEDIUM, 0 },
	{ "datacenters", NT_HOSTING, CONF_MEDIUM, 0 },
	{ "datacentre", NT_HOSTING, CONF_MEDIUM, 0 },
	{ "data center", NT_HOSTING, CONF_MEDIUM, 0 },
	{ "data centers", NT_HOSTING, CONF_MEDIUM, 0 },
	{ "data centre", NT_HOSTING, CONF_MEDIUM, 0 },
	{ "data centres", NT_HOSTING, CONF_MEDIUM, 0 },
	{ "vps", NT_HOSTING, CONF_MEDIUM, RULE_PREFIX | RULE_SUFFIX },
	{ "vserver", NT_HOSTING, CONF_MEDIUM, 0 },   /* virtual server */
	{ "vservers", NT_HOSTING, CONF_MEDIUM, 0 },
	{ "veri merkezi", NT_HOSTING, CONF_MEDIUM, 0 }, /* Turkish: data centre */
	{ "colocation", NT_HOSTING, CONF_MEDIUM, 0 },
	{ "co location", NT_HOSTING, CONF_MEDIUM, 0 },
	{ "dedicated server", NT_HOSTING, CONF_MEDIUM, 0 },
	{ "dedicated servers", NT_HOSTING, CONF_MEDIUM, 0 },

	/* VPN: providers name themselves for it; "VPN" alone may also be a
	 * business VPN service, hence medium, not high. */
	{ "vpn", NT_VPN, CONF_MEDIUM, RULE_SUFFIX },
	{ "virtual private network", NT_VPN, CONF_MEDIUM, 0 },

	/* Hosting, weak words: common in hosting names but also in
	 * software, consulting and telecom names. */
	{ "idc", NT_HOSTING, CONF_LOW, 0 },     /* "Internet data center" */
	{ "vds", NT_HOSTING, CONF_LOW, 0 },     /* virtual dedicated server */
	{ "hoster", NT_HOSTING, CONF_LOW, 0 },
	{ "cloud", NT_HOSTING, CONF_LOW, 0 },
	{ "host", NT_HOSTING, CONF_LOW, RULE_PREFIX },
	{ "server", NT_HOSTING, CONF_LOW, 0 },
	{ "servers", NT_HOSTING, CONF_LOW, 0 },
	{ "colo", NT_HOSTING, CONF_LOW, 0 },
	{ "dedicated", NT_HOSTING, CONF_LOW, 0 },

	/* Mobile: low, because most mobile carriers also sell fixed lines
	 * and "wireless" is also fixed wireless. */
	{ "mobile", NT_MOBILE, CONF_LOW, 0 },
	{ "wireless", NT_MOBILE, CONF_LOW, 0 },
	{ "cellular", NT_MOBILE, CONF_LOW, 0 },
	{ "gsm", NT_MOBILE, CONF_LOW, 0 },

	/* Government: low, because agencies are rarely named plainly and
	 * these words also appear in private names (see the vetoes). */
	{ "ministry", NT_GOV, CONF_LOW, 0 },
	{ "government", NT_GOV, CONF_LOW, 0 },
	{ "federal", NT_GOV, CONF_LOW, 0 },
	{ "national agency", NT_GOV, CONF_LOW, 0 },
	{ "department of", NT_GOV, CONF_LOW, 0 },
	{ "city of", NT_GOV, CONF_LOW, 0 },
	{ "county of", NT_GOV, CONF_LOW, 0 },
	{ "town of", NT_GOV, CONF_LOW, 0 },
	{ "municipality", NT_GOV, CONF_LOW, 0 },

	/* Fixed ISP: the generic carrier words.  Low: a carrier name says
	 * nothing about whether a block serves homes, businesses or its
	 * own data centres. */
	{ "fixed wireless", NT_ISP, CONF_LOW, 0 },
	{ "telecom", NT_ISP, CONF_LOW, RULE_SUFFIX },
	{ "telecoms", NT_ISP, CONF_LOW, 0 },
	{ "telecommunication", NT_ISP, CONF_LOW, 0 },
	{ "telecommunications", NT_ISP, CONF_LOW, 0 },
	{ "telekom", NT_ISP, CONF_LOW, 0 },
	{ "telekomunikasi", NT_ISP, CONF_LOW, 0 },
	{ "telekomunikacja", NT_ISP, CONF_LOW, 0 },   /* Polish */
	{ "telekomunikasyon", NT_ISP, CONF_LOW, RULE_WEAK }, /* Turkish; hosters use it too */
	{ "telecomunicaciones", NT_ISP, CONF_LOW, 0 },
	{ "telecomunicacoes", NT_ISP, CONF_LOW, 0 },
	{ "telecomunicacao", NT_ISP, CONF_LOW, 0 },
	{ "provedor", NT_ISP, CONF_LOW, 0 },   /* Portuguese: (internet) provider */
	{ "telecomunicazioni", NT_ISP, CONF_LOW, 0 },
	{ "telephone", NT_ISP, CONF_LOW, 0 },
	{ "broadband", NT_ISP, CONF_LOW, 0 },
	{ "cable", NT_ISP, CONF_LOW, 0 },
	{ "internet service", NT_ISP, CONF_LOW, 0 },
	{ "internet services", NT_ISP, CONF_LOW, 0 },
	{ "internet provider", NT_ISP, CONF_LOW, 0 },
	{ "communications", NT_ISP, CONF_LOW, RULE_WEAK },
	{ "fiber", NT_ISP, CONF_LOW, 0 },
	{ "fibre", NT_ISP, CONF_LOW, 0 },
	{ "isp", NT_ISP, CONF_LOW, 0 },
	{ "dsl", NT_ISP, CONF_LOW, 0 },
	/* Utilities and co-operatives that sell fibre to homes (in the US
	 * electric co-ops and municipal utilities, in Germany the
	 * Stadtwerke); also the Nordic word for broadband.  Many hold
	 * blocks that datacenters held before (see classify_by_range). */
	{ "electric cooperative", NT_ISP, CONF_LOW, 0 },
	{ "electric membership", NT_ISP, CONF_LOW, 0 },
	{ "municipal utilities", NT_ISP, CONF_LOW, 0 },
	{ "stadtwerke", NT_ISP, CONF_LOW, 0 },
	{ "bredband", NT_ISP, CONF_LOW, 0 },
	{ "fibernet", NT_ISP, CONF_LOW, 0 },
};

#define TBIT(t) (1u << (t))

/*
 * A veto phrase anywhere in the name switches off every rule of the
 * types it blocks.  These are the known ways the words above mislead.
 */
struct name_veto {
	const char *phrase;
	unsigned blocks;
};

static const struct name_veto vetoes[] = {
	/* Hospitality: hotels and event venues "host" guests. */
	{ "hotel", TBIT(NT_HOSTING) },
	{ "hotels", TBIT(NT_HOSTING) },
	{ "motel", TBIT(NT_HOSTING) },
	{ "hostel", TBIT(NT_HOSTING) },
	{ "hostels", TBIT(NT_HOSTING) },
	{ "inn", TBIT(NT_HOSTING) },
	{ "hospitality", TBIT(NT_HOSTING) },
	{ "resort", TBIT(NT_HOSTING) },
	{ "resorts", TBIT(NT_HOSTING) },
	{ "casino", TBIT(NT_HOSTING) },
	{ "restaurant", TBIT(NT_HOSTING) },
	{ "restaurants", TBIT(NT_HOSTING) },
	{ "catering", TBIT(NT_HOSTING) },
	{ "event", TBIT(NT_HOSTING) },
	{ "events", TBIT(NT_HOSTING) },
	{ "banquet", TBIT(NT_HOSTING) },
	{ "wedding", TBIT(NT_HOSTING) },
	{ "weddings", TBIT(NT_HOSTING) },
	{ "guest", TBIT(NT_HOSTING) },
	{ "guests", TBIT(NT_HOSTING) },
	/* Private firms with "federal" in the name: Federal Express, Navy
	 * Federal Credit Union, federal savings banks and insurers. */
	{ "express", TBIT(NT_GOV) },
	{ "bank", TBIT(NT_GOV) },
	{ "savings", TBIT(NT_GOV) },
	{ "insurance", TBIT(NT_GOV) },
	{ "credit union", TBIT(NT_GOV) | TBIT(NT_EDU) },
	/* Cable & Wireless is a fixed carrier; fixed wireless is not
	 * mobile; mobile homes and the city of Mobile, Alabama are not
	 * carriers at all. */
	{ "cable wireless", TBIT(NT_MOBILE) },
	{ "fixed wireless", TBIT(NT_MOBILE) },
	{ "mobile home", TBIT(NT_MOBILE) },
	{ "mobile homes", TBIT(NT_MOBILE) },
	{ "city of mobile", TBIT(NT_MOBILE) },
};

struct word {
	const char *p;
	size_t len;
};

/* Heads of words that begin like a RULE_PREFIX phrase but are not it:
 * hostels, hostesses, hostility, hostages, and the surname Hostetler
 * (the law firm Baker & Hostetler holds an ASN). */
static const char *const prefix_not[] = {
	"hostel", "hostess", "hostil", "hostag", "hostetler",
};

/* Does word cur begin with the lower-case word w (length wlen, w[wlen]
 * its NUL)? */
static int head_is(const struct word *cur, const char *w, size_t wlen)
{
	return cur->len >= wlen && eq_word(cur->p, wlen, w);
}

static int prefix_match(const struct word *cur, const char *ph, size_t plen)
{
	size_t i;

	if (!head_is(cur, ph, plen))
		return 0;
	for (i = 0; i < NITEMS(prefix_not); i++)
		if (head_is(cur, prefix_not[i], strlen(prefix_not[i])))
			return 0;
	return 1;
}

static int word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c >= 0x80;
}

/* Split org into words; at most ORG_MAX_WORDS of them. */
static size_t split_words(const char *org, struct word *w)
{
	size_t n = 0, i = 0, start;

	while (i < ORG_MAX_BYTES && org[i] != '\0' && n < ORG_MAX_WORDS) {
		if (!word_byte((unsigned char)org[i])) {
			i++;
			continue;
		}
		start = i;
		while (i < ORG_MAX_BYTES && org[i] != '\0' &&
		    word_byte((unsigned char)org[i]))
			i++;
		w[n].p = org + start;
		w[n].len = i - start;
		n++;
	}
	return n;
}

/* s[0..n) is the lower-case ph[0..n), ASCII case ignored. */
static int same_lower(const char *s, const char *ph, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (lower((unsigned char)s[i]) != ph[i])
			return 0;
	return 1;
}

/* Does word cur match the phrase word ph[0..plen)?  When it is the
 * phrase's last word, a RULE_SUFFIX or RULE_PREFIX rule also takes the
 * tail or the head of a longer word. */
static int word_is(const struct word *cur, const char *ph, size_t plen,
                   int last, unsigned flags)
{
	if (last && (flags & (RULE_SUFFIX | RULE_PREFIX)) && cur->len > plen) {
		if ((flags & RULE_SUFFIX) &&
		    same_lower(cur->p + cur->len - plen, ph, plen))
			return 1;
		return (flags & RULE_PREFIX) && prefix_match(cur, ph, plen);
	}
	return cur->len == plen && same_lower(cur->p, ph, plen);
}

/* Does the phrase match the words starting at w[at]? */
static int phrase_at(const char *phrase, unsigned flags,
                     const struct word *w, size_t n, size_t at)
{
	const char *ph = phrase;

	for (;; at++) {
		size_t plen = 0;

		if (at >= n)
			return 0;
		/* Most words already differ in the first byte: reject them
		 * before measuring the phrase word. */
		if (!(flags & RULE_SUFFIX) &&
		    lower((unsigned char)w[at].p[0]) != ph[0])
			return 0;
		while (ph[plen] != '\0' && ph[plen] != ' ')
			plen++;
		if (!word_is(&w[at], ph, plen, ph[plen] == '\0', flags))
			return 0;
		if (ph[plen] == '\0')
			return 1;
		ph += plen + 1;
	}
}

/*
 * The phrases indexed by their first word, so that a name is matched by
 * looking each of its words up once instead of trying every phrase at
 * every word (a bulk lookup matches tens of thousands of names).  Built
 * once; rules whose word may be glued to others ("NordVPN", "HostSlim")
 * cannot be found by a whole word and are tried against each word; those
 * of one word (all of them so far) without walking the phrase.
 */
#define PIDX_SLOTS 512           /* a power of two, over twice the phrases */
#define PIDX_WORD_MAX 32         /* longer words start no phrase */

struct pidx_ent {
	uint64_t hash;               /* of the lower-case first word */
	uint16_t len;                /* its length */
	int16_t next;                /* next entry in the slot, or -1 */
	uint16_t item;               /* index in rules[] or vetoes[] */
	uint8_t is_veto;
};

static struct {
	struct pidx_ent ent[NITEMS(rules) + NITEMS(vetoes)];
	int16_t slot[PIDX_SLOTS];    /* first entry, or -1 */
	struct {
		uint16_t item;           /* index in rules[] */
		uint16_t len;            /* the phrase's length if one word, else 0 */
		char first, last;        /* its first and last byte */
	} glued[NITEMS(rules)];      /* rules tried against each word */
	size_t nglued;
} pidx;
static pthread_once_t pidx_once = PTHREAD_ONCE_INIT;

/* The hash of s[0..len) with ASCII letters lower-cased. */
static uint64_t word_hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ull;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)lower((unsigned char)s[i])) * 1099511628211ull;
	return h ^ len;
}

static void pidx_add(size_t k, const char *phrase, size_t item, int is_veto)
{
	size_t len = strcspn(phrase, " ");
	uint64_t h = word_hash(phrase, len);
	struct pidx_ent *e = &pidx.ent[k];
	size_t slot = (size_t)(h & (PIDX_SLOTS - 1));

	e->hash = h;
	e->len = (uint16_t)len;
	e->item = (uint16_t)item;
	e->is_veto = (uint8_t)is_veto;
	e->next = pidx.slot[slot];
	pidx.slot[slot] = (int16_t)k;
}

static void pidx_build(void)
{
	size_t i, k = 0;

	for (i = 0; i < PIDX_SLOTS; i++)
		pidx.slot[i] = -1;
	for (i = 0; i < NITEMS(vetoes); i++)
		pidx_add(k++, vetoes[i].phrase, i, 1);
	for (i = 0; i < NITEMS(rules); i++) {
		if (rules[i].flags & (RULE_SUFFIX | RULE_PREFIX)) {
			const char *ph = rules[i].phrase;

			pidx.glued[pidx.nglued].item = (uint16_t)i;
			pidx.glued[pidx.nglued].len =
			    strchr(ph, ' ') == NULL ? (uint16_t)strlen(ph) : 0;
			pidx.glued[pidx.nglued].first = ph[0];
			pidx.glued[pidx.nglued++].last = ph[strlen(ph) - 1];
		} else
			pidx_add(k++, rules[i].phrase, i, 0);
	}
}

/* The best rule matching org, or NULL: the rule of highest confidence,
 * the first listed among equals, that no veto in the name blocks. */
static const struct name_rule *match_name(const char *org)
{
	struct word w[ORG_MAX_WORDS];
	unsigned char hit[NITEMS(rules)];
	uint16_t got[NITEMS(rules)];     /* the rules hit, each once */
	const struct name_rule *best = NULL;
	unsigned blocked = 0;
	size_t n, i, j, ngot = 0;

	pthread_once(&pidx_once, pidx_build);
	n = split_words(org, w);
	if (n == 0)
		return NULL;
	memset(hit, 0, sizeof(hit));
	for (i = 0; i < n; i++) {
		char first = (char)lower((unsigned char)w[i].p[0]);
		char last = (char)lower((unsigned char)w[i].p[w[i].len - 1]);
		uint64_t h;
		int16_t k;

		for (j = 0; j < pidx.nglued; j++) {
			size_t item = pidx.glued[j].item, len = pidx.glued[j].len;
			const struct name_rule *r = &rules[item];

			if (hit[item])
				continue;
			/* A one-word rule matches the whole word, its tail or
			 * (RULE_PREFIX) its head: so the word is no shorter and
			 * ends, or begins, as the rule does.  Most words fail
			 * this at once. */
			if (len > 0 && (w[i].len < len ||
			    (last != pidx.glued[j].last &&
			     !((r->flags & RULE_PREFIX) && first == pidx.glued[j].first))))
				continue;
			if (len > 0 ? word_is(&w[i], r->phrase, len, 1, r->flags)
			            : phrase_at(r->phrase, r->flags, w, n, i)) {
				hit[item] = 1;
				got[ngot++] = (uint16_t)item;
			}
		}
		if (w[i].len > PIDX_WORD_MAX)
			continue;
		h = word_hash(w[i].p, w[i].len);
		for (k = pidx.slot[h & (PIDX_SLOTS - 1)]; k >= 0; k = pidx.ent[k].next) {
			const struct pidx_ent *e = &pidx.ent[k];

			if (e->hash != h || e->len != w[i].len)
				continue;
			if (e->is_veto) {
				if (phrase_at(vetoes[e->item].phrase, 0, w, n, i))
					blocked |= vetoes[e->item].blocks;
			} else if (!hit[e->item] &&
			           phrase_at(rules[e->item].phrase, rules[e->item].flags, w, n, i)) {
				hit[e->item] = 1;
				got[ngot++] = e->item;
			}
		}
	}
	/* Highest confidence first, then the rule listed first. */
	for (i = 0; i < ngot; i++) {
		const struct name_rule *r = &rules[got[i]];

		if (blocked & TBIT(r->type))
			continue;
		if (best == NULL || r->conf > best->conf ||
		    (r->conf == best->conf && r < best))
			best = r;
	}
	return best;
}

/* ------------------------------------------------------------------ */
/* Loading                                                             */
/* ------------------------------------------------------------------ */


/* Field text for messages: quoted, cut at 40 bytes. */
#define SHOW_MAX 40
#define SHOW(f) (int)((f)->len < SHOW_MAX ? (f)->len : SHOW_MAX), (f)->p

/*
 * One data file: the columns a loader needs, in its order, and what to
 * do with each row.  row() gets the fields in `cols` order; on error it
 * returns -1 with *why set (a static string or one written into whybuf).
 */
struct csv_spec {
	const char *const *cols;
	size_t ncols;
	int (*row)(void *ctx, const struct csv_field *const *f,
	           unsigned long line, char *whybuf, size_t whylen);
	void *ctx;
};

static int load_csv(const char *path, const struct csv_spec *spec,
                    char *err, size_t errlen)
{
	const struct csv_field *f, *pick[CSV_MAX_FIELDS];
	size_t nf, want = 0, i, j, map[CSV_MAX_FIELDS];
	struct csv_reader *r;
	unsigned long line;
	char *buf, why[160];
	size_t len;
	int st, header = 1, rc = -1;

	if (file_read_all(path, &buf, &len) != 0) {
		errbuf_set(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	r = csv_new(buf, len, ',', CSV_MAX_FIELDS, CSV_MAX_RECORD);
	while ((st = csv_next(r, &f, &nf, &line)) != CSV_EOF) {
		if (st != CSV_RECORD) {
			errbuf_set(err, errlen, "%s:%lu: %s", path, line,
			    csv_strerror(st));
			goto out;
		}
		if (header) {
			/* Columns by name, so the files may grow columns. */
			for (i = 0; i < spec->ncols; i++) {
				for (j = 0; j < nf; j++)
					if (f[j].len == strlen(spec->cols[i]) &&
					    memcmp(f[j].p, spec->cols[i],
					    f[j].len) == 0)
						break;
				if (j == nf) {
					errbuf_set(err, errlen, "%s:%lu: header "
					    "has no column \"%s\"", path, line,
					    spec->cols[i]);
					goto out;
				}
				map[i] = j;
			}
			want = nf;
			header = 0;
			continue;
		}
		if (nf != want) {
			errbuf_set(err, errlen, "%s:%lu: %zu fields, the header "
			    "has %zu", path, line, nf, want);
			goto out;
		}
		for (i = 0; i < spec->ncols; i++)
			pick[i] = &f[map[i]];
		why[0] = '\0';
		if (spec->row(spec->ctx, pick, line, why, sizeof(why)) != 0) {
			errbuf_set(err, errlen, "%s:%lu: %s", path, line, why);
			goto out;
		}
	}
	if (header) {
		errbuf_set(err, errlen, "%s: empty file, no header line", path);
		goto out;
	}
	rc = 0;
out:
	csv_free(r);
	free(buf);
	return rc;
}

/* The type column: a known type that a data file may assign. */
int classify_table_type(unsigned t)
{
	return t < NT_COUNT && t != NT_UNKNOWN && t != NT_SPECIAL;
}

static int row_type(const struct csv_field *f, enum net_type *t,
                    char *why, size_t whylen)
{
	if (net_type_parse(f->p, f->len, t) != 0 || !classify_table_type(*t)) {
		snprintf(why, whylen, "type \"%.*s\" is not one of hosting, "
		    "vpn, tor, cdn, mobile, isp, edu, gov, enterprise",
		    SHOW(f));
		return -1;
	}
	return 0;
}

static int row_nonempty(const struct csv_field *f, const char *col,
                        char *why, size_t whylen)
{
	if (f->len == 0) {
		snprintf(why, whylen, "empty %s", col);
		return -1;
	}
	return 0;
}

struct asn_load {
	uint32_t *asns;
	struct asn_entry *asn;
	size_t n, cap, capn;
	/* Every row's detail, NUL-terminated, in row order: one block
	 * rather than a malloc (and a free) per row. */
	struct buf text;
};

static const char *const asn_cols[] = { "asn", "type", "name", "basis" };

static int asn_row(void *ctx, const struct csv_field *const *f,
                   unsigned long line, char *why, size_t whylen)
{
	struct asn_load *L = ctx;
	struct asn_entry *e;
	enum net_type t;
	uint64_t v;

	if (parse_u64(f[0]->p, f[0]->len, 1, UINT32_MAX, &v) != 0) {
		snprintf(why, whylen, "ASN \"%.*s\" is not a number from 1 "
		    "to 4294967295", SHOW(f[0]));
		return -1;
	}
	if (row_type(f[1], &t, why, whylen) != 0 ||
	    row_nonempty(f[2], "name", why, whylen) != 0 ||
	    row_nonempty(f[3], "basis", why, whylen) != 0)
		return -1;
	L->asns = xgrow(L->asns, &L->capn, L->n + 1, sizeof(*L->asns));
	L->asn = xgrow(L->asn, &L->cap, L->n + 1, sizeof(*L->asn));
	L->asns[L->n] = (uint32_t)v;
	e = &L->asn[L->n++];
	e->type = t;
	e->line = line;
	/* Built by hand: printf per row was a third of the load time, which
	 * every one-address lookup pays.  Pointed to once the block stops
	 * moving (load). */
	e->detail = NULL;
	buf_add(&L->text, f[2]->p, f[2]->len);
	buf_add(&L->text, "; ", 2);
	buf_add0(&L->text, f[3]->p, f[3]->len);
	return 0;
}

struct anycast_load {
	struct anycast_entry *any;
	size_t n, cap;
};

static const char *const anycast_cols[] = {
	"network", "type", "operator", "service", "basis"
};

/* The address as two 64-bit halves; IPv4 sits in the low 32 bits of hi
 * so that the same mask-and-compare serves both families. */
static void addr_halves(const struct ga_addr *a, uint64_t *hi, uint64_t *lo)
{
	int i;

	*hi = 0;
	*lo = 0;
	if (a->family == 4) {
		for (i = 0; i < 4; i++)
			*hi = (*hi << 8) | a->bytes[i];
		return;
	}
	for (i = 0; i < 8; i++)
		*hi = (*hi << 8) | a->bytes[i];
	for (i = 8; i < 16; i++)
		*lo = (*lo << 8) | a->bytes[i];
}

static void prefix_mask(int family, int plen, uint64_t *mhi, uint64_t *mlo)
{
	if (family == 4) {
		*mhi = plen == 0 ? 0 : (0xffffffffu << (32 - plen)) &
		    0xffffffffu;
		*mlo = 0;
		return;
	}
	*mhi = plen == 0 ? 0 : plen >= 64 ? UINT64_MAX :
	    UINT64_MAX << (64 - plen);
	*mlo = plen <= 64 ? 0 : plen == 128 ? UINT64_MAX :
	    UINT64_MAX << (128 - plen);
}

static int anycast_row(void *ctx, const struct csv_field *const *f,
                       unsigned long line, char *why, size_t whylen)
{
	struct anycast_load *L = ctx;
	struct anycast_entry *e;
	struct ga_net net;
	const char *reason;
	char text[NET_TEXT_MAX];
	enum net_type t;

	if (net_parse(f[0]->p, f[0]->len, ADDR_NO_RANGE, &net, &reason) != 0) {
		snprintf(why, whylen, "network \"%.*s\": %s", SHOW(f[0]),
		    reason);
		return -1;
	}
	if (row_type(f[1], &t, why, whylen) != 0 ||
	    row_nonempty(f[2], "operator", why, whylen) != 0 ||
	    row_nonempty(f[3], "service", why, whylen) != 0 ||
	    row_nonempty(f[4], "basis", why, whylen) != 0)
		return -1;
	L->any = xgrow(L->any, &L->cap, L->n + 1, sizeof(*L->any));
	e = &L->any[L->n++];
	e->family = net.lo.family;
	e->plen = net.prefix_len;
	e->type = t;
	e->line = line;
	addr_halves(&net.lo, &e->hi, &e->lo);
	prefix_mask(e->family, e->plen, &e->mhi, &e->mlo);
	{
		/* "OPERATOR: SERVICE (NETWORK)", built without printf for the
		 * same reason as the ASN rows. */
		struct buf b;

		buf_init(&b);
		buf_add(&b, f[2]->p, f[2]->len);
		buf_add(&b, ": ", 2);
		buf_add(&b, f[3]->p, f[3]->len);
		buf_add(&b, " (", 2);
		buf_adds(&b, net_format(&net, text));
		buf_addc(&b, ')');
		e->detail = b.data;
	}
	return 0;
}

/* The numbers and the entries live in two arrays (see the top of the
 * file); they are sorted together through one array of pairs. */
struct asn_pair {
	uint32_t asn;
	struct asn_entry e;
};

static int cmp_pair(const void *a, const void *b)
{
	const struct asn_pair *x = a, *y = b;

	if (x->asn != y->asn)
		return x->asn < y->asn ? -1 : 1;
	/* Equal ASNs stay in file order so the later line is reported. */
	return x->e.line < y->e.line ? -1 : x->e.line > y->e.line;
}

static int sort_asns(struct classifier *c, const char *path,
                     char *err, size_t errlen)
{
	struct asn_pair *p;
	size_t i;
	int rc = 0;

	if (c->nasn == 0)
		return 0;
	/* The file is kept in order (the tests check it): when every number
	 * is above the one before, there is nothing to sort and no repeat. */
	for (i = 1; i < c->nasn && c->asns[i - 1] < c->asns[i]; i++)
		;
	if (i == c->nasn)
		return 0;
	p = xcalloc(c->nasn, sizeof(*p));
	for (i = 0; i < c->nasn; i++) {
		p[i].asn = c->asns[i];
		p[i].e = c->asn[i];
	}
	qsort(p, c->nasn, sizeof(*p), cmp_pair);
	for (i = 0; i < c->nasn; i++) {
		c->asns[i] = p[i].asn;
		c->asn[i] = p[i].e;
		if (rc == 0 && i > 0 && p[i].asn == p[i - 1].asn) {
			errbuf_set(err, errlen, "%s:%lu: AS%lu is listed twice "
			    "(first on line %lu)", path, p[i].e.line,
			    (unsigned long)p[i].asn, p[i - 1].e.line);
			rc = -1;
		}
	}
	free(p);
	return rc;
}

static int same_prefix(const struct anycast_entry *a,
                       const struct anycast_entry *b)
{
	return a->family == b->family && a->plen == b->plen &&
	    a->hi == b->hi && a->lo == b->lo;
}

static struct classifier *load(const char *asn_csv, const char *anycast_csv,
                               int lazy, char *err, size_t errlen);

struct classifier *classify_load_files(const char *asn_csv,
                                       const char *anycast_csv,
                                       char *err, size_t errlen)
{
	return load(asn_csv, anycast_csv, 0, err, errlen);
}

static struct classifier *load(const char *asn_csv, const char *anycast_csv,
                               int lazy, char *err, size_t errlen)
{
	struct classifier *c = xcalloc(1, sizeof(*c));

	pthread_mutex_init(&c->lock, NULL);
	struct asn_load al = { NULL, NULL, 0, 0, 0, { NULL, 0, 0 } };
	struct anycast_load yl = { NULL, 0, 0 };
	struct csv_spec as = { asn_cols, NITEMS(asn_cols), asn_row, &al };
	struct csv_spec ys = { anycast_cols, NITEMS(anycast_cols),
	    anycast_row, &yl };
	size_t i, j;
	int rc;

	c->feeds = xcalloc(1, sizeof(*c->feeds));
	if (lazy) {
		rc = file_map(asn_csv, &c->raw, &c->rawlen);
		if (rc != 0)
			errbuf_set(err, errlen, "%s: %s", asn_csv, strerror(errno));
	} else {
		rc = load_csv(asn_csv, &as, err, errlen);
	}
	/* Hand what was read to c at once, so one free path serves both
	 * success and every failure. */
	c->asns = al.asns;
	c->asn = al.asn;
	c->nasn = al.n;
	c->asn_text = al.text.data;
	if (rc == 0) {
		/* A CSV field holds no NUL, so each detail ends at its own. */
		char *d = c->asn_text;

		for (i = 0; i < c->nasn; d += strlen(d) + 1, i++)
			c->asn[i].detail = d;
	}
	if (rc == 0 && !lazy)
		rc = sort_asns(c, asn_csv, err, errlen);
	if (rc == 0)
		rc = load_csv(anycast_csv, &ys, err, errlen);
	c->any = yl.any;
	c->nany = yl.n;
	for (i = 0; rc == 0 && i < c->nany; i++) {
		for (j = 0; j < i; j++) {
			if (same_prefix(&c->any[i], &c->any[j])) {
				errbuf_set(err, errlen, "%s:%lu: network is "
				    "listed twice (first on line %lu)",
				    anycast_csv, c->any[i].line,
				    c->any[j].line);
				rc = -1;
				break;
			}
		}
	}
	if (rc != 0) {
		classify_free(c);
		return NULL;
	}
	classify_mark_anycast(c);
	return c;
}

/* The first 16 bits of an address, as a number. */
static unsigned first16(const struct ga_addr *a)
{
	return (unsigned)a->bytes[0] << 8 | a->bytes[1];
}

/* Which first 16 bits of an address some anycast prefix covers. */
void classify_mark_anycast(struct classifier *c)
{
	size_t i;

	for (i = 0; i < c->nany; i++) {
		const struct anycast_entry *e = &c->any[i];
		unsigned f = e->family == 6, b, first, n;

		/* IPv4 sits in the low 32 bits of hi (addr_halves). */
		first = f ? (unsigned)(e->hi >> 48) : (unsigned)(e->hi >> 16) & 0xffffu;
		/* A prefix shorter than 16 bits covers 2^(16 - plen) values. */
		n = e->plen >= 16 ? 1u : 1u << (16 - (e->plen > 0 ? e->plen : 0));
		first &= ~(n - 1);
		for (b = first; b < first + n; b++) {
			uint16_t *k = &c->any_first[f][b >> 8];

			if (*k == 0) {
				c->any_second = xrealloc(c->any_second,
				                         (c->nany_second + 1) * sizeof(*c->any_second));
				memset(c->any_second[c->nany_second], 0, sizeof(*c->any_second));
				*k = (uint16_t)++c->nany_second;
			}
			c->any_second[*k - 1][(b & 255) >> 3] |= (uint8_t)(1u << (b & 7));
		}
	}
	c->any_first_ready = 1;
}

/* Read DIR/FILE whole; *path (for messages) and *buf are the caller's
 * to free.  -1 with "PATH: reason" in err when it cannot be read. */
static int read_list(const char *dir, const char *file, char **path, char **buf,
                     size_t *len, char *err, size_t errlen)
{
	*path = xasprintf("%s/%s", dir, file);
	if (file_read_all(*path, buf, len) != 0) {
		errbuf_set(err, errlen, "%s: %s", *path, strerror(errno));
		free(*path);
		return -1;
	}
	return 0;
}

/* Read the third-party lists from dir and merge them into c->lst. */
static int load_lists(struct classifier *c, const char *dir,
                      char *err, size_t errlen)
{
	size_t i;

	for (i = 0; i < LIST_COUNT; i++) {
		char *path, *buf;
		size_t len;
		int rc;

		if (read_list(dir, classify_list_files[i].info.file, &path, &buf, &len, err, errlen) != 0)
			return -1;
		rc = asnlist_parse(classify_list_files[i].format, buf, len, path, &c->lists[i],
		                   err, errlen);
		free(buf);
		free(path);
		if (rc != 0)
			return -1;
		c->list_info[i] = classify_list_files[i].info;
		c->list_info[i].rows = c->lists[i].n;
		c->nlists = (int)i + 1;
	}
	{
		/* The range list, in the same tier. */
		char *path, *buf;
		size_t len;
		int rc;

		if (read_list(dir, classify_range_file.file, &path, &buf, &len, err, errlen) != 0)
			return -1;
		rc = rangelist_parse(buf, len, path, &c->ranges, err, errlen);
		free(buf);
		free(path);
		if (rc != 0)
			return -1;
		c->range_info = classify_range_file;
		c->range_info.rows = c->ranges.n;
		c->has_ranges = 1;
	}
	classify_merge_lists(c);
	return 0;
}

/* Merge the sorted lists into one table. */
void classify_merge_lists(struct classifier *c)
{
	size_t i, idx[LIST_COUNT] = { 0 };

	c->lst = xcalloc(c->lists[0].n + c->lists[1].n + c->lists[2].n + 1,
	                 sizeof(*c->lst));
	for (;;) {
		uint32_t low = UINT32_MAX;
		int any = 0;
		struct list_entry *e;

		for (i = 0; i < LIST_COUNT; i++)
			if (idx[i] < c->lists[i].n && (!any || c->lists[i].v[idx[i]].asn < low)) {
				low = c->lists[i].v[idx[i]].asn;
				any = 1;
			}
		if (!any)
			break;
		e = &c->lst[c->nlst++];
		e->asn = low;
		e->type = NT_HOSTING;
		for (i = 0; i < LIST_COUNT; i++) {
			if (idx[i] < c->lists[i].n && c->lists[i].v[idx[i]].asn == low) {
				e->lists |= 1u << i;
				if (classify_list_files[i].type == NT_VPN)
					e->type = NT_VPN;
				/* The first list with a comment names it. */
				if (e->name == NULL || e->name[0] == '\0')
					e->name = c->lists[i].v[idx[i]].name;
				idx[i]++;
			}
		}
	}
}

static struct classifier *load_dir(const char *dir, int lazy, int use_index,
                                   char *err, size_t errlen)
{
	struct classifier *c;
	char *a, *y;

	if (use_index && (c = classify_load_indexed(dir, lazy)) != NULL)
		return c;
	a = xasprintf("%s/%s", dir, CLASSIFY_ASN_FILE);
	y = xasprintf("%s/%s", dir, CLASSIFY_ANYCAST_FILE);
	c = load(a, y, lazy, err, errlen);
	free(a);
	free(y);
	if (c != NULL && lazy) {
		c->list_dir = xstrdup(dir);
	} else if (c != NULL && load_lists(c, dir, err, errlen) != 0) {
		classify_free(c);
		c = NULL;
	} else if (c != NULL) {
		c->lists_state = 1;
	}
	return c;
}

/* Lazy mode: read the lists on first need.  The build checks them whole
 * (sources --check-types), so a failure here is a damaged install: it is
 * said once and the answers go on without the list tier. */
static void need_lists(const struct classifier *cc)
{
	struct classifier *c = (struct classifier *)cc;
	char err[512];

	if (c->lists_state != 0)
		return;
	pthread_mutex_lock(&c->lock);
	if (c->lists_state == 0) {
		int from_index = c->idx_map != NULL && classify_index_lists(c) == 0;

		if (c->idx_map != NULL && !from_index)
			msg_warn(CLASSIFY_TYPE_INDEX, "its list tables do not check out; reading the "
			         "list files");
		if (from_index) {
			c->lists_state = 1;
		} else if (load_lists(c, c->list_dir, err, sizeof(err)) != 0) {
			msg_warn("classify", "third-party ASN lists not used: %s", err);
			c->lists_state = -1;
		} else {
			c->lists_state = 1;
		}
	}
	pthread_mutex_unlock(&c->lock);
}

struct classifier *classify_load_lazy(const char *dir, char *err, size_t errlen)
{
	return load_dir(dir, 1, 1, err, errlen);
}

struct classifier *classify_load(const char *dir, char *err, size_t errlen)
{
	return load_dir(dir, 0, 1, err, errlen);
}

struct classifier *classify_load_csv(const char *dir, char *err, size_t errlen)
{
	return load_dir(dir, 0, 0, err, errlen);
}

int classify_indexed(const struct classifier *c)
{
	return c != NULL && c->idx_map != NULL;
}

const struct classify_list_info *classify_list(const struct classifier *c, size_t i)
{
	if (c != NULL && c->lists_state == 0)
		need_lists(c);
	if (c == NULL)
		return NULL;
	if (i < (size_t)c->nlists)
		return &c->list_info[i];
	return i == (size_t)c->nlists && c->has_ranges ? &c->range_info : NULL;
}

void classify_free(struct classifier *c)
{
	size_t i;

	if (c == NULL)
		return;
	if (c->feeds != NULL) {
		for (i = 0; i < c->feeds->n; i++) {
			free(c->feeds->basis[i]);
			free(c->feeds->name[i]);
		}
		free(c->feeds);
	}
	for (i = 0; i < c->nany && !c->any_mapped; i++)
		free(c->any[i].detail);
	free(c->any);
	free(c->any_second);
	free(c->asn_text);
	free(c->asn);
	free(c->asns);
	for (i = 0; i < c->nfound; i++) {
		free(c->found[i]->detail);
		free(c->found[i]);
	}
	free(c->found);
	free(c->found_asn);
	file_unmap(c->raw, c->rawlen);
	{
		struct name_memo *m = atomic_load_explicit(&c->memo, memory_order_relaxed), *next;

		for (; m != NULL; m = next) {
			next = m->retired;
			free(m);
		}
	}
	for (i = 0; i < LIST_COUNT; i++)
		asnlist_free(&c->lists[i]);
	free(c->lst);
	rangelist_free(&c->ranges);
	free(c->list_dir);
	file_unmap(c->idx_map, c->idx_len);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

size_t classify_asn_count(const struct classifier *c)
{
	return c == NULL ? 0 : c->nasn;
}

/* ------------------------------------------------------------------ */
/* Lookups                                                             */
/* ------------------------------------------------------------------ */

/* The ASN's row in the sorted text of asn-types.csv, parsed, or NULL.
 * A binary search over the text: the file is sorted by ASN (the tests
 * check it), so a one-address lookup parses a dozen lines, not 600. */
static const struct asn_entry *find_asn_lazy(struct classifier *c, uint32_t asn)
{
	const char *p = c->raw, *end = c->raw + c->rawlen, *lo, *hi, *nl;
	const struct asn_entry *hit = NULL;
	size_t i;

	for (i = 0; i < c->nfound; i++)
		if (c->found_asn[i] == asn)
			return c->found[i];
	nl = memchr(p, '\n', c->rawlen);
	lo = nl != NULL ? nl + 1 : end;      /* past the header */
	hi = end;
	while (lo < hi && hit == NULL) {
		const char *ls = lo + (size_t)(hi - lo) / 2, *le;
		uint64_t v = 0;
		const char *q;

		while (ls > lo && ls[-1] != '\n')
			ls--;
		le = memchr(ls, '\n', (size_t)(end - ls));
		if (le == NULL)
			le = end;
		for (q = ls; q < le && *q >= '0' && *q <= '9'; q++)
			v = v * 10 + (uint64_t)(*q - '0');
		if (q == ls || v > UINT32_MAX)
			break;                       /* not a data line: give up */
		if (v < asn) {
			lo = le < end ? le + 1 : end;
		} else if (v > asn) {
			hi = ls;
		} else {
			struct csv_reader *r = csv_new(ls, (size_t)(le - ls), ',', 8, 65536);
			const struct csv_field *f;
			size_t nf;
			unsigned long line;
			enum net_type t;
			char why[128];

			if (r != NULL && csv_next(r, &f, &nf, &line) == CSV_RECORD && nf == 4 &&
			    row_type(&f[1], &t, why, sizeof(why)) == 0) {
				struct asn_entry *e = xcalloc(1, sizeof(*e));

				e->type = t;
				e->detail = xmalloc(f[2].len + 2 + f[3].len + 1);
				memcpy(e->detail, f[2].p, f[2].len);
				memcpy(e->detail + f[2].len, "; ", 2);
				memcpy(e->detail + f[2].len + 2, f[3].p, f[3].len);
				e->detail[f[2].len + 2 + f[3].len] = '\0';
				c->found = xgrow(c->found, &c->capfound, c->nfound + 1, sizeof(*c->found));
				c->found_asn = xgrow(c->found_asn, &c->capfound_asn, c->nfound + 1,
				                     sizeof(*c->found_asn));
				c->found[c->nfound] = e;
				c->found_asn[c->nfound++] = asn;
				hit = e;
			}
			csv_free(r);
			break;
		}
	}
	return hit;
}

static const struct asn_entry *find_asn(const struct classifier *c,
                                        uint32_t asn)
{
	size_t lo = 0, hi = c->nasn;

	if (c->raw != NULL) {
		const struct asn_entry *e;

		pthread_mutex_lock((pthread_mutex_t *)&c->lock);
		e = find_asn_lazy((struct classifier *)c, asn);
		pthread_mutex_unlock((pthread_mutex_t *)&c->lock);
		return e;
	}

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->asns[mid] < asn)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < c->nasn && c->asns[lo] == asn)
		return &c->asn[lo];
	return NULL;
}

/* The longest anycast prefix containing a, or NULL. */
static const struct anycast_entry *find_anycast(const struct classifier *c,
                                                const struct ga_addr *a)
{
	const struct anycast_entry *best = NULL;
	uint64_t hi, lo;
	size_t i;

	/* Most addresses share no first 16 bits with any anycast prefix. */
	if (c->any_first_ready) {
		unsigned b = first16(a), k = c->any_first[a->family == 6][b >> 8];

		if (k == 0 || !(c->any_second[k - 1][(b & 255) >> 3] & (1u << (b & 7))))
			return NULL;
	}
	addr_halves(a, &hi, &lo);
	for (i = 0; i < c->nany; i++) {
		const struct anycast_entry *e = &c->any[i];

		if (e->family != a->family || (hi & e->mhi) != e->hi ||
		    (lo & e->mlo) != e->lo)
			continue;
		if (best == NULL || e->plen > best->plen)
			best = e;
	}
	return best;
}

/* "feed NAME", kept in c so the pointer outlives the call. */
static const char *feed_basis(const struct classifier *c, const char *name)
{
	struct feed_cache *fc;
	size_t i;

	if (c == NULL || name == NULL || c->feeds == NULL)
		return "feed";
	fc = c->feeds;
	for (i = 0; i < fc->n; i++)
		if (strcmp(fc->name[i], name) == 0)
			return fc->basis[i];
	if (fc->n == FEED_MAX)
		return "feed";
	fc->name[fc->n] = xstrdup(name);
	/* An embedded snapshot names itself with its date (see update
	 * --snapshot); a downloaded feed is "feed NAME". */
	fc->basis[fc->n] = strstr(name, " snapshot of ") != NULL ? xstrdup(name)
	                                                        : xasprintf("feed %s", name);
	return fc->basis[fc->n++];
}

static void set_class(struct net_class *out, enum net_type t,
                      enum confidence conf, enum type_tier tier,
                      const char *basis, const char *detail)
{
	out->type = t;
	out->conf = conf;
	out->tier = tier;
	out->basis = basis;
	out->detail = detail != NULL ? detail : "";
}

int classify_by_address(const struct classifier *c, const struct ga_addr *a,
                        int is_special, const char *feed_type,
                        const char *feed_name, struct net_class *out)
{
	const struct anycast_entry *any;
	enum net_type t;

	if (is_special) {
		set_class(out, NT_SPECIAL, CONF_HIGH, TIER_SPECIAL, "special-use registry",
		    NULL);
		return 1;
	}
	/* A provider's own statement about its address beats anything we
	 * infer from who holds the block. */
	if (feed_type != NULL &&
	    net_type_parse(feed_type, strlen(feed_type), &t) == 0 &&
	    t != NT_UNKNOWN) {
		const char *basis;

		if (c != NULL)
			pthread_mutex_lock((pthread_mutex_t *)&c->lock);
		basis = feed_basis(c, feed_name);
		if (c != NULL)
			pthread_mutex_unlock((pthread_mutex_t *)&c->lock);
		set_class(out, t, CONF_HIGH, TIER_PROVIDER, basis, NULL);
		return 1;
	}
	/* Anycast before the ASN: an anycast prefix is more specific than
	 * the ASN announcing it (8.8.8.8 is a resolver on every continent,
	 * not a Google Cloud server). */
	if (c != NULL && a != NULL && (any = find_anycast(c, a)) != NULL) {
		set_class(out, any->type, CONF_HIGH, TIER_CURATED, "anycast prefix",
		    any->detail);
		return 1;
	}
	return 0;
}

static struct name_memo *memo_new(size_t nslots)
{
	struct name_memo *m = xcalloc(1, sizeof(*m) + nslots * sizeof(m->slot[0]));
	size_t i;

	m->nslots = nslots;
	for (i = 0; i < nslots; i++)
		atomic_init(&m->slot[i].len, 0);
	return m;
}

/* The rule remembered for the text of hash h and length n: 1 with *r
 * set, or 0.  Any thread, no lock. */
static int memo_find(const struct name_memo *m, uint64_t h, size_t n,
                     const struct name_rule **r)
{
	size_t j, k, mask = m->nslots - 1;
	uint32_t len;

	for (j = h & mask, k = 0; k < m->nslots; j = (j + 1) & mask, k++) {
		len = atomic_load_explicit(&((struct name_memo *)m)->slot[j].len,
		                           memory_order_acquire);
		if (len == 0)
			return 0;
		if (len == (uint32_t)(n + 1) && m->slot[j].hash == h) {
			*r = m->slot[j].rule;
			return 1;
		}
	}
	return 0;
}

/* Write an empty slot of m (the next one from h's): unpublished tables
 * and, under the lock, the published one. */
static void memo_put(struct name_memo *m, uint64_t h, uint32_t len,
                     const struct name_rule *r)
{
	size_t j, mask = m->nslots - 1;

	for (j = h & mask; atomic_load_explicit(&m->slot[j].len, memory_order_relaxed) != 0;
	     j = (j + 1) & mask)
		;
	m->slot[j].hash = h;
	m->slot[j].rule = r;
	atomic_store_explicit(&m->slot[j].len, len, memory_order_release);
	m->used++;
}

/* Remember rule r for the text of hash h and length n; called with the
 * classifier's lock held.  A full table at its largest remembers no
 * more (the names it holds keep answering). */
static void memo_store(struct classifier *c, uint64_t h, size_t n,
                       const struct name_rule *r)
{
	struct name_memo *m = atomic_load_explicit(&c->memo, memory_order_relaxed);
	const struct name_rule *had;
	size_t i;

	if (m == NULL) {
		m = memo_new(MEMO_FIRST_SLOTS);
		atomic_store_explicit(&c->memo, m, memory_order_release);
	}
	if (memo_find(m, h, n, &had))
		return;
	if ((m->used + 1) * 2 > m->nslots) {
		struct name_memo *big;

		if (m->nslots >= MEMO_MAX_SLOTS)
			return;
		/* Twice the slots, filled before it is published. */
		big = memo_new(m->nslots * 2);
		for (i = 0; i < m->nslots; i++) {
			uint32_t len = atomic_load_explicit(&m->slot[i].len, memory_order_relaxed);

			if (len != 0)
				memo_put(big, m->slot[i].hash, len, m->slot[i].rule);
		}
		big->retired = m;
		atomic_store_explicit(&c->memo, big, memory_order_release);
		m = big;
	}
	memo_put(m, h, (uint32_t)(n + 1), r);
}

/* The name rule for org, remembered per organisation string. */
static const struct name_rule *owner_rule(const struct classifier *c,
                                          const char *org)
{
	const struct name_rule *r;
	const struct name_memo *m;
	size_t n;
	uint64_t h;

	if (c == NULL)
		return match_name(org);
	/* Keyed by the text, not the pointer: every database record holds
	 * its own copy of its holder's name, and one holder has many
	 * records (a bulk lookup of 100k addresses meets each large
	 * holder's name hundreds of times in different records).  The
	 * text's 64-bit hash and length, never the text itself: a string
	 * seen before may have been freed with its source (the memo lives
	 * as long as the classifier).  Two names that collide in both are a
	 * chance of about n^2 / 2^64. */
	n = strlen(org);
	h = hash_bytes(org, n);
	/* Made on first store: a one-address lookup need not touch it. */
	m = atomic_load_explicit(&((struct classifier *)c)->memo, memory_order_acquire);
	if (m != NULL && memo_find(m, h, n, &r))
		return r;
	r = match_name(org);
	pthread_mutex_lock((pthread_mutex_t *)&c->lock);
	memo_store((struct classifier *)c, h, n, r);
	pthread_mutex_unlock((pthread_mutex_t *)&c->lock);
	return r;
}

static const struct list_entry *find_list(const struct classifier *c,
                                          uint32_t asn)
{
	size_t lo = 0, hi;

	if (c->lists_state == 0)
		need_lists(c);
	hi = c->nlst;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->lst[mid].asn < asn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < c->nlst && c->lst[lo].asn == asn ? &c->lst[lo] : NULL;
}

/*
 * The lists are made for blocking bots and err towards "hosting": they
 * name carriers and transit networks that also sell servers.  When the
 * holder's own name says it is a carrier, a university or a government,
 * that beats a datacenter list (but not the VPN list, whose rows are
 * the providers' own networks).
 */
/* The kinds of holder whose own name beats a datacenter list. */
static int outranks_datacenter(enum net_type t)
{
	return t == NT_ISP || t == NT_MOBILE || t == NT_EDU || t == NT_GOV;
}

static int list_overruled(const struct list_entry *l, const struct name_rule *r)
{
	if (r == NULL || l->type == NT_VPN || (r->flags & RULE_WEAK))
		return 0;
	return outranks_datacenter(r->type);
}

void classify_owner(const struct classifier *c, uint32_t asn, const char *org,
                    struct net_class *out)
{
	const struct asn_entry *e;
	const struct list_entry *l;
	const struct name_rule *r;

	if (c != NULL && asn != 0 && (e = find_asn(c, asn)) != NULL) {
		set_class(out, e->type, CONF_HIGH, TIER_CURATED, "curated ASN", e->detail);
		return;
	}
	r = org != NULL ? owner_rule(c, org) : NULL;
	if (c != NULL && asn != 0 && (l = find_list(c, asn)) != NULL &&
	    !list_overruled(l, r)) {
		set_class(out, l->type, CONF_MEDIUM, TIER_LIST, list_basis[l->lists],
		    l->name);
		return;
	}
	if (r != NULL) {
		set_class(out, r->type, r->conf, TIER_NAME, "name rule", r->phrase);
		return;
	}
	set_class(out, NT_UNKNOWN, CONF_NONE, TIER_NONE, "no rule matched", NULL);
}

int classify_by_range(const struct classifier *c, const struct ga_addr *a,
                      struct net_class *io)
{
	const struct rangelist_row *row;

	/* Only below the list tier: a provider's range, an anycast prefix,
	 * the curated table and the ASN lists all speak first. */
	if (c == NULL || a == NULL || (io->tier != TIER_NAME && io->tier != TIER_NONE))
		return 0;
	/* Ranges go stale (this list stopped in 2019), and many blocks a
	 * datacenter held have since been sold to carriers: a name rule
	 * saying carrier, university or government wins, even one too weak
	 * to overrule the datacenter ASN lists.  At TIER_NAME, io is that
	 * rule's answer (classify_owner). */
	if (io->tier == TIER_NAME && outranks_datacenter(io->type))
		return 0;
	if (c->lists_state == 0)
		need_lists(c);
	if (!c->has_ranges || (row = rangelist_find(&c->ranges, a)) == NULL)
		return 0;
	set_class(io, NT_HOSTING, CONF_LOW, TIER_LIST, RANGE_BASIS, row->name);
	return 1;
}

void classify(const struct classifier *c, const struct ga_addr *a,
              int is_special, uint32_t asn, const char *org,
              const char *feed_type, const char *feed_name,
              struct net_class *out)
{
	if (!classify_by_address(c, a, is_special, feed_type, feed_name, out)) {
		classify_owner(c, asn, org, out);
		classify_by_range(c, a, out);
	}
}
