#!/usr/bin/env python3
"""asof_gen.py - synthetic archives of one day at about real sizes, for
bench/asof.sh (never used by make check).

    asof_gen.py OUTDIR [--scale S]

Writes, for 2024-01-15, the files `geoattr update --as-of` asks for, in
their real formats and compressions, with seeded random content:
  delegated-{afrinic,apnic,arin,lacnic,ripencc}-extended-20240115[.gz|.bz2]
      record counts per registry as in the summary lines of real
      delegated-*-extended-latest files quoted in a public README (ARIN
      29,808 asn / 69,542 ipv4 / 64,976 ipv6; LACNIC 13,156 / 19,124 /
      48,550; RIPE NCC 42,533 / 86,777 / 97,111), APNIC and AFRINIC
      estimated (60,000 and 12,000 records in all);
  routeviews-rv2-20240115-1200.pfx2as.gz
      1,000,000 prefixes (RouteViews' IPv4 table is of that order), 2% of
      them multi-origin, 0.5% AS sets; origins drawn from 75,000 of the
      as2org file's ASes with a heavy tail (weight 1/rank^0.8: the largest
      origin announces about 2% of the prefixes), as a real table has some
      75,000 origin ASes, not one per prefix.  --uniform-origins draws each
      origin from 1..400000 instead (almost every prefix its own origin:
      the worst case for decoding, what the archives held before);
  exit-list-2024-01.tar.xz
      744 hourly exit lists (31 days) of 1,200 exits each;
  20240101.as-org2info.txt.gz
      CAIDA AS Organizations layout: 100,000 organisations, 120,000 ASes
      drawn from the pfx2as file's range (real files hold about that many);
      alone with --as2org-only (archives generated before it existed).
Sizes are approximations for timing, not facts about any day.
"""
import bisect
import bz2
import gzip
import io
import lzma
import os
import random
import sys
import tarfile

DAY = "20240115"


def ip4(n):
    return "%d.%d.%d.%d" % (n >> 24, (n >> 16) & 255, (n >> 8) & 255, n & 255)


