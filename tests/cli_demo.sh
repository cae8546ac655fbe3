#!/bin/sh
# Command-line tests of `geoattr demo` and of the samples it teaches with:
# every lesson runs unattended and ends with its caveats, piped output is
# plain, the lists are labelled as constructed, and the generator is
# reproducible.
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"
TOP="${TOP_SRCDIR:-$TESTS_SRCDIR/..}"
ESC=$(printf '\033')
# Lessons that write files make their directory here, not in /tmp.
export TMPDIR="$TMP"

# --list: one line per lesson, name first.
run "$GEOATTR" demo --list
is "$RC" 0 "demo --list exits 0"
LESSONS=$(awk '{print $1}' "$OUT")
N=$(echo "$LESSONS" | grep -c .)
[ "$N" -ge 6 ]
ok $? "demo --list lists at least six lessons ($N)"
for l in registry-vs-location disagreement map cloud tor-vpn special-use \
    three-quarters no-list stronger-evidence; do
	echo "$LESSONS" | grep -qx -- "$l"
	ok $? "lesson $l is listed"
done

# Every lesson on its own, as a pipe with no terminal: no waiting, exit 0,
# the engine's command shown, the lesson's own caveats at the end, and no
# escape codes anywhere.
for l in $LESSONS; do
	run "$GEOATTR" demo --no-pause "$l" </dev/null
	is "$RC" 0 "lesson $l exits 0"
	has "$OUT" "=== Lesson 1/1: $l ===" "lesson $l prints its title"
	has "$OUT" '$ geoattr ' "lesson $l shows the command it runs"
	has "$OUT" "Caveats for this lesson" "lesson $l ends with its caveats"
	tail -n 8 "$OUT" | grep -q '^\[C-'
	ok $? "lesson $l: caveat ids close the lesson"
	grep -q "$ESC" "$OUT"
	ok $((! $?)) "lesson $l: no escape codes when piped"
	hasnt "$OUT" "--color never" "lesson $l: the demo's colour switch is not shown"
	[ ! -s "$ERR" ]
	ok $? "lesson $l: nothing on standard error"
done

# What the lessons must show, from the engine's own output.
run "$GEOATTR" demo --no-pause three-quarters </dev/null
has "$OUT" "74.0% of the 200 entries geolocate to US" "three-quarters: A places 74% in the US"
has "$OUT" "is within what the list shows" "three-quarters: the claim is consistent with the list"
has "$OUT" "[C-HOSTING]" "three-quarters: the hosting caveat fires"
has "$OUT" "[C-ANYCAST]" "three-quarters: the CDN/anycast caveat fires"
run "$GEOATTR" demo --no-pause mixed-claim </dev/null
has "$OUT" "CONSTRUCTED EXAMPLE" "mixed-claim: the claim is labelled constructed"
has "$OUT" "is above what the list shows" "mixed-claim: the claimed 70% is overstated"
has "$OUT" "4 duplicates merged" "mixed-claim: repeated lines merged"
run "$GEOATTR" demo --no-pause no-list </dev/null
[ "$(grep -c 'No address list was published' "$OUT")" -eq 2 ]
ok $? "no-list: both claims reported as uncheckable"
has "$OUT" "What would make this checkable" "no-list: the evidence needed is listed"
run "$GEOATTR" demo --no-pause stronger-evidence </dev/null
has "$OUT" "(csv)" "stronger-evidence: the CSV is read as CSV"
hasnt "$OUT" "[C-NOCONTEXT]" "stronger-evidence: times and ports lift the missing-context caveat"
run "$GEOATTR" demo --no-pause map </dev/null
NW=$(grep -c '^Wrote .*/geoattr-demo\.[A-Za-z0-9]*/map-[a-z]*\.svg: open it in a browser\.$' "$OUT")
is "$NW" 3 "map: three SVG files written and named"
MAPDIR=$(sed -n 's|^Wrote \(.*\)/map-a\.svg:.*|\1|p' "$OUT")
[ -n "$MAPDIR" ] && [ "${MAPDIR#"$TMP"/}" != "$MAPDIR" ]
ok $? "map: the files go under \$TMPDIR"
grep -q "Source A (ip-location-db)" "$MAPDIR/map-a.svg" && grep -q "Source B (ipfire)" "$MAPDIR/map-b.svg"
ok $? "map: one map per source"
grep -q "Where the sources disagree: 40 of the 40 entries both place" "$MAPDIR/map-disagree.svg"
ok $? "map: the disagreement map counts the 40 entries"
if command -v xmllint >/dev/null 2>&1; then
	xmllint --noout "$MAPDIR"/map-*.svg
	ok $? "map: the files are well-formed XML"
