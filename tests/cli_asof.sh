#!/bin/sh
# cli_asof.sh - the whole flow of "as of the claim date": a list checked
# with no historical data (nothing changes, the report says how to get
# it), then `update --as-of 2017-07-17` from a local server, then the same
# list checked as of that date: then/now per entry, the three flags on the
# entries of tests/data/hist/asof-list.txt built to trigger them, the
# summary, the caveats with their figures, in text, JSON, CSV and HTML;
# and lookup --as-of.
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

PY=${PYTHON3:-python3}
command -v "$PY" >/dev/null 2>&1 || skip_all "python3 not found"
LIST="$TESTS_SRCDIR/data/hist/asof-list.txt"
LOG="$TMP/server.log"
PIDS=
trap 'for p in $PIDS; do kill "$p" 2>/dev/null; done; rm -rf "$TMP"' EXIT
"$PY" "$TESTS_SRCDIR/hist_fixtures.py" "$TESTS_SRCDIR/data/hist" "$TMP/arch" ||
	skip_all "cannot build the archive fixtures"

# --- no historical data: the report is what it was, plus how to get it ---
run "$GEOATTR" check --claim PH --claim-date 2017-07-17 "$LIST"
is "$RC" 0 "check without historical data exits 0"
has "$OUT" "As of      no historical data for 2017-07-17 is installed: \`geoattr update --as-of 2017-07-17\` gets it" \
	"text: says how to get the data of the claim's date"
hasnt "$OUT" "Then and now" "text: no then/now section without data"
hasnt "$OUT" "C-TOR-THEN" "text: no historical caveat without data"
has "$OUT" "[C-AGE] the databases are 107 months newer than the claim" "text: C-AGE is the date difference"
run "$GEOATTR" check -f json --claim-date 2017-07-17 "$LIST"
is "$(jget "$OUT" 'd["schema"]')" "geoattr-check/2" "json: schema 2"
is "$(jget "$OUT" 'd["as_of"]')" "None" "json: as_of null without data"
is "$(jget "$OUT" 'd["as_of_hint"].split(":")[0]')" "no historical data for 2017-07-17 is installed" "json: the hint"
run "$GEOATTR" check -f csv --claim-date 2017-07-17 "$LIST"
hasnt "$OUT" "asof_date" "csv: no as-of columns without data"
run "$GEOATTR" check --as-of 2017-07-17 "$LIST"
is "$RC" 4 "explicit --as-of without its data: exit 4"
has "$ERR" "geoattr: check: --as-of: no historical data for 2017-07-17 is installed" "explicit --as-of: says which date is missing"
has "$ERR" "geoattr update --as-of 2017-07-17 gets it" "explicit --as-of: says how to get it"
run "$GEOATTR" check --as-of 2017-02-30 "$LIST"
is "$RC" 2 "malformed --as-of: exit 2"
has "$ERR" "'2017-02-30' is not a date YYYY-MM-DD" "malformed --as-of named"
run "$GEOATTR" check --as-of 2090-01-01 "$LIST"
is "$RC" 2 "future --as-of: exit 2"

run "$GEOATTR" sources
has "$OUT" "none installed: geoattr update --as-of DATE installs the archives of a day" "sources: how to get historical data"

# --- install the set of 2017-07-17 ---
start_feedserver "$TMP/arch" "$TMP/port"
[ -n "$SPORT" ] || skip_all "the test server did not start"
run "$GEOATTR" update --as-of 2017-07-17 --base-url "http://127.0.0.1:$SPORT/f"
is "$RC" 0 "update --as-of 2017-07-17 exits 0"

run "$GEOATTR" sources
has "$OUT" "Historical data for check --as-of and lookup --as-of" "sources: a section for historical data"
has "$OUT" "as of 2017-07-17  $XDG_DATA_HOME/geoattr/asof-20170717" "sources: lists the set"
run "$GEOATTR" sources --format json
is "$(jget "$OUT" '[s["date"] for s in d["as_of_sets"]]')" "['2017-07-17']" "sources json: as_of_sets"

