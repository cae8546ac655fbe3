#!/bin/sh
# `geoattr lookup --online rdap` against a real HTTPS server on 127.0.0.1
# (tests/rdapserver.py, certificate made here): registry data shown, the
# cache used the second time, nothing sent with --rdap-cache-only, and no
# RDAP traffic at all without --online.
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

SPID=
trap '[ -n "$SPID" ] && kill "$SPID" 2>/dev/null; rm -rf "$TMP"' EXIT
start_rdap_server
BOOT="https://127.0.0.1:$SPORT/bootstrap/ipv4.json"
export XDG_CACHE_HOME="$TMP/cache"

run "$GEOATTR" lookup 8.8.8.8
is "$(wc -l < "$LOG" | tr -d ' ')" 0 "no RDAP traffic without --online"

run "$GEOATTR" lookup --format json --online rdap --rdap-bootstrap "$BOOT" --cacert "$TMP/s.pem" 8.8.8.8
ok $RC "lookup --online rdap exits 0"
is "$(jget "$OUT" 'd[0]["registration"]["network"]')" "8.8.8.0/24" "registry network"
is "$(jget "$OUT" 'd[0]["registration"]["from_cache"]')" False "first answer fetched"
is "$(jget "$OUT" 'd[0]["asn"]')" 15169 "the offline answer is still there"
has "$LOG" "accept=application/rdap+json" "RDAP Accept header sent"
n=$(grep -c '/rdap/ip/' "$LOG")
run "$GEOATTR" lookup --online rdap --rdap-bootstrap "$BOOT" --cacert "$TMP/s.pem" 8.8.8.8
has "$OUT" "RDAP cache" "second lookup answered from the cache"
is "$(grep -c '/rdap/ip/' "$LOG")" "$n" "no second query sent"
run "$GEOATTR" lookup --online rdap --rdap-cache-only 1.1.1.1
is "$RC" 6 "cache-only with no cached answer exits 6"
has "$ERR" "nothing was sent" "says nothing was sent"
is "$(grep -c '/rdap/ip/1.1.1.1' "$LOG")" 0 "the server saw no query for it"
XDG_CACHE_HOME="$TMP/cache2" run "$GEOATTR" lookup --online rdap --rdap-bootstrap "$BOOT" 8.8.8.8
is "$RC" 6 "an untrusted certificate fails the RDAP query (exit 6)"
has "$ERR" "geoattr: rdap: " "the failure is reported"
hasnt "$OUT" "registry  " "and no registry data is shown"
run "$GEOATTR" lookup --online whois 8.8.8.8
is "$RC" 2 "--online takes only rdap"
run "$GEOATTR" lookup --format csv --online rdap 8.8.8.8
is "$RC" 2 "rdap needs text or json output"
done_testing
