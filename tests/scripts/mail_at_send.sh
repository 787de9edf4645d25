#!/bin/sh
# mail_at_send.sh — an issued invoice's e-mail is queued without its text
# and rendered when it is sent, by the rule set the invoice was issued
# under (issue 15), against tests/smtpd.py on loopback:
# 1. the tick queues the invoice e-mails with no subject or body and keeps
#    its rule set in the ledger once; outbox list and outbox show render
#    them on demand;
# 2. the template's subject changes in the rule files and a payment comes
#    in before `outbox send`: the mails carry the OLD subject and the open
#    amount as queued; the sent row holds exactly what went out, and
#    `outbox show` prints it byte for byte as the server received it;
# 3. the next tick's invoices carry the new subject;
# 4. a message whose rule set the ledger does not hold fails with the
#    reason and is never sent with another text (SQLite only: the row is
#    removed by hand);
# 5. a ledger of the release before migration 013 with queued rendered
#    messages (tests/fixtures/ledger-7a6d307.sql) upgrades and sends them
#    as stored.
# Steps 1-3 run on SQLite and on PostgreSQL (CAREBILL_PG_URL).
set -eu
top=$(pwd)
bin=${CAREBILL:-$top/carebill}
work=$(mktemp -d); [ -n "${KEEP:-}" ] && echo "work: $work"
own_pg=0
. "$top/tests/smtp_server"
trap 'smtp_stop; [ $own_pg = 1 ] && pg_stop "$work/pg"; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
cd "$work"
fail() { echo "mail_at_send.sh: $*" >&2; exit 1; }

smtp_start mail || fail "smtpd did not start"
PORT=$SMTP_PORT
export CAREBILL_SMTP_HOST=127.0.0.1 CAREBILL_SMTP_PORT=$PORT
export CAREBILL_LIBDIR=$top LC_ALL=C TZ=UTC
cb() { "$bin" "$@"; }

# The message to ADDR, as received: "subject: S", a blank line, the body
# (what `outbox show` prints after its header lines).
received() {
    /usr/bin/python3 - "$1" <<'PY'
import email, email.policy, glob, sys
for f in sorted(glob.glob("mail/*.eml")):
    m = email.message_from_binary_file(open(f, "rb"), policy=email.policy.default)
    if sys.argv[1] in str(m["To"]):
        part = m.get_body(("plain",))
        sys.stdout.write("subject: %s\n\n%s" % (m["Subject"], part.get_content()))
        break
PY
}

write_practice() {
    mkdir -p practice
    cp "$top/tests/fixtures/basic/types.yaml" practice/
    sed "s/^  direct_debit:/  email: praktijk@example.nl\n  smtp:\n    host: 127.0.0.1\n    from: praktijk@example.nl\n  direct_debit:/" \
        "$top/tests/fixtures/basic/practice.yaml" >practice/practice.yaml
    cat >practice/mail.yaml <<'YAML'
templates:
  - id: factuur
    name: Factuur
    event: subscription_invoice
    subject: "Factuur {{ invoice.number }} voor {{ account.name }}"
    body: |
      Beste {{ account.name }},

      Uw factuur {{ invoice.number }} voor {{ subscription.name }} over
      {{ invoice.period }}: open {{ invoice.open }}, te betalen voor
      {{ invoice.due_date }} onder kenmerk {{ invoice.payment_reference }}.
      {{ practice.name }}
YAML
}

