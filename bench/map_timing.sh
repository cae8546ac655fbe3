#!/bin/bash
# What the world map costs the HTML report (issue 13: at most 15%).  Run
# by hand:
#
#   bench/map_timing.sh [RUNS]     100k-line list, RUNS pairs (default 7)
#
# Input: bench/gen_addrs.py, seeded, IPv4/IPv6 mixed, 30% repeats.  Each
# run times `check --format html` of the list with the map and with
# --no-map back to back, alternating which goes first, so that drift on a
# shared machine touches both alike; it prints the ratio of each pair and
# their median.
set -u -o pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
OUT=$HERE/out
PY=/usr/bin/python3
RUNS=${1:-7}
GEOATTR=${GEOATTR:-$TOP/src/geoattr}
mkdir -p "$OUT"
IN=$OUT/map-100000.txt
[ -s "$IN" ] || "$PY" "$HERE/gen_addrs.py" 100000 --seed 13 -o "$IN"

# secs CMD...: wall-clock seconds of one run, output discarded.
secs() {
	local t0 t1
	t0=$(date +%s.%N)
	"$@" >/dev/null 2>&1
	t1=$(date +%s.%N)
	echo "$t1 - $t0" | bc -l
}

"$GEOATTR" check --format html -o "$OUT/map.html" "$IN" 2>/dev/null   # warm the page cache
ratios=()
for ((i = 0; i < RUNS; i++)); do
	if ((i % 2)); then
		without=$(secs "$GEOATTR" check --format html --no-map -o "$OUT/nomap.html" "$IN")
		with=$(secs "$GEOATTR" check --format html -o "$OUT/map.html" "$IN")
	else
		with=$(secs "$GEOATTR" check --format html -o "$OUT/map.html" "$IN")
		without=$(secs "$GEOATTR" check --format html --no-map -o "$OUT/nomap.html" "$IN")
	fi
	r=$(echo "$with / $without" | bc -l)
	ratios+=("$r")
	printf 'run %d: with map %.3f s, without %.3f s, ratio %.3f\n' "$i" "$with" "$without" "$r"
done
median=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
printf 'median ratio %.3f (goal: at most 1.15); page %s bytes with the map, %s without\n' "$median" \
	"$(wc -c <"$OUT/map.html")" "$(wc -c <"$OUT/nomap.html")"
awk -v m="$median" 'BEGIN { exit !(m <= 1.15) }'
