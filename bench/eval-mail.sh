#!/bin/bash
# eval-mail.sh [WORKDIR] [--mails N] [--seed S] - a labelled evaluation of
# detection in mail: bench/eval/mail.py writes N .eml messages (Python's
# email package: quoted-printable UTF-8 and Big5 bodies with soft line
# breaks inside numbers, HTML alternatives, base64 CSV attachments;
# planted cards and HKIDs with and without keywords, and decoys that fail
# their checks), piiscan scans them (card and hkid) and bench/eval/
# score.py prints recall and precision at medium or high.  Needs a built
# tree and python3; not part of make check.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
work=${TMPDIR:-/tmp}/piiscan-eval-mail mails=200 seed=7
while [ $# -gt 0 ]; do
	case $1 in
	--mails) mails=$2; shift 2 ;;
	--seed) seed=$2; shift 2 ;;
	*) work=$1; shift ;;
	esac
done
command -v python3 > /dev/null || { echo "eval-mail.sh: python3 is needed" >&2; exit 2; }
[ -x "$top/src/piiscan" ] || { echo "eval-mail.sh: build first" >&2; exit 2; }
rm -rf "$work" && mkdir -p "$work/mail"
python3 "$here/eval/mail.py" "$work/mail" "$seed" "$mails"
mv "$work/mail/truth.tsv" "$work/truth.tsv"
head -c 64 /dev/urandom | od -An -tx1 | tr -d ' \n' | cut -c1-64 > "$work/key"
chmod 600 "$work/key"
PIISCAN_ROOT_OK=1 "$top/src/piiscan" scan --db "$work/eval.db" --key-file "$work/key" \
	--no-progress --types card,hkid "$work/mail" > /dev/null || true
python3 "$here/eval/score.py" "$work/eval.db" "$work/truth.tsv" "$work/key"
