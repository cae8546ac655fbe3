#!/bin/sh
# Command-line tests of `geoattr check`: whole reports on lists built for
# the purpose, each input format, the claim, caveats, exit codes.
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"
D="$TESTS_SRCDIR/data"
S="$TESTS_SRCDIR/../samples/claims"

# A plain list: 13 entries, one duplicate, one bad line, two special-use.
run "$GEOATTR" check --format json --claim PH --claimed-share 75% --claim-date 2024-02-07 "$D/check-ph-mixed.txt"
is "$RC" 1 "a rejected line gives exit 1"
has "$ERR" "check-ph-mixed.txt:14: not an IP address" "rejection named FILE:LINE: reason"
J=$OUT
is "$(jget "$J" '[d["input"][k] for k in ("items","accepted","duplicates","rejected","unique")]')" "[13, 12, 1, 1, 11]" "accounting: 13 = 12 accepted + 1 rejected; 11 unique"
is "$(jget "$J" 'd["input"]["items"] == d["input"]["accepted"] + d["input"]["rejected"]')" True "items reconcile"
is "$(jget "$J" 'd["input"]["files"][0]["format"]')" list "list format detected"
is "$(jget "$J" 'round(d["verdict"]["claimed_country_share"]["A"], 4)')" 0.4545 "PH share by A: 5 of 11"
is "$(jget "$J" 'd["verdict"]["kind"]')" overstated "claimed 75% is overstated"
is "$(jget "$J" 'sorted(c["id"] for c in d["caveats"] if not c["always"])')" "['C-AGE', 'C-ANYCAST', 'C-HOSTING', 'C-NOCONTEXT', 'C-RESIDENTIAL', 'C-SMALL', 'C-SPECIAL']" "caveats triggered by this list"
is "$(jget "$J" '[round(c["figure"],4) for c in d["caveats"] if c["id"]=="C-HOSTING"]')" "[0.2727]" "hosting caveat carries its figure (3 of 11)"
is "$(jget "$J" '[c["figure"] for c in d["caveats"] if c["id"]=="C-AGE"]')" "[28.0]" "age caveat: data 28 months newer than the claim"
is "$(jget "$J" 'all(c["references"] for c in d["caveats"])')" True "every caveat has a reference"
is "$(jget "$J" 'd["special_use"]["total"]["count"]')" 2 "two special-use entries"
is "$(jget "$J" 'd["asns"]["top"][0]["asn"]')" 4775 "largest ASN is Globe (AS4775)"
is "$(jget "$J" 'd["asns"]["distinct"]')" 4 "four distinct ASNs"
is "$(jget "$J" 'd["rejected"][0]["line"]')" 14 "rejections listed in JSON with line"

# Text report for people: sections, no colour when piped.
run "$GEOATTR" check --claim PH --claimed-share 0.75 "$D/check-ph-mixed.txt"
has "$OUT" "Where the databases place them" "text: country section"
has "$OUT" "Who holds them" "text: ASN section"
has "$OUT" "What kind of networks" "text: type section"
has "$OUT" "[C-HOSTING]" "text: caveat ids"
has "$OUT" "What would make this checkable" "text: evidence needed"
has "$OUT" "45.5%" "text: the PH share"
has "$OUT" "db-ip.com" "text: attribution the licence requires"
grep -q "$(printf '\033')" "$OUT"
ok $((! $?)) "no colour escape codes when not a terminal"
run "$GEOATTR" check --color always "$D/check-ph-mixed.txt"
grep -q "$(printf '\033')\[" "$OUT"
ok $? "--color always forces colour"
NO_COLOR=1 run "$GEOATTR" check "$D/check-ph-mixed.txt"
grep -q "$(printf '\033')" "$OUT"
ok $((! $?)) "NO_COLOR respected"
LANG=C LC_ALL=C run "$GEOATTR" check "$D/check-ph-mixed.txt"
has "$OUT" "####" "ASCII bars without a UTF-8 locale"

