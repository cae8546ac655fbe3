#!/usr/bin/python3
"""Generate a deterministic list of IP addresses for the geoattr benchmarks.

Most addresses are drawn from networks that really exist in the embedded ASN
data, so lookups walk the tree to real leaves (and hit data records) the way
log files would; a smaller share are random addresses that mostly miss.  A
given share are repeats of earlier addresses, as in real traffic where a few
hosts recur.  Same seed and arguments, same output, byte for byte.

Standard library only: run with /usr/bin/python3.
"""

import argparse
import csv
import io
import ipaddress
import lzma
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
GEO = os.path.join(HERE, "..", "geo")

# Share of fresh (non-repeat) addresses taken from ranges in the data; the
# rest are uniformly random in their family.
IN_DATA_SHARE = 0.85

# Repeats come from a bounded pool of earlier addresses rather than from all
# of them: a 10M run would otherwise hold every string in memory, and real
# traffic repeats a hot set anyway.
POOL_SIZE = 100000


def load_ranges(paths):
	"""Return (v4, v6): lists of (first, last) integer pairs, in file order."""
	v4, v6 = [], []
	for path in paths:
		with lzma.open(path, "rt", encoding="utf-8", newline="") as f:
			for row in csv.reader(f):
				if len(row) < 2:
					continue
				if ":" in row[0]:
					v6.append((int(ipaddress.IPv6Address(row[0])),
						   int(ipaddress.IPv6Address(row[1]))))
				else:
					v4.append((int(ipaddress.IPv4Address(row[0])),
						   int(ipaddress.IPv4Address(row[1]))))
	return v4, v6


def fmt_v4(n):
	return "%d.%d.%d.%d" % (n >> 24, (n >> 16) & 255, (n >> 8) & 255, n & 255)


def fmt_v6(n):
	return ipaddress.IPv6Address(n).compressed


def fresh(rng, v6_share, v4, v6):
	"""One new address: mostly inside a range of the data, else random."""
	six = rng.random() < v6_share
	if rng.random() < IN_DATA_SHARE:
		# Uniform over ranges, not over addresses: weighting by size
		# would make a few huge IPv6 blocks dominate.
		first, last = rng.choice(v6 if six else v4)
		n = rng.randint(first, last)
	elif six:
		# Global unicast 2000::/3, where real IPv6 traffic lives.
		n = (1 << 125) | rng.getrandbits(125)
	else:
		n = rng.getrandbits(32)
	return fmt_v6(n) if six else fmt_v4(n)


def main():
	ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	ap.add_argument("count", type=int, help="number of lines to write")
	ap.add_argument("--seed", type=int, default=42)
	ap.add_argument("--repeat-share", type=float, default=0.3,
			help="share of lines repeating an earlier address")
	ap.add_argument("--v6-share", type=float, default=0.2,
			help="share of fresh addresses that are IPv6")
	ap.add_argument("-o", "--output", default="-",
			help="output file (default: standard output)")
	ap.add_argument("--data", nargs="*",
			default=[os.path.join(GEO, "asn-ipv4.csv.xz"),
				 os.path.join(GEO, "asn-ipv6.csv.xz")],
			help="xz-compressed range CSV files to draw networks from")
	args = ap.parse_args()
	for name in ("repeat_share", "v6_share"):
		v = getattr(args, name)
		if not 0.0 <= v <= 1.0:
			ap.error("--%s must be between 0 and 1" % name.replace("_", "-"))

	v4, v6 = load_ranges(args.data)
	if not v4 or not v6:
		sys.exit("gen_addrs: no IPv4 or no IPv6 ranges in the data")

	rng = random.Random(args.seed)
	if args.output == "-":
		out = sys.stdout
	else:
		out = io.open(args.output, "w", encoding="ascii", newline="\n")
	# Written in batches rather than collected: a 10M list of strings
	# would cost the best part of a gigabyte.
	pool = []
	batch = []
	for _ in range(args.count):
		if pool and rng.random() < args.repeat_share:
			batch.append(rng.choice(pool))
		else:
			a = fresh(rng, args.v6_share, v4, v6)
			batch.append(a)
			if len(pool) < POOL_SIZE:
				pool.append(a)
			else:
				pool[rng.randrange(POOL_SIZE)] = a
		if len(batch) >= 65536:
			out.write("\n".join(batch) + "\n")
			batch = []
	if batch:
		out.write("\n".join(batch) + "\n")
	if out is not sys.stdout:
		out.close()


if __name__ == "__main__":
	main()
