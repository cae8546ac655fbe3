#!/bin/sh
# cli_asof_update.sh - `geoattr update --as-of DATE` against a real HTTPS
# server on 127.0.0.1 (tests/feedserver.py with a certificate made here)
# serving the archive excerpts of tests/data/hist in their real
# compressions (tests/hist_fixtures.py): the set it installs, its
# fallbacks, conditional requests, and every failure, each of which must
# leave the installed set byte for byte.
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

PY=${PYTHON3:-python3}
command -v "$PY" >/dev/null 2>&1 || skip_all "python3 not found"
command -v openssl >/dev/null 2>&1 || skip_all "openssl not found"
D="$XDG_DATA_HOME/geoattr"
SET="$D/asof-20170717"
LOG="$TMP/server.log"
PIDS=
trap 'for p in $PIDS; do kill "$p" 2>/dev/null; done; rm -rf "$TMP"' EXIT

openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TMP/a.key" -out "$TMP/a.pem" \
	-days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1 &&
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TMP/b.key" -out "$TMP/b.pem" \
	-days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1 ||
	skip_all "openssl cannot make a test certificate"
"$PY" "$TESTS_SRCDIR/hist_fixtures.py" "$TESTS_SRCDIR/data/hist" "$TMP/arch" ||
	skip_all "cannot build the archive fixtures"
: >"$LOG"
start_feedserver "$TMP/arch" "$TMP/port" --tls "$TMP/a.pem" "$TMP/a.key"
[ -n "$SPORT" ] || skip_all "the test server did not start"
B="https://127.0.0.1:$SPORT"
U="$GEOATTR update --cacert $TMP/a.pem --as-of"

# --- bad dates: usage errors naming the date, no request ---
run $U 2017-13-01 --base-url "$B/f"
is "$RC" 2 "malformed date: exit 2"
has "$ERR" "geoattr: update: --as-of: '2017-13-01' is not a date YYYY-MM-DD" "malformed date named"
run $U 2099-01-01 --base-url "$B/f"
is "$RC" 2 "future date: exit 2"
has "$ERR" "2099-01-01 is in the future" "future date named"
run $U 1999-12-31 --base-url "$B/f"
is "$RC" 2 "date before any archive: exit 2"
has "$ERR" "1999-12-31 is older than any archive geoattr reads" "too old a date named"
run $U 2017-07-17 --tor-window 0
is "$RC" 2 "--tor-window 0: exit 2"
[ ! -s "$LOG" ]
ok $? "bad dates made no request"

# --- nothing installed: --list says how to get it ---
run "$GEOATTR" update --list
has "$OUT" "no historical data: geoattr update --as-of DATE installs a set" "--list: how to get historical data"

# --- the set of 2017-07-17 ---
run $U 2017-07-17 --base-url "$B/f"
is "$RC" 0 "update --as-of 2017-07-17 exits 0"
for f in registry routing tor; do
	[ -s "$SET/$f.mmdb" ]
	ok $? "$f.mmdb installed"
done
has "$OUT" "registry  44 blocks: afrinic 2017-07-17, apnic 2017-07-17 (plain file), arin 2017-07-17, lacnic 2017-07-17, ripencc 2017-07-16, 1 day earlier" \
	"registry: the days used, the plain-file and the day-before fallbacks said"
