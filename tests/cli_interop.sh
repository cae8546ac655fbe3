#!/bin/sh
# Files written by geoattr read back identically with mmdblookup (mmdb-bin)
# and Python's maxminddb module (python3-maxminddb).
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

MMDBLOOKUP=${MMDBLOOKUP:-$(command -v mmdblookup)}
PY=${PYTHON3:-python3}
have_py=0
"$PY" -c 'import maxminddb' 2>/dev/null && have_py=1
if [ -z "$MMDBLOOKUP" ] && [ $have_py -eq 0 ]; then
	skip_all "neither mmdblookup nor python3-maxminddb installed"
fi

cat > "$TMP/in.csv" <<'CSV'
network,asn,org,country
1.0.0.0/24,13335,"Cloudflare, Inc.",AU
8.8.8.0/24,15169,Google LLC,US
2001:4860::/32,15169,Google LLC,US
203.0.113.0-203.0.113.77,64500,"Doc ""Net""",PH
CSV
for rs in 24 28 32; do
	run "$GEOATTR" compile --quiet --record-size $rs -o "$TMP/db$rs.mmdb" "$TMP/in.csv"
	ok $RC "compile with $rs-bit records"
done

for rs in 24 28 32; do
	db="$TMP/db$rs.mmdb"
	if [ -n "$MMDBLOOKUP" ]; then
		"$MMDBLOOKUP" --file "$db" --ip 8.8.8.8 autonomous_system_number > "$OUT" 2>&1
		has "$OUT" "15169" "mmdblookup reads ASN ($rs-bit)"
		"$MMDBLOOKUP" --file "$db" --ip 1.0.0.1 autonomous_system_organization > "$OUT" 2>&1
		has "$OUT" '"Cloudflare, Inc."' "mmdblookup reads org ($rs-bit)"
		"$MMDBLOOKUP" --file "$db" --ip ::ffff:8.8.8.8 country iso_code > "$OUT" 2>&1
		has "$OUT" '"US"' "mmdblookup finds IPv4 through ::ffff:0:0/96 ($rs-bit)"
		"$MMDBLOOKUP" --file "$db" --ip 203.0.113.78 > "$OUT" 2>&1
		has "$OUT" "Could not find an entry" "mmdblookup: address past the range end is absent ($rs-bit)"
	fi
	if [ $have_py -eq 1 ]; then
		"$PY" - "$db" > "$OUT" 2>&1 <<'PY'
import sys, maxminddb
r = maxminddb.open_database(sys.argv[1])
got = []
for ip in ["1.0.0.1", "8.8.8.8", "2001:4860:4860::8888", "203.0.113.77", "203.0.113.78", "9.9.9.9"]:
    rec, plen = r.get_with_prefix_len(ip)
    got.append("%s %s %s" % (ip, plen, None if rec is None else (rec.get("autonomous_system_number"), rec.get("autonomous_system_organization"), rec.get("country", {}).get("iso_code"))))
m = r.metadata()
got.append("meta %s %s %s" % (m.ip_version, m.record_size, m.binary_format_major_version))
print("\n".join(got))
PY
		has "$OUT" "1.0.0.1 24 (13335, 'Cloudflare, Inc.', 'AU')" "python reads record and prefix ($rs-bit)"
		has "$OUT" "2001:4860:4860::8888 32 (15169, 'Google LLC', 'US')" "python reads IPv6 ($rs-bit)"
		has "$OUT" "203.0.113.77 31 (64500, 'Doc \"Net\"', 'PH')" "python: last address of a range ($rs-bit)"
		has "$OUT" "203.0.113.78 " "python: after the range"
		hasnt "$OUT" "203.0.113.78 32 (64500" "python: address after the range is not in it ($rs-bit)"
		has "$OUT" "meta 6 $rs 2" "python reads metadata ($rs-bit)"
	fi
	# geoattr's own reading agrees with the others.
	run "$GEOATTR" lookup --no-default-db --db "$db" --format json 203.0.113.77 8.8.8.8
	is "$(jget "$OUT" '(d[0]["asn"], d[1]["countries"][0]["country"])')" "(64500, 'US')" "geoattr reads its own file ($rs-bit)"
done

# The embedded databases themselves read back with the other readers.
if [ $have_py -eq 1 ] && [ -f "$GEOATTR_GEO/ip-location-db-asn.mmdb" ]; then
	"$PY" -c 'import sys,maxminddb; r=maxminddb.open_database(sys.argv[1]); print(r.get("8.8.8.8")["autonomous_system_number"], r.get("2001:4860:4860::8888")["autonomous_system_number"])' "$GEOATTR_GEO/ip-location-db-asn.mmdb" > "$OUT" 2>&1
	is "$(cat "$OUT")" "15169 15169" "python reads the embedded ASN database"
fi
done_testing
