#!/bin/sh
# mail.sh — e-mail end to end against a real SMTP server on loopback
# (tests/smtpd.py on Debian's python3-aiosmtpd): invoice e-mails with the
# PDF attached, delivery once and only once, the server down (messages
# wait and go later), a 5xx refusal (failed, with the reply), a 60-day
# reminder timeline with a payment in between, opt-out and cancel.
set -eu
top=$(pwd)
bin=${CAREBILL:-$top/carebill}
work=$(mktemp -d); [ -n "${KEEP:-}" ] && echo "work: $work"
. "$top/tests/smtp_server"
trap 'smtp_stop; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
cd "$work"
fail() { echo "mail.sh: $*" >&2; exit 1; }

start_smtpd() {
    smtp_start mail --reject-rcpt 'bounce*:550' || fail "smtpd did not start"
    PORT=$SMTP_PORT
}

# A closed port for "server down": bind, learn the port, close.
DOWN=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
start_smtpd

mkdir practice
cp "$top/tests/fixtures/basic/types.yaml" practice/
sed "s/^  direct_debit:/  email: praktijk@example.nl\n  smtp:\n    host: 127.0.0.1\n    port: PORT_HERE\n    from: praktijk@example.nl\n    from_name: Praktijk Test\n  direct_debit:/" \
    "$top/tests/fixtures/basic/practice.yaml" > practice.yaml.in
cat > practice/mail.yaml <<'YAML'
templates:
  - id: factuur
    name: Factuur
    event: subscription_invoice
    attach_pdf: true
    subject: "Factuur {{ invoice.number }} voor {{ account.name }}"
    body: |
      Beste {{ account.name }},

      Uw factuur {{ invoice.number }} van {{ invoice.total }} over
      {{ invoice.period }} staat klaar. Graag betaald voor {{ invoice.due_date }}.
  - id: betaald
    name: Betaald
    event: invoice_paid
    subject: "Betaald: {{ invoice.number }}"
    body: "Dank voor uw betaling van {{ invoice.paid }}."
  - id: herinnering-1
    name: Herinnering 1
    event: payment_reminder
    subject: "Herinnering {{ reminder.step }}: {{ invoice.number }}"
    body: "Nog open: {{ invoice.open }}, {{ reminder.days_overdue }} dagen na de vervaldatum."
  - id: herinnering-2
    name: Herinnering 2
    event: payment_reminder
    subject: "Herinnering {{ reminder.step }}: {{ invoice.number }}"
    body: "Nog steeds open: {{ invoice.open }}."
  - id: aanmaning
    name: Aanmaning
    event: payment_reminder
    subject: "Aanmaning: {{ invoice.number }}"
    body: "Laatste herinnering: {{ invoice.open }}."
reminder_schedules:
  - id: standaard
    name: Standaard
    steps:
      - after: 7 days
        from: due_date
        template: herinnering-1
      - after: 21 days
        from: due_date
        template: herinnering-2
      - after: 1 month
        from: due_date
        template: aanmaning
YAML
use_port() { sed "s/PORT_HERE/$1/" practice.yaml.in > practice/practice.yaml; }
use_port "$PORT"

export CAREBILL_RULES=$work/practice CAREBILL_DB=$work/ledger.db CAREBILL_LIBDIR=$top
export CAREBILL_TODAY=2026-03-01
cb() { "$bin" "$@"; }
cb check >/dev/null
cb init >/dev/null
cb account add --id zoe --name "Zoë Müller-Lefèvre" --email zoe@example.nl >/dev/null
cb account add --id jan --name "Jan Jansen" --email jan@example.nl >/dev/null
cb account add --id anna --name "Anna Visser" --email anna@example.nl --no-reminders >/dev/null
cb account add --id bob --name "Bob Bounce" --email bounce@example.nl >/dev/null
for a in zoe jan anna bob; do
    cb subscription start --account $a --type massage --from 2026-03-01 >/dev/null
done
cb tick --quiet

# 1. Four invoice e-mails queued in the tick's transaction.
n=$(cb outbox list --format csv | grep -c ',queued,') || true
[ "$n" = 4 ] || fail "expected 4 queued messages, got $n"

# 2. Server down: nothing is lost, all stay queued with the reason.
use_port "$DOWN"
cb outbox send >out.txt 2>err.txt && fail "send to a closed port reported success"
grep -q "0 sent, 4 to retry" out.txt || fail "down: $(cat out.txt)"
n=$(cb outbox list --format csv | grep -c ',queued,') || true
[ "$n" = 4 ] || fail "down: expected 4 still queued, got $n"
cb outbox list --format json | grep -q '"last_reply": ".*' || fail "down: no reply recorded"
[ -z "$(ls mail)" ] || fail "down: something arrived"