def delegated(rng, reg, nasn, nv4, nv6, start4, v6hi):
    out = io.StringIO()
    total = nasn + nv4 + nv6
    out.write("2|%s|%s|%d|19830101|%s|+0000\n" % (reg, DAY, total, DAY))
    out.write("%s|*|asn|*|%d|summary\n%s|*|ipv4|*|%d|summary\n%s|*|ipv6|*|%d|summary\n"
              % (reg, nasn, reg, nv4, reg, nv6))
    ccs = ["US", "DE", "FR", "BR", "ZA", "JP", "CN", "PH", "NL", "GB", "AR", "KE"]
    for i in range(nasn):
        out.write("%s|%s|asn|%d|1|20100101|allocated|org%d\n" % (reg, rng.choice(ccs), 100000 + i, i))
    a = start4
    for i in range(nv4):
        cnt = rng.choice((256, 512, 1024, 2048, 4096, 8192))
        a = (a + cnt - 1) // cnt * cnt
        if rng.random() < 0.05:
            out.write("%s||ipv4|%s|%d||available|\n" % (reg, ip4(a), cnt))
        else:
            out.write("%s|%s|ipv4|%s|%d|20%02d%02d%02d|allocated|org%d\n"
                      % (reg, rng.choice(ccs), ip4(a), cnt, rng.randint(0, 23), rng.randint(1, 12),
                         rng.randint(1, 28), i))
        a += cnt
    for i in range(nv6):
        out.write("%s|%s|ipv6|%x:%x::|32|20150101|allocated|org%d\n"
                  % (reg, rng.choice(ccs), v6hi + i // 65536, i % 65536, i))
    return out.getvalue().encode()


def as2org(out):
    rng = random.Random(20240101)
    lines = ["# name: AS Org\n", "# format:org_id|changed|org_name|country|source\n"]
    for i in range(100000):
        lines.append("ORG-B%d-RIPE|2023%02d%02d|Bench Organisation %d, Ltd.|%s|RIPE\n"
                     % (i, rng.randint(1, 12), rng.randint(1, 28), i,
                        rng.choice(("US", "DE", "PH", "BR", "JP", "NL"))))
    lines.append("# format:aut|changed|aut_name|org_id|opaque_id|source\n")
    asns = sorted(rng.sample(range(1, 400001), 120000))
    for asn in asns:
        lines.append("%d|20230101|BENCH-AS%d|ORG-B%d-RIPE|x%d|RIPE\n"
                     % (asn, asn, rng.randrange(100000), asn))
    with open(os.path.join(out, "20240101.as-org2info.txt.gz"), "wb") as fp:
        fp.write(gzip.compress("".join(lines).encode(), 6, mtime=0))
    return asns


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    asns = as2org(out)
    if "--as2org-only" in sys.argv[2:]:
        return 0
    rng = random.Random(20240115)
    if "--uniform-origins" in sys.argv[2:]:
        def origin():
            return rng.randint(1, 400000)
    else:
        origins = rng.sample(asns, 75000)
        cum, total = [], 0.0
        for rank in range(1, len(origins) + 1):
            total += rank ** -0.8
            cum.append(total)

        def origin():
            return origins[bisect.bisect_left(cum, rng.random() * total)]
    regs = [
        ("afrinic", 1500, 6000, 4500, 0x29000000, 0x2c0f, None),
        ("apnic", 12000, 30000, 18000, 0x2a000000, 0x2401, "gz"),
        ("arin", 29808, 69542, 64976, 0x40000000, 0x2600, None),
        ("lacnic", 13156, 19124, 48550, 0xb0000000, 0x2800, None),
        ("ripencc", 42533, 86777, 97111, 0x50000000, 0x2a00, "bz2"),
    ]
    for reg, na, n4, n6, s4, v6, comp in regs:
        data = delegated(rng, reg, na, n4, n6, s4, v6)
        name = "delegated-%s-extended-%s" % (reg, DAY)
        if comp == "gz":
            data, name = gzip.compress(data, 6, mtime=0), name + ".gz"
        elif comp == "bz2":
            data, name = bz2.compress(data, 9), name + ".bz2"
        with open(os.path.join(out, name), "wb") as fp:
            fp.write(data)
    lines = []
    a = 0x01000000
    for i in range(1000000):
        ln = rng.choice((24, 24, 24, 23, 22, 20, 16))
        size = 1 << (32 - ln)
        a = (a + size - 1) // size * size
        r = rng.random()
        asn = str(origin())
        if r < 0.02:
            asn += "_" + str(origin())
        elif r < 0.025:
            asn += "," + str(origin())
        lines.append("%s\t%d\t%s\n" % (ip4(a), ln, asn))
        a += size
        if a >= 0xdf000000:
            a = 0x01000000 + rng.randint(0, 255) * 256
    with open(os.path.join(out, "routeviews-rv2-%s-1200.pfx2as.gz" % DAY), "wb") as fp:
        fp.write(gzip.compress("".join(lines).encode(), 6, mtime=0))
    exits = [(("%040X" % rng.getrandbits(160)), ip4(rng.randint(0x01000000, 0xdeffffff)))
             for _ in range(1500)]
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w", format=tarfile.USTAR_FORMAT) as t:
        for d in range(1, 32):
            for h in range(24):
                s = io.StringIO()
                s.write("@type tordnsel 1.0\nDownloaded 2024-01-%02d %02d:02:00\n" % (d, h))
                for fp_, addr in rng.sample(exits, 1200):
                    ts = "2024-01-%02d %02d:%02d:%02d" % (d, h, rng.randint(0, 59), rng.randint(0, 59))
                    s.write("ExitNode %s\nPublished %s\nLastStatus %s\nExitAddress %s %s\n"
                            % (fp_, ts, ts, addr, ts))
                data = s.getvalue().encode()
                ti = tarfile.TarInfo("exit-list-2024-01/%02d/2024-01-%02d-%02d-02-00" % (d, d, h))
                ti.size = len(data)
                t.addfile(ti, io.BytesIO(data))
    with open(os.path.join(out, "exit-list-2024-01.tar.xz"), "wb") as fp:
        fp.write(lzma.compress(b.getvalue(), preset=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
