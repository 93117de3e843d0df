#!/usr/bin/env python3
"""labelled.py OUTDIR SEED N: the specs of N memos (tests/docgen docx:
prose with cards and HKIDs, with and without keywords, decoys that fail
their checks, and a Name | HKID | Card number table) and N sheets
(xlsx: Name | HKID | Card | Amount | Phone, cards as numbers), and
truth.tsv: file stem, type, normalised value, 1 (wanted at medium or
high).  Synthetic values with valid check digits; deterministic."""
import random, sys, os
random.seed(int(sys.argv[2]) if len(sys.argv) > 2 else 7)
out = sys.argv[1]
def luhn_fix(p):
    s = 0
    for i, ch in enumerate(reversed(p)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        s += d
    return p + str((10 - s % 10) % 10)
def card():
    pre = random.choice(['4', '51', '52', '53', '54', '55', '37', '34', '6011', '35'])
    if pre == '35':
        pre += str(random.randint(28, 89))
    n = 15 if pre in ('37', '34') else 16
    body = pre + ''.join(random.choice('0123456789') for _ in range(n - 1 - len(pre)))
    return luhn_fix(body)
def bad_card():
    c = card()
    return c[:-1] + str((int(c[-1]) + 1) % 10)
def hkid(valid=True):
    L = random.choice('ABCDEGHKMPRVWYZ')
    ds = ''.join(random.choice('0123456789') for _ in range(6))
    s = 36 * 9 + (ord(L) - 55) * 8 + sum(int(d) * w for d, w in zip(ds, range(7, 1, -1)))
    c = (11 - s % 11) % 11
    ch = 'A' if c == 10 else str(c)
    if not valid:
        ch = str((int(ch) + 1) % 10) if ch != 'A' else '0'
    return L + ds + ch
def fmt_card(c):
    r = random.random()
    if r < 0.5 or len(c) == 15: return c
    if r < 0.75: return ' '.join(c[i:i+4] for i in range(0, 16, 4))
    return '-'.join(c[i:i+4] for i in range(0, 16, 4))
def br(h): return h[:-1] + '(' + h[-1] + ')'
truth = open(os.path.join(out, 'truth.tsv'), 'w')
names = ['Chan Tai Man', 'Wong Siu Ming', 'Lee Ka Yan', 'Cheung Wai', 'Ho Mei Ling']
for i in range(int(sys.argv[3]) if len(sys.argv) > 3 else 20):
    stem = 'memo%02d' % i
    lines = ['Staff record %d' % i]
    for k in range(6):
        c = card()
        kw = random.choice(['Card number: ', 'Credit card ', 'Payment by ', 'Ref ', '信用卡號碼 '])
        lines.append('%s%s for %s, amount HK$%d.%02d' % (kw, fmt_card(c), random.choice(names), random.randint(10, 9999), random.randint(0, 99)))
        truth.write('%s\tcard\t%s\t1\n' % (stem, c))
        h = hkid()
        kw = random.choice(['HKID ', '身份證號碼 ', 'Identity card no. ', 'Visitor ', ''])
        lines.append('%s%s joined on 2019-0%d-1%d, tel %d' % (kw, br(h), random.randint(1, 9), random.randint(0, 9), random.randint(21000000, 99999999)))
        truth.write('%s\thkid\t%s\t1\n' % (stem, h))
        lines.append('Order %s, invoice %d, ref %s' % (bad_card(), random.randint(10**8, 10**9), br(hkid(False))))
    lines.append('|Name|HKID|Card number|')
    for k in range(4):
        h, c = hkid(), card()
        lines.append('|%s|%s|%s|' % (random.choice(names), h, c))
        truth.write('%s\thkid\t%s\t1\n' % (stem, h))
        truth.write('%s\tcard\t%s\t1\n' % (stem, c))
    open(os.path.join(out, stem + '.spec'), 'w').write('\n'.join(lines) + '\n')
    # spreadsheet
    stem = 'sheet%02d' % i
    rows = [('Name', 'HKID', 'Card', 'Amount', 'Phone')]
    for k in range(12):
        h, c = hkid(), card()
        rows.append((random.choice(names), h, c, '%d.%02d' % (random.randint(1, 99999), random.randint(0, 99)), str(random.randint(21000000, 99999999))))
        truth.write('%s\thkid\t%s\t1\n' % (stem, h))
        truth.write('%s\tcard\t%s\t1\n' % (stem, c))
    cols = 'ABCDE'
    with open(os.path.join(out, stem + '.xspec'), 'w') as f:
        for r, row in enumerate(rows):
            for ci, v in enumerate(row):
                kind = 'n' if (r > 0 and ci in (2, 3, 4)) else 's'
                f.write('Staff\t%s%d\t%s\t%s\n' % (cols[ci], r + 1, kind, v))