# CSV input with counts, cited locations (names) and timestamps.
run "$GEOATTR" check --format json --claim PH --claimed-share 0.9 "$D/check-counts.csv"
J=$OUT
is "$(jget "$J" 'd["input"]["files"][0]["format"]')" csv "CSV detected"
is "$(jget "$J" 'd["input"]["files"][0]["has_counts"]')" True "count column found"
is "$(jget "$J" 'd["input"]["total_weight"]')" 1045.0 "weights summed with thousands separators"
is "$(jget "$J" 'round(d["verdict"]["claimed_country_share_weighted"]["A"], 3)')" 0.967 "weighted PH share 1010/1045"
is "$(jget "$J" 'd["cited"]["entries_with_cited_location"]')" 4 "cited locations read (names and codes)"
is "$(jget "$J" '[m["entry"] for m in d["cited"]["mismatches"]]')" "['13.250.0.10']" "cited US vs database SG flagged"
is "$(jget "$J" '"C-NOCONTEXT" in [c["id"] for c in d["caveats"]]')" False "timestamps present: no missing-context caveat"
# A reason built for the row (a bad count quotes it) is still whole when
# the report is written, after the reader is done.
printf 'ip,count\n192.0.2.1,1\n198.51.100.1,lots\n198.51.100.2,\n' >"$TMP/badcount.csv"
run "$GEOATTR" check --format json "$TMP/badcount.csv"
has "$ERR" 'badcount.csv:3: count is not a number ("lots")' "bad count reason kept"
has "$ERR" 'badcount.csv:4: empty count ("")' "empty count reason kept"

# STIX 2.1 and free text with defanged addresses.
run "$GEOATTR" check --format json "$D/check-stix.json"
is "$(jget "$OUT" 'd["input"]["files"][0]["format"]')" stix "STIX bundle detected"
is "$(jget "$OUT" 'd["input"]["unique"]')" 3 "three indicators from the bundle"
run "$GEOATTR" check --format json "$D/check-report.txt"
is "$(jget "$OUT" 'd["input"]["files"][0]["format"]')" text "free text detected"
is "$(jget "$OUT" 'd["input"]["unique"]')" 3 "three defanged addresses, no version/OID/date false positives"

# Per-entry CSV output.
run "$GEOATTR" check --format csv "$D/check-ph-mixed.txt"
is "$(head -1 "$OUT" | cut -d, -f1-4)" "entry,line,seen,weight" "CSV header"
is "$(grep -c . "$OUT")" 12 "header + 11 unique entries"
has "$OUT" '112.198.0.1,2,2,2,' "duplicates merged with their count"

# A claim whose claimant published no list.
run "$GEOATTR" check --format json --claim-file "$S/antiy-2024.json"
ok $RC "a claim with no list is a valid input"
is "$(jget "$OUT" 'd["verdict"]["kind"]')" no-list "no list: nothing can be verified"
is "$(jget "$OUT" 'd["claim"]["claimed_country"]')" PH "claim file read"
is "$(jget "$OUT" 'len(d["evidence_needed"]) >= 5')" True "lists what would make it checkable"
run "$GEOATTR" check --claim-file "$S/cncert-2013.json"
has "$OUT" "No address list was published" "text says the list is missing"

# --strict, usage errors, empty input.
run "$GEOATTR" check --strict "$D/check-ph-mixed.txt"
is "$RC" 3 "--strict with a rejected line exits 3"
run "$GEOATTR" check --claimed-share 2 "$D/check-ph-mixed.txt"
is "$RC" 2 "share over 1 without % is a usage error"
run "$GEOATTR" check --claim Narnia "$D/check-ph-mixed.txt"
is "$RC" 2 "unknown country is a usage error"
run "$GEOATTR" check
is "$RC" 2 "no input is a usage error"
run sh -c "\"$GEOATTR\" check --format json - < /dev/null"
ok $RC "empty input is fine"
is "$(jget "$OUT" 'd["verdict"]["kind"]')" empty "empty input: nothing to judge"
run "$GEOATTR" check "$TMP/missing.txt"
is "$RC" 5 "unreadable input exits 5"
printf '["1.2.3.4", "5.6.7.8"' > "$TMP/trunc.json"
run "$GEOATTR" check --format json "$TMP/trunc.json"
has "$ERR" "trunc.json: " "truncated JSON named"
is "$(jget "$OUT" 'd["input"]["files"][0]["error"] is not None')" True "truncated JSON reported in the report"
# Output is the same whatever the thread count.  A list of some 30,000
# addresses (the first of every 17th range of the embedded ASN data, so
# that the country databases disagree on a thousand and more of them and
# the example lists are cut at their limit) is split across threads; every
# format of lookup and check must come out byte for byte the same.
GEO_SRC=${TESTS_SRCDIR:-$(dirname "$0")}/../geo
xz -dc "$GEO_SRC/asn-ipv4.csv.xz" | awk -F, 'NR % 17 == 0 { print $1 }' > "$TMP/many.txt"
xz -dc "$GEO_SRC/asn-ipv6.csv.xz" | awk -F, 'NR % 40 == 0 { print $1 }' >> "$TMP/many.txt"
for t in 1 2 3; do
	for f in text json csv; do
		GEOATTR_THREADS=$t "$GEOATTR" check --format $f "$TMP/many.txt" > "$TMP/many-check-$f.$t" 2>&1
	done
	for f in csv ndjson; do
		GEOATTR_THREADS=$t "$GEOATTR" lookup --format $f - < "$TMP/many.txt" > "$TMP/many-lookup-$f.$t" 2>&1
	done
