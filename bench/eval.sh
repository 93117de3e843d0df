#!/bin/bash
# eval.sh [WORKDIR] [--docs N] [--seed S] - a labelled evaluation of
# detection in documents made by real office software: bench/eval/
# labelled.py writes N memos and N sheets with planted values and decoys
# (tests/docgen makes the docx and xlsx), LibreOffice converts them to
# doc, xls and pdf, piiscan scans all of them (card and hkid), and
# bench/eval/score.py prints recall and precision at medium or high by
# format, with what the misses were found as.  (LibreOffice prints the
# sheets' 16-digit card cells as 5.5E+15 in their PDFs: those cards are
# not in the text, and show as misses "sheet card none" under pdf.)
# Needs a built tree,
# python3 and soffice (LibreOffice); not part of make check.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
work=${TMPDIR:-/tmp}/piiscan-eval docs=20 seed=7
while [ $# -gt 0 ]; do
	case $1 in
	--docs) docs=$2; shift 2 ;;
	--seed) seed=$2; shift 2 ;;
	*) work=$1; shift ;;
	esac
done
for tool in python3 soffice; do
	command -v "$tool" > /dev/null || { echo "eval.sh: $tool is needed" >&2; exit 2; }
done
# Without metric-compatible fonts LibreOffice lays sheets out otherwise,
# and the PDF figures are not comparable (README).
fc-list 2> /dev/null | grep -q 'Liberation' ||
	echo "eval.sh: warning: no Liberation fonts (fonts-liberation2): pdf figures will differ" >&2
[ -x "$top/src/piiscan" ] && [ -x "$top/tests/docgen" ] ||
	{ echo "eval.sh: build first (make, make check builds tests/docgen)" >&2; exit 2; }
rm -rf "$work" && mkdir -p "$work/src" "$work/doc" "$work/xls" "$work/pdf"
python3 "$here/eval/labelled.py" "$work/src" "$seed" "$docs"
for f in "$work"/src/memo*.spec; do "$top/tests/docgen" docx "${f%.spec}.docx" < "$f"; done
for f in "$work"/src/sheet*.xspec; do "$top/tests/docgen" xlsx "${f%.xspec}.xlsx" < "$f"; done
(
	cd "$work/src"
	soffice --headless --convert-to doc --outdir ../doc memo*.docx
	soffice --headless --convert-to xls --outdir ../xls sheet*.xlsx
	soffice --headless --convert-to pdf --outdir ../pdf memo*.docx sheet*.xlsx
) > "$work/soffice.log" 2>&1
head -c 64 /dev/urandom | od -An -tx1 | tr -d ' \n' | cut -c1-64 > "$work/key"
chmod 600 "$work/key"
PIISCAN_ROOT_OK=1 "$top/src/piiscan" scan --db "$work/eval.db" --key-file "$work/key" \
	--no-progress --types card,hkid "$work/src" "$work/doc" "$work/xls" "$work/pdf" > /dev/null || true
python3 "$here/eval/score.py" "$work/eval.db" "$work/src/truth.tsv" "$work/key"
