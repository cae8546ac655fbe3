/*
 * cmd_demo.c - `geoattr demo`: lessons for classrooms and newsrooms on why
 * "traced to country X" is weak evidence.
 *
 * Each lesson introduces one effect in plain words, runs the real engine
 * on the samples (samples/lists/, samples/claims/, built reproducibly by
 * samples/make-samples.py), explains what the output shows and ends with
 * the caveats that apply.  The engine runs as a child process of this same
 * binary, so a lesson prints exactly what a reader gets by typing the
 * command shown, and a crash in a lesson cannot take the demo down with it.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd.h"
#include "source.h"
#include "util.h"

#define STEP_ARGS 12    /* arguments of one engine run, after "geoattr" */
#define LESSON_STEPS 3
#define TAKE_MAX 16     /* addresses a step may take from a list */

/*
 * One run of the engine.  An argument starting with '@' names a file under
 * the samples directory, one starting with '%' a file the step writes in
 * the demo's output directory (made on first use, under $TMPDIR), which
 * the demo names afterwards so the reader can open it.  With `first_of` set, the first `take` addresses
 * of that sample list are appended as arguments; this shows a handful of
 * lookups without a long command line.  With `stdin_of` set, the child
 * reads that sample file as standard input (for `lookup -`).
 */
struct demo_step {
	const char *args[STEP_ARGS];
	const char *first_of;
	int take;
	const char *stdin_of;
};

struct lesson {
	const char *name;
	const char *summary;     /* one line for --list */
	const char *intro;
	struct demo_step steps[LESSON_STEPS];
	const char *explain;
	const char *caveats;
	/* '%' name of the directory whose historical sets the steps read
	 * (GEOATTR_ASOF_DIR for them), or NULL. */
	const char *asof_dir;
};

