#!/bin/sh
# build.sh GEOATTR SRCDIR OUTDIR - compile every snapshot in SRCDIR/SNAPSHOTS
# into OUTDIR/snapshot-FEED.mmdb through the feed parsers of `geoattr update`
# (strict: one invalid entry fails the build, naming its file and line),
# then merge them into OUTDIR/snapshots.mmdb, the one database installed
# (one open and one tree walk per lookup instead of eleven; see
# src/snapmerge.h).
# The decompressed files are kept in OUTDIR/snapshot-src/ while building so
# that a message names them; they are removed on success.
set -eu
geoattr=$1 src=$2 out=$3
work=$out/snapshot-src
mkdir -p "$work"
grep -v '^#' "$src/SNAPSHOTS" | while read -r feed date files; do
	[ -n "$feed" ] || continue
	set --
	for f in $files; do
		xz -dc "$src/$f.xz" > "$work/$f"
		if [ "$feed" = azure ]; then
			set -- "$@" --azure "$work/$f"
		else
			set -- "$@" --url "$feed=$work/$f"
		fi
	done
	"$geoattr" update --quiet --snapshot "$date" --dir "$out" "$@" "$feed"
	# One file a row: a feed of several dates keeps each.
	mv "$out/snapshot-$feed.mmdb" "$out/snapshot-$feed-$date.mmdb"
done
"$geoattr" update --quiet --merge-snapshots --dir "$out" "$out"/snapshot-*.mmdb
rm -f "$out"/snapshot-*.mmdb
rm -rf "$work"
