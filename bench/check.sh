#!/bin/bash
# Benchmark of `geoattr check` (issue: the claim checker).  Run by hand:
#
#   bench/check.sh            1M addresses
#   bench/check.sh --full     10M addresses (about 150 MB of input)
#   bench/check.sh --quick    200k addresses
#
# Input: bench/gen_addrs.py, seeded, IPv4/IPv6 mixed, 30% repeats.
# Peer, in the same run: bench/raw_lookup (MMDB_lookup_string once per line
# on ONE database, fetching one value) on the same file.
# Goals: check --format json at least the raw loop's rate while it consults
# every source, classifies and aggregates; peak memory at most 100 bytes per
# unique entry beyond the mapped databases (measured as peak RSS minus the
# peak RSS of a check of a one-line list, which maps the same databases).
set -u -o pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
OUT=$HERE/out
PY=/usr/bin/python3
N=1000000
case ${1:-} in
--full) N=10000000 ;;
--quick) N=200000 ;;
"") ;;
*) echo "check.sh: unknown argument $1" >&2; exit 2 ;;
esac
GEOATTR=${GEOATTR:-$TOP/src/geoattr}
ASN_DB=$TOP/geo/ip-location-db-asn.mmdb
mkdir -p "$OUT"
IN=$OUT/check-$N.txt
if [ ! -s "$IN" ]; then
	"$PY" "$HERE/gen_addrs.py" --seed 42 --repeat-share 0.3 --v6-share 0.2 -o "$IN" "$N" || exit 1
fi
RAW=$OUT/raw_lookup
if [ ! -x "$RAW" ] || [ "$HERE/raw_lookup.c" -nt "$RAW" ]; then
	cc -O2 -o "$RAW" "$HERE/raw_lookup.c" $(pkg-config --cflags --libs libmaxminddb) || exit 1
fi

timed() {   # timed NAME CMD...: WALL seconds, RSS KiB
	local name=$1 t0 t1
	shift
	t0=${EPOCHREALTIME/./}
	/usr/bin/time -f '%M' -o "$OUT/$name.rss" "$@" || return 1
	t1=${EPOCHREALTIME/./}
	WALL=$(awk "BEGIN { printf \"%.3f\", ($t1 - $t0) / 1e6 }")
	RSS=$(tail -1 "$OUT/$name.rss")
}

best_check= best_raw=
for round in 1 2; do
	timed raw "$RAW" "$ASN_DB" asn < "$IN" > /dev/null || { echo "raw loop failed" >&2; exit 1; }
	raw=$WALL
	timed check "$GEOATTR" check --format json "$IN" > "$OUT/check.json" || { echo "check failed" >&2; exit 1; }
	chk=$WALL
	check_rss=$RSS
	[ -z "$best_raw" ] || awk "BEGIN { exit !($raw < $best_raw) }" && best_raw=$raw
	[ -z "$best_check" ] || awk "BEGIN { exit !($chk < $best_check) }" && best_check=$chk
done
echo 8.8.8.8 > "$OUT/one.txt"
timed base "$GEOATTR" check --format json "$OUT/one.txt" > /dev/null
base_rss=$RSS
unique=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["input"]["unique"])' "$OUT/check.json")
raw_rate=$(awk "BEGIN { printf \"%.0f\", $N / $best_raw }")
chk_rate=$(awk "BEGIN { printf \"%.0f\", $N / $best_check }")
ratio=$(awk "BEGIN { printf \"%.2f\", $chk_rate / $raw_rate }")
bpu=$(awk "BEGIN { printf \"%.1f\", ($check_rss - $base_rss) * 1024 / $unique }")
{
	echo "check benchmark, $N lines ($unique unique), $(date -u +%Y-%m-%d), $(nproc) cores"
	echo "  raw loop (1 database)   ${best_raw}s  ${raw_rate} lines/s"
	echo "  check --format json     ${best_check}s  ${chk_rate} lines/s  peak ${check_rss} KiB (one-line check: ${base_rss} KiB)"
	echo "  rate ratio check/raw    $ratio   goal >= 1.0   $(awk "BEGIN { print ($ratio >= 1.0) ? \"PASS\" : \"MISS\" }")"
	echo "  bytes per unique entry  $bpu   goal <= 100   $(awk "BEGIN { print ($bpu <= 100) ? \"PASS\" : \"MISS\" }")"
} | tee "$OUT/check-results.txt"
