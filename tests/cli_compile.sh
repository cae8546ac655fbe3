#!/bin/sh
# Command-line tests of `geoattr compile`: formats, quoting, bad rows,
# --strict, the overlap rule and atomic replacement.
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

L() { "$GEOATTR" lookup --no-default-db --db "$1" --format csv "$2" | sed -n 2p; }

# Range CSV without header: ip-location-db's ASN layout, with RFC 4180 quoting.
cat > "$TMP/asn.csv" <<'CSV'
1.0.0.0,1.0.0.255,13335,"Cloudflare, Inc."
2.56.8.0,2.56.8.255,64500,"Say ""Hello"" Ltd, O'Brien & Co"
2001:db8::,2001:db8:ffff:ffff:ffff:ffff:ffff:ffff,64501,"multi
line org"
CSV
run "$GEOATTR" compile -o "$TMP/asn.mmdb" "$TMP/asn.csv"
ok $RC "range CSV with quotes compiles"
has "$ERR" "3 records: 3 stored, 0 unknown skipped, 0 rejected" "summary reconciles"
is "$(L "$TMP/asn.mmdb" 1.0.0.7 | cut -d, -f6-9)" '1.0.0.0/24,13335,"Cloudflare, Inc."' "comma inside a quoted org"
has_line() { printf '%s\n' "$1" | grep -qF -- "$2"; ok $? "$3"; }
has_line "$(L "$TMP/asn.mmdb" 2.56.8.1)" ',64500,"Say ""Hello"" Ltd, O'"'"'Brien & Co",' "csv quotes an org with quotes and a comma, quotes doubled"
run "$GEOATTR" lookup --no-default-db --db "$TMP/asn.mmdb" --format json 2.56.8.1 2001:db8::5
is "$(jget "$OUT" 'd[0]["org"]')" "Say \"Hello\" Ltd, O'Brien & Co" "doubled quotes and apostrophes survive"
is "$(jget "$OUT" 'd[1]["org"]')" "multi
line org" "quoted newline survives"
is "$(jget "$OUT" 'd[1]["asn"]')" 64501 "IPv6 range compiled"

# CIDR CSV with a header naming the columns; extra columns become fields.
printf 'network,country,note\n192.0.2.0/24,PH,test\n2001:db8:1::/48,us,\n' > "$TMP/cidr.csv"
run "$GEOATTR" compile -o "$TMP/cidr.mmdb" "$TMP/cidr.csv"
ok $RC "CIDR CSV with header compiles"
is "$(L "$TMP/cidr.mmdb" 192.0.2.200 | cut -d,  -f9)" "PH" "country from CIDR CSV"
is "$(L "$TMP/cidr.mmdb" 2001:db8:1:2::1 | cut -d, -f9)" "US" "country code upper-cased"
is "$(L "$TMP/cidr.mmdb" 192.0.3.1 | cut -d, -f9)" "" "address outside every range has no country"

# Tor's geoip format: integers, comments, ?? for unknown.
printf '# comment\n16777216,16777471,AU\n16777472,16778239,??\n' > "$TMP/geoip"
run "$GEOATTR" compile --from tor -o "$TMP/tor.mmdb" "$TMP/geoip"
ok $RC "Tor geoip format compiles"
has "$ERR" "2 records: 1 stored, 1 unknown skipped, 0 rejected" "?? rows counted as unknown, not dropped silently"
is "$(L "$TMP/tor.mmdb" 1.0.0.1 | cut -d, -f9)" "AU" "integer IPv4 range"