static const struct lesson lessons[] = {
{
	"registry-vs-location",
	"registered, located, operated: three different answers",
	"\"Where is this IP address?\" hides three questions:\n"
	"  - who the block is registered to (a regional registry's records),\n"
	"  - where the machine using it is (what geolocation databases estimate),\n"
	"  - who operates that machine today (what no database knows).\n"
	"We look up addresses where these come apart: cloud servers of US and\n"
	"Chinese companies placed in other countries, two public DNS resolvers,\n"
	"and addresses on which the two country databases disagree.\n",
	{
		{ { "lookup", "-", NULL }, NULL, 0, "@lists/registry-vs-location.txt" },
	},
	"Each answer shows the holder (the AS announcing the block, with the\n"
	"organisation's name) and the country each source gives.  An Amazon,\n"
	"Google or Alibaba address placed in Germany or Australia is registered to\n"
	"a company headquartered elsewhere, sits in a data centre abroad, and is\n"
	"operated by whichever customer rented it that day.  8.8.8.8 and 1.1.1.1\n"
	"are anycast: the same address is answered in dozens of countries, so any\n"
	"one country is wrong for most of the world.  Where A and B differ, at\n"
	"least one database is wrong, and nothing in the address says which.\n",
	"[C-REGISTRATION] databases mix where a block is registered, announced and\n"
	"    used; leased blocks and multinational operators make these differ.\n"
	"[C-DISAGREE] geolocation is an estimate, reliable at country level at best.\n"
	"[C-LASTHOP] an address shows the last machine, not the person behind it.\n",
	NULL,
},
{
	"disagreement",
	"the two country databases disagree, on real addresses",
	"geoattr carries two independent country sources: A (ip-location-db,\n"
	"built from operators' geofeeds, registry records and routing data) and\n"
	"B (IPFire Location).  On a uniform sample of IPv4 addresses they disagree\n"
	"on about 2% of those both place; the header of the sample list gives the\n"
	"figure measured when it was made.  The list holds 40 real addresses on\n"
	"which they disagree.  First a lookup of five, then a check of all 40.\n",
	{
		{ { "lookup", NULL }, "@lists/disagreement.txt", 5, NULL },
		{ { "check", "@lists/disagreement.txt", NULL }, NULL, 0, NULL },
	},
	"Two percent sounds small, but it is not spread evenly: in this sample it\n"
	"gathers in cloud providers' blocks, and studies link such mismatches to\n"
	"leased blocks and networks that cross borders -- the kind of address\n"
	"that fills attack lists.  A claim that names a country from one database\n"
	"should say which database, of what date; another may well disagree.\n",
	"[C-DISAGREE] the sources disagree: the country is an estimate.\n"
	"[C-AGE] blocks are sold, leased and re-announced; a database of another\n"
	"    date may place an address elsewhere.\n"
	"[C-REGISTRATION] registration, announcement and use are different places.\n",
	NULL,
},
{
	"cloud",
	"the cloud server anyone can rent",
	"Cloud and hosting providers rent servers by the hour in dozens of\n"
	"countries, set up in minutes and paid by card or cryptocurrency.  Someone\n"
	"anywhere can rent one in the country of their choice -- including the\n"
	"country they would like to be blamed.  The list holds addresses of seven\n"
	"providers: AWS, Google Cloud, Alibaba, Tencent, DigitalOcean, OVHcloud\n"
	"and Hetzner.\n",
	{
		{ { "check", "@lists/cloud-regions.txt", NULL }, NULL, 0, NULL },
	},
	"Under \"What kind of networks\" nearly everything is cloud/hosting, and\n"
	"under \"Where the databases place them\" the addresses spread over the\n"
	"providers' regions, not their customers' homes.  The country of a rented\n"
	"server tells where the data centre is.  The provider may know who the\n"
	"customer was; no database does.\n",
	"[C-HOSTING] rentable servers: anyone, anywhere, can rent them.\n"
	"[C-LASTHOP] a rented server is a last hop, not an origin.\n"
	"[C-ATTRIBUTION] attribution weighs tradecraft, malware and infrastructure\n"
	"    reuse; an IP country is at most one small input.\n",
	NULL,
},
{
	"tor-vpn",
	"VPN and Tor exits show the service, not the user",
	"VPN services sell exits in many countries.  Most run them on rented\n"
	"servers (M247, DataCamp, PacketHub); a few on networks of their own\n"
	"(Proton, Mullvad).  Tor sends traffic through three volunteers' relays;\n"
	"the last one, the exit, is all the destination sees.  Neither exit says\n"
	"where the user is.\n",
	{
		{ { "check", "@lists/vpn-hosts.txt", NULL }, NULL, 0, NULL },
	},
	"VPN providers' own networks are typed VPN and the rented ones hosting;\n"
	"either way the address is the provider's.  In one study a third of the\n"
	"VPN servers of seven providers were not even in the country advertised.\n"
	"Tor: the embedded data holds no list of Tor exits, so geoattr marks an\n"
	"address as a Tor exit only once `geoattr update tor` has downloaded the\n"
	"Tor Project's current exit list (update is the one command that uses\n"
	"the network).  Today's list says nothing about last year's exits:\n"
	"ExoneraTor answers whether an address was a Tor relay on a given date.\n"
	"Traffic from a Tor exit comes from a Tor user, who may be anywhere.\n",
	"[C-VPN] a VPN exit shows where the provider rents its server\n"
	"    (Weinberg et al., \"How to Catch when Proxies Lie\", IMC 2018).\n"
	"[C-TOR] a Tor exit's traffic comes from a Tor user, not the relay's\n"
	"    operator (Tor Project, ExoneraTor).\n"
	"[C-HOSTING] VPN exits cluster in rentable hosting networks.\n",
	NULL,
},
{
	"residential",
	"home and mobile connections: usually someone else's device",
	"Home and mobile connections are behind much of the attack traffic seen\n"
	"in practice: compromised routers, cameras and phones in botnets, or home\n"
	"connections resold as \"residential proxies\".  The list holds home and\n"
	"mobile addresses of carriers in the Philippines, China, the US and\n"
	"Russia, each placed in its carrier's country.\n",
	{
		{ { "check", "@lists/residential-mobile.txt", NULL }, NULL, 0, NULL },
	},
	"These addresses do sit where the databases say.  What they cannot show\n"
	"is who was at the keyboard: the Mirai botnet alone peaked near 600,000\n"
	"devices, and residential proxy services rent out millions of home\n"
	"connections.  Mobile carriers put thousands of customers behind one\n"
	"address (carrier-grade NAT), and mobile addresses change within minutes.\n"
	"A home address in country X usually means a device in X was used by\n"
	"someone, who may be anywhere.\n",
	"[C-RESIDENTIAL] home and mobile addresses: typically compromised devices\n"
	"    or residential proxies, not their owners.\n"
	"[C-CGNAT] shared addresses cannot name one subscriber.\n"
	"[C-SPOOF] a quarter of networks tested allow forged source addresses.\n",
	NULL,
},
{
	"anycast",
	"anycast resolvers: one address, many countries",
	"Anycast: one address announced from many places at once, with each\n"
	"packet delivered to the nearest copy.  Public DNS resolvers, root servers\n"
	"and CDN edges work this way.  A database must still pick one country for\n"
	"them, usually the operator's home.\n",
	{
		{ { "check", "@lists/anycast-resolvers.txt", NULL }, NULL, 0, NULL },
	},
	"Most of these are placed in the US, some in China, Cyprus, Australia and\n"
	"elsewhere -- yet each is served from dozens of countries.  In attack\n"
	"data a resolver's address usually appears because it answered DNS\n"
	"queries, or was abused to reflect traffic at a victim, not because it\n"
	"attacked anyone.\n",
	"[C-ANYCAST] one anycast address is served from many countries at once.\n"
	"[C-SPOOF] reflection makes innocent servers the visible sources\n"
	"    (Rossow, \"Amplification Hell\", NDSS 2014).\n",
	NULL,
},
{
	"special-use",
	"special-use addresses that cannot be Internet sources",
	"Some addresses cannot be the source of traffic across the Internet:\n"
	"private networks (10.0.0.0/8, 192.168.0.0/16), the carrier-grade NAT\n"
	"space 100.64.0.0/10, loopback, link-local, documentation examples\n"
	"(192.0.2.0/24, 2001:db8::/32), multicast and reserved blocks.  When they\n"
	"appear in a published \"attack list\", the list mixes internal logs,\n"
	"placeholders or typing errors with observations.\n",
	{
		{ { "check", "@lists/special-use.txt", NULL }, NULL, 0, NULL },
	},
	"geoattr names each special-use entry's class and RFC.  Notice that\n"
	"source A still gives a country for some private and documentation\n"
	"blocks, taken from registry records about those ranges: a database\n"
	"answer is no proof that an address is real or routed.  The last few\n"
	"entries are ordinary-looking addresses that no network announces.\n",
	"[C-SPECIAL] special-use entries cannot be sources across the Internet.\n"
	"[C-CGNAT] 100.64.0.0/10 is shared by a carrier's customers.\n"
	"[C-UNKNOWN-TYPE] where the type is unknown, every share is a lower bound.\n",
	NULL,
},
{
	"map",
	"registered here, announced there: the sources' world maps",
	"A map makes a list's geography readable at a glance, and shows what a\n"
	"single country figure hides.  Source A places addresses mostly from\n"
	"operators' geofeeds and registry records -- where a block is registered\n"
	"or says it is; source B (IPFire) from its own mix of registry and routing\n"
	"data -- where it is announced and seen.  We draw the 40 addresses on\n"
	"which they disagree three times: as A places them, as B places them, and\n"
	"where they disagree.  The maps are SVG files, for slides and articles.\n",
	{
		{ { "check", "--format", "svg", "--map-source", "A", "-o", "%map-a.svg",
		    "@lists/disagreement.txt", NULL }, NULL, 0, NULL },
		{ { "check", "--format", "svg", "--map-source", "B", "-o", "%map-b.svg",
		    "@lists/disagreement.txt", NULL }, NULL, 0, NULL },
		{ { "check", "--format", "svg", "--map-source", "disagree", "-o",
		    "%map-disagree.svg", "@lists/disagreement.txt", NULL }, NULL, 0, NULL },
	},
	"Open the three files side by side.  The same addresses colour different\n"
	"countries: blocks registered to a company in one country and announced\n"
	"in another, European blocks that one source files under \"EU\", cloud\n"
	"ranges placed at the provider's seat by one and at the data centre by\n"
	"the other.  The third map colours every country either source names for\n"
	"these entries; hover a country for the count.  Singapore and Hong Kong\n"
	"are too small to draw at this scale: they are listed under the legend.\n"
	"A map of one database is a map of that database's method, not of the\n"
	"attackers.\n",
	"[C-DISAGREE] the sources disagree: the country is an estimate.\n"
	"[C-REGISTRATION] registration, announcement and use are different places.\n"
	"[C-LASTHOP] a coloured country shows where last hops sit, not who used them.\n",
	NULL,
},
{
	"three-quarters",
	"\"three quarters from US IPs\": true of the list, silent on operators",
	"In 2013 news reports compressed a CNCERT statement into \"nearly three\n"
	"quarters of about 10,000 attacks came from US IP addresses\".  CNCERT\n"
	"published no list (see the no-list lesson).  This CONSTRUCTED list of 200\n"
	"real addresses is built so that source A places 74% of it in the US; we\n"
	"check the claim \"US, 74%\" against it.\n",
	{
		{ { "check", "--claim", "US", "--claimed-share", "74%",
		    "@lists/three-quarters.txt", NULL }, NULL, 0, NULL },
	},
	"The verdict is \"consistent\": the claim is true of these addresses.  Now\n"
	"look at what they are.  Nearly all the US entries are cloud servers, CDN\n"
	"edges and VPN hosting, which anyone anywhere can rent.  A share can be\n"
	"exactly right and still say nothing about who operated the machines.\n"
	"Fang Binxing said as much of the 2013 figures: they show US-based IPs,\n"
	"not US attackers.\n",
	"[C-HOSTING] most entries are rentable servers.\n"
	"[C-ANYCAST] CDN edges are served from many countries.\n"
	"[C-NOCONTEXT] no times or ports: nothing ties an address to an event.\n"
	"[C-LASTHOP] the last hop is not the origin.\n",
	NULL,
},
{
	"mixed-claim",
	"a constructed \"traced to the Philippines\" claim, checked",
	"A CONSTRUCTED claim -- \"most of the attacks on our servers were traced\n"
	"to IP addresses in the Philippines\", 70% -- with a list shaped like the\n"
	"ones such claims rest on: home connections in the country, mixed with\n"
	"foreign cloud and VPN servers, Chinese and American home connections,\n"
	"public resolvers, private addresses and repeated lines.\n",
	{
		{ { "check", "--claim-file", "@claims/constructed-ph.json", NULL },
		  NULL, 0, NULL },
	},
	"The verdict is \"overstated\": only about a third of the entries are\n"
	"placed in PH by either source.  Read the rest as a reviewer would:\n"
	"repeated lines merged, special-use entries that cannot be sources,\n"
	"resolvers, rented servers in Singapore and Europe.  Even the PH home\n"
	"connections say \"a device there was used\", not \"someone there\n"
	"attacked\".\n",
	"[C-HOSTING], [C-VPN], [C-RESIDENTIAL], [C-SPECIAL], [C-ANYCAST]: each\n"
	"    says why part of the list points away from the claimed country.\n"
	"[C-NOCONTEXT] no times or ports: nothing ties an address to an event.\n",
	NULL,
},
{
	"no-list",
	"a claim with no address list cannot be checked",
	"Many public claims publish no addresses at all.  Antiy (via Global\n"
	"Times, 2024) said thousands of attacks were \"traced to the\n"
	"Philippines\"; CNCERT (via Xinhua, 2013) said 74% of hijacked hosts were\n"
	"controlled from servers in the US.  Neither published a list.\n",
	{
		{ { "check", "--claim-file", "@claims/antiy-2024.json", NULL }, NULL, 0, NULL },
		{ { "check", "--claim-file", "@claims/cncert-2013.json", NULL }, NULL, 0, NULL },
	},
	"With no list there is nothing to check, and geoattr says so, listing the\n"
	"evidence that would make the claim checkable.  The rule is the same for\n"
	"every claimant: the Philippine DICT's 2024 statement naming China Unicom\n"
	"addresses published no list either (samples/claims/ph-dict-2024.json).\n",
	"[C-NOLIST] the claimant published no addresses: no one else can verify\n"
	"    the claim (SentinelLabs, \"China's Cyber Revenge\", 2024).\n",
	NULL,
},
{
	"stronger-evidence",
	"what stronger evidence looks like (APT1-style, constructed)",
	"What does stronger evidence look like?  Mandiant's APT1 report (2013)\n"
	"did not rest on IP country: 937 servers on 849 addresses in 13\n"
	"countries, 709 registered in China, were tied together by operator\n"
	"logins, language settings, malware families, certificates and personas.\n"
	"This CONSTRUCTED list is modelled on that kind of evidence: each event\n"
	"has a time, port, protocol, volume and a note linking it to others.\n",
	{
		{ { "check", "--claim-file", "@claims/constructed-apt1-style.json", NULL },
		  NULL, 0, NULL },
	},
	"The country share is consistent with the claim, and the missing-context\n"
	"caveat is gone: the list carries times and ports.  The IP country is\n"
	"still the weakest part.  The strength is in the links others can check:\n"
	"the same certificate on several servers, the same account, the same\n"
	"tools, activity in one time zone's working hours, malware samples to\n"
	"analyse.  Even then false flags happen: Olympic Destroyer (2018) carried\n"
	"build artefacts forged to point at another group.\n",
	"[C-RESIDENTIAL], [C-HOSTING] hop points are still other people's machines.\n"
	"[C-ATTRIBUTION] attribution is a judgement across many kinds of\n"
	"    evidence, stated with confidence levels (Rid & Buchanan, 2015;\n"
	"    ODNI, \"A Guide to Cyber Attribution\", 2018).\n",
	NULL,
},
{
	"time",
	"the same list judged now and as of its date",
	"Every claim is old by the time someone checks it.  A CONSTRUCTED claim\n"
	"dated 2017-07-17 cites nine addresses.  Checked with today's data, the\n"
	"report can only say how many months apart the data and the claim are.\n"
	"Then we install the historical archives of that day -- which registry\n"
	"had given out each block, which AS announced it, which addresses were\n"
	"Tor exits that week -- from excerpts in samples/asof (offline), and\n"
	"check the same claim again, as of its date.\n",
	{
		{ { "check", "--claim-file", "@claims/constructed-then-and-now.json", NULL },
		  NULL, 0, NULL },
		{ { "update", "--as-of", "2017-07-17", "--base-url", "@asof/2017-07-17",
		    "--dir", "%asof", NULL }, NULL, 0, NULL },
		{ { "check", "--details", "--claim-file", "@claims/constructed-then-and-now.json",
		    NULL }, NULL, 0, NULL },
	},
	"The first report says the databases are years newer than the claim and\n"
	"stops there.  The second measures it: one address then routed by another\n"
	"AS than today, one in a block no registry had given out that day (it\n"
	"cannot have been a genuine source then), two unrouted that day, one\n"
	"a Tor exit that very day, one a Tor exit today that was not then.\n"
	"Judging a 2017 list with 2026 data would have got each of these wrong.\n",
	"[C-AGE] measured, not guessed: how many entries changed since the date.\n"
	"[C-MOVED] today's holder or country is not the one the claim saw.\n"
	"[C-NOT-ALLOCATED] unallocated then: spoofed, misattributed or misdated.\n"
	"[C-TOR-THEN] a Tor exit then says nothing of the relay's country.\n",
	"%asof",
},
};
#define NLESSONS (sizeof(lessons) / sizeof(lessons[0]))

