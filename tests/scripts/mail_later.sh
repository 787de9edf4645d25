#!/bin/sh
# mail_later.sh — the daily run's invoice e-mails are made into outbox rows
# when the outbox is next used (migration 016, issue 15), on a ledger of
# the release before it (tests/fixtures/ledger-23c2a69.sql, schema 13),
# against tests/smtpd.py on loopback:
# 1. `carebill init` upgrades it: invoices get `mail`, the outbox's mark
#    starts after the last invoice, the six rows queued by that release
#    stay as they were;
# 2. a tick on 2026-02-01 writes no outbox row: its two invoices with a
#    template name it (the direct-debit one has none); the tick still
#    counts its 2 messages, and the report of runs says so;
# 3. `report outbox` makes them into queued rows exactly like the ones
#    the old release queued (event, key, template, recipient, send time,
#    no text), moves the mark, and shows their subjects; a second look
#    makes nothing; with the mark put back by hand nothing is made twice
#    (the outbox's unique key);
# 4. another tick, then `outbox cancel` of one of its messages by the id
#    `report outbox` would show: the messages are made first, the right
#    one is cancelled; a refused cancel (no such id) leaves the ledger
#    as it was, the making included (one transaction); an address fixed
#    after the run is the one the message is made and sent with;
# 5. `outbox send` makes the rest and sends them; what arrives is what
#    `outbox show` prints.
set -eu
top=$(pwd)
bin=${CAREBILL:-$top/carebill}
work=$(mktemp -d); [ -n "${KEEP:-}" ] && echo "work: $work"
. "$top/tests/smtp_server"
trap 'smtp_stop; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
cd "$work"
fail() { echo "mail_later.sh: $*" >&2; exit 1; }
export CAREBILL_LIBDIR=$top CAREBILL_RULES=$top/tests/fixtures/upgrade13
export LC_ALL=C TZ=UTC CAREBILL_DB=$work/ledger.db
unset CAREBILL_TODAY
cb() { "$bin" "$@"; }
q() { sqlite3 ledger.db "$1"; }
rows() { # the outbox rows as the old release made them, without ids
    q "SELECT event, key, step, invoice, account, template, to_addr, to_name,
       subject IS NULL, body IS NULL, attach_pdf, status, send_at, sub_name,
       paid_cents FROM outbox ORDER BY id"
}

# 1. the upgrade
sqlite3 ledger.db <"$top/tests/fixtures/ledger-23c2a69.sql"
[ "$(q 'PRAGMA user_version')" = 13 ] || fail "fixture is not at version 13"
rows >old-rows.txt
[ "$(wc -l <old-rows.txt)" = 6 ] || fail "fixture outbox: $(cat old-rows.txt)"
CAREBILL_TODAY=2026-02-01 cb init >/dev/null || fail "init did not upgrade"
[ "$(q 'SELECT invoice FROM outbox_made')" = 8 ] ||
    fail "mark after the upgrade: $(q 'SELECT invoice FROM outbox_made')"
rows >rows.txt
cmp -s old-rows.txt rows.txt || fail "the upgrade changed the outbox"

# 2. a tick writes no outbox row
export CAREBILL_TODAY=2026-02-01
cb tick >tick.out || fail "tick: $(cat tick.out)"
grep -q ': 3 invoices.* 2 messages queued' tick.out || fail "tick: $(cat tick.out)"
[ "$(q 'SELECT COUNT(*) FROM outbox')" = 6 ] || fail "the tick wrote outbox rows"
[ "$(q "SELECT group_concat(id || ':' || COALESCE(mail, '-'), ' ')
        FROM invoices WHERE id > 8")" = "9:factuur 10:- 11:factuur" ] ||
    fail "invoices' mail: $(q 'SELECT id, mail FROM invoices WHERE id > 8')"
cb report runs --format csv | tail -n 1 | grep -q ',3,2' ||
    fail "report runs: $(cb report runs --format csv)"

