#!/bin/sh
# demo.sh — the example physiotherapy practice, end to end: a fresh
# ledger, its patients and subscriptions, a year of daily ticks with the
# admin's changes along the way, then the overview an accountant reads.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/examples/physio/out
rm -rf "$out"
mkdir -p "$out"
export PATH="$top:$PATH"
export CAREBILL_RULES=$top/examples/physio CAREBILL_DB=$out/ledger.db
export CAREBILL_LIBDIR=$top CAREBILL_TODAY=2026-01-01

carebill check
carebill init
sh "$top/examples/physio/setup.sh" >/dev/null

day=2026-01-01
while [ "$day" != 2027-02-01 ]; do
    export CAREBILL_TODAY=$day
    case $day in
    2026-03-05) carebill subscription pause 1 --from 2026-04-01 --until 2026-05-31 \
                    --note "knieoperatie" ;;
    2026-06-20) carebill subscription stop 3 --on 2026-08-15 --note "verhuisd" ;;
    2026-10-01) carebill price schedule beweegprogramma --from 2027-01-01 --price 125.00 ;;
    esac
    carebill tick --quiet
    # Jan pays everything on the 10th of the month it is issued in.
    if [ "${day#*-*-}" = 10 ]; then
        for n in $(carebill report invoices --account jan --format csv |
                   awk -F, '$6 == "open" { print $1 }'); do
            open=$(carebill report invoices --account jan --format csv |
                   awk -F, -v n="$n" '$1 == n { print $7 - $9 }')
            carebill payment register "$n" --amount "$open" --on "$day"
        done
    fi
    day=$(date -d "$day + 1 day" +%F)
done

echo
echo "== Subscriptions on $CAREBILL_TODAY"
carebill report subscriptions
echo
echo "== Invoices"
carebill report invoices
echo
carebill report invoices --format csv | awk -F, 'NR > 1 {
    n++; total += $7; vat += $8; paid += $9 }
    END { printf "== %d invoices, total %.2f, VAT %.2f, paid %.2f, open %.2f\n",
          n, total, vat, paid, total - paid }'
echo
echo "== Why the last invoice exists"
carebill explain "$(carebill report invoices --format csv | tail -1 | cut -d, -f1)"
echo
echo "ledger: $CAREBILL_DB"
