#!/usr/bin/env python3
"""Greedy set cover over a libFuzzer merge control file: the fewest inputs (smallest first on ties)
that together reach every coverage edge (COV lines) the corpus reached. Used by keep-corpus.sh."""
import hashlib
import os
import sys
# usage: mincov.py CONTROL_FILE OUT_DIR  -- greedy set cover of coverage edges (COV lines), smallest inputs first
ctl, out = sys.argv[1], sys.argv[2]
lines = open(ctl).read().split('\n')
n = int(lines[0]); files = lines[2:2+n]
cov = {}; size = {}
for l in lines[2+n:]:
    p = l.split()
    if not p: continue
    if p[0] == 'STARTED': size[int(p[1])] = int(p[2])
    elif p[0] == 'COV': cov[int(p[1])] = set(map(int, p[2:]))
allc = set().union(*cov.values()) if cov else set()
left = set(allc); picked = []
while left:
    best = max(cov, key=lambda i: (len(cov[i] & left), -size.get(i, 0)))
    gain = cov[best] & left
    if not gain: break
    picked.append(best); left -= gain
os.makedirs(out, exist_ok=True)
tot = 0
for i in picked:
    data = open(files[i], 'rb').read(); tot += len(data)
    open(os.path.join(out, 'corpus-' + hashlib.sha1(data).hexdigest()[:16]), 'wb').write(data)
print(f"{len(cov)} inputs, {len(allc)} edges -> {len(picked)} inputs, {tot} bytes")
