#!/bin/sh
# demo.sh — the example physiotherapy practice, end to end: a fresh
# ledger, its patients and subscriptions, a year of daily ticks with the
# admin's changes along the way, then the overview an accountant reads.
# Then the example SaaS (examples/saas): a year of seat plans in one run.
# Then the example mediation agency (examples/agency): two months of hours.
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
    2026-02-03) carebill invoice product --account jan --line trk10 >/dev/null ;;
    2026-02-17|2026-03-03|2026-03-17|2026-06-09|2026-06-23)
                carebill appointment book --account jan --type behandeling-kaart \
                    --at "$day" >/dev/null ;;
    2026-07-01) carebill credits import --account piet --package tienrittenkaart \
                    --credits 3 --rate 40.00 ;;
    2026-07-08) carebill appointment book --account piet --type behandeling-kaart \
                    --at "$day" --id piet-1 >/dev/null ;;
    2026-07-09) carebill appointment cancel piet-1 ;;
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
echo "== Credits"
carebill report credits
echo
echo "== Journal (for the accountant)"
carebill report journal
echo
echo "== Direct debit"
carebill sepa export --out "$out/incasso.xml"
echo
echo "== Outbox (last 8 of $(carebill outbox list --format csv | tail -n +2 | wc -l))"
carebill outbox list --format csv | tail -8 | cut -d, -f1-6
if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null; then
    # Deliver to a throw-away SMTP server on loopback.
    mkdir -p "$out/mail"
    rm -f "$out/smtpd.in"
    mkfifo "$out/smtpd.in"
    /usr/bin/python3 "$top/tests/smtpd.py" --port 0 --dir "$out/mail" \
        <"$out/smtpd.in" >"$out/smtpd.port" 2>/dev/null &
    sleep 60 >"$out/smtpd.in" &
    feeder=$!
    for i in 1 2 3 4 5 6 7 8 9 10; do
        grep -q PORT "$out/smtpd.port" 2>/dev/null && break
        sleep 0.2
    done
    echo
    echo "== Delivering the outbox to a local SMTP server"
    CAREBILL_SMTP_PORT=$(sed -n 's/^PORT //p' "$out/smtpd.port") carebill outbox send || true
    echo "$(ls "$out/mail" | grep -c eml) messages in $out/mail"
    kill "$feeder" 2>/dev/null || true
fi
echo
echo "== Why the last invoice exists"
carebill explain "$(carebill report invoices --format csv | tail -1 | cut -d, -f1)"
echo
echo "ledger: $CAREBILL_DB"

# The example SaaS (examples/saas, seed 003): organisations on seat plans,
# entered for 2027 by its setup.sh; one run dated 2027-12-31 bills the
# year, one invoice per organisation and period.
saas=$top/examples/saas/out
rm -rf "$saas"
mkdir -p "$saas"
export CAREBILL_RULES=$top/examples/saas CAREBILL_DB=$saas/ledger.db
export CAREBILL_TODAY=2027-12-31
echo
echo "== The example SaaS: seat plans billed for 2027"
carebill check
carebill init
sh "$top/examples/saas/setup.sh" >/dev/null
carebill tick --as-of 2027-12-31
echo
echo "== Plans and the next invoices"
carebill report plans
echo
echo "== Invoices"
carebill report invoices
echo
echo "== One invoice's lines: seats, student seat, usage and discount"
carebill explain ZW2027-00003
echo
echo "ledger: $CAREBILL_DB"

# The example mediation agency (examples/agency, seed 002): two suppliers,
# three clients (one in privacy mode), one self-billing placement; its
# setup.sh enters January and February 2027 of hours, one rejection and
# the approvals; one run dated 2027-03-31 bills both months.
agency=$top/examples/agency/out
rm -rf "$agency"
mkdir -p "$agency"
export CAREBILL_RULES=$top/examples/agency CAREBILL_DB=$agency/ledger.db
export CAREBILL_TODAY=2026-12-15
echo
echo "== The example agency: January and February 2027 of hours"
carebill check
carebill init
sh "$top/examples/agency/setup.sh" >/dev/null
carebill report hours
export CAREBILL_TODAY=2027-03-31
carebill tick --as-of 2027-03-31
echo
echo "== Invoices: in each supplier's series, then the agency's"
carebill report invoices
echo
echo "== What the agency owes its suppliers"
carebill report payouts
carebill payout export --out "$agency/payouts.xml"
echo
echo "ledger: $CAREBILL_DB"