has "$OUT" "routing   14 prefixes: routing of 2017-07-17 12:00 UTC" "routing: the snapshot used"
has "$OUT" "AS names  9 ASes: CAIDA as2org 2017-07-01, 16 days earlier" "AS names: the as2org file and its distance said"
has "$OUT" "tor       44 exit addresses (44 sightings) from 1 month" "tor: 44 exits of the real exit list"
has "$OUT" "exits seen 2017-07-10 to 2017-07-24 (within 7 days)" "tor: the window said"
has "$LOG" "/f/stats/apnic/2017/delegated-apnic-extended-20170717.gz" "asked for APNIC's extended file first"
has "$LOG" "/f/pub/stats/ripencc/2017/delegated-ripencc-20170717.bz2" "then RIPE's plain file of the day"
has "$LOG" "/f/datasets/routing/routeviews-prefix2as/2017/07/routeviews-rv2-20170717-1200.pfx2as.gz" "the CAIDA path"
has "$LOG" "/f/archive/exit-lists/exit-list-2017-07.tar.xz" "the CollecTor path"
has "$LOG" "/f/datasets/as-organizations/20170801.as-org2info.txt.gz" "as2org: the nearest month's file asked first (15 days later)"
has "$LOG" "/f/datasets/as-organizations/20170701.as-org2info.txt.gz" "as2org: then the one 16 days earlier"
hasnt "$LOG" "as-organizations/20170601" "as2org: no further once found"
ls -a "$D" | grep -q '^\.asof'
ok $((!$?)) "no temporary set left"
run "$GEOATTR" update --list
has "$OUT" "as of 2017-07-17  $SET" "--list shows the set"
has "$OUT" "routing   RouteViews prefix-to-AS (CAIDA) as of 2017-07-17: routing of 2017-07-17 12:00 UTC; AS names: CAIDA as2org 2017-07-01, 16 days earlier" "--list says what each file holds, the as2org file and its date too"
run "$GEOATTR" sources --format json
is "$(jget "$OUT" 'd["as_of_sets"][0]["as_names_used"]')" "CAIDA as2org 2017-07-01, 16 days earlier" "sources json: the as2org file of the set"
run "$GEOATTR" sources --format json
jget "$OUT" 'len([s for s in d["sources"] if s["name"].startswith("asof-")])' >"$TMP/p"
is "$(cat "$TMP/p")" "0" "the historical set is not mixed into today's sources"
command -v "${MMDBLOOKUP:-mmdblookup}" >/dev/null 2>&1 && {
	"${MMDBLOOKUP:-mmdblookup}" --file "$SET/tor.mmdb" --ip 162.247.72.201 hist_first_seen >"$TMP/m" 2>&1
	has "$TMP/m" '"2017-07-17 14:11:38"' "libmaxminddb reads the exit's first sighting"
	"${MMDBLOOKUP:-mmdblookup}" --file "$SET/routing.mmdb" --ip 185.220.101.7 hist_origins >"$TMP/m" 2>&1
	has "$TMP/m" '"208294,60729"' "libmaxminddb reads an AS-set origin"
	"${MMDBLOOKUP:-mmdblookup}" --file "$SET/routing.mmdb" --ip 27.50.0.1 autonomous_system_organization >"$TMP/m" 2>&1
	has "$TMP/m" '"Philippine Long Distance Telephone Company"' "libmaxminddb reads the origin's name then"
	"${MMDBLOOKUP:-mmdblookup}" --file "$SET/registry.mmdb" --ip 27.50.0.1 >"$TMP/m" 2>&1
	has "$TMP/m" '"2010-06-11"' "libmaxminddb reads the allocation date"
}

# --- conditional requests: a second run changes nothing ---
for f in registry routing tor; do cp "$SET/$f.mmdb" "$TMP/$f.before"; done
: >"$LOG"
run $U 2017-07-17 --base-url "$B/f"
is "$RC" 0 "second run exits 0"
has "$OUT" "as of 2017-07-17: up to date" "second run: up to date"
has "$LOG" 'delegated-ripencc-extended-20170716.bz2 inm="' "If-None-Match sent"
for f in registry routing tor; do
	cmp -s "$SET/$f.mmdb" "$TMP/$f.before"
	ok $? "304: $f.mmdb byte for byte"
done

