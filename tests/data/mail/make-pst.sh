#!/bin/bash
# make-pst.sh - remake sample.pst, the Outlook store of the mail tests,
# with tests/pstgen.  The values are synthetic, made by tests/fixture with
# the seeds below; README lists what the store holds.
#
# usage: tests/data/mail/make-pst.sh BUILDDIR [OUTDIR]   (BUILDDIR: where
#        tests/fixture and tests/pstgen are; OUTDIR: where sample.pst goes,
#        this directory by default)
set -eu
B=$(cd "${1:?usage: make-pst.sh BUILDDIR [OUTDIR]}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
out=${2:-$here}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
F="$B/tests/fixture"
c1=$("$F" card 4 16 201)   # Inbox, "Card on file": body, after "card number"
h1=$("$F" hkid A 202)      # Inbox, "Payroll March": staff.csv
h2=$("$F" hkid B 203)      # Inbox/Payroll, "April payslips": body
br() { printf '%s(%s)' "${1%?}" "${1#"${1%?}"}"; }   # A1234563 -> A123456(3)

printf '%s\n' "Dear customer," "" "The card number $c1 is on file for the" \
    "renewal." "" "Accounts" > "$W/card.txt"
printf '%s\n' "Hello," "" "The March staff list is attached." > "$W/march.txt"
printf '%s\r\n' "Name,HKID" "Chan Tai Man,$(br "$h1")" > "$W/staff.csv"
printf '%s\n' "Payslips for April are ready." "Employee HKID: $(br "$h2")" \
    > "$W/april.txt"

"$B/tests/pstgen" "$out/sample.pst" \
    --folder Inbox \
    --message "Card on file" 2026-02-27T16:45:00Z "$W/card.txt" \
        --from "Accounts Team" --to "Chan Tai Man" chan@example.com \
    --message "Payroll March" 2026-03-01T09:00:00Z "$W/march.txt" \
        --from "HR Office" --to "Payroll" payroll@example.com \
        --attach staff.csv "$W/staff.csv" \
    --folder Inbox/Payroll \
    --message "April payslips" 2026-04-01T08:30:00Z "$W/april.txt" \
        --from "HR Office" --to "All Staff" staff@example.com
