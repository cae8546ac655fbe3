#!/bin/sh
# Bad input never crashes and is never dropped silently: garbage, NUL
# bytes, very long lines, binary data, and every corrupt database in
# MaxMind's test suite (an error, not a crash).
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

# Garbage of every kind on standard input, one answer or error per line.
{
	printf '8.8.8.8\n'
	printf '1.2.3.4\0evil\n'
	printf '%s\n' "$(head -c 1100000 /dev/zero | tr '\0' 'a')"
	printf '\377\376\375 binary\n'
	printf '010.1.1.1\n'
	printf 'fe80::1%%eth0\n'
	printf '10.1.2.3/8\n'
	printf '1.1.1.1\n'
} > "$TMP/garbage.txt"
run sh -c "\"$GEOATTR\" lookup --format ndjson - < \"$TMP/garbage.txt\""
is "$RC" 1 "garbage lines give exit 1, not a crash"
is "$(wc -l < "$OUT" | tr -d ' ')" 8 "eight lines in, eight objects out"
is "$(grep -c '"error"' "$OUT")" 6 "six errors, two answers"
has "$ERR" "(stdin):2:" "NUL byte line reported"
has "$ERR" "(stdin):3:" "1.1 MB line reported"
has "$ERR" "(stdin):5: leading zero" "octal-looking IPv4 rejected with reason"
has "$ERR" "(stdin):6: " "zone id rejected"
has "$ERR" "(stdin):7: host bits set" "host bits rejected with reason"
is "$(tail -1 "$OUT" | cut -c1-19)" '{"input":"1.1.1.1",' "the line after the garbage is still answered"
"${PYTHON3:-python3}" -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]' "$OUT"
ok $? "every output line is valid UTF-8 JSON even for binary input"

# Empty input is fine and says nothing.
run sh -c "\"$GEOATTR\" lookup --format ndjson - < /dev/null"
ok $RC "empty input exits 0"
is "$(cat "$OUT")" "" "empty input, empty output"

# Compile: binary input and NUL bytes are reported by line, not crashed on.
head -c 20000 "$GEOATTR" > "$TMP/bin.csv"
run "$GEOATTR" compile -o "$TMP/bin.mmdb" "$TMP/bin.csv"
[ "$RC" -le 3 ]
ok $? "compile of a binary file fails cleanly (exit $RC)"
has "$ERR" "bin.csv:" "binary input errors name the file"

# Every corrupt database from MaxMind's suite: a clean error, never a crash.
bad="$MMDB_TESTDATA/bad-data"
if [ -d "$bad" ]; then
	for f in "$bad"/*/*.mmdb "$MMDB_TESTDATA"/test-data/*Broken* "$MMDB_TESTDATA"/test-data/*Invalid* "$MMDB_TESTDATA"/test-data/*broken*; do
		[ -f "$f" ] || continue
		run "$GEOATTR" lookup --no-default-db --db "$f" --format json 1.1.1.1 2001:db8::1 81.2.69.160
		name=$(basename "$f")
		[ "$RC" -lt 128 ] && [ "$RC" -ne 70 ]
		ok $? "corrupt $name: exit $RC, no crash"
		if [ "$RC" -eq 4 ]; then
			has "$ERR" "$name" "corrupt $name: message names the file"
		fi
		run "$GEOATTR" sources --no-default-db --db "$f"
		[ "$RC" -lt 128 ]
		ok $? "corrupt $name: sources does not crash"
	done
else
	echo "# MaxMind bad-data not found at $bad: corrupt-database walk skipped"
fi
done_testing