static const char demo_help[] =
"Usage: geoattr demo [--list] [--no-pause] [LESSON...]\n"
"\n"
"Lessons on why \"traced to country X\" is weak evidence.  Each introduces\n"
"one effect, runs `geoattr check` or `geoattr lookup` on the samples (lists\n"
"constructed from real networks, and claim files from the public record),\n"
"explains the result in plain words and ends with its caveats.  Without a\n"
"LESSON every lesson runs, in order.\n"
"\n"
"Options:\n"
"      --list       list the lessons with a line on each\n"
"      --no-pause   do not wait for Enter between steps (never waits unless\n"
"                   standard input and output are both terminals)\n"
"  -h, --help       show this help\n"
"\n"
"Exit status: 0 ok, 2 usage (an unknown lesson), 5 samples not found, or\n"
"the status of a command that failed.\n";

static const struct option demo_options[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "list", no_argument, NULL, 'l' },
	{ "no-pause", no_argument, NULL, 'n' },
	{ NULL, 0, NULL, 0 }
};

struct demo {
	char *samples;      /* samples directory */
	char *outdir;       /* files the lessons write, made on first use */
	char self[4096];    /* this binary, for the child runs */
	int pause;          /* wait for Enter between steps */
	int tty;            /* standard output is a terminal */
	int bold;           /* headings in bold */
	int quit;           /* the reader asked to stop */
};

