#!/bin/sh
# Command-line tests of `geoattr lookup` on the embedded data.
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

run "$GEOATTR" lookup --format json 8.8.8.8 2001:4860:4860::8888 1.1.1.1 \
	10.1.2.3 192.0.2.7 100.64.1.1 112.198.0.1
ok $RC "lookup of known addresses exits 0"
J=$TMP/known.json
cp "$OUT" "$J"
is "$(jget "$OUT" 'd[0]["asn"]')" 15169 "8.8.8.8 is AS15169"
is "$(jget "$OUT" 'd[0]["org"]')" "Google LLC" "8.8.8.8 is held by Google LLC"
is "$(jget "$OUT" 'd[0]["network"]')" "8.8.8.0/24" "8.8.8.8 matched prefix"
is "$(jget "$OUT" 'd[0]["special_use"]')" None "8.8.8.8 is not special-use"
is "$(jget "$OUT" '[c["country"] for c in d[0]["countries"]]')" "['US', 'US']" "8.8.8.8 placed in US by both sources"
is "$(jget "$OUT" '[c["source"] for c in d[0]["countries"]]')" "['ip-location-db', 'ipfire']" "two independent country sources"
is "$(jget "$OUT" 'd[1]["asn"]')" 15169 "2001:4860:4860::8888 is AS15169"
is "$(jget "$OUT" 'd[1]["ip_version"]')" 6 "IPv6 reported as version 6"
is "$(jget "$OUT" 'd[2]["asn"]')" 13335 "1.1.1.1 is AS13335"
is "$(jget "$OUT" 'd[3]["special_use"]["rfc"]')" "RFC 1918" "10.1.2.3 is RFC 1918"
is "$(jget "$OUT" 'd[3]["special_use"]["class"]')" "private" "10.1.2.3 class private"
is "$(jget "$OUT" 'd[4]["special_use"]["rfc"]')" "RFC 5737" "192.0.2.7 is RFC 5737"
is "$(jget "$OUT" 'd[5]["special_use"]["rfc"]')" "RFC 6598" "100.64.1.1 is RFC 6598"
is "$(jget "$OUT" 'd[5]["asn"]')" None "100.64.1.1 has no ASN"
is "$(jget "$OUT" '[c["country"] for c in d[6]["countries"]]')" "['PH', 'PH']" "112.198.0.1 (a Philippine ISP block) is PH"

# Network types: curated ASN, anycast prefix, special-use, name rules.
is "$(jget "$J" 'd[0]["network_type"]["type"]')" cdn "8.8.8.8 is an anycast resolver (cdn)"
is "$(jget "$J" 'd[0]["network_type"]["basis"]')" "anycast prefix" "basis of 8.8.8.8's type"
is "$(jget "$J" 'd[3]["network_type"]["type"]')" special-use "10.1.2.3 type special-use"
is "$(jget "$J" 'd[6]["network_type"]["type"]+" "+d[6]["network_type"]["confidence"]')" "isp high" "Globe Telecom is a curated ISP"
run "$GEOATTR" lookup --format json 13.250.0.10
is "$(jget "$OUT" 'd[0]["network_type"]["type"]+" "+d[0]["network_type"]["basis"]')" "hosting aws snapshot of 2026-08-21" "an AWS address is hosting, from the embedded AWS snapshot"
run "$GEOATTR" lookup --format ndjson 13.250.0.10
has "$OUT" '"network_type":{"type":"hosting","basis":"aws snapshot of 2026-08-21","tier":"provider","confidence":"high"' "ndjson carries the network type and its tier"

# IPv4-mapped IPv6 is looked up as IPv4.
run "$GEOATTR" lookup --format json ::ffff:8.8.8.8
is "$(jget "$OUT" 'd[0]["address"]')" "8.8.8.8" "::ffff:8.8.8.8 normalised to 8.8.8.8"
is "$(jget "$OUT" 'd[0]["asn"]')" 15169 "mapped address answered as IPv4"

# Text output for people.
run "$GEOATTR" lookup 8.8.8.8 10.1.2.3
ok $RC "text lookup exits 0"
has "$OUT" "AS15169 Google LLC" "text shows ASN and org"
has "$OUT" "US United States" "text shows country code and name"
has "$OUT" "RFC 1918" "text shows the RFC of a special-use address"

# Prefixes and ranges.
run "$GEOATTR" lookup --format json 203.0.113.0/24 8.8.8.0-8.8.9.255
ok $RC "prefix and range accepted"
is "$(jget "$OUT" 'd[0]["query_network"]')" "203.0.113.0/24" "prefix kept as a network"
is "$(jget "$OUT" 'd[0]["special_use"]["rfc"]')" "RFC 5737" "documentation prefix recognised"
is "$(jget "$OUT" 'd[1]["query_network"]')" "8.8.8.0/23" "aligned range shown as a prefix"
is "$(jget "$OUT" 'd[1]["network_split"]')" True "range spanning two ASN blocks is flagged as split"

# Standard input, with comments, blank lines, CRLF and one bad line.
printf '# cited list\r\n8.8.8.8\r\n\r\n  1.1.1.1\nnot-an-ip\n2001:db8::1\n' > "$TMP/in.txt"
run sh -c "\"$GEOATTR\" lookup --format ndjson - < \"$TMP/in.txt\""
is "$RC" 1 "a bad stdin line gives exit 1"
is "$(wc -l < "$OUT" | tr -d ' ')" 4 "three answers and one error object: nothing dropped"
has "$ERR" "geoattr: (stdin):5: not an IP address" "bad line reported with its line number"
has "$OUT" '"error":"not an IP address"' "error object in ndjson"
has "$OUT" '"rfc":"RFC 3849"' "2001:db8::1 documentation (RFC 3849)"

# CSV: header plus one row per input, org names quoted.
run "$GEOATTR" lookup --format csv 1.1.1.1 bogus
is "$RC" 1 "csv with a bad input exits 1"
is "$(head -1 "$OUT")" "input,address,ip_version,special_use,special_rfc,network,asn,org,country_ip-location-db,country_ipfire,sources_agree,network_type,type_basis,type_confidence,type_tier,provider_region,error" "csv header"
has "$OUT" '1.1.1.1,1.1.1.1,4,,,1.1.1.0/24,13335,"Cloudflare, Inc.",AU,AU,yes,cdn,anycast prefix,high,curated,,' "csv row quotes the org name, shows the network type and its tier"
has "$OUT" 'bogus,,,,,,,,,,,,,,,,not an IP address' "csv error row keeps the column count"
is "$("${PYTHON3:-python3}" -c 'import csv,sys; print(sorted({len(r) for r in csv.reader(open(sys.argv[1]))}))' "$OUT")" "[17]" "every csv row has the header's 17 columns"

# Usage errors.
run "$GEOATTR" lookup
is "$RC" 2 "no arguments is a usage error"
has "$ERR" "geoattr: lookup:" "usage error names the command"
run "$GEOATTR" lookup --format yaml 8.8.8.8
is "$RC" 2 "unknown format is a usage error"
run "$GEOATTR" lookup --help
is "$RC" 0 "--help exits 0"
has "$OUT" "Usage: geoattr lookup" "--help prints usage on stdout"

# No database at all.
run "$GEOATTR" lookup --no-default-db 8.8.8.8
is "$RC" 4 "no database gives exit 4"
has "$ERR" "no usable database" "no database is explained"

done_testing
