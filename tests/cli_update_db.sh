#!/bin/sh
# cli_update_db.sh - `geoattr update dbip-city|ipinfo-lite`: whole MaxMind
# DB downloads (gzip or plain) from a real HTTP server on 127.0.0.1, the
# 404 fallback to the next URL, conditional requests, the IPinfo token
# kept out of every output, and each way a download can be bad, each of
# which must leave the installed database byte for byte.
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

PY=${PYTHON3:-python3}
command -v "$PY" >/dev/null 2>&1 || skip_all "python3 not found"
command -v gzip >/dev/null 2>&1 || skip_all "gzip not found"
D="$XDG_DATA_HOME/geoattr"
LOG="$TMP/server.log"
SRV="$TMP/srv"
PIDS=
trap 'for p in $PIDS; do kill "$p" 2>/dev/null; done; rm -rf "$TMP"' EXIT
mkdir -p "$SRV"

# Databases in the vendors' schemas, made by our own writer.
printf '1.0.0.0,1.0.0.255,AU\n8.8.8.0,8.8.8.255,US\n81.2.69.0,81.2.69.255,GB\n' >"$TMP/city.csv"
"$GEOATTR" compile -q -f range-csv -c start,end,country -t DBIP-City-Lite \
	-o "$TMP/dbip.mmdb" "$TMP/city.csv" || skip_all "compile failed"
gzip -9 -c "$TMP/dbip.mmdb" >"$SRV/dbip.mmdb.gz"
# A second version, to see a replacement happen.
printf '81.2.69.0,81.2.69.255,IE\n' >>"$TMP/city.csv"
"$GEOATTR" compile -q -f range-csv -c start,end,country -t DBIP-City-Lite \
	-o "$TMP/dbip2.mmdb" "$TMP/city.csv"
gzip -9 -c "$TMP/dbip2.mmdb" >"$SRV/dbip2.mmdb.gz"
# 150.222.10.0/24 has no ASN in the embedded data: only this file can say.
printf '8.8.8.0/24,US,AS15169,Google LLC\n150.222.10.0/24,DE,AS16509,"Amazon.com, Inc."\n' >"$TMP/ipinfo.csv"
"$GEOATTR" compile -q -f cidr-csv -c network,country_code,asn,as_name -t "ipinfo lite.mmdb" \
	-o "$SRV/ipinfo_lite.mmdb" "$TMP/ipinfo.csv"
"$GEOATTR" compile -q -f range-csv -c start,end,country -t geoattr-Country \
	-o "$TMP/other.mmdb" "$TMP/city.csv"
gzip -c "$TMP/other.mmdb" >"$SRV/wrongtype.mmdb.gz"
printf '<html><body>Please log in</body></html>\n' >"$SRV/login.html"
gzip -c "$SRV/login.html" >"$SRV/notmmdb.gz"
size=$(wc -c <"$SRV/dbip2.mmdb.gz")
head -c $((size / 2)) "$SRV/dbip2.mmdb.gz" >"$SRV/truncated.gz"
# Flip bytes inside the deflate stream: the CRC (or the stream) breaks.
"$PY" -c 'import sys; b=bytearray(open(sys.argv[1],"rb").read()); n=len(b)//2
for i in range(n, n+8): b[i]^=0x55
open(sys.argv[2],"wb").write(b)' "$SRV/dbip2.mmdb.gz" "$SRV/corrupt.gz"
head -c 20000000 /dev/zero | gzip -9 >"$SRV/bomb.gz"
cat "$SRV/dbip2.mmdb.gz" "$SRV/login.html" >"$SRV/trailing.gz"

start_feedserver "$SRV" "$TMP/port"
[ -n "$SPORT" ] || skip_all "the test server did not start"
B="http://127.0.0.1:$SPORT"
F="$B/f"

# --- listed, but never downloaded unless named ---
run "$GEOATTR" update --list
has "$OUT" "https://download.db-ip.com/free/dbip-city-lite-" "--list shows the DB-IP URL"
has "$OUT" "(needs \$IPINFO_TOKEN or --ipinfo-token)" "--list: ipinfo-lite needs a token"
run "$GEOATTR" update ipinfo-lite
is "$RC" 2 "ipinfo-lite without a token: usage error"
has "$ERR" "geoattr: update: ipinfo-lite needs a token" "says the token is missing"
run "$GEOATTR" update --ipinfo-token 'a b' ipinfo-lite
is "$RC" 2 "a token with a space is refused"
[ ! -s "$LOG" ]
ok $? "no request so far"

# --- install: the first URL answers 404, the second is used ---
run "$GEOATTR" update --url dbip-city="$F/dbip-2099-01.mmdb.gz" --url dbip-city="$F/dbip.mmdb.gz" dbip-city
is "$RC" 0 "dbip-city installs"
has "$OUT" "dbip-city: installed $D/dbip-city-lite.mmdb, DBIP-City-Lite built" "reports type and path"
has "$OUT" "3 networks" "reports the network count"
has "$OUT" "(decompressed)" "says it was gzip"
cmp -s "$D/dbip-city-lite.mmdb" "$TMP/dbip.mmdb"
ok $? "installed file is the decompressed database"
has "$LOG" "/f/dbip-2099-01.mmdb.gz" "this month's URL was tried first"
ls -a "$D" | grep -q '\.part$'
ok $((!$?)) "no temporary file left"
run "$GEOATTR" sources --format json
jget "$OUT" '[s["database_type"] for s in d["sources"] if s["name"]=="dbip-city-lite"][0]' >"$TMP/p"
is "$(cat "$TMP/p")" "DBIP-City-Lite" "sources lists the downloaded database"
run "$GEOATTR" lookup --format json 81.2.69.142
jget "$OUT" '[c["country"] for c in d[0]["countries"] if c["source"]=="dbip-city-lite"][0]' >"$TMP/p"
is "$(cat "$TMP/p")" "GB" "lookup uses it as a country source"