flow() {
    export CAREBILL_DB=$1 CAREBILL_RULES=$work/practice CAREBILL_TODAY=2026-03-01
    rm -rf practice mail/*
    write_practice
    cb init >/dev/null
    cb account add --id jan --name "Jan Jansen" --email jan@example.nl >/dev/null
    cb account add --id els --name "Els de Vries" --email els@example.nl >/dev/null
    for a in jan els; do
        cb subscription start --account $a --type massage --from 2026-03-01 >/dev/null
    done
    cb tick --quiet

    # 1. queued without their text (made into rows by the outbox's first
    #    use, here outbox list), the rule set kept once
    cb outbox list >/dev/null
    dump=$(cb ledger dump)
    sets=$(printf '%s\n' "$dump" | awk '/^== / { t = substr($0, 4); next } t == "rule_sets" && !/^hash\|/' | wc -l)
    [ "$sets" = 1 ] || fail "rule sets kept: $sets"
    texts=$(printf '%s\n' "$dump" | awk -F'|' '/^== / { t = substr($0, 4); next }
        t == "outbox" && $1 == "id" { for (i = 1; i <= NF; i++) c[$i] = i; next }
        t == "outbox" { print $c["subject"] "|" $c["body"] }' | sort -u)
    [ "$texts" = '\N|\N' ] || fail "queued messages hold text: $texts"
    cb outbox list --format csv | grep -q ',Factuur 2026-00001 voor Jan Jansen,queued,' ||
        fail "outbox list: $(cb outbox list --format csv)"
    cb outbox show 1 >show.txt
    grep -q '^text: rendered now from rule set .*it will be sent as shown' show.txt ||
        fail "outbox show: $(cat show.txt)"

    # 2. the subject changes, a payment comes in; then the mails go out
    sed -i 's/subject: "Factuur /subject: "Nota /' practice/mail.yaml
    cb payment register 2026-00001 --amount 20.00 --on 2026-03-01 >/dev/null
    cb outbox send >send.out || fail "send: $(cat send.out)"
    grep -q "2 sent, 0 to retry, 0 failed" send.out || fail "send: $(cat send.out)"
    received jan@example.nl >got.txt
    grep -q '^subject: Factuur 2026-00001 voor Jan Jansen$' got.txt ||
        fail "not the invoice's rule set's subject: $(cat got.txt)"
    grep -q 'open € 60,00' got.txt || fail "open amount not as queued: $(cat got.txt)"
    grep -q 'voor Massage over' got.txt || fail "subscription name: $(cat got.txt)"
    cb outbox show 1 >show.txt
    grep -q '^text: as sent$' show.txt || fail "sent: $(cat show.txt)"
    sed '1,/^text: /d' show.txt >shown.txt
    cmp -s shown.txt got.txt || { diff shown.txt got.txt >&2; fail "outbox show is not what was sent"; }

    # 3. the next tick's invoices carry the new subject
    export CAREBILL_TODAY=2026-04-01
    rm -f mail/*
    cb tick --quiet
    cb outbox send >send.out || fail "April send: $(cat send.out)"
    received jan@example.nl >got.txt
    grep -q '^subject: Nota 2026-00003 voor Jan Jansen$' got.txt ||
        fail "April subject: $(cat got.txt)"
    grep -q 'open € 60,00' got.txt || fail "April open amount: $(cat got.txt)"
}

flow "$work/ledger.db"

# 4. a rule set the ledger does not hold: the message (made into a row by
#    the send) fails, nothing is sent
export CAREBILL_TODAY=2026-05-01
rm -f mail/*
cb tick --quiet
echo "# a change after the run" >>practice/mail.yaml
sqlite3 ledger.db "DELETE FROM rule_sets WHERE hash = (SELECT rules_hash FROM invoices WHERE number = '2026-00005')"
cb outbox send >send.out 2>&1 && fail "a message without its rule set was sent: $(cat send.out)"
id=$(sqlite3 ledger.db "SELECT id FROM outbox WHERE invoice = (SELECT id FROM invoices WHERE number = '2026-00005')")
grep -q "0 sent, 0 to retry, 2 failed" send.out || fail "without rule set: $(cat send.out)"
[ -z "$(ls mail)" ] || fail "something arrived without its rule set"
reply=$(sqlite3 ledger.db "SELECT last_reply FROM outbox WHERE id = $id")
case $reply in
"not sent: message $id cannot be rendered: rule set "*" is not in the ledger") ;;
*) fail "reply: $reply" ;;
esac
cb outbox show "$id" >show.txt 2>&1 && fail "outbox show rendered without the rule set"
grep -q "is not in the ledger" show.txt || fail "outbox show: $(cat show.txt)"
echo "mail_at_send: sqlite ok"

# 5. a ledger from before migration 013: its queued messages go as stored
db=$work/old.db
sqlite3 "$db" <"$top/tests/fixtures/ledger-7a6d307.sql" || fail "cannot load the fixture"
export CAREBILL_DB=$db CAREBILL_RULES=$top/bench/practice CAREBILL_TODAY=2026-01-02
sqlite3 "$db" "SELECT id, subject, body FROM outbox ORDER BY id" >before.txt
cb init >/dev/null
rm -f mail/*
cb outbox send >send.out || fail "old ledger send: $(cat send.out)"
grep -q "3 sent, 0 to retry, 0 failed" send.out || fail "old ledger: $(cat send.out)"
sqlite3 "$db" "SELECT id, subject, body FROM outbox ORDER BY id" >after.txt
cmp -s before.txt after.txt || fail "the stored texts changed"
received patient2@example.nl >got.txt
/usr/bin/python3 - "$db" <<'PY' >want.txt
import sqlite3, sys
s, b = sqlite3.connect(sys.argv[1]).execute(
    "SELECT subject, body FROM outbox WHERE id = 2").fetchone()
sys.stdout.write("subject: %s\n\n%s" % (s, b))
PY
cmp -s got.txt want.txt || { diff want.txt got.txt >&2; fail "old message not sent as stored"; }
echo "mail_at_send: upgrade ok"

. "$top/tests/pg_server"
if [ -z "${CAREBILL_PG_URL:-}" ]; then
    pg_start "$work/pg" || fail "cannot start PostgreSQL"
    own_pg=1
fi
flow "$CAREBILL_PG_URL&schema=mail_at_send_$$"
echo "mail_at_send: postgresql ok"
