#!/bin/bash
# Benchmark of "as of the claim date" (issue 10).  Run by hand:
#
#   bench/asof.sh             archives of one day at about real sizes, 1M lines
#   bench/asof.sh --quick     200k lines
#
# 1. `update --as-of 2024-01-15` of one day's full archives (bench/asof_gen.py:
#    five RIRs' extended files, one pfx2as day, a month of exit lists, the
#    as2org file of 2024-01-01),
#    served over HTTP on 127.0.0.1 by tests/feedserver.py: wall time and
#    peak RSS (/usr/bin/time).
# 2. `check --format json --as-of 2024-01-15` against `check --as-of none`
#    on the same 1M-line list (bench/gen_addrs.py), alternating, $ROUNDS
#    rounds (default 5): each round's ratio with their spread, and the ratio
#    of the best times.  Goal: the ratio at most 1.3.
set -u -o pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
OUT=$HERE/out
PY=/usr/bin/python3
N=1000000
[ "${1:-}" = "--quick" ] && N=200000
GEOATTR=${GEOATTR:-$TOP/src/geoattr}
mkdir -p "$OUT"
ARCH=$OUT/asof-archives
if [ ! -s "$ARCH/exit-list-2024-01.tar.xz" ]; then
	echo "generating the archives (once)..."
	"$PY" "$HERE/asof_gen.py" "$ARCH" || exit 1
fi
[ -s "$ARCH/20240101.as-org2info.txt.gz" ] || "$PY" "$HERE/asof_gen.py" "$ARCH" --as2org-only || exit 1
ls -l "$ARCH" | awk 'NR > 1 {printf "  %10d  %s\n", $5, $9}'
"$PY" "$TOP/tests/feedserver.py" "$ARCH" --lifetime 900 >"$OUT/asof-port" 2>/dev/null &
SPID=$!
trap 'kill $SPID 2>/dev/null' EXIT
for _ in $(seq 50); do [ -s "$OUT/asof-port" ] && break; sleep 0.1; done
PORT=$(head -n 1 "$OUT/asof-port")
DATA=$OUT/asof-data
rm -rf "$DATA"
/usr/bin/time -f "%e %M" -o "$OUT/asof-update.time" \
	"$GEOATTR" update --as-of 2024-01-15 --base-url "http://127.0.0.1:$PORT/f" --dir "$DATA" || exit 1
read -r UW UR <"$OUT/asof-update.time"
echo "update --as-of: ${UW} s wall, peak RSS $((UR / 1024)) MiB"

IN=$OUT/check-$N.txt
if [ ! -s "$IN" ]; then
	"$PY" "$HERE/gen_addrs.py" --seed 42 --repeat-share 0.3 --v6-share 0.2 -o "$IN" "$N" || exit 1
fi
ROUNDS=${ROUNDS:-5}
best_with=999999 best_without=999999 ratios=()
for ((round = 1; round <= ROUNDS; round++)); do
	for mode in none 2024-01-15; do
		/usr/bin/time -f "%e %M" -o "$OUT/asof-check.time" env GEOATTR_ASOF_DIR="$DATA" \
			"$GEOATTR" check --format json --as-of "$mode" "$IN" >/dev/null 2>&1
		read -r W R <"$OUT/asof-check.time"
		echo "  round $round, --as-of $mode: ${W} s, peak RSS $((R / 1024)) MiB"
		if [ "$mode" = none ]; then
			without=$W
			best_without=$(echo "$W $best_without" | awk '{print ($1 < $2) ? $1 : $2}')
		else
			best_with=$(echo "$W $best_with" | awk '{print ($1 < $2) ? $1 : $2}')
			ratios+=("$(echo "$W $without" | awk '{printf "%.3f", $1 / $2}')")
		fi
	done
done
# The spread of the per-round ratios (each round: the two runs back to
# back), and the ratio of the best times.
spread=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{v[NR] = $1} END {
	printf "min %s, median %s, max %s", v[1], (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2), v[NR] }')
ratio=$(echo "$best_with $best_without" | awk '{printf "%.3f", $1 / $2}')
verdict=$(echo "$ratio" | awk '{print ($1 <= 1.3) ? "ok" : "MISS"}')
echo "per-round ratios: ${ratios[*]} ($spread)"
echo "check $N lines: --as-of ${best_with} s, without ${best_without} s, ratio $ratio (goal <= 1.3: $verdict)"
