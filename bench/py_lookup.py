#!/usr/bin/python3
"""Bulk-lookup peer: the maxminddb C extension reading addresses from stdin.

usage: py_lookup.py DB.mmdb < addresses
Prints "lines N found N values N", like raw_lookup.
"""

import sys

import maxminddb


def main():
	if len(sys.argv) != 2:
		sys.exit("usage: py_lookup.py DB.mmdb < addresses")
	# MODE_MMAP_EXT fails outright when the C extension is missing, so a
	# silent fallback to the pure-Python reader cannot skew the figure.
	db = maxminddb.open_database(sys.argv[1], maxminddb.MODE_MMAP_EXT)
	lines = found = values = 0
	for line in sys.stdin:
		lines += 1
		rec = db.get(line.strip())
		if rec is None:
			continue
		found += 1
		if rec.get("autonomous_system_number") is not None:
			values += 1
	db.close()
	print("lines %d found %d values %d" % (lines, found, values))


if __name__ == "__main__":
	main()