# --- many entries: the same bytes whatever the thread count ---
# The as-of pass runs on the worker threads (refs, and what the
# comparison needs worked out there, reused from the neighbour before on
# the same thread): 24,000 addresses, most in the set's blocks and routes,
# on 1, 2 and 3 threads.
"$PY" - "$TMP/many.txt" <<'PYEOF'
import random, sys
random.seed(7)
nets = [(0x01250000, 16), (0x1B320000, 22), (0xA2F74800, 24), (0x02000000, 12),
        (0xB9DC6500, 24), (0xC4041400, 22), (0x2DAB3C00, 22), (0x01000000, 14)]
with open(sys.argv[1], "w") as fp:
    for i in range(24000):
        if i % 5 == 0:
            a = random.getrandbits(32)
        else:
            base, plen = random.choice(nets)
            a = base + random.getrandbits(32 - plen)
        fp.write("%d.%d.%d.%d\n" % (a >> 24, a >> 16 & 255, a >> 8 & 255, a & 255))
PYEOF
for f in json csv; do
	for t in 1 2 3; do
		GEOATTR_THREADS=$t "$GEOATTR" check --format $f --as-of 2017-07-17 "$TMP/many.txt" \
			>"$TMP/many-$f.$t" 2>&1
	done
	cmp -s "$TMP/many-$f.1" "$TMP/many-$f.2" && cmp -s "$TMP/many-$f.1" "$TMP/many-$f.3"
	ok $? "check --as-of -f $f of 24,000 entries: the same bytes on 1, 2 and 3 threads"
done
is "$(jget "$TMP/many-json.2" 'd["as_of"]["unrouted"] > 0 and d["as_of"]["changed_holder"] > 0 and d["as_of"]["not_allocated"] > 0 and d["as_of"]["compared"] > 10000')" "True" \
	"check --as-of of many entries: unrouted, changed-holder and not-allocated entries among them"

# --- text: the claim's date picks the set ---
run "$GEOATTR" check -d --claim PH --claim-date 2017-07-17 "$LIST"
is "$RC" 0 "check as of the claim date exits 0"
has "$OUT" "As of      2017-07-17: registry afrinic 2017-07-17, apnic 2017-07-17 (plain file)" "text: the set used, by its days"
has "$OUT" "routing of 2017-07-17 12:00 UTC; AS names CAIDA as2org 2017-07-01, 16 days earlier; Tor" "text: which routing snapshot and AS names file"
has "$OUT" "Then and now   as of 2017-07-17, 8 entries compared (special-use left out)" "text: 8 entries compared"
has "$OUT" "  changed since (country, holder or type)       2   25.0%" "text: 2 changed (25%)"
has "$OUT" "  Tor exits then (the week around it)           1   12.5%   now 2" "text: Tor exits then and now"
has "$OUT" "  not allocated on the day                      1   12.5%" "text: not allocated"
has "$OUT" "  unrouted on the day                           2   25.0%" "text: unrouted"
has "$OUT" "then: PH allocated 2010-06-11 (apnic) · AS9299 (Philippine Long Distance Telephone Company)   now: PH · AS55547 (WoodsDale Ventures INC)   [changed-holder]" \
	"text: 27.50.0.1 changed holder (AS9299 then, AS55547 now)"
has "$OUT" "then: PH allocated 2010-06-08 (apnic) · unrouted   now: PH · AS6648 (Sky Internet)   [unrouted]" \
	"text: 27.108.0.1 unrouted then"
has "$OUT" "then: -- reserved (lacnic) · unrouted   now: --   [not-allocated,unrouted]" \
	"text: 45.68.105.1 in a reserved block: not allocated"
has "$OUT" "then: US allocated 2013-08-30 (arin) · AS4224 (The Calyx Institute) · Tor exit 2017-07-17 14:11:38 .. 2017-07-17 14:11:38" \
	"text: 162.247.72.201 a Tor exit then, with when it was seen"
