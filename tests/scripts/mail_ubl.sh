#!/bin/sh
# mail_ubl.sh — templates with attach_ubl: true, end to end against a real
# SMTP server on loopback (tests/smtpd.py): the example practice with
# einvoice: business and its Dutch templates asking for the UBL file.
# An organisation's invoice e-mail carries the PDF and NUMBER.xml
# (application/xml), the same bytes as `invoice ubl NUMBER` and valid
# against the UBL 2.1 XSD (xmllint); a patient's carries the PDF alone
# (no UBL file for patients under einvoice: business). With einvoice:
# none `check` warns that attach_ubl attaches nothing, and the next
# invoice e-mail (beside the month's reminders) has the PDF alone. A ledger made before migration 012 is upgraded by
# `carebill init` and then attaches the UBL file too. The same flow runs
# on SQLite and on PostgreSQL (the server of tests/run, or its own).
set -eu
top=$(pwd)
bin=${CAREBILL:-$top/carebill}
xsd=$top/tests/einvoice/xsd/maindoc/UBL-Invoice-2.1.xsd
export LC_ALL=C TZ=UTC CAREBILL_LIBDIR="$top"
unset CAREBILL_DB CAREBILL_RULES CAREBILL_TODAY
work=$(mktemp -d "${TMPDIR:-/tmp}/carebill-mailubl.XXXXXX")
[ -n "${KEEP:-}" ] && echo "work: $work"
own_pg=0
. "$top/tests/smtp_server"
cleanup() {
    smtp_stop
    [ $own_pg = 1 ] && pg_stop "$work/pg"
    [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cd "$work"
fail() { echo "mail_ubl.sh: FAIL: $*" >&2; exit 1; }
command -v xmllint >/dev/null 2>&1 || fail "xmllint is missing (libxml2-utils)"

smtp_start mail || fail "smtpd did not start"
PORT=$SMTP_PORT

# The example practice, einvoice: business, sending to the test server,
# with the Dutch templates of rules/nl-mail asking for the UBL file
# wherever they ask for the PDF.
cp -R "$top/examples/physio" practice
sed -i -e 's/^include: \[nl-zorg, nl-mail\]/include: [nl-zorg]/' \
    -e "s/^    port: 2525/    port: $PORT/" \
    -e 's/^  short_credit: refuse/  short_credit: refuse\
  einvoice: business/' practice/practice.yaml
grep -q '^include: \[nl-zorg\]$' practice/practice.yaml || fail "cannot drop nl-mail"
grep -q "^    port: $PORT\$" practice/practice.yaml || fail "cannot set the port"
sed '/^    attach_pdf: true$/a\
    attach_ubl: true' "$top/rules/nl-mail/templates.yaml" >practice/mail.yaml
[ "$(grep -c '^    attach_ubl: true$' practice/mail.yaml)" -ge 2 ] ||
    fail "cannot set attach_ubl in the templates"
export CAREBILL_RULES=$work/practice
cb() { "$bin" "$@" 2>>"$work/stderr" || fail "carebill $*: $(tail -3 "$work/stderr")"; }

cb check >check.out 2>&1
grep -q attach_ubl check.out && fail "check warns with einvoice on: $(cat check.out)"

# The attachments of the e-mail to ADDR with subject containing NUMBER:
# "NAME TYPE" a line each; each attachment is saved as att-NUMBER-NAME.
attachments() { # ADDR NUMBER
    /usr/bin/python3 - "$1" "$2" mail/*.eml <<'PY'
import sys, email, email.policy
addr, number = sys.argv[1], sys.argv[2]
found = 0
for path in sys.argv[3:]:
    m = email.message_from_binary_file(open(path, "rb"), policy=email.policy.default)
    if m["To"].addresses[0].addr_spec != addr or number not in m["Subject"]:
        continue
    found += 1
    for a in m.iter_attachments():
        name = a.get_filename()
        print(name, a.get_content_type())
        open("att-%s-%s" % (number, name), "wb").write(a.get_content())
if found != 1:
    sys.exit("%d messages to %s about %s" % (found, addr, number))
PY
}

# The flow on ledger DB (a path or a PostgreSQL URL).
flow() { # DB
    export CAREBILL_DB=$1 CAREBILL_TODAY=2026-01-01
    rm -f mail/*.eml att-*
    cb init >/dev/null
    cb account add --id linde --kind organisation --name "Sportclub De Linde" \
        --email fin@linde.example --address "Parkweg 3
3512 AB Utrecht" --vat-number NL123456782B01 --peppol 0106:87654321 >/dev/null
    cb account add --id jan --name "Jan Jansen" --email jan@example.nl >/dev/null
    cb subscription start --account linde --type fysio-fit --from 2026-01-01 >/dev/null
    cb subscription start --account jan --type fysio-fit --from 2026-01-01 >/dev/null
    cb tick --quiet
    cb outbox send >send.out
    grep -q "2 sent, 0 to retry, 0 failed" send.out || fail "send: $(cat send.out)"

    num=$(cb report invoices --format csv | awk -F, '/linde/ { print $1; exit }')
    pnum=$(cb report invoices --format csv | awk -F, '/jan/ { print $1; exit }')
    [ -n "$num" ] && [ -n "$pnum" ] || fail "invoices: $(cb report invoices --format csv)"
    got=$(attachments fin@linde.example "$num") || fail "linde's e-mail"
    [ "$got" = "$num.pdf application/pdf
$num.xml application/xml" ] || fail "linde's attachments: $got"
    cb invoice ubl "$num" --out "ubl-$num.xml"
    cmp -s "ubl-$num.xml" "att-$num-$num.xml" ||
        fail "the attached XML differs from invoice ubl $num"
    xmllint --nonet --noout --schema "$xsd" "att-$num-$num.xml" >xsd.out 2>&1 ||
        fail "the attached XML fails the UBL XSD: $(head -5 xsd.out)"
    head -c 5 "att-$num-$num.pdf" | grep -q '^%PDF-' || fail "linde's PDF"
    got=$(attachments jan@example.nl "$pnum") || fail "jan's e-mail"
    [ "$got" = "$pnum.pdf application/pdf" ] || fail "jan's attachments: $got"

    # einvoice: none: check warns, the next invoice e-mail has the PDF alone.
    sed -i 's/^  einvoice: business$/  einvoice: none/' practice/practice.yaml
    "$bin" check >check.out 2>&1 || true
    grep -q "warning: template 'abonnementsfactuur' has attach_ubl but the practice's einvoice is none" \
        check.out || fail "check with einvoice none: $(cat check.out)"
    export CAREBILL_TODAY=2026-02-01
    rm -f mail/*.eml
    cb tick --quiet
    cb outbox send >send.out
    grep -q " sent, 0 to retry, 0 failed" send.out || fail "send in February: $(cat send.out)"
    num2=$(cb report invoices --format csv | awk -F, '/linde/ { n = $1 } END { print n }')
    [ "$num2" != "$num" ] || fail "no February invoice for linde"
    got=$(attachments fin@linde.example "$num2") || fail "linde's February e-mail"
    [ "$got" = "$num2.pdf application/pdf" ] || fail "einvoice none attached: $got"
    sed -i 's/^  einvoice: none$/  einvoice: business/' practice/practice.yaml
}

flow "$work/ledger.db"
echo "mail_ubl: sqlite ok"

# A ledger made before migration 012 upgrades with carebill init, and its
# messages queued afterwards carry the UBL file.
export CAREBILL_DB=$work/old.db CAREBILL_TODAY=2026-01-01
rm -f mail/*.eml att-*
cb init >/dev/null
v=$(sqlite3 old.db 'PRAGMA user_version')
# back to the ledger of migration 011: what 015 (the cursors), 013 and
# 012 added goes
sqlite3 old.db "DROP INDEX subscriptions_cursor;
    ALTER TABLE subscriptions DROP COLUMN cursor; DROP TABLE cursors;
    ALTER TABLE subscriptions ADD COLUMN next_period TEXT;
    ALTER TABLE subscriptions ADD COLUMN next_due TEXT;
    CREATE INDEX subscriptions_due ON subscriptions(next_due) WHERE next_due IS NOT NULL;
    DROP TABLE rule_sets; ALTER TABLE outbox DROP COLUMN paid_cents;
    ALTER TABLE outbox DROP COLUMN sub_name; ALTER TABLE outbox DROP COLUMN attach_ubl;
    PRAGMA user_version = 11"
"$bin" outbox list >/dev/null 2>&1 && fail "the old ledger was used before init"
cb init >/dev/null
[ "$(sqlite3 old.db 'PRAGMA user_version')" = "$v" ] || fail "init did not upgrade"
[ "$(sqlite3 old.db "SELECT COUNT(*) FROM pragma_table_info('outbox') WHERE name = 'attach_ubl'")" = 1 ] ||
    fail "no attach_ubl column after the upgrade"
cb account add --id linde --kind organisation --name "Sportclub De Linde" \
    --email fin@linde.example --address "Parkweg 3
3512 AB Utrecht" --vat-number NL123456782B01 --peppol 0106:87654321 >/dev/null
cb subscription start --account linde --type fysio-fit --from 2026-01-01 >/dev/null
cb tick --quiet
cb outbox send >send.out
grep -q "1 sent, 0 to retry, 0 failed" send.out || fail "send after the upgrade: $(cat send.out)"
num=$(cb report invoices --format csv | awk -F, '/linde/ { print $1; exit }')
got=$(attachments fin@linde.example "$num") || fail "the upgraded ledger's e-mail"
[ "$got" = "$num.pdf application/pdf
$num.xml application/xml" ] || fail "upgraded ledger's attachments: $got"
echo "mail_ubl: upgrade ok"

# PostgreSQL: the same flow.
. "$top/tests/pg_server"
if [ -z "${CAREBILL_PG_URL:-}" ]; then
    pg_start "$work/pg" || fail "cannot start PostgreSQL"
    own_pg=1
fi
flow "$CAREBILL_PG_URL&schema=mail_ubl_$$"
echo "mail_ubl: postgresql ok"
echo "mail_ubl: ok"