# 3. Server up again, the next run (after the backoff) delivers them once;
#    the 5xx recipient fails with the server's reply.
use_port "$PORT"
export CAREBILL_TODAY=2026-03-02
cb outbox send >out.txt 2>err.txt || true
grep -q "3 sent, 0 to retry, 1 failed" out.txt || fail "up: $(cat out.txt) $(cat err.txt)"
cb outbox list --format csv | grep bounce@example.nl | grep -q ',failed,.*550' ||
    fail "5xx not recorded: $(cb outbox list --format csv | grep bounce)"
cb outbox send >out.txt 2>&1 || true
grep -q "0 sent, 0 to retry, 0 failed" out.txt || fail "second send: $(cat out.txt)"
[ "$(ls mail/*.eml | wc -l)" = 3 ] || fail "expected 3 messages delivered once"

# 4. The message: headers, UTF-8 subject, body, PDF attachment.
eml=$(grep -l "zoe@example.nl" mail/*.eml | head -1)
/usr/bin/python3 - "$eml" <<'PY' || fail "message content"
import sys, email, email.policy, subprocess, tempfile
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
assert m["Subject"] == "Factuur 2026-00001 voor Zoë Müller-Lefèvre", m["Subject"]
assert m["To"].addresses[0].addr_spec == "zoe@example.nl"
assert "Zoë Müller-Lefèvre" in str(m["To"]), m["To"]
assert m["From"].addresses[0].addr_spec == "praktijk@example.nl"
assert m["Message-ID"] and m["Date"], "Message-ID and Date"
body = m.get_body(("plain",)).get_content()
assert "€ 60,00" in body and "2026-00001" in body, body
pdfs = [p for p in m.iter_attachments() if p.get_content_type() == "application/pdf"]
assert len(pdfs) == 1, "one PDF"
with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
    f.write(pdfs[0].get_content()); f.flush()
    text = subprocess.run(["pdftotext", "-layout", f.name, "-"], capture_output=True, text=True).stdout
assert "2026-00001" in text and "60,00" in text and "Zoë Müller-Lefèvre" in text, text
PY

# 5. Reminders over 60 days: Jan pays his March invoice on the 20th (its
#    reminders stop and "paid" goes out; April's unpaid one gets its first
#    reminder), Anna opted out (none), Zoë gets all three for March and the
#    first for April, Bob's scheduled reminder is cancelled by hand.
day=2026-03-02
while [ "$day" != 2026-05-01 ]; do
    export CAREBILL_TODAY=$day
    cb tick --quiet
    if [ "$day" = 2026-03-20 ]; then
        cb payment register 2026-00002 --amount 60.00 --on $day
    fi
    if [ "$day" = 2026-03-10 ]; then
        id=$(cb outbox list --format csv | awk -F, '$5 == "scheduled" && $3 == "bounce@example.nl" { print $1; exit }')
        [ -n "$id" ] || fail "no scheduled reminder for bob"
        cb outbox cancel "$id"
        cb outbox cancel "$id" 2>/dev/null && fail "cancel twice succeeded"
    fi
    cb outbox send >/dev/null 2>&1 || true
    day=$(date -d "$day + 1 day" +%F)
done
subjects=$(cd mail && for f in *.eml; do /usr/bin/python3 -c '
import sys, email, email.policy
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
print(m["To"].addresses[0].addr_spec, "|", m["Subject"])' "$f"; done | sort)
want="anna@example.nl | Factuur 2026-00003 voor Anna Visser
anna@example.nl | Factuur 2026-00007 voor Anna Visser
jan@example.nl | Betaald: 2026-00002
jan@example.nl | Factuur 2026-00002 voor Jan Jansen
jan@example.nl | Factuur 2026-00006 voor Jan Jansen
jan@example.nl | Herinnering 1: 2026-00006
zoe@example.nl | Aanmaning: 2026-00001
zoe@example.nl | Factuur 2026-00001 voor Zoë Müller-Lefèvre
zoe@example.nl | Factuur 2026-00005 voor Zoë Müller-Lefèvre
zoe@example.nl | Herinnering 1: 2026-00001
zoe@example.nl | Herinnering 1: 2026-00005
zoe@example.nl | Herinnering 2: 2026-00001"
[ "$subjects" = "$want" ] || fail "reminder timeline:
$subjects
--- expected:
$want"
# Reminder dates: step 1 seven days after the due date (2026-03-15 + 7).
cb outbox list --format csv | grep -q 'herinnering-1,zoe@example.nl,Herinnering 1: 2026-00001,sent,2026-03-22' ||
    fail "reminder 1 date: $(cb outbox list --format csv | grep 'Herinnering 1: 2026-00001')"
echo "mail: ok"