# --- failures: exit 6, a message, the installed set byte for byte ---
fails() {   # fails DESCRIPTION EXPECTED-MESSAGE ARGS...
	desc=$1 msg=$2
	shift 2
	run $U 2017-07-17 "$@"
	is "$RC" 6 "$desc: exit 6"
	has "$ERR" "$msg" "$desc: says why"
	has "$ERR" "previous data kept" "$desc: says the set is kept"
	for f in registry routing tor; do
		cmp -s "$SET/$f.mmdb" "$TMP/$f.before" || { ok 1 "$desc: $f.mmdb changed"; return; }
	done
	ok 0 "$desc: the set byte for byte"
	ls -a "$D" | grep -q '^\.asof'
	ok $((!$?)) "$desc: no temporary set left"
}
fails "404 everywhere" "geoattr: update: as of 2017-07-17: registry afrinic: no archive for the day or within 3 days of it" --base-url "$B/status/404"
fails "500" "server answered HTTP/1.0 500" --base-url "$B/status/500"
fails "slow server" "timed out after 2 s" --timeout 2 --base-url "$B/slow"
fails "truncated download" "download incomplete" --base-url "$B/truncated"
fails "oversize download" "answer larger than the limit of 10000 bytes" --max-size 10000 --base-url "$B/big/200000"
fails "oversize chunked" "answer larger than the limit of 10000 bytes" --max-size 10000 --base-url "$B/bigchunked/200000"
fails "redirect loop" "more than 5 redirects" --base-url "$B/loop"
fails "wrong certificate" "TLS" --cacert "$TMP/b.pem" --base-url "$B/f"
run "$GEOATTR" update --as-of 2017-07-17 --base-url "$B/f"
is "$RC" 6 "system trust store only: exit 6"
has "$ERR" "TLS" "system trust store only: a certificate error"
fails "cut bzip2 archive" "ripencc: $B/d/bad-bz2cut/pub/stats/ripencc/2017/delegated-ripencc-extended-20170716.bz2: bzip2: the stream ends early (truncated)" --base-url "$B/d/bad-bz2cut"
fails "corrupt gzip archive" "routeviews: $B/d/bad-gzcorrupt/" --base-url "$B/d/bad-gzcorrupt"
fails "cut xz archive" "tor: $B/d/bad-xzcut/archive/exit-lists/exit-list-2017-07.tar.xz: xz:" --base-url "$B/d/bad-xzcut"
fails "cut tar inside whole xz" "tor: tar: a member of" --base-url "$B/d/bad-tarcut"
fails "plain file cut short" "delegated-arin-extended-20170717: truncated: the version line announces 3 records, the file holds 2" --base-url "$B/d/bad-plaincut"
fails "bad line" "delegated-lacnic-extended-20170717:5: unknown status 'unheard-of'" --base-url "$B/d/bad-line"
fails "decompression bomb" "xz: decompresses to more than 100000 bytes" --max-size 100000 --base-url "$B/d/bad-bomb"
fails "missing month of exit lists" "as of 2017-07-17: tor exit lists: no exit-list archive for 2017-07" --base-url "$B/d/no-tor"
fails "no fallback allowed" "registry ripencc: no archive for the day or within 0 days of it" --max-shift 0 --base-url "$B/f"
fails "corrupt gzip as2org file" "as of 2017-07-17: as2org: $B/d/bad-namesgz/datasets/as-organizations/20170701.as-org2info.txt.gz: corrupt gzip data" --base-url "$B/d/bad-namesgz"
fails "bad as2org line" "20170701.as-org2info.txt.gz:19: bad AS number 'AS9299'" --base-url "$B/d/bad-namesline"

# A date with no archive at all names the source and the date.
run $U 2017-08-30 --base-url "$B/f"
is "$RC" 6 "a day without archives: exit 6"
has "$ERR" "geoattr: update: as of 2017-08-30: registry afrinic: no archive for the day or within 3 days of it (last tried $B/f/pub/stats/afrinic/2017/delegated-afrinic-20170902: 404)" \
	"a day without archives: source, date and the last URL tried"

# --- no as2org file within 100 days: the set installs without AS names ---
: >"$LOG"
run $U 2017-07-17 --base-url "$B/d/no-names"
is "$RC" 0 "no as2org file for the period: still installs"
has "$OUT" "AS names  not available for the period: no as2org file within 100 days of the day (last tried $B/d/no-names/datasets/as-organizations/20170501.as-org2info.txt.gz: 404)" \
	"no as2org file: the report says names are not available, and the last file tried"
