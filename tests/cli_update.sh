#!/bin/sh
# cli_update.sh - `geoattr update` against a real HTTP(S) server on
# 127.0.0.1 (tests/feedserver.py): every feed format, conditional requests,
# and every failure mode, each of which must leave the previous feed file
# byte for byte.
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

PY=${PYTHON3:-python3}
command -v "$PY" >/dev/null 2>&1 || skip_all "python3 not found"
FIX="$TESTS_SRCDIR/data/feeds"
D="$XDG_DATA_HOME/geoattr"
LOG="$TMP/server.log"
PIDS=

# Kill only the servers this test started, then clean up.
trap 'for p in $PIDS; do kill "$p" 2>/dev/null; done; rm -rf "$TMP"' EXIT

# start_server PORTFILE [ARGS...]: the fixtures' server; sets SPORT.
start_server() {
	start_feedserver "$FIX" "$@"
}

start_server "$TMP/port"
[ -n "$SPORT" ] || skip_all "the test server did not start"
B="http://127.0.0.1:$SPORT"
F="$B/f"

# --- nothing installed yet; --list and --offline touch no network ---
run "$GEOATTR" update --list
is "$RC" 0 "update --list exits 0"
has "$OUT" "aws            hosting  missing" "--list shows aws missing"
has "$OUT" "https://ip-ranges.amazonaws.com/ip-ranges.json" "--list shows the default URL"
run "$GEOATTR" update --offline
is "$RC" 0 "update --offline exits 0"
[ ! -s "$LOG" ]
ok $? "--list/--offline made no request"

# --- usage ---
run "$GEOATTR" update --insecure
is "$RC" 2 "there is no --insecure"
run "$GEOATTR" update nosuchfeed
is "$RC" 2 "unknown feed is a usage error"
run "$GEOATTR" update --url aws
is "$RC" 2 "--url without NAME=URL is a usage error"
run "$GEOATTR" update --geofeed x=y --type martian
is "$RC" 2 "unknown --type is a usage error"
run "$GEOATTR" update azure
is "$RC" 2 "azure without --azure is a usage error"

# --- every feed format, from the local server ---
run "$GEOATTR" update \
	--url aws="$F/aws-ip-ranges.json" --url google="$F/gcp-cloud.json" \
	--url oracle="$F/oracle-public_ip_ranges.json" \
	--url cloudflare="$F/cloudflare-ips-v4.txt" --url cloudflare="$F/cloudflare-ips-v6.txt" \
	--url fastly="$F/fastly-public-ip-list.json" \
	--url digitalocean="$F/digitalocean-geofeed.csv" --url linode="$F/linode-geofeed.csv" \
	--url icloud="$F/icloud-egress.csv" --url tor="$F/tor-exits.txt" \
	--url mullvad="$F/mullvad-relays.json" --url protonvpn="$B/redirect/proton-logicals.json" \
	--azure "$FIX/azure-servicetags.json" \
	--geofeed example="$F/geofeed-badlines.csv" --type isp
is "$RC" 0 "update of every feed exits 0"
for n in aws google oracle cloudflare fastly digitalocean linode icloud tor mullvad protonvpn azure example; do
	[ -s "$D/feed-$n.mmdb" ]
	ok $? "feed-$n.mmdb written"