# Bad rows: each reported as FILE:LINE: reason; the rest still compiled.
cat > "$TMP/bad.csv" <<'CSV'
10.0.0.0,10.0.0.255,US
10.0.1.0,10.0.0.255,US
nonsense,10.0.2.255,US
10.0.3.0,10.0.3.255,USA
10.0.4.0,10.0.4.255
10.0.5.0,2001:db8::,US
10.0.6.0,10.0.6.255,"FR
CSV
run "$GEOATTR" compile --columns start,end,country -o "$TMP/bad.mmdb" "$TMP/bad.csv"
is "$RC" 1 "bad rows give exit 1 and a database"
has "$ERR" "bad.csv:2: range end is before its start" "reversed range reported with line"
has "$ERR" "bad.csv:3: " "unparsable address reported with line"
has "$ERR" "bad.csv:4: country is not a two-letter code" "bad country reported"
has "$ERR" "bad.csv:5: too few fields" "short row reported"
has "$ERR" "bad.csv:6: range start and end are of different IP versions" "mixed family reported"
has "$ERR" "bad.csv:7: " "unterminated quote reported"
has "$ERR" "7 records: 1 stored, 0 unknown skipped, 6 rejected" "every row accounted for"
is "$(L "$TMP/bad.mmdb" 10.0.0.9 | cut -d, -f9)" "US" "the good row was compiled"

# --strict: first bad row stops, nothing written, an existing file untouched.
cp "$TMP/asn.mmdb" "$TMP/keep.mmdb"
run "$GEOATTR" compile --strict --columns start,end,country -o "$TMP/keep.mmdb" "$TMP/bad.csv"
is "$RC" 3 "--strict exits 3"
has "$ERR" "bad.csv:2: range end is before its start" "--strict names the first bad row"
hasnt "$ERR" "bad.csv:3" "--strict stops at the first"
cmp -s "$TMP/asn.mmdb" "$TMP/keep.mmdb"
ok $? "--strict leaves the existing database byte-for-byte intact"
ls "$TMP"/keep.mmdb.* >/dev/null 2>&1
ok $((! $?)) "no temporary file left behind"

# Overlap rule: the later row wins over exactly the addresses it covers.
printf '10.0.0.0/8,AA\n10.1.0.0/16,BB\n10.1.2.0/24,CC\n10.0.0.0/16,DD\n' > "$TMP/ov.csv"
run "$GEOATTR" compile --columns network,country -o "$TMP/ov.mmdb" "$TMP/ov.csv"
ok $RC "overlapping rows compile"
has "$ERR" "3 overlapped earlier rows" "overlaps are counted"
is "$(L "$TMP/ov.mmdb" 10.1.2.3 | cut -d, -f9)" "CC" "most recent covering row wins (10.1.2.3)"
is "$(L "$TMP/ov.mmdb" 10.1.3.3 | cut -d, -f9)" "BB" "earlier row keeps the rest (10.1.3.3)"
is "$(L "$TMP/ov.mmdb" 10.0.9.9 | cut -d, -f9)" "DD" "later /16 replaces part of the /8"
is "$(L "$TMP/ov.mmdb" 10.200.0.1 | cut -d, -f9)" "AA" "rest of the /8 keeps its value"

# Standard input, and usage errors.
run sh -c "printf '1.2.3.0/24,DE\n' | \"$GEOATTR\" compile --quiet -o \"$TMP/stdin.mmdb\" -"
ok $RC "compile reads standard input"
is "$(cat "$ERR")" "" "--quiet prints nothing on success"
run "$GEOATTR" compile "$TMP/asn.csv"
is "$RC" 2 "missing -o is a usage error"
run "$GEOATTR" compile -o "$TMP/x.mmdb" "$TMP/does-not-exist.csv"
is "$RC" 5 "unreadable input exits 5"
has "$ERR" "does-not-exist.csv: cannot read" "unreadable input named"
run "$GEOATTR" compile --record-size 20 -o "$TMP/x.mmdb" "$TMP/asn.csv"
is "$RC" 2 "bad record size is a usage error"

