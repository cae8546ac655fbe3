#!/bin/sh
# fuzz/run.sh - build and run every libFuzzer target for a while.
#
#   fuzz/run.sh [SECONDS_PER_TARGET]       (default 20)
#
# Each fuzz/fuzz_NAME.c names the project sources it links on a comment
#   /* FUZZ_SOURCES: src/a.c src/b.c */
# and may name pkg-config packages on the line after it:
#   /* FUZZ_LIBS: libmaxminddb jansson */
# (a word -lNAME links a library that has no pkg-config file)
# The target is run on a copy of fuzz/corpus/NAME, so the source tree is
# never written to: everything goes to a temporary directory ($FUZZ_WORKDIR
# if set, else a new one under $TMPDIR), which is removed when all targets
# pass and kept, with the crash inputs, when one fails.
#
# Exit status: 0 all passed, 1 a target failed to build or found a crash,
# 2 usage, 77 clang is not available (automake's "skip").

set -u

secs=${1:-20}
case $secs in
'' | *[!0-9]*)
	echo "usage: $0 [SECONDS_PER_TARGET]" >&2
	exit 2
	;;
esac
if [ "$secs" -eq 0 ]; then
	echo "usage: $0 [SECONDS_PER_TARGET]: seconds must be at least 1" >&2
	exit 2
fi

# The tree is wherever this script is, whatever the current directory.
top=$(cd "$(dirname "$0")/.." && pwd) || exit 1

CC=${FUZZ_CC:-clang}
if ! command -v "$CC" >/dev/null 2>&1; then
	echo "fuzz: $CC not found; libFuzzer targets need clang (skipped)"
	exit 77
fi

if [ -n "${FUZZ_WORKDIR:-}" ]; then
	work=$FUZZ_WORKDIR
	mkdir -p "$work" || exit 1
	work=$(cd "$work" && pwd) || exit 1
	made_work=no
else
	work=$(mktemp -d "${TMPDIR:-/tmp}/geoattr-fuzz.XXXXXX") || exit 1
	made_work=yes
fi
case $work/ in
"$top"/*)
	echo "fuzz: $work is inside the source tree; choose another FUZZ_WORKDIR" >&2
	exit 2
	;;
esac

CFLAGS="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all"
CPPFLAGS="-D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -I$top/src"

total=0
failed=0
failed_names=

fail()
{
	failed=$((failed + 1))
	failed_names="$failed_names $1"
	echo "fuzz: $1: $2"
}

# The value of a "/* KEY: value */" line near the top of a target.
header()
{
	sed -n "1,5s|^/\\* $2: \\(.*\\) \\*/\$|\\1|p" "$1" | sed -n 1p
}

# FUZZ_ONLY="hist_pfx2as unpack" limits the run to those targets.
for src in "$top"/fuzz/fuzz_*.c; do
	if [ -n "${FUZZ_ONLY:-}" ]; then
		n=$(basename "$src" .c)
		case " $FUZZ_ONLY " in
		*" ${n#fuzz_} "*) ;;
		*) continue ;;
		esac
	fi
	[ -f "$src" ] || continue
	file=$(basename "$src" .c)
	name=${file#fuzz_}
	total=$((total + 1))

	sources=$(header "$src" FUZZ_SOURCES)
	if [ -z "$sources" ]; then
		fail "$name" "no FUZZ_SOURCES line in $src"
		continue
	fi
	paths=
	missing=
	for s in $sources; do
		if [ -f "$top/$s" ]; then
			paths="$paths $top/$s"
		else
			missing="$missing $s"
		fi
	done
	if [ -n "$missing" ]; then
		fail "$name" "missing sources:$missing"
		continue
	fi

	libs=
	rawlibs=
	# A word of the form -lNAME is a library without a pkg-config file
	# (libbz2); the rest are pkg-config package names.
	for w in $(header "$src" FUZZ_LIBS); do
		case $w in
		-l*) rawlibs="$rawlibs $w" ;;
		*) libs="$libs $w" ;;
		esac
	done
	pkgflags=
	if [ -n "$libs" ]; then
		# shellcheck disable=SC2086 # a list of package names
		if ! pkgflags=$(pkg-config --cflags --libs $libs 2>&1); then
			fail "$name" "pkg-config $libs: $pkgflags"
			continue
		fi
	fi

	bin=$work/$file
	log=$work/$name.log
	echo "fuzz: $name: building"
	# shellcheck disable=SC2086 # flag and path lists are meant to split
	if ! $CC $CFLAGS $CPPFLAGS -o "$bin" "$src" $paths $pkgflags $rawlibs -lm \
	    >"$work/$name.build.log" 2>&1; then
		sed 's/^/    /' "$work/$name.build.log"
		fail "$name" "build failed"
		continue
	fi

	corpus=$work/corpus-$name
	rm -rf "$corpus"
	mkdir -p "$corpus"
	if [ -d "$top/fuzz/corpus/$name" ]; then
		cp "$top/fuzz/corpus/$name"/* "$corpus"/ 2>/dev/null
	fi

	echo "fuzz: $name: running for ${secs}s"
	if (cd "$work" && "$bin" -max_total_time="$secs" \
	    -artifact_prefix="$work/$name-" "$corpus") >"$log" 2>&1; then
		runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -n 1)
		echo "fuzz: $name: ok (${runs:-?} runs)"
	else
		tail -n 40 "$log" | sed 's/^/    /'
		fail "$name" "failed; log $log, inputs $work/$name-*"
	fi
done

if [ "$failed" -eq 0 ] && [ "$made_work" = yes ]; then
	rm -rf "$work"
elif [ "$failed" -ne 0 ]; then
	echo "fuzz: failed:$failed_names (files kept in $work)"
fi
echo "fuzz: $total targets, $failed failed"
[ "$failed" -eq 0 ]