done
has "$OUT" "aws: updated, 75 prefixes (0 invalid entries skipped), data of 2021-01-27" "aws: count and feed date"
has "$OUT" "cloudflare: updated, 22 prefixes" "cloudflare: both files"
has "$OUT" "protonvpn: updated, 5 prefixes" "protonvpn: through a redirect"
has "$OUT" "example: updated, 3 prefixes (2 invalid entries skipped)" "geofeed: bad lines skipped"
has "$ERR" "geoattr: update: example:3: host bits set" "geofeed: bad line reported as FEED:LINE"
ls "$D"/*.tmp >/dev/null 2>&1
ok $((!$?)) "no temporary file left"

run "$GEOATTR" sources --format json
jget "$OUT" '[s["provides"] for s in d["sources"] if s["name"]=="feed-aws"][0]' >"$TMP/p"
is "$(cat "$TMP/p")" "network-type" "sources lists feed-aws as a network-type source"
jget "$OUT" '[s["data_date"] for s in d["sources"] if s["name"]=="feed-google"][0]' >"$TMP/p"
is "$(cat "$TMP/p")" "2024-05-24" "feed-google data date from creationTime"
jget "$OUT" 'len([s for s in d["sources"] if s["name"].startswith("feed-")])' >"$TMP/p"
is "$(cat "$TMP/p")" "13" "sources lists 13 feeds"

printf '52.4.0.1\n' >"$TMP/a.txt"
run "$GEOATTR" check -d --format json "$TMP/a.txt"
jget "$OUT" 'd["entries"][0]["network_type"]["type"]' >"$TMP/p"
is "$(cat "$TMP/p")" "hosting" "check: AWS address is hosting"
jget "$OUT" 'd["entries"][0]["network_type"]["basis"]' >"$TMP/p"
is "$(cat "$TMP/p")" "feed aws" "check: basis is the aws feed"
jget "$OUT" '[t["type"] for t in d["network_types"]]' >"$TMP/p"
is "$(cat "$TMP/p")" "['hosting']" "check: network_types lists hosting"
jget "$OUT" 'd["entries"][0]["provider_says"]["region"] is not None' >"$TMP/p"
is "$(cat "$TMP/p")" "True" "check: the provider's region is in the entry"
run "$GEOATTR" check -d "$TMP/a.txt"
has "$OUT" "aws says" "check --details: the provider's own location beside the databases"
run "$GEOATTR" lookup 52.4.0.1
has "$OUT" "provider  aws says" "lookup: the provider's own location"
printf '185.220.101.1\n185.195.233.76\n104.16.0.1\n13.33.0.1\n' >"$TMP/b.txt"
run "$GEOATTR" check -f csv "$TMP/b.txt"
has "$OUT" "tor,feed tor,high" "check: Tor exit from the tor feed"
has "$OUT" "vpn,feed mullvad,high" "check: Mullvad relay from the mullvad feed"
has "$OUT" "cdn,feed cloudflare,high" "check: Cloudflare from the cloudflare feed"
has "$OUT" "cdn,feed aws,high" "check: CloudFront prefix typed cdn"

run "$GEOATTR" update --list
has "$OUT" "aws            hosting  installed" "--list shows aws installed"
has "$OUT" "2021-01-27" "--list shows the data date"

# --- 304 Not Modified: the file is untouched ---
cp "$D/feed-aws.mmdb" "$TMP/aws.before"
: >"$LOG"
sleep 1
run "$GEOATTR" update --url aws="$F/aws-ip-ranges.json" aws
is "$RC" 0 "second update exits 0"
has "$OUT" "aws: up to date" "304 reported as up to date"
has "$LOG" 'inm="' "If-None-Match sent"
cmp -s "$D/feed-aws.mmdb" "$TMP/aws.before"
ok $? "304: file byte for byte"
[ "$(find "$D/feed-aws.mmdb" -newer "$TMP/aws.before" | wc -l)" -eq 0 ]
ok $? "304: file not rewritten"

# --- failures: exit 6, a message, the previous file intact ---
fails() {   # fails DESCRIPTION FEED EXPECTED-MESSAGE ARGS...
	desc=$1 feed=$2 msg=$3
	shift 3
	cp "$D/feed-$feed.mmdb" "$TMP/before"
	run "$GEOATTR" update "$@" "$feed"
	is "$RC" 6 "$desc: exit 6"
	has "$ERR" "geoattr: update: $feed: $msg" "$desc: says why"
	cmp -s "$D/feed-$feed.mmdb" "$TMP/before"
	ok $? "$desc: previous file byte for byte"
	ls "$D"/*.tmp >/dev/null 2>&1
	ok $((!$?)) "$desc: no temporary file left"
}
fails "404" aws "server answered HTTP/1.0 404" --url aws="$B/status/404"
fails "500" aws "server answered HTTP/1.0 500" --url aws="$B/status/500"
fails "missing fixture" aws "server answered HTTP/1.0 404" --url aws="$F/nosuch.json"
fails "slow server" aws "timed out after 2 s" --timeout 2 --url aws="$B/slow"
fails "truncated body" tor "download incomplete" --url tor="$B/truncated"
fails "oversize with length" tor "answer larger than the limit of 10000 bytes" --max-size 10000 --url tor="$B/big/200000"
fails "oversize chunked" tor "answer larger than the limit of 10000 bytes" --max-size 10000 --url tor="$B/bigchunked/200000"
fails "invalid JSON" aws "invalid JSON: line" --url aws="$F/invalid.json"
fails "JSON of the wrong shape" aws "no valid prefix in the document" --url aws="$F/gcp-cloud.json"
fails "invalid CSV" digitalocean "invalid CSV at line 2" --url digitalocean="$F/invalid.csv"
fails "error page" linode "no valid prefix" --url linode="$F/errorpage.html"
fails "JSON without prefixes" aws "not an AWS ip-ranges.json: no \"prefixes\" array" --url aws="$F/fastly-public-ip-list.json"
fails "redirect loop" aws "more than 5 redirects" --url aws="$B/loop"
fails "connection refused" aws "" --url aws="http://127.0.0.1:1/x"
fails "one file of two" cloudflare "server answered" --url cloudflare="$F/cloudflare-ips-v4.txt" --url cloudflare="$B/status/404"

# One feed failing does not stop the others; the exit status says so.
run "$GEOATTR" update --url aws="$B/status/500" --url tor="$F/tor-exits.txt" aws tor
is "$RC" 6 "one failure among two feeds: exit 6"
has "$OUT" "tor: up to date" "the other feed still ran"

# --- TLS: the test's own CA is trusted only through --cacert ---
if command -v openssl >/dev/null 2>&1 &&
   openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TMP/a.key" -out "$TMP/a.pem" \
	-days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1 &&
   openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TMP/b.key" -out "$TMP/b.pem" \
	-days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1; then
	start_server "$TMP/tlsport" --tls "$TMP/a.pem" "$TMP/a.key"
	S="https://127.0.0.1:$SPORT/f"
	rm -f "$D/feed-fastly.etag"
	run "$GEOATTR" update --cacert "$TMP/a.pem" --url fastly="$S/fastly-public-ip-list.json" fastly
	is "$RC" 0 "https with --cacert of the server's CA"
	has "$OUT" "fastly: updated, 21 prefixes" "https: feed compiled"
	fails "wrong certificate" fastly "TLS" --cacert "$TMP/b.pem" --url fastly="$S/fastly-public-ip-list.json"
	fails "system store only" fastly "TLS" --url fastly="$S/fastly-public-ip-list.json"
	run "$GEOATTR" update --cacert "$TMP/nosuch.pem" fastly
	is "$RC" 5 "unreadable --cacert: exit 5"
else
	echo "# openssl not available: TLS cases skipped"
fi

done_testing
