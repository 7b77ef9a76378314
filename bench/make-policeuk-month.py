#!/usr/bin/env python3
"""A whole-force police.uk street-level month, deterministic, shaped like a real one.

Usage: make-policeuk-month.py ROWS OUT.csv [REAL.csv ...]
Crime types and outcomes are drawn with the frequencies of the real rows given (default: the Kent extracts under
tests/KcCsp.Web.Tests/RealFiles/policeuk/kent); 13 local authorities of 60-160 LSOAs (2,000 LSOAs in all, codes
E0190xxxx so they meet no real LSOA), about 1.1 % of rows without a location, a crime ID of 64 hex digits on every
row but anti-social behaviour's, CRLF line ends as police.uk ships them. The month is 2022-01 (the file's name says so).
"""
import csv, hashlib, io, os, random, sys

rows, out = int(sys.argv[1]), sys.argv[2]
root = os.path.join(os.path.dirname(__file__), "..", "tests", "KcCsp.Web.Tests", "RealFiles", "policeuk", "kent")
real = sys.argv[3:] or [os.path.join(root, f) for f in sorted(os.listdir(root)) if f.endswith("-street.csv")]
pairs = []
for f in real:
    with open(f, newline="", encoding="utf-8") as h:
        for r in csv.DictReader(h):
            pairs.append((r["Crime type"], r["Last outcome category"]))
rnd = random.Random(18)
las = ["Northam", "Southam", "Eastley", "Westbury", "Midford", "Highcliff", "Lowdale", "Kingsmere", "Queensbury",
       "Oakfield", "Ashgrove", "Elmstead", "Thornbury"]
lsoas = []
n = 0
for i, la in enumerate(las):
    for j in range(60 + (i * 37) % 100 + (40 if i < 5 else 0)):
        lsoas.append((f"E0190{n:04d}", f"{la} {j // 4 + 1:03d}{'ABCD'[j % 4]}"))
        n += 1
with open(out, "w", newline="", encoding="utf-8") as h:
    w = csv.writer(h, lineterminator="\r\n")
    w.writerow(["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location", "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context"])
    force = "Benchshire Police"
    for k in range(rows):
        t, o = pairs[rnd.randrange(len(pairs))]
        cid = "" if t == "Anti-social behaviour" else hashlib.sha256(f"bench-{k}".encode()).hexdigest()
        if rnd.random() < 0.011:
            w.writerow([cid, "2022-01", force, force, "", "", "No Location", "", "", t, o, ""])
        else:
            code, name = lsoas[int(len(lsoas) * rnd.random() ** 1.3)]
            w.writerow([cid, "2022-01", force, force, f"{rnd.uniform(0.2, 1.4):.6f}", f"{rnd.uniform(51.0, 51.5):.6f}", "On or near High Street", code, name, t, o, ""])