/* The samples sit beside the source tree's geo/ when this binary runs
 * uninstalled (VPATH builds keep them in the source tree), else in the
 * installed data directory. */
static char *samples_dir(void)
{
	const char *geo = sources_source_geo_dir();
	const char *slash;

	if (geo != NULL && (slash = strrchr(geo, '/')) != NULL)
		return xasprintf("%.*s/samples", (int)(slash - geo), geo);
	return xasprintf("%s/samples", GEOATTR_PKGDATADIR);
}

static const struct lesson *find_lesson(const char *name)
{
	size_t i;

	for (i = 0; i < NLESSONS; i++)
		if (strcmp(lessons[i].name, name) == 0)
			return &lessons[i];
	return NULL;
}

static void heading(const struct demo *d, const char *text)
{
	printf(d->bold ? "\033[1m%s\033[0m\n" : "%s\n", text);
}

/* Wait for Enter.  'q' stops the demo; end of input stops the waiting, so
 * a closed terminal never hangs the demo. */
static void pause_step(struct demo *d)
{
	char line[64];

	if (!d->pause || d->quit)
		return;
	fputs("-- Press Enter to continue, q to quit --", stdout);
	fflush(stdout);
	if (fgets(line, sizeof(line), stdin) == NULL) {
		d->pause = 0;
		putchar('\n');
		return;
	}
	if (line[0] == 'q' || line[0] == 'Q')
		d->quit = 1;
	putchar('\n');
}

