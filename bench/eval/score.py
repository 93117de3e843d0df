#!/usr/bin/env python3
"""score.py DB TRUTH KEYFILE: recall and precision at medium or high, by
document format, over the files whose stem truth.tsv lists; then the
misses by kind of document and type, and what they were found as (low,
or not at all)."""
import sqlite3, sys, hmac, hashlib, os, collections, re
db, truth, keyfile = sys.argv[1:4]
key = bytes.fromhex(open(keyfile).read().strip())
want = collections.defaultdict(set)
for line in open(truth):
    stem, t, v, exp = line.rstrip('\n').split('\t')
    h = hmac.new(key, (t + ':' + v).encode(), hashlib.sha256).hexdigest()
    want[stem].add((t, h))
got = collections.defaultdict(lambda: collections.defaultdict(set))
low = collections.defaultdict(lambda: collections.defaultdict(set))
con = sqlite3.connect(db)
for path, t, conf, h, loc in con.execute("select f.path, x.type, x.confidence, x.value_hash, x.location from findings x join files f on f.id = x.file_id"):
    path = path.decode() if isinstance(path, bytes) else path
    ext = path.rsplit('.', 1)[-1]
    stem = os.path.basename(path).rsplit('.', 1)[0]
    (got if conf >= 2 else low)[ext][stem].add((t, h))
for ext in sorted((set(got) | set(low)) & {'doc', 'docx', 'pdf', 'xls', 'xlsx', 'eml', 'mbox', 'msg', 'pst'}):
    tp = fn = fp = 0; misses = []
    stems = [s for s in want if any(s2 == s for s2 in list(got[ext]) + list(low[ext]))]
    for stem in stems:
        w, g = want[stem], got[ext][stem]
        tp += len(w & g); fn += len(w - g); fp += len(g - w)
        for m in w - g:
            misses.append((re.sub(r'[0-9]+$', '', stem), m[0],
                           'low' if m in low[ext][stem] else 'none'))
    print('%-5s files %3d  truth %4d  tp %4d  fn %3d  fp %3d  recall %.4f  precision %.4f' % (ext, len(stems), tp + fn, tp, fn, fp, tp / max(1, tp + fn), tp / max(1, tp + fp)))
    c = collections.Counter(m for m in misses)
    if c: print('   misses:', dict(c))
