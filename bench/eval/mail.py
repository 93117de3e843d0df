#!/usr/bin/env python3
"""mail.py OUTDIR SEED N: N labelled .eml messages for bench/eval-mail.sh.

Each message has a quoted-printable text body (long lines, so that soft
line breaks fall inside numbers too), in UTF-8 or Big5, with card and
HKID numbers planted with and without keywords, decoys that fail their
checks (Luhn, issuer range, HKID check character, runs inside longer
numbers or words), and a base64 CSV attachment (Name,HKID,Card number).
Every third message also has an HTML alternative of its body.  Writes
OUTDIR/mailN.eml and OUTDIR/truth.tsv (stem, type, value, expected
confidence)."""
import random, sys, os
from email.message import EmailMessage
from email.policy import SMTP
from email import charset as email_charset

out, seed, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rnd = random.Random(seed)

def luhn_digit(body):
    s = 0
    for i, c in enumerate(reversed(body)):
        d = int(c)
        if i % 2 == 0:
            d *= 2
            if d > 9: d -= 9
        s += d
    return str((10 - s % 10) % 10)

ISSUERS = [('4', 16), ('51', 16), ('55', 16), ('2221', 16), ('34', 15),
           ('37', 15), ('6011', 16), ('35', 16), ('62', 16), ('36', 14)]
def card():
    p, length = rnd.choice(ISSUERS)
    if p == '35': p = str(rnd.randint(3528, 3589))
    body = p + ''.join(rnd.choice('0123456789') for _ in range(length - len(p) - 1))
    return body + luhn_digit(body)

def hkid_check(letters, digits):
    vals = ([36] if len(letters) == 1 else []) + [ord(c) - 55 for c in letters] + [int(c) for c in digits]
    s = sum(v * w for v, w in zip(vals, range(9, 1, -1)))
    c = (11 - s % 11) % 11
    return 'A' if c == 10 else str(c)

def hkid():
    letters = rnd.choice('ABCDEGHKMPRVZ') if rnd.random() < 0.9 else rnd.choice(['XA', 'WX'])
    digits = ''.join(rnd.choice('0123456789') for _ in range(6))
    return letters, digits, hkid_check(letters, digits)

def grouped(c):
    if len(c) == 16 and rnd.random() < 0.4:
        sep = rnd.choice(' -')
        return sep.join(c[i:i + 4] for i in range(0, 16, 4))
    return c

NAMES = ['Chan Tai Man', 'Wong Siu Ming', 'Lee Ka Yan', 'Cheung Wai Kit', 'Ho Mei Ling',
         'Lam Chi Keung', 'Ng Hoi Yan', 'Tsang Ka Ho']
FILLER = ('Please find below the details we hold on file for the review of this '
          'quarter, as discussed at the meeting on 2026-03-02 at 14:30 in room 1204. ')

truth = open(os.path.join(out, 'truth.tsv'), 'w')
for k in range(1, n + 1):
    stem = 'mail%d' % k
    lines, want = [], []
    for _ in range(rnd.randint(3, 6)):
        kind = rnd.random()
        if kind < 0.35:
            c = card()
            lines.append(FILLER + 'The card number %s was charged HK$%d.%02d.' % (grouped(c), rnd.randint(1, 9999), rnd.randint(0, 99)))
            want.append(('card', c, 'high'))
        elif kind < 0.5:
            c = card()
            lines.append(FILLER + 'Ref %s settled.' % c)
            want.append(('card', c, 'medium'))
        elif kind < 0.8:
            l, d, ch = hkid()
            lines.append(FILLER + 'Staff HKID no. %s%s(%s) verified.' % (l, d, ch))
            want.append(('hkid', l + d + ch, 'high'))
        else:
            l, d, ch = hkid()
            lines.append(FILLER + 'Holder %s%s (%s) on record.' % (l, d, ch))
            want.append(('hkid', l + d + ch, 'medium'))
    # Decoys: none of these may be found at medium or high.
    bad = card()
    bad = bad[:-1] + str((int(bad[-1]) + 1) % 10)
    l, d, ch = hkid()
    wrong = str((int(ch) + 1) % 10) if ch != 'A' else '0'
    lines.append(FILLER + 'Order %s, card number %s (declined), HKID %s%s(%s) rejected, '
                 'tel +852 %d %d, invoice %s%s.' % (
                     '1' + ''.join(rnd.choice('0123456789') for _ in range(15)), bad, l, d, wrong,
                     rnd.randint(2000, 9999), rnd.randint(1000, 9999),
                     'INV' + card(), ''))
    text = '\n\n'.join(lines) + '\n'
    big5 = k % 5 == 0
    msg = EmailMessage(policy=SMTP)
    msg['From'] = 'HR Office <hr@example.com>'
    msg['To'] = 'Payroll <payroll@example.com>'
    msg['Subject'] = 'Staff records %d' % k
    msg['Date'] = 'Mon, 02 Mar 2026 09:%02d:00 +0800' % (k % 60)
    msg['Message-ID'] = '<eval-%d@example.com>' % k
    if big5:
        text = '身份證及信用卡資料如下。\n\n' + text
    cs = email_charset.Charset('big5' if big5 else 'utf-8')
    cs.body_encoding = email_charset.QP
    msg.set_content(text.encode('big5' if big5 else 'utf-8'), maintype='text', subtype='plain',
                    cte='quoted-printable', params={'charset': 'big5' if big5 else 'utf-8'})
    if k % 3 == 0:
        html = '<html><body>' + ''.join('<p>%s</p>' % x for x in lines) + '</body></html>'
        msg.add_alternative(html, subtype='html', cte='quoted-printable')
    rows = ['Name,HKID,Card number']
    for _ in range(rnd.randint(2, 5)):
        l, d, ch = hkid()
        c = card()
        style = rnd.random()
        h = l + d + ('(%s)' % ch if style < 0.6 else ch)
        rows.append('%s,%s,%s' % (rnd.choice(NAMES), h, c))
        want.append(('hkid', l + d + ch, 'high'))
        want.append(('card', c, 'high'))
    msg.add_attachment(('\r\n'.join(rows) + '\r\n').encode(), maintype='text', subtype='csv',
                       filename='staff%d.csv' % k)
    with open(os.path.join(out, stem + '.eml'), 'wb') as f:
        f.write(msg.as_bytes())
    for t, v, exp in want:
        truth.write('%s\t%s\t%s\t%s\n' % (stem, t, v, exp))