/* The output directory, made on first use: lessons that write files
 * leave them where the reader can open them, and nowhere else. */
static const char *out_dir(struct demo *d)
{
	const char *tmp = getenv("TMPDIR");
	char *tmpl;

	if (d->outdir != NULL)
		return d->outdir;
	tmpl = xasprintf("%s/geoattr-demo.XXXXXX", tmp != NULL && tmp[0] == '/' ? tmp : "/tmp");
	if (mkdtemp(tmpl) == NULL) {
		msg_error(tmpl, "cannot make a directory: %s", strerror(errno));
		free(tmpl);
		return NULL;
	}
	d->outdir = tmpl;
	return d->outdir;
}

static char *sample_path(struct demo *d, const char *arg)
{
	const char *dir;

	if (arg[0] == '@')
		return xasprintf("%s/%s", d->samples, arg + 1);
	if (arg[0] == '%' && (dir = out_dir(d)) != NULL)
		return xasprintf("%s/%s", dir, arg + 1);
	return xstrdup(arg);
}

/* The first `max` addresses of a sample list: the first word of each line
 * once comments are cut, as `geoattr lookup -` reads it. */
static size_t list_addresses(const char *path, char **out, size_t max)
{
	FILE *fp = fopen(path, "r");
	char line[1024], *p, *e;
	size_t n = 0;

	if (fp == NULL)
		return 0;
	while (n < max && fgets(line, sizeof(line), fp) != NULL) {
		if ((p = strchr(line, '#')) != NULL)
			*p = '\0';
		p = line + strspn(line, " \t\r\n");
		e = p + strcspn(p, " \t\r\n");
		if (e > p)
			out[n++] = xstrndup(p, (size_t)(e - p));
	}
	fclose(fp);
	return n;
}