# Inputs over a megabyte are parsed on a second thread while the first
# inserts: the database, the messages and the counts must be those of one
# thread, bad rows and overlaps included, and --strict must stop at the
# same row.  (GEOATTR_THREADS=1 runs both stages on one thread.)
awk 'BEGIN {
	for (i = 0; i < 60000; i++) {
		a = int(i / 256) % 256; b = i % 256
		if (i == 1234) print "1.2.3.x,1.2.3.9,64500,bad start"
		else if (i == 40000) print "9.9.9.9,9.9.9.0,64501,end before start"
		else if (i == 50000) print "11.0.0.0,11.255.255.255,64502,overlaps later rows"
		else printf "11.%d.%d.0,11.%d.%d.255,%d,\"Holder %d, Inc.\"\n", a, b, a, b, 64512 + i % 700, i % 700
	}
}' > "$TMP/big.csv"
test "$(wc -c < "$TMP/big.csv")" -gt 1100000
ok $? "the big input is over a megabyte (threaded path)"
for t in 1 2; do
	# The same output name each time: the summary line names it.
	GEOATTR_THREADS=$t SOURCE_DATE_EPOCH=1700000000 "$GEOATTR" compile \
	    -o "$TMP/big.mmdb" "$TMP/big.csv" 2> "$TMP/big$t.err"
	echo $? > "$TMP/big$t.rc"
	mv "$TMP/big.mmdb" "$TMP/big$t.mmdb"
	GEOATTR_THREADS=$t "$GEOATTR" compile --strict \
	    -o "$TMP/big.mmdb" "$TMP/big.csv" 2> "$TMP/bigs$t.err"
	echo $? > "$TMP/bigs$t.rc"
done
cmp -s "$TMP/big1.mmdb" "$TMP/big2.mmdb"
ok $? "one thread and two build the same database, byte for byte"
is "$(cat "$TMP/big2.err")" "$(cat "$TMP/big1.err")" "one thread and two print the same messages"
is "$(cat "$TMP/big2.rc")" "$(cat "$TMP/big1.rc")" "one thread and two exit alike"
has "$TMP/big2.err" "big.csv:1235: " "a bad row is named by its line"
has "$TMP/big2.err" "big.csv:40001: range end is before its start" "a later bad row too"
has "$TMP/big2.err" "60000 records: 59998 stored, 0 unknown skipped, 2 rejected" "the counts reconcile"
is "$(cat "$TMP/bigs2.err")" "$(cat "$TMP/bigs1.err")" "--strict stops at the same row on two threads"
hasnt "$TMP/bigs2.err" "big.csv:40001" "--strict reports nothing after the first bad row"
is "$(L "$TMP/big2.mmdb" 11.0.1.7 | cut -d, -f7)" "64502" "the overlapping row replaces what it covers"

# --list-keys names, in the metadata, every top-level field the records
# hold; geoattr reads such a file alike (only faster), and the plain
# output carries no metadata other readers do not know.
printf '1.0.0.0,1.0.0.255,13335,"Cloudflare, Inc.",Sydney\n' > "$TMP/keys.csv"
"$GEOATTR" compile --quiet --columns start,end,asn,org,city -o "$TMP/plain.mmdb" "$TMP/keys.csv"
"$GEOATTR" compile --quiet --list-keys --columns start,end,asn,org,city -o "$TMP/keys.mmdb" "$TMP/keys.csv"
grep -q geoattr_keys "$TMP/plain.mmdb"
ok $((! $?)) "plain output has no geoattr_keys"
grep -aq "autonomous_system_number autonomous_system_organization city" "$TMP/keys.mmdb"
ok $? "--list-keys lists the fields of the layout"
is "$("$GEOATTR" lookup --no-default-db --db "$TMP/keys.mmdb" -f json 1.0.0.1 | sed 's/keys.mmdb/X/g')" \
   "$("$GEOATTR" lookup --no-default-db --db "$TMP/plain.mmdb" -f json 1.0.0.1 | sed 's/plain.mmdb/X/g')" \
   "a listed file answers as the plain one (asn, org and the extra city field)"

done_testing