has "$OUT" "then: NL allocated 2016-05-19 (ripencc) · AS208294,60729 (FIXTURE-RELAYS-AS)   now: DE · AS60729 (Stiftung Erneuerbare Freiheit) · Tor exit   [changed-country,changed-type]" \
	"text: an AS set holding today's AS is not a changed holder"
has "$OUT" "[C-TOR-THEN] 1 of 8 entries (12.5%) were Tor exits in the week around 2017-07-17 (2 are today)" "text: C-TOR-THEN with its figure"
has "$OUT" "[C-NOT-ALLOCATED] 1 of 8 entries (12.5%) were in blocks no registry had given out on 2017-07-17" "text: C-NOT-ALLOCATED with its figure"
has "$OUT" "[C-MOVED] since 2017-07-17, 1 of 6 routed entries changed origin AS and 1 of 7 changed registry country" "text: C-MOVED with its figures"
has "$OUT" "[C-AGE] measured against the archives of 2017-07-17: 1 of 8 entries changed origin AS since, 1 changed registry country, 1 changed type; 1 were Tor exits that week, 1 were not allocated and 2 not routed on that day." \
	"text: C-AGE turned into measured figures"
hasnt "$OUT" "months newer than the claim" "text: the date-difference C-AGE is gone"

# --- JSON ---
run "$GEOATTR" check -d -f json --claim-date 2017-07-17 "$LIST"
is "$(jget "$OUT" 'd["as_of"]["date"]')" "2017-07-17" "json: as_of.date"
is "$(jget "$OUT" '[d["as_of"][k] for k in ("compared","changed","changed_holder","changed_country","changed_type","tor_exit_then","tor_exit_now","not_allocated","unrouted")]')" \
	"[8, 2, 1, 1, 1, 1, 2, 1, 2]" "json: the summary counts"
is "$(jget "$OUT" 'd["as_of"]["routing_used"]')" "routing of 2017-07-17 12:00 UTC" "json: routing used"
is "$(jget "$OUT" 'd["as_of"]["as_names_used"]')" "CAIDA as2org 2017-07-01, 16 days earlier" "json: AS names used"
is "$(jget "$OUT" '[(e["then"]["origin_name"], e["org"]) for e in d["entries"] if e["input"]=="27.50.0.1"][0]')" \
	"('Philippine Long Distance Telephone Company', 'WoodsDale Ventures INC')" "json: the origin's name then beside the organisation now"
is "$(jget "$OUT" '[e["then"]["origin_name"] for e in d["entries"] if e["input"]=="1.0.16.1"][0]')" "None" "json: no name then for an AS the as2org file lacks"
is "$(jget "$OUT" '[e["then"]["flags"] for e in d["entries"] if e["input"]=="45.68.105.1"][0]')" "['not-allocated', 'unrouted']" "json: flags of the reserved entry"
is "$(jget "$OUT" '[(e["then"]["origin_asn"], e["then"]["asn_now"]) for e in d["entries"] if e["input"]=="27.50.0.1"][0]')" "(9299, 55547)" "json: origin then, ASN now"
is "$(jget "$OUT" '[(e["then"]["tor_exit"], e["then"]["tor_first_seen"]) for e in d["entries"] if e["input"]=="162.247.72.201"][0]')" "(True, '2017-07-17 14:11:38')" "json: Tor exit then"
is "$(jget "$OUT" '[e["then"]["allocation_date"] for e in d["entries"] if e["input"]=="1.37.0.1"][0]')" "2011-04-05" "json: allocation date"
is "$(jget "$OUT" '[e["then"] for e in d["entries"] if e["input"]=="10.1.2.3"][0]')" "None" "json: special-use entry not compared"
is "$(jget "$OUT" '[round(c["figure"],3) for c in d["caveats"] if c["id"]=="C-TOR-THEN"][0]')" "0.125" "json: C-TOR-THEN figure"
is "$(jget "$OUT" '[c["figure_name"] for c in d["caveats"] if c["id"]=="C-NOT-ALLOCATED"][0]')" "not_allocated_share" "json: C-NOT-ALLOCATED figure name"
is "$(jget "$OUT" '[len(c["references"]) for c in d["caveats"] if c["id"]=="C-MOVED"][0]')" "2" "json: C-MOVED has references"

