#!/usr/bin/python3
"""Write one list of addresses in the published shapes geoattr reads, for
bench/formats_speed.sh: a STIX 1.x package of a given size built from the
real US-CERT TA17-164A package (its header, its indicator as published,
with the address and ids changed per indicator, and its closing), and an
HTML report whose table of the same addresses prints to a given number of
pages (defanged, with a cited location per row, as vendor reports do).

    gen_formats.py stix ADDRS.txt OUT.xml MEGABYTES
    gen_formats.py html ADDRS.txt OUT.html ROWS

Deterministic: same input, same output.  Standard library only.
"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REAL = os.path.join(HERE, "..", "tests", "data", "real", "us-cert-ta17-164a.stix.xml")


def addrs(path):
	with open(path) as f:
		return [l.strip() for l in f if l.strip() and ":" not in l]  # IPv4: the package's category


def stix(src, out, megabytes):
	text = open(REAL, newline="").read()
	start = text.index("<stix:Indicator ")
	line_start = text.rindex("\n", 0, start) + 1
	end = text.index("</stix:Indicator>", start) + len("</stix:Indicator>")
	block = text[line_start:end]
	close = text.index("</stix:Indicators>")
	head, tail = text[:line_start], text[close:]
	value = re.compile(r'(<AddressObj:Address_Value condition="Equals">)[^<]*(</AddressObj:Address_Value>)')
	ids = re.compile(r'(id="NCCIC:[A-Za-z]+-)[0-9a-f-]+(")')
	a = addrs(src)
	limit = megabytes * 1000 * 1000
	n = 0
	with open(out, "w", newline="") as f:
		f.write(head)
		size = len(head) + len(tail)
		while size < limit:
			ip = a[n % len(a)]
			b = value.sub(lambda m: m.group(1) + ip + m.group(2), block)
			b = ids.sub(lambda m: m.group(1) + "%012d" % n + m.group(2), b)
			f.write(b + "\r\n")
			size += len(b) + 2
			n += 1
		f.write(tail)
	return n


def html(src, out, rows):
	a = addrs(src)[:rows]
	places = ["Canada", "the Netherlands", "Germany", "Russia", "China", "the United States"]
	with open(out, "w") as f:
		f.write("<html><head><style>td{font:9pt sans-serif;padding:0 4px}</style></head><body>"
		        "<h1>Indicators of compromise</h1><table border=1>"
		        "<tr><th>#</th><th>Indicator</th><th>Note</th></tr>\n")
		for i, ip in enumerate(a):
			f.write("<tr><td>%d</td><td>%s</td><td>C2 server, located in %s</td></tr>\n"
			        % (i + 1, ip.replace(".", "[.]"), places[i % len(places)]))
		f.write("</table></body></html>\n")
	return len(a)


if __name__ == "__main__":
	kind, src, out, n = sys.argv[1:5]
	print((stix if kind == "stix" else html)(src, out, int(n)))