/*
 * Run `geoattr ARGS` as a child of this same binary and wait for it.
 * Returns the child's exit status, or GA_EXIT_INTERNAL if it could not run
 * or died of a signal.  Going through execv (no shell) means sample paths
 * with spaces or quotes need no escaping.
 */
static int run_child(const struct demo *d, char **argv, const char *stdin_path)
{
	pid_t pid;
	int status, fd;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		msg_error("demo", "cannot start a command: %s", strerror(errno));
		return GA_EXIT_INTERNAL;
	}
	if (pid == 0) {
		/* The child never reads the reader's terminal: Enter is for
		 * the pauses. */
		fd = open(stdin_path ? stdin_path : "/dev/null", O_RDONLY);
		if (fd < 0) {
			msg_error(stdin_path ? stdin_path : "/dev/null", "cannot open: %s",
			          strerror(errno));
			_exit(GA_EXIT_IO);
		}
		if (fd != STDIN_FILENO) {
			dup2(fd, STDIN_FILENO);
			close(fd);
		}
		if (d->self[0])
			execv(d->self, argv);
		else
			execvp("geoattr", argv);
		msg_error("demo", "cannot run %s: %s", d->self[0] ? d->self : "geoattr",
		          strerror(errno));
		_exit(GA_EXIT_INTERNAL);
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			msg_error("demo", "waiting for a command: %s", strerror(errno));
			return GA_EXIT_INTERNAL;
		}
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return GA_EXIT_INTERNAL;
}