is "$(grep -c "as-organizations/" "$LOG")" 6 "no as2org file: the six month files within 100 days tried"
hasnt "$LOG" "as-organizations/20170401" "no as2org file: nothing over 100 days away asked for"
run "$GEOATTR" update --list
has "$OUT" "AS names: not available for the period" "--list: the set has no AS names"
run "$GEOATTR" lookup --as-of 2017-07-17 27.50.0.1
has "$OUT" "origin AS9299 · not a Tor exit" "lookup: no name then without the as2org file"
command -v "${MMDBLOOKUP:-mmdblookup}" >/dev/null 2>&1 && {
	"${MMDBLOOKUP:-mmdblookup}" --file "$SET/routing.mmdb" --ip 27.50.0.1 autonomous_system_organization >"$TMP/m" 2>&1
	hasnt "$TMP/m" "Philippine" "no as2org file: no names in routing.mmdb"
}

# --- a narrower window keeps fewer sightings, and replaces the set ---
run $U 2017-07-17 --base-url "$B/d/bad-line" --base-url "$B/f" --tor-window 1
is "$RC" 0 "--tor-window 1 rebuilds the set"
has "$OUT" "exits seen 2017-07-16 to 2017-07-18 (within 1 days)" "the narrower window said"
has "$OUT" "AS names  9 ASes: CAIDA as2org 2017-07-01" "the names are back once the as2org file is"
cmp -s "$SET/tor.mmdb" "$TMP/tor.before"
ok $((!$?)) "tor.mmdb replaced"

# --- a day whose prefix-to-AS file CAIDA made at 02:00 (the real file of
# 2017-03-29, excerpted): the month's listing names it, and the set is
# built from the real lines ---
: >"$LOG"
run $U 2017-03-29 --base-url "$B/d/mar"
is "$RC" 0 "update --as-of 2017-03-29 exits 0"
has "$LOG" "/d/mar/datasets/routing/routeviews-prefix2as/2017/03/ inm=" "the month's listing asked for"
has "$LOG" "/routeviews-rv2-20170329-0200.pfx2as.gz" "the file the listing names (02:00) fetched"
hasnt "$LOG" "routeviews-rv2-20170329-1200" "no guess at 12:00 when the listing says otherwise"
has "$OUT" "routing   35 prefixes: routing of 2017-03-29 02:00 UTC" "the time of the routing file said"
run "$GEOATTR" lookup --as-of 2017-03-29 8.8.8.8 27.50.0.1 1.0.128.5
has "$OUT" "origin AS15169" "real routing then: 8.8.8.0/24 from AS15169"
has "$OUT" "registry PH allocated 2010-06-11 (apnic) · origin AS55303 · not a Tor exit" "real routing then: 27.50.0.0/22 from AS55303 in March 2017"
has "$OUT" "origin AS23969" "real routing then: the most specific of 1.0.128.0/17, /19, /24"
run "$GEOATTR" lookup --as-of 2017-03-29 --format json 1.0.0.1
is "$(jget "$OUT" 'd[0]["then"]["flags"]')" "['unrouted']" "real routing then: 1.0.0.0/24 not in the file, so unrouted (its block allocated)"
# The same from a local directory of archives: its names are the listing.
run $U 2017-03-29 --base-url "$TMP/arch/mar" --dir "$TMP/local"
is "$RC" 0 "update --as-of 2017-03-29 from a local directory exits 0"
has "$OUT" "routing of 2017-03-29 02:00 UTC" "a local directory's names give the time too"
# A listing that cannot be had: the usual 12:00 is tried, and then the
# nearest days, as before.
: >"$LOG"
run $U 2017-07-17 --base-url "$B/f" --dir "$TMP/nolist"
is "$RC" 0 "no month listing (404): the set still installs"
has "$LOG" "routeviews-prefix2as/2017/07/ inm=" "the listing was asked for"
has "$LOG" "routeviews-rv2-20170717-1200.pfx2as.gz" "then the 12:00 file"

done_testing
