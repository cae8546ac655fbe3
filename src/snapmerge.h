/*
 * snapmerge.h - merge the embedded provider snapshots into one database.
 *
 * Each provider's snapshot is built alone (update --snapshot, strict, one
 * file per feed), then the build merges them into snapshots.mmdb, because
 * every lookup asks every provider database: eleven of them cost a bulk
 * check eleven tree walks per address and a one-address lookup eleven opens.
 * Where ranges of two providers overlap, the more specific one answers
 * (a Tor exit inside a hosting range is a Tor exit); on the very same
 * prefix, the provider first in name order, as when they were separate.
 * Each record names its feed (geoattr_feed), and the metadata lists the
 * members with their dates (geoattr_snapshots: "aws 2026-08-21; ..."),
 * so that a feed downloaded afresh can set its records aside.
 */
#ifndef GEOATTR_SNAPMERGE_H
#define GEOATTR_SNAPMERGE_H

#include <stddef.h>

/* Merge the snapshot databases in[0..n) into out (written whole, then
 * renamed into place).  Returns 0, or -1 with the reason in err. */
int snapshots_merge(const char *out, char *const *in, size_t n,
                    char *err, size_t errlen);

#endif