/* Build the child's argv for one step, show it as a command line a
 * reader can type, and run it. */
static int run_step(struct demo *d, const struct demo_step *s)
{
	char *argv[STEP_ARGS + TAKE_MAX + 4];
	char *stdin_path = NULL;
	size_t n = 0, i, color_at = 0, written = 0;
	int rc;

	argv[n++] = xstrdup("geoattr");
	argv[n++] = xstrdup(s->args[0]);
	/* check would pick plain text by itself, as it writes to our standard
	 * output; saying so keeps the demo's promise of plain output when
	 * piped independent of check's defaults. */
	if (strcmp(s->args[0], "check") == 0 && !d->tty) {
		color_at = n;
		argv[n++] = xstrdup("--color");
		argv[n++] = xstrdup("never");
	}
	for (i = 1; i < STEP_ARGS && s->args[i] != NULL; i++) {
		if (s->args[i][0] == '%')
			written = n;
		argv[n++] = sample_path(d, s->args[i]);
	}
	if (s->first_of != NULL) {
		char *path = sample_path(d, s->first_of);

		n += list_addresses(path, argv + n, (size_t)(s->take > TAKE_MAX ? TAKE_MAX : s->take));
		free(path);
	}
	argv[n] = NULL;
	if (s->stdin_of != NULL)
		stdin_path = sample_path(d, s->stdin_of);

	/* The command as a reader would type it: the colour switch is the
	 * demo's business, not the lesson's. */
	fputs("$", stdout);
	for (i = 0; i < n; i++)
		if (color_at == 0 || (i != color_at && i != color_at + 1))
			printf(" %s", argv[i]);
	if (stdin_path != NULL)
		printf(" < %s", stdin_path);
	fputs("\n\n", stdout);

	rc = run_child(d, argv, stdin_path);
	if (written > 0 && (rc == GA_EXIT_OK || rc == GA_EXIT_PARTIAL)) {
		struct stat sb;

		/* A directory (the time lesson's sets) is not for a browser. */
		if (stat(argv[written], &sb) == 0 && S_ISREG(sb.st_mode))
			printf("Wrote %s: open it in a browser.\n", argv[written]);
	}
	for (i = 0; i < n; i++)
		free(argv[i]);
	free(stdin_path);
	putchar('\n');
	return rc;
}

/* Returns 0, or the failing command's exit status.  Exit 1 (some lines
 * rejected) still counts as a run: the report was produced. */