# --- CSV and HTML ---
run "$GEOATTR" check -f csv --claim-date 2017-07-17 "$LIST"
has "$OUT" "asof_date,registry_country_then,registry_status_then,allocation_date_then,origin_asn_then,origins_then,origin_name_then,tor_exit_then,tor_first_seen,tor_last_seen,country_now,asn_now,tor_exit_now,asof_flags" "csv: the as-of columns"
has "$OUT" ",2017-07-17,PH,allocated,2010-06-11,9299,9299,Philippine Long Distance Telephone Company,no,,,PH,55547,no,changed-holder" "csv: the changed-holder row, with the name then"
has "$OUT" ",2017-07-17,NL,allocated,2016-05-19,208294,\"208294,60729\",FIXTURE-RELAYS-AS,no,,,DE,60729,yes,\"changed-country,changed-type\"" "csv: an AS set quoted"
has "$OUT" ",2017-07-17,US,allocated,2013-08-30,4224,4224,The Calyx Institute,yes," "csv: a name then"
run "$GEOATTR" check -f html -o "$TMP/r.html" --claim-date 2017-07-17 "$LIST"
is "$RC" 0 "html report written"
has "$TMP/r.html" '<section id="asof">' "html: the then/now section"
has "$TMP/r.html" '<a href="#asof">Then and now</a>' "html: in the navigation"
has "$TMP/r.html" "<td>not-allocated,unrouted</td>" "html: flags of an entry"
has "$TMP/r.html" "AS9299 (Philippine Long Distance Telephone Company)" "html: the origin's name then"
has "$TMP/r.html" "C-NOT-ALLOCATED" "html: the new caveat"

# --- explicit dates ---
run "$GEOATTR" check --as-of none --claim-date 2017-07-17 "$LIST"
hasnt "$OUT" "Then and now" "--as-of none: no historical comparison"
run "$GEOATTR" check --as-of 2017-07-17 "$LIST"
has "$OUT" "Then and now   as of 2017-07-17" "--as-of without a claim date"