done
is "$(jget "$TMP/many-check-json.1" 'd["disagreement"]["examples_truncated"]')" True "the thread test cuts the example list"
for out in check-text check-json check-csv lookup-csv lookup-ndjson; do
	for t in 2 3; do
		cmp -s "$TMP/many-$out.1" "$TMP/many-$out.$t"
		ok $? "$out: $t threads give the same bytes as one"
	done
done

# A long plain list is parsed on the thread team (src/input/list.c reads
# lists of 64 KiB and more in pieces of 32 KiB) and handed on in order:
# a header after a comment and a blank line, blank lines, comments, CRLF,
# duplicates, bad lines, and a bad line across every 32 KiB edge, so that
# pieces start inside one.  The generator writes down the line of every
# bad line; counts, line numbers and reports must not depend on threads.
"${PYTHON3:-python3}" - "$TMP/many.txt" "$TMP/noisy.txt" "$TMP/noisy.bad" <<'EOF'
import sys
addrs = open(sys.argv[1]).read().split()
out, bad, ln = bytearray(), [], 0
def put(text, eol=b"\n", is_bad=False):
    global ln
    ln += 1
    if is_bad:
        bad.append(ln)
    out.extend(text + eol)
put(b"# exported by the sensor"); put(b""); put(b"ip")
edge = 32768
for i, a in enumerate(addrs):
    a = a.encode()
    if len(out) + 60 >= edge:
        out.extend(b" " * (edge - 5 - len(out)))
        put(b"across-%d" % edge, is_bad=True)
        edge += 32768
    k = i % 50
    if k == 0: put(b"")
    elif k == 1: put(b"# seen " + a)
    elif k == 2: put(a, b"\r\n")
    elif k == 3: put(b"not-an-address-%d" % i, is_bad=True)
    elif k == 4: put(a + b" ; listed")
    elif k == 5: put(addrs[i // 2].encode())
    else: put(a)
open(sys.argv[2], "wb").write(out)
open(sys.argv[3], "w").write(repr(bad))
EOF
for t in 1 2 3; do
	for f in text json csv; do
		GEOATTR_THREADS=$t "$GEOATTR" check --format $f "$TMP/noisy.txt" \
		    > "$TMP/noisy-$f.$t" 2> "$TMP/noisy-$f.$t.err"
		echo "exit $?" >> "$TMP/noisy-$f.$t.err"
	done
done
J="$TMP/noisy-json.2"
is "$(jget "$J" '[r["line"] for r in d["rejected"]]')" "$(cat "$TMP/noisy.bad")" "threaded list: every bad line rejected, with its line"
is "$(jget "$J" '[d["input"]["files"][0][k] for k in ("address_column", "lines")]')" \
    "['ip', $(wc -l < "$TMP/noisy.txt")]" "threaded list: header read, lines counted"
is "$(jget "$J" 'd["input"]["duplicates"] > 500 and d["input"]["rejected"] > 500')" True \
    "threaded list: duplicates merged, bad lines counted"
has "$TMP/noisy-json.2.err" "noisy.txt:$(sed 's/^\[\([0-9]*\).*/\1/' "$TMP/noisy.bad"): " \
    "threaded list: first rejection named with its line"
for f in text json csv; do
	for t in 2 3; do
		cmp -s "$TMP/noisy-$f.1" "$TMP/noisy-$f.$t" && cmp -s "$TMP/noisy-$f.1.err" "$TMP/noisy-$f.$t.err"
		ok $? "threaded list, check $f: $t threads give the same bytes as one"
	done
done

done_testing