# --- conditional request: 304 leaves it alone ---
cp "$D/dbip-city-lite.mmdb" "$TMP/before"
: >"$LOG"
run "$GEOATTR" update --url dbip-city="$F/dbip.mmdb.gz" dbip-city
is "$RC" 0 "second download exits 0"
has "$OUT" "dbip-city: up to date" "304 reported"
has "$LOG" 'inm="' "If-None-Match sent"
cmp -s "$D/dbip-city-lite.mmdb" "$TMP/before"
ok $? "304: file byte for byte"

# --- a newer file replaces it ---
run "$GEOATTR" update --url dbip-city="$F/dbip2.mmdb.gz" dbip-city
is "$RC" 0 "newer database installs"
cmp -s "$D/dbip-city-lite.mmdb" "$TMP/dbip2.mmdb"
ok $? "the new file is in place"

# --- failures: exit 6, a reason, the installed file byte for byte ---
dbfails() {   # dbfails DESCRIPTION EXPECTED-MESSAGE ARGS...
	desc=$1 msg=$2
	shift 2
	cp "$D/dbip-city-lite.mmdb" "$TMP/before"
	run "$GEOATTR" update "$@" dbip-city
	is "$RC" 6 "$desc: exit 6"
	has "$ERR" "geoattr: update: dbip-city: " "$desc: names the database"
	has "$ERR" "$msg" "$desc: says why"
	has "$ERR" "previous data kept" "$desc: says the old data stays"
	cmp -s "$D/dbip-city-lite.mmdb" "$TMP/before"
	ok $? "$desc: previous file byte for byte"
	ls -a "$D" | grep -q '\.part$'
	ok $((!$?)) "$desc: no temporary file left"
}
dbfails "404 on every URL" "server answered HTTP/1.0 404" \
	--url dbip-city="$F/nosuch-1.gz" --url dbip-city="$F/nosuch-2.gz"
dbfails "500 is not a reason to try the next URL" "server answered HTTP/1.0 500" \
	--url dbip-city="$B/status/500" --url dbip-city="$F/dbip.mmdb.gz"
dbfails "truncated gzip" "gzip data truncated" --url dbip-city="$F/truncated.gz"
dbfails "corrupt gzip" "corrupt gzip data" --url dbip-city="$F/corrupt.gz"
dbfails "gzip of an HTML page" "not a usable MaxMind DB" --url dbip-city="$F/notmmdb.gz"
dbfails "plain HTML page" "not a usable MaxMind DB" --url dbip-city="$F/login.html"
dbfails "database of another type" "database type is 'geoattr-Country', expected DBIP-City-Lite" \
	--url dbip-city="$F/wrongtype.mmdb.gz"
dbfails "gzip bomb" "decompresses to more than the limit of 1048576 bytes" \
	--max-size 1M --url dbip-city="$F/bomb.gz"
dbfails "bytes after the gzip data" "bytes of other data after the gzip data" \
	--url dbip-city="$F/trailing.gz"
dbfails "oversize download" "larger than the limit of 100 bytes" \
	--max-size 100 --url dbip-city="$F/dbip.mmdb.gz"

# --- IPinfo: the token goes to the server and nowhere else ---
TOKEN=tok_9f8e7d6c5b4a
: >"$LOG"
IPINFO_TOKEN=$TOKEN run "$GEOATTR" update --url ipinfo-lite="$F/ipinfo_lite.mmdb" ipinfo-lite
is "$RC" 0 "ipinfo-lite installs (token from the environment)"
has "$OUT" "ipinfo-lite: installed $D/ipinfo_lite.mmdb, ipinfo lite.mmdb" "reports the IPinfo type"
has "$LOG" "/f/ipinfo_lite.mmdb?token=$TOKEN" "the token was sent as a query parameter"
hasnt "$OUT" "$TOKEN" "the token is not on stdout"
hasnt "$ERR" "$TOKEN" "the token is not on stderr"
grep -rqF "$TOKEN" "$D"
ok $((!$?)) "the token is not written into the data directory"
run "$GEOATTR" lookup --format json 150.222.10.1
jget "$OUT" 'd[0]["asn"]' >"$TMP/p"
is "$(cat "$TMP/p")" "16509" "lookup reads the ASN from it"
run "$GEOATTR" update --ipinfo-token "$TOKEN" --url ipinfo-lite="$B/status/403" ipinfo-lite
is "$RC" 6 "a refused token: exit 6"
has "$ERR" "geoattr: update: ipinfo-lite: server answered HTTP/1.0 403" "says the server refused"
hasnt "$ERR" "$TOKEN" "the token is not in the error"
run "$GEOATTR" update --ipinfo-token "$TOKEN" --list
has "$OUT" "?token=<token>" "--list shows where the token goes"
hasnt "$OUT" "$TOKEN" "--list does not show the token"

done_testing
