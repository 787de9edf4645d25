#!/bin/sh
# mail_once.sh — e-mail exactly once as far as SMTP allows (issue 14),
# against tests/smtpd.py answering each message's data after a delay:
# 1. SIGKILL during `outbox send` of N messages: afterwards every message
#    is sent, queued (never handed over) or sending (handed over, may have
#    arrived), at most the connection's one message in flight is
#    "sending", every message that arrived is recorded sent or sending,
#    and the next run sends the queued ones, each exactly once, and
#    reports only the in-flight one as "may have arrived".
# 2. Two senders side by side never take or settle each other's messages:
#    each message arrives once, none is marked failed.
# 3. A run holding the ledger's lock longer than the usual 30 s wait while
#    a send is on: the send waits, and every accepted message is recorded
#    sent, none failed.
set -eu
top=$(pwd)
bin=${CAREBILL:-$top/carebill}
work=$(mktemp -d); [ -n "${KEEP:-}" ] && echo "work: $work"
. "$top/tests/smtp_server"
trap 'smtp_stop; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
cd "$work"
fail() { echo "mail_once.sh: $*" >&2; exit 1; }
N=30

# start_smtpd DIR DELAY: a server storing into DIR; sets PORT.
start_smtpd() {
    smtp_start "$1" --delay-data "$2" || fail "smtpd did not start"
    PORT=$SMTP_PORT
}

mkdir practice
cp "$top/tests/fixtures/basic/types.yaml" practice/
sed "s/^  direct_debit:/  email: praktijk@example.nl\n  smtp:\n    host: 127.0.0.1\n    port: PORT_HERE\n    from: praktijk@example.nl\n  direct_debit:/" \
    "$top/tests/fixtures/basic/practice.yaml" > practice.yaml.in
cat > practice/mail.yaml <<'YAML'
templates:
  - id: factuur
    name: Factuur
    event: subscription_invoice
    subject: "Factuur {{ invoice.number }}"
    body: "Uw factuur {{ invoice.number }}."
YAML
use_port() { sed "s/PORT_HERE/$1/" practice.yaml.in > practice/practice.yaml; }
export CAREBILL_RULES=$work/practice CAREBILL_LIBDIR=$top
export CAREBILL_TODAY=2026-03-01
cb() { "$bin" "$@"; }

# new_ledger NAME: a ledger with N queued invoice e-mails.
new_ledger() {
    export CAREBILL_DB=$work/$1.db
    use_port 1
    cb init >/dev/null
    i=1
    while [ $i -le $N ]; do
        cb account add --id p$i --name "P $i" --email p$i@example.nl >/dev/null
        cb subscription start --account p$i --type massage --from 2026-03-01 >/dev/null
        i=$((i + 1))
    done
    cb tick --quiet
}
count() { sqlite3 "$CAREBILL_DB" "SELECT COUNT(*) FROM outbox WHERE $1"; }
arrived() { ls "$1" | grep -c '\.eml$' || true; }
# Each recipient at most once in DIR.
no_duplicates() {
    d=$(cat "$1"/*.env 2>/dev/null | grep '^RCPT' | sort | uniq -d)
    [ -z "$d" ] || fail "$2: delivered twice: $d"
}

# ---- 1. SIGKILL mid-batch
new_ledger kill
start_smtpd mail1 0.15
use_port "$PORT"
"$bin" outbox send >send1.out 2>send1.err &
sender=$!
for i in $(seq 1 100); do
    [ "$(arrived mail1)" -ge 5 ] && break
    sleep 0.05
done
kill -9 $sender
wait $sender 2>/dev/null || true
sent=$(count "status = 'sent'")
queued=$(count "status = 'queued'")
sending=$(count "status = 'sending'")
got=$(arrived mail1)
[ $((sent + queued + sending)) = $N ] ||
    fail "kill: sent $sent + queued $queued + sending $sending != $N"
[ "$sending" -le 1 ] ||
    fail "kill: $sending messages 'sending' (may have arrived), at most 1 was in flight"
[ "$got" -ge "$sent" ] && [ "$got" -le $((sent + sending)) ] ||
    fail "kill: $got arrived, but $sent recorded sent and $sending sending"
[ "$queued" -gt 0 ] || fail "kill: the kill came too late to test anything"
# The next run: the never-attempted ones go out, the in-flight one (if
# any) is reported as "may have arrived".
cb outbox send >send2.out 2>send2.err || true
interrupted=$(count "status = 'failed' AND last_reply LIKE '%may have arrived%'")
[ "$interrupted" = "$sending" ] ||
    fail "kill: $interrupted 'may have arrived', expected $sending"
[ "$(count "status = 'sent'")" = $((N - sending)) ] ||
    fail "kill: after the rerun $(count "status = 'sent'") sent, expected $((N - sending))"
[ "$(count "claimed_by IS NOT NULL")" = 0 ] || fail "kill: claims left"
no_duplicates mail1 kill
[ "$(arrived mail1)" -ge $((N - sending)) ] || fail "kill: only $(arrived mail1) arrived"

# ---- 2. two senders side by side
new_ledger two
start_smtpd mail2 0.05
use_port "$PORT"
"$bin" outbox send >a.out 2>a.err &
a=$!
sleep 0.3
cb outbox send >b.out 2>b.err || true
wait $a || true
cb outbox send >c.out 2>c.err || true
[ "$(count "status = 'failed'")" = 0 ] ||
    fail "two senders: $(count "status = 'failed'") failed: $(sqlite3 "$CAREBILL_DB" "SELECT last_reply FROM outbox WHERE status = 'failed' LIMIT 1")"
[ "$(count "status = 'sent'")" = $N ] || fail "two senders: $(count "status = 'sent'") sent of $N"
[ "$(arrived mail2)" = $N ] || fail "two senders: $(arrived mail2) arrived of $N"
no_duplicates mail2 "two senders"

# ---- 3. a lock held past 30 s during the send
new_ledger lock
start_smtpd mail3 0.1
use_port "$PORT"
"$bin" outbox send >l.out 2>l.err &
s=$!
for i in $(seq 1 100); do
    [ "$(arrived mail3)" -ge 3 ] && break
    sleep 0.05
done
/usr/bin/python3 - "$CAREBILL_DB" <<'PY'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
time.sleep(33)
db.execute("COMMIT")
PY
wait $s || fail "lock: outbox send failed: $(cat l.err)"
[ "$(count "status = 'failed'")" = 0 ] || fail "lock: $(count "status = 'failed'") failed"
[ "$(count "status = 'sent'")" = $N ] || fail "lock: $(count "status = 'sent'") sent of $N: $(cat l.out l.err)"
no_duplicates mail3 lock
echo "mail_once: ok"