# 3. report outbox makes them
cb report outbox >report.txt || fail "report outbox: $(cat report.txt)"
[ "$(q 'SELECT invoice FROM outbox_made')" = 11 ] || fail "mark not moved"
rows >rows.txt
[ "$(wc -l <rows.txt)" = 8 ] || fail "rows after report: $(cat rows.txt)"
# made as the old release queued its rows (compare with its row of jan's
# January invoice, id 6)
old=$(sed -n 5p old-rows.txt | sed 's/2026-01-01/DAY/; s/invoice:6|0|6|/invoice:N|0|N|/')
new=$(sed -n 7p rows.txt | sed 's/2026-02-01/DAY/; s/invoice:9|0|9|/invoice:N|0|N|/')
[ "$old" = "$new" ] || fail "made row differs from a queued one: '$old' / '$new'"
grep -q 'Factuur 2026-0000004 van Bench Praktijk' report.txt ||
    fail "report does not show the subject: $(cat report.txt)"
cb report outbox >/dev/null
[ "$(q 'SELECT COUNT(*) FROM outbox')" = 8 ] || fail "a second look made rows"
q "UPDATE outbox_made SET invoice = 8"
cb report outbox >/dev/null
[ "$(q 'SELECT COUNT(*) FROM outbox')" = 8 ] || fail "made twice with the mark put back"
[ "$(q 'SELECT invoice FROM outbox_made')" = 11 ] || fail "mark not moved again"

# 4. cancel by the id the report would show
export CAREBILL_TODAY=2026-03-01
cb tick >tick.out || fail "tick: $(cat tick.out)"
[ "$(q 'SELECT COUNT(*) FROM outbox')" = 8 ] || fail "the second tick wrote rows"
# an address fixed after the run: the message is made with the new one
cb account update ans --email ans.bakker@example.nl >/dev/null || fail "account update"
sqlite3 ledger.db .dump >before.sql
cb outbox cancel 99 >/dev/null 2>&1 && fail "a message that is not there was cancelled"
sqlite3 ledger.db .dump >after.sql
cmp -s before.sql after.sql || fail "a refused cancel changed the ledger"
cb outbox cancel 9 || fail "cancel 9"
[ "$(q "SELECT status || ' ' || key FROM outbox WHERE id = 9")" = "cancelled invoice:12" ] ||
    fail "cancel: $(q 'SELECT id, status, key FROM outbox WHERE id >= 9')"

# 5. send
smtp_start mail || fail "smtpd did not start"
export CAREBILL_SMTP_HOST=127.0.0.1 CAREBILL_SMTP_PORT=$SMTP_PORT
cb outbox send >send.out 2>&1 || fail "send: $(cat send.out)"
[ "$(q "SELECT COUNT(*) FROM outbox WHERE status = 'sent'")" = 9 ] ||
    fail "sent: $(q 'SELECT id, status FROM outbox')"
[ "$(ls mail/*.eml | wc -l)" = 9 ] || fail "server received $(ls mail | wc -l) files"
id=$(q "SELECT id FROM outbox WHERE key = 'invoice:14'")
cb outbox show "$id" >show.txt
grep -q '^subject: Factuur 2026-0000009 van Bench Praktijk' show.txt ||
    fail "outbox show: $(cat show.txt)"
grep -l "Factuur 2026-0000009" mail/* >/dev/null || fail "not received"
[ "$(q "SELECT to_addr FROM outbox WHERE key = 'invoice:14'")" = ans.bakker@example.nl ] ||
    fail "made with the old address: $(q "SELECT to_addr FROM outbox WHERE key = 'invoice:14'")"
grep -l "^To: .*ans.bakker@example.nl" mail/*.eml >/dev/null || fail "not sent to the new address"
sqlite3 ledger.db 'PRAGMA foreign_key_check' | grep -q . && fail "foreign keys"
echo "mail_later: ok"