static int run_lesson(struct demo *d, const struct lesson *l, size_t k, size_t of)
{
	char title[160];
	size_t i;
	int rc;

	snprintf(title, sizeof(title), "=== Lesson %zu/%zu: %s ===", k, of, l->name);
	heading(d, title);
	printf("%s\n\n%s\n", l->summary, l->intro);
	pause_step(d);
	if (l->asof_dir != NULL) {
		/* The lesson's own sets, never the reader's: the steps look
		 * in the demo's directory. */
		char *p = sample_path(d, l->asof_dir);

		setenv("GEOATTR_ASOF_DIR", p, 1);
		free(p);
	}
	for (i = 0; i < LESSON_STEPS && l->steps[i].args[0] != NULL && !d->quit; i++) {
		rc = run_step(d, &l->steps[i]);
		if (rc != GA_EXIT_OK && rc != GA_EXIT_PARTIAL) {
			msg_error("demo", "lesson %s: `geoattr %s` exited with status %d",
			          l->name, l->steps[i].args[0], rc);
			unsetenv("GEOATTR_ASOF_DIR");
			return rc;
		}
		pause_step(d);
	}
	unsetenv("GEOATTR_ASOF_DIR");
	if (d->quit)
		return 0;
	heading(d, "What this shows");
	printf("%s\n", l->explain);
	heading(d, "Caveats for this lesson");
	printf("%s\n", l->caveats);
	return 0;
}

static void list_lessons(void)
{
	size_t i;

	for (i = 0; i < NLESSONS; i++)
		printf("  %-22s %s\n", lessons[i].name, lessons[i].summary);
}

static int run_demo(int argc, char **argv)
{
	struct demo d;
	const struct lesson *todo[NLESSONS * 2];
	size_t ntodo = 0, i;
	int ch, nopause = 0, list = 0, rc = GA_EXIT_OK;
	ssize_t len;
	struct stat st;
	char *probe;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", demo_options, NULL)) != -1) {
		switch (ch) {
		case 'h': return cmd_print_help(demo_help);
		case 'l': list = 1; break;
		case 'n': nopause = 1; break;
		default: return cmd_usage_error("demo", "unknown option");
		}
	}
	if (list) {
		list_lessons();
		return GA_EXIT_OK;
	}
	for (i = (size_t)optind; i < (size_t)argc; i++) {
		const struct lesson *l = find_lesson(argv[i]);

		if (l == NULL)
			return cmd_usage_error("demo", "no lesson '%s' (see geoattr demo --list)",
			                       argv[i]);
		if (ntodo < sizeof(todo) / sizeof(todo[0]))
			todo[ntodo++] = l;
	}
	if (ntodo == 0)
		for (i = 0; i < NLESSONS; i++)
			todo[ntodo++] = &lessons[i];

	memset(&d, 0, sizeof(d));
	d.samples = samples_dir();
	probe = xasprintf("%s/lists", d.samples);
	if (stat(probe, &st) != 0 || !S_ISDIR(st.st_mode)) {
		msg_error(d.samples, "samples not found (run from the build tree, or "
		          "install geoattr with its data)");
		free(probe);
		free(d.samples);
		return GA_EXIT_IO;
	}
	free(probe);
	/* The running binary, so that the lessons use this very build and
	 * its databases, not whatever `geoattr` is first on PATH. */
	len = readlink("/proc/self/exe", d.self, sizeof(d.self) - 1);
	d.self[len > 0 ? len : 0] = '\0';
	d.tty = isatty(STDOUT_FILENO);
	d.pause = !nopause && d.tty && isatty(STDIN_FILENO);
	d.bold = d.tty && (getenv("NO_COLOR") == NULL || getenv("NO_COLOR")[0] == '\0');

	for (i = 0; i < ntodo && !d.quit; i++) {
		rc = run_lesson(&d, todo[i], i + 1, ntodo);
		if (rc != GA_EXIT_OK)
			break;
		if (i + 1 < ntodo)
			pause_step(&d);
	}
	free(d.samples);
	free(d.outdir);
	return rc;
}

const struct cmd cmd_demo = {
	"demo",
	"lessons on why \"traced to country X\" is weak evidence, run on samples",
	run_demo,
};
