#!/usr/bin/env python3
"""hist_fixtures.py - build the archive tree that tests/cli_asof.sh serves.

    hist_fixtures.py DATADIR OUTDIR

OUTDIR gets the files `update --as-of 2017-07-17` asks for, made from the
excerpts in DATADIR (tests/data/hist), compressed as each archive comes:
APNIC's plain file of that day (no extended one, to exercise the
fallback), RIPE's extended file of the day before (the nearest-day
fallback), ARIN, LACNIC, AFRINIC uncompressed, the pfx2as file gzipped,
the exit list in a ustar tar.xz, CAIDA's AS Organizations file of
2017-07-01 (the quarterly file nearest the day) gzipped.  OUTDIR/bad-*/
and OUTDIR/no-*/ hold broken or incomplete variants, each with every
other file intact; OUTDIR/mar/ the archives of 2017-03-29, whose
prefix-to-AS file is the real excerpt, made at 02:00.
"""
import bz2
import gzip
import io
import lzma
import os
import shutil
import sys
import tarfile


def main():
    src, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)

    def rd(name):
        with open(os.path.join(src, name), "rb") as fp:
            return fp.read()

    def tar_xz(entries):
        b = io.BytesIO()
        with tarfile.open(fileobj=b, mode="w", format=tarfile.USTAR_FORMAT) as t:
            d = tarfile.TarInfo("exit-list-2017-07")
            d.type = tarfile.DIRTYPE
            t.addfile(d)
            for name, data in entries:
                i = tarfile.TarInfo(name)
                i.size = len(data)
                i.mtime = 1500310920
                t.addfile(i, io.BytesIO(data))
        return lzma.compress(b.getvalue())

    exitlist = rd("tordnsel-2017-07-17-17-02-00")
    files = {
        "delegated-apnic-20170717.gz": gzip.compress(rd("delegated-apnic-20141102.excerpt"), mtime=0),
        "delegated-ripencc-extended-20170716.bz2": bz2.compress(rd("delegated-ripencc-extended.fixture")),
        "delegated-arin-extended-20170717": rd("delegated-arin-extended.fixture"),
        "delegated-lacnic-extended-20170717": rd("delegated-lacnic-extended.fixture"),
        "delegated-afrinic-extended-20170717": rd("delegated-afrinic-extended-20210406.excerpt"),
        "routeviews-rv2-20170717-1200.pfx2as.gz":
            gzip.compress(rd("pfx2as-lines.excerpt") + rd("pfx2as-routes.fixture"), mtime=0),
        "exit-list-2017-07.tar.xz": tar_xz([("exit-list-2017-07/17/2017-07-17-17-02-00", exitlist)]),
        "20170701.as-org2info.txt.gz": gzip.compress(rd("as2org-20170701.fixture"), mtime=0),
    }
    for name, data in files.items():
        with open(os.path.join(out, name), "wb") as fp:
            fp.write(data)

    def variant(sub, name, data):
        d = os.path.join(out, sub)
        os.makedirs(d, exist_ok=True)
        for n, v in files.items():
            with open(os.path.join(d, n), "wb") as fp:
                fp.write(data if n == name else v)

    rip = files["delegated-ripencc-extended-20170716.bz2"]
    variant("bad-bz2cut", "delegated-ripencc-extended-20170716.bz2", rip[: len(rip) // 2])
    pfx = files["routeviews-rv2-20170717-1200.pfx2as.gz"]
    variant("bad-gzcorrupt", "routeviews-rv2-20170717-1200.pfx2as.gz",
            pfx[:20] + bytes(b ^ 0x5A for b in pfx[20:40]) + pfx[40:])
    tx = files["exit-list-2017-07.tar.xz"]
    variant("bad-xzcut", "exit-list-2017-07.tar.xz", tx[: len(tx) - 30])
    # A tar cut inside its member, recompressed whole: xz is fine, tar is not.
    whole = lzma.decompress(tx)
    variant("bad-tarcut", "exit-list-2017-07.tar.xz", lzma.compress(whole[:1500]))
    # A plain ARIN file cut short: only its version line's count shows it.
    arin = files["delegated-arin-extended-20170717"]
    variant("bad-plaincut", "delegated-arin-extended-20170717", arin[: arin.rindex(b"arin|US|ipv4|8.")])
    variant("bad-line", "delegated-lacnic-extended-20170717",
            files["delegated-lacnic-extended-20170717"].replace(b"|reserved|", b"|unheard-of|"))
    # An exit list that decompresses to 600 kB: over a 100 kB --max-size.
    variant("bad-bomb", "exit-list-2017-07.tar.xz",
            tar_xz([("exit-list-2017-07/17/2017-07-17-17-02-00", exitlist + b"\n" * 600000)]))
    # No exit lists for July 2017 at all.
    variant("no-tor", None, b"")
    os.unlink(os.path.join(out, "no-tor", "exit-list-2017-07.tar.xz"))
    # No AS names for the period: the set installs without them.
    variant("no-names", None, b"")
    os.unlink(os.path.join(out, "no-names", "20170701.as-org2info.txt.gz"))
    # The as2org file there, but its gzip stream corrupt, or a line bad.
    org = files["20170701.as-org2info.txt.gz"]
    variant("bad-namesgz", "20170701.as-org2info.txt.gz",
            org[:20] + bytes(b ^ 0x5A for b in org[20:40]) + org[40:])
    variant("bad-namesline", "20170701.as-org2info.txt.gz",
            gzip.compress(rd("as2org-20170701.fixture").replace(b"9299|", b"AS9299|"), mtime=0))
    # A second day, 2017-03-29, in OUTDIR/mar/ (served as /d/mar/..., or
    # read as a local directory): CAIDA made that day's prefix-to-AS file
    # at 02:00, not 12:00 -- the real file the excerpt comes from is
    # routeviews-rv2-20170329-0200 -- and only the month's listing says
    # so.  The listing is in the shape of an Apache index, with the
    # neighbouring days (made at other times) around it.  The other
    # archives are the fixtures of 2017-07-17 under that day's names.
    mar = os.path.join(out, "mar")
    os.makedirs(mar, exist_ok=True)
    names = ["routeviews-rv2-20170327-1200.pfx2as.gz", "routeviews-rv2-20170328-1400.pfx2as.gz",
             "routeviews-rv2-20170329-0200.pfx2as.gz", "routeviews-rv2-20170330-1200.pfx2as.gz"]
    listing = "".join('<tr><td><a href="%s">%s</a></td><td align="right">2017-03-30 04:1%d  </td>'
                      '<td align="right">2.3M</td></tr>\n' % (n, n, i) for i, n in enumerate(names))
    marfiles = {
        "delegated-apnic-20170329.gz": files["delegated-apnic-20170717.gz"],
        "delegated-ripencc-extended-20170329.bz2": files["delegated-ripencc-extended-20170716.bz2"],
        "delegated-arin-extended-20170329": files["delegated-arin-extended-20170717"],
        "delegated-lacnic-extended-20170329": files["delegated-lacnic-extended-20170717"],
        "delegated-afrinic-extended-20170329": files["delegated-afrinic-extended-20170717"],
        "routeviews-rv2-20170329-0200.pfx2as.gz":
            gzip.compress(rd("routeviews-rv2-20170329-0200.pfx2as.excerpt"), mtime=0),
        "exit-list-2017-03.tar.xz": files["exit-list-2017-07.tar.xz"],
        "exit-list-2017-04.tar.xz": files["exit-list-2017-07.tar.xz"],
        "20170401.as-org2info.txt.gz": files["20170701.as-org2info.txt.gz"],
        "index-2017-03.html": ("<html><head><title>Index of /datasets/routing/routeviews-prefix2as/2017/03"
                               "</title></head><body><table>\n" + listing + "</table></body></html>\n").encode(),
    }
    for name, data in marfiles.items():
        with open(os.path.join(mar, name), "wb") as fp:
            fp.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