# --- lookup --as-of ---
run "$GEOATTR" lookup --as-of 2017-07-17 27.50.0.1 45.68.105.1
is "$RC" 0 "lookup --as-of exits 0"
has "$OUT" "then      2017-07-17: registry PH allocated 2010-06-11 (apnic) · origin AS9299 (Philippine Long Distance Telephone Company) · not a Tor exit" "lookup: then line, with the origin's name then"
has "$OUT" "WoodsDale Ventures INC" "lookup: the organisation now beside it"
has "$OUT" "flags     changed-holder" "lookup: the flag"
has "$OUT" "then      2017-07-17: registry -- reserved (lacnic) · unrouted · not a Tor exit" "lookup: reserved block"
has "$OUT" "flags     not-allocated,unrouted" "lookup: its flags"
run "$GEOATTR" lookup --format json --as-of 2017-07-17 162.247.72.201
is "$(jget "$OUT" 'd[0]["then"]["tor_first_seen"]')" "2017-07-17 14:11:38" "lookup json: Tor first seen"
is "$(jget "$OUT" 'd[0]["then"]["date"]')" "2017-07-17" "lookup json: the date of then"
is "$(jget "$OUT" 'd[0]["then"]["origin_name"]')" "The Calyx Institute" "lookup json: the origin's name then"
printf '27.50.0.1\n# a comment\n\n  45.68.105.1  \n' > "$TMP/then.txt"
run "$GEOATTR" lookup --as-of 2017-07-17 - < "$TMP/then.txt"
is "$RC" 0 "lookup --as-of of standard input exits 0"
is "$(grep -c '^  then      2017-07-17:' "$OUT")" 2 "lookup --as-of of standard input: a then line for each address, comments and blanks skipped"
has "$OUT" "flags     not-allocated,unrouted" "lookup --as-of of standard input: the flags"
# CSV and NDJSON carry the same as check's CSV and lookup's json: the
# then columns before the error column, the "then" member; addresses
# from the command line and from standard input alike.
run "$GEOATTR" lookup --format csv --as-of 2017-07-17 27.50.0.1 bogus
is "$RC" 1 "lookup --as-of csv with a bad input exits 1"
has "$OUT" "provider_region,asof_date,registry_country_then,registry_status_then,allocation_date_then,origin_asn_then,origins_then,origin_name_then,tor_exit_then,tor_first_seen,tor_last_seen,country_now,asn_now,tor_exit_now,asof_flags,error" "lookup csv: the as-of columns before the error column"
has "$OUT" ",2017-07-17,PH,allocated,2010-06-11,9299,9299,Philippine Long Distance Telephone Company,no,,,PH,55547,no,changed-holder," "lookup csv: the then row, with the holder's name then"
is "$("${PYTHON3:-python3}" -c 'import csv,sys; print(sorted({len(r) for r in csv.reader(open(sys.argv[1]))}))' "$OUT")" "[31]" "lookup csv: every row, the error row too, has the header's columns"
printf '27.50.0.1\nbogus\n162.247.72.201\n' > "$TMP/then2.txt"
run "$GEOATTR" lookup --format csv --as-of 2017-07-17 - < "$TMP/then2.txt"
has "$OUT" ",2017-07-17,PH,allocated,2010-06-11,9299,9299,Philippine Long Distance Telephone Company,no,,,PH,55547,no,changed-holder," "lookup csv of standard input: the then row"
has "$OUT" ",yes,2017-07-17 14:11:38," "lookup csv of standard input: a Tor exit then with its first sighting"
run "$GEOATTR" lookup --format ndjson --as-of 2017-07-17 - < "$TMP/then2.txt"
is "$(sed -n 1p "$OUT" | "${PYTHON3:-python3}" -c 'import json,sys; d=json.load(sys.stdin); print(d["then"]["date"], d["then"]["flags"])')" "2017-07-17 ['changed-holder']" "lookup ndjson: the then member"
is "$(sed -n 3p "$OUT" | "${PYTHON3:-python3}" -c 'import json,sys; print(json.load(sys.stdin)["then"]["tor_first_seen"])')" "2017-07-17 14:11:38" "lookup ndjson: Tor first seen"
is "$(sed -n 2p "$OUT" | "${PYTHON3:-python3}" -c 'import json,sys; print(sorted(json.load(sys.stdin)))')" "['error', 'input']" "lookup ndjson: an error line as without --as-of"
run "$GEOATTR" lookup --format json --as-of 2017-07-17 27.50.0.1
J=$(jget "$OUT" 'json.dumps(d[0]["then"], sort_keys=True)')
run "$GEOATTR" lookup --format ndjson --as-of 2017-07-17 27.50.0.1
is "$(sed -n 1p "$OUT" | "${PYTHON3:-python3}" -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["then"], sort_keys=True))')" "$J" "lookup ndjson: the same then as the json format"
run "$GEOATTR" lookup --format svg --as-of 2017-07-17 8.8.8.8
is "$RC" 2 "lookup --as-of with svg: usage error"
run "$GEOATTR" lookup --as-of 2017-07-19 8.8.8.8
is "$RC" 4 "lookup --as-of without its data: exit 4"

# --- the demo's time lesson: offline, in its own directory ---
rm -rf "$XDG_DATA_HOME/geoattr"
run "$GEOATTR" demo --no-pause time
is "$RC" 0 "demo time exits 0"
has "$OUT" "As of      no historical data for 2017-07-17 is installed" "demo: first judged now, with the hint"
has "$OUT" "as of 2017-07-17: installed" "demo: installs the set from samples/archives"
has "$OUT" "[C-AGE] measured against the archives of 2017-07-17: 1 of 8 entries changed origin AS since" "demo: then judged as of its date"
[ ! -d "$XDG_DATA_HOME/geoattr/asof-20170717" ]
ok $? "demo: the reader's data directory untouched"
run "$GEOATTR" demo --list
has "$OUT" "time" "demo --list names the time lesson"

done_testing
