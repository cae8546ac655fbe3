#!/bin/sh
# `geoattr sources` and database discovery: attribution, order, the user
# directory, GEOATTR_DB_PATH, MaxMind's own test databases, corrupt files.
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

run "$GEOATTR" sources
ok $RC "sources exits 0"
has "$OUT" "[A] ip-location-db" "country source A is ip-location-db"
has "$OUT" "[B] ipfire" "country source B is IPFire"
has "$OUT" "ip-location-db-asn" "ASN source listed"
has "$OUT" "nro.net" "NRO attribution shown"
has "$OUT" "routeviews.org" "RouteViews attribution shown"
has "$OUT" "https://db-ip.com" "DB-IP attribution with link shown"
has "$OUT" "location.ipfire.org" "IPFire attribution shown"
has "$OUT" "CC BY-SA 4.0" "IPFire licence shown"
has "$OUT" "data date    2026-06-17" "data date shown"

run "$GEOATTR" sources --format json
ok $RC "sources --format json exits 0"
is "$(jget "$OUT" 'len([s for s in d["sources"] if s["name"] != "snapshots"])')" 3 "three embedded databases"
is "$(jget "$OUT" '[s["provides"] for s in d["sources"][:3]]')" "['asn', 'country', 'country']" "what each source provides"
is "$(jget "$OUT" '" ".join(t["name"]+"@"+t["date"] for t in d["type_tiers"] if t["name"].startswith("snapshot-"))')" \
   "snapshot-aws@2026-08-21 snapshot-azure@2025-07-22 snapshot-cloudflare@2024-10-29 snapshot-digitalocean@2025-07-22 snapshot-fastly@2024-10-08 snapshot-google@2026-08-21 snapshot-icloud@2026-08-17 snapshot-linode@2025-07-24 snapshot-mullvad@2025-10-30 snapshot-oracle@2026-07-27 snapshot-tor@2024-11-15 snapshot-tor@2025-02-15 snapshot-tor@2025-06-25 snapshot-tor@2025-11-15 snapshot-tor@2026-03-15" \
   "eleven providers' snapshots, the Tor exit list of five dates, each with its date"
is "$(jget "$OUT" '[s["snapshots"].count(";") + 1 for s in d["sources"] if s["name"] == "snapshots"]')" "[15]" \
   "the fifteen are one database (snapshots.mmdb), which lists its members"
is "$(jget "$OUT" 'all(t["networks"] > 0 for t in d["type_tiers"] if t["name"].startswith("snapshot-"))')" "True" \
   "every member answers for some networks"
is "$(jget "$OUT" 'd["sources"][1]["data_date"]')" "2026-06-17" "data date in JSON"
n=$(jget "$OUT" 'd["sources"][0]["networks"]')
[ "$n" -gt 400000 ]
ok $? "ASN database holds over 400,000 networks ($n)"
is "$(jget "$OUT" 'd["sources"][2]["build_date"]')" "2026-06-17" "reproducible build date (SOURCE_DATE_EPOCH)"

# A copy in the user data directory replaces the embedded file of that name.
mkdir -p "$XDG_DATA_HOME/geoattr"
printf '8.8.8.0/24,ZZ\n8.8.8.0/24,NZ\n' > "$TMP/u.csv"
"$GEOATTR" compile --quiet --source-name user-copy -o "$XDG_DATA_HOME/geoattr/ipfire-country.mmdb" "$TMP/u.csv"
run "$GEOATTR" lookup --format json 8.8.8.8
is "$(jget "$OUT" '[c["source"]+"="+c["country"] for c in d[0]["countries"]]')" "['user-copy=NZ', 'ip-location-db=US']" "user directory first, replacing the embedded file of the same name"
rm -rf "$XDG_DATA_HOME/geoattr"

mm="$MMDB_TESTDATA/test-data"
if [ -d "$mm" ]; then
	# Vendor schemas through --db: City (GeoIP2) and ASN (GeoLite2).
	run "$GEOATTR" lookup --no-default-db --db "$mm/GeoIP2-City-Test.mmdb" --db "$mm/GeoLite2-ASN-Test.mmdb" --format json 81.2.69.142 1.128.0.0
	ok $RC "MaxMind test databases open"
	is "$(jget "$OUT" 'd[0]["countries"][0]["country"]+" "+d[0]["countries"][0]["city"]')" "GB London" "GeoIP2 City schema: country and city"
	is "$(jget "$OUT" 'd[1]["asn"]')" 1221 "GeoLite2 ASN schema: ASN"
	is "$(jget "$OUT" 'd[1]["org"]')" "Telstra Pty Ltd" "GeoLite2 ASN schema: org"
	run "$GEOATTR" sources --no-default-db --db "$mm/GeoLite2-Country-Test.mmdb"
	has "$OUT" "GeoLite2 End User License Agreement" "GeoLite2 licence recognised"

	# A directory on GEOATTR_DB_PATH mixing good and corrupt files: the
	# bad ones are named, the good ones work.
	mkdir -p "$TMP/dbs"
	cp "$mm/GeoIP2-Country-Test.mmdb" "$TMP/dbs/a-good.mmdb"
	cp "$mm/GeoIP2-City-Test-Invalid-Node-Count.mmdb" "$TMP/dbs/b-bad.mmdb"
	head -c 3000 "$mm/GeoIP2-Country-Test.mmdb" > "$TMP/dbs/c-truncated.mmdb"
	printf 'not a database\n' > "$TMP/dbs/d-text.mmdb"
	GEOATTR_DB_PATH="$TMP/dbs" run "$GEOATTR" lookup --no-default-db --format json 2001:218::1
	ok $RC "corrupt files on the path do not stop lookups"
	is "$(jget "$OUT" 'd[0]["countries"][0]["country"]')" "JP" "the good file answers"
	has "$ERR" "b-bad.mmdb: cannot open database" "invalid metadata named"
	has "$ERR" "c-truncated.mmdb: cannot open database" "truncated file named"
	has "$ERR" "d-text.mmdb: cannot open database" "text file named"

	# Named with --db, a bad file is an error (exit 4): the user asked for it.
	run "$GEOATTR" lookup --db "$TMP/dbs/b-bad.mmdb" 8.8.8.8
	is "$RC" 4 "a bad --db file exits 4"
	run "$GEOATTR" lookup --no-default-db --db "$mm/MaxMind-DB-test-decoder.mmdb" 1.1.1.1
	is "$RC" 4 "a database with no country/ASN data is refused"
	has "$ERR" "unknown schema" "unknown schema explained"
else
	echo "# MaxMind test data not found at $mm: vendor-schema tests skipped"
fi

run "$GEOATTR" sources --paths
has "$OUT" "/var/lib/GeoIP" "geoipupdate directories searched"
run "$GEOATTR" sources extra
is "$RC" 2 "unexpected argument is a usage error"
done_testing