else
	T_N=$((T_N + 1))
	echo "ok $T_N - map: the files are well-formed XML # SKIP xmllint not installed"
fi
run "$GEOATTR" demo --no-pause special-use </dev/null
has "$OUT" "[C-SPECIAL]" "special-use: the special-use caveat fires"
run "$GEOATTR" demo --no-pause tor-vpn </dev/null
has "$OUT" "[C-VPN]" "tor-vpn: the VPN caveat fires"
run "$GEOATTR" demo --no-pause disagreement </dev/null
has "$OUT" "the sources disagree on the country" "disagreement: lookup shows disagreeing sources"
has "$OUT" "[C-DISAGREE]" "disagreement: the disagreement caveat fires"
run "$GEOATTR" demo --no-pause registry-vs-location </dev/null
has "$OUT" "holder    AS15169" "registry-vs-location: lookup answers from the list"

# Without a lesson: all of them, in order.
run "$GEOATTR" demo --no-pause </dev/null
is "$RC" 0 "demo with no lesson exits 0"
is "$(grep -c '^=== Lesson ' "$OUT")" "$N" "demo with no lesson runs every lesson"
has "$OUT" "=== Lesson 1/$N: registry-vs-location ===" "lessons run in order"

# Misuse.
run "$GEOATTR" demo no-such-lesson
is "$RC" 2 "an unknown lesson is a usage error (exit 2)"
has "$ERR" "no lesson 'no-such-lesson'" "the unknown lesson is named"
run "$GEOATTR" demo --bogus
is "$RC" 2 "an unknown option is a usage error (exit 2)"
run "$GEOATTR" demo --help
is "$RC" 0 "demo --help exits 0"
has "$OUT" "Usage: geoattr demo" "demo --help prints usage"

# With a terminal (when script(1) is there): the demo waits at each step,
# and q stops it before the explanation.
if command -v script >/dev/null 2>&1 &&
    script -qec true /dev/null </dev/null >/dev/null 2>&1; then
	printf 'q\n' | script -qec "'$GEOATTR' demo cloud" /dev/null >"$OUT" 2>&1
	has "$OUT" "Press Enter to continue" "on a terminal the demo pauses"
	hasnt "$OUT" "What this shows" "q at a pause stops the demo"
else
	echo "# script(1) not usable: terminal pause not tested"
fi

# The sample lists say on their first line that they are constructed.
for f in "$TOP"/samples/lists/*; do
	head -n 1 "$f" | grep -q '^# CONSTRUCTED for teaching by samples/make-samples.py (seed [0-9]*): not observed attack data\.$'
	ok $? "$(basename "$f") starts with the CONSTRUCTED label"
done
for f in "$TOP"/samples/claims/constructed-*.json; do
	grep -q '"claimant": "CONSTRUCTED EXAMPLE' "$f"
	ok $? "$(basename "$f") names a CONSTRUCTED EXAMPLE claimant"
done

# The generator is reproducible, and the committed files are its output.
PY="${PYTHON3:-}"
[ -n "$PY" ] || PY=$(command -v python3 || true)
if [ -n "$PY" ] && command -v xz >/dev/null 2>&1; then
	for k in 1 2; do
		"$PY" "$TOP/samples/make-samples.py" --geoattr "$GEOATTR" \
		    --srcdir "$TOP" --geodir "$GEOATTR_GEO" --out "$TMP/gen$k" \
		    >"$TMP/gen$k.log" 2>&1
		ok $? "make-samples.py run $k succeeds"
	done
	diff -r "$TMP/gen1" "$TMP/gen2" >"$TMP/gen.diff"
	ok $? "make-samples.py gives identical files on two runs"
	diff -r "$TOP/samples/lists" "$TMP/gen1/lists" >"$TMP/gen.diff"
	ok $? "samples/lists/ is the generator's output (else rerun samples/make-samples.py)"
	sed 's/^/#   /' "$TMP/gen.diff" | head -10
	for c in constructed-ph constructed-apt1-style; do
		cmp -s "$TOP/samples/claims/$c.json" "$TMP/gen1/claims/$c.json"
		ok $? "samples/claims/$c.json is the generator's output"
	done
else
	echo "# python3 or xz missing: generator not tested"
fi

done_testing
