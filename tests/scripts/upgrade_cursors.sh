#!/bin/sh
# upgrade_cursors.sh — migration 015 (issue 15) on a ledger made by the
# release before it (tests/fixtures/ledger-23c2a69.sql, schema version
# 13): `carebill init` gives every cursor value of the subscriptions one
# cursors row and points each subscription at its row (subscriptions 1, 2
# and 4 share 2026-02-01, 3 has 2026-04-01 to itself, 5, finished, has
# none). The run of 2026-02-01 bills 1, 2 and 4 (4 resumed after a pause
# in January) and moves their row with one write; a stopped member leaves
# the cohort once its last period is billed, and the others, reaching
# 2026-04-01, merge with the row of subscription 3. A run repeated on its
# day bills nothing; the foreign keys hold throughout.
set -u
top=$(pwd)
bin=${CAREBILL:-$top/carebill}
export CAREBILL_LIBDIR="$top" CAREBILL_RULES="$top/tests/fixtures/upgrade13"
export LC_ALL=C TZ=UTC
unset CAREBILL_DB CAREBILL_TODAY
tmp=$(mktemp -d "${TMPDIR:-/tmp}/carebill-cursors.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail() { echo "upgrade_cursors: $*" >&2; exit 1; }
db=$tmp/ledger.db
q() { sqlite3 "$db" "$1"; }
# Each subscription with its cursor's values ("-" for none), in id order.
subs() {
    q "SELECT group_concat(v, ' ') FROM (SELECT s.id || '=' ||
        COALESCE(c.next_period || '/' || c.next_due, '-') AS v
        FROM subscriptions s LEFT JOIN cursors c ON c.id = s.cursor
        ORDER BY s.id)"
}
# The cursors rows with their members: "VALUE:MEMBERS" by due date.
rows() {
    q "SELECT group_concat(v, ' ') FROM (SELECT c.next_period || ':' ||
        (SELECT group_concat(id, ',') FROM (SELECT id FROM subscriptions
         WHERE cursor = c.id ORDER BY id)) AS v
        FROM cursors c ORDER BY c.next_due, c.next_period)"
}
fk() { [ -z "$(q 'PRAGMA foreign_key_check')" ] || fail "foreign keys $1: $(q 'PRAGMA foreign_key_check')"; }
tick() { # DAY: the run of DAY, its summary line in $tmp/tick.out
    CAREBILL_TODAY=$1 "$bin" --db "$db" tick >"$tmp/tick.out" 2>&1 ||
        { cat "$tmp/tick.out"; fail "tick $1 failed"; }
}

sqlite3 "$db" <"$top/tests/fixtures/ledger-23c2a69.sql" || fail "cannot load the fixture"
[ "$(q 'PRAGMA user_version')" = 13 ] || fail "fixture is not at version 13"
before=$(q "SELECT group_concat(v, ' ') FROM (SELECT id || '=' ||
    COALESCE(next_period || '/' || next_due, '-') AS v FROM subscriptions
    ORDER BY id)")
CAREBILL_TODAY=2026-02-01 "$bin" --db "$db" init >"$tmp/init.out" 2>&1 ||
    { cat "$tmp/init.out"; fail "init failed"; }

# The cursors as they were, now shared.
[ "$(subs)" = "$before" ] || fail "cursors after init: $(subs), before: $before"
[ "$(rows)" = "2026-02-01:1,2,4 2026-04-01:3" ] || fail "rows after init: $(rows)"
cols=$(q "SELECT group_concat(name, ' ') FROM pragma_table_info('subscriptions')
    WHERE name IN ('next_period', 'next_due', 'cursor')")
[ "$cols" = cursor ] || fail "subscriptions columns: $cols"
idx=$(q "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master
    WHERE type = 'index' AND name IN ('subscriptions_due',
    'subscriptions_cursor', 'cursors_due') ORDER BY name)")
[ "$idx" = "cursors_due subscriptions_cursor" ] || fail "indexes after init: $idx"
fk "after init"

# 2026-02-01: 1, 2 and 4 are billed and move on together in their row.
id=$(q "SELECT cursor FROM subscriptions WHERE id = 1")
tick 2026-02-01
grep -q ': 3 invoices' "$tmp/tick.out" || fail "tick 2026-02-01: $(cat "$tmp/tick.out")"
billed=$(q "SELECT group_concat(subscription, ',') FROM (SELECT l.subscription
    FROM invoice_lines l JOIN invoices i ON i.id = l.invoice
    WHERE i.issued = '2026-02-01' ORDER BY i.number)")
[ "$billed" = "1,2,4" ] || fail "billed on 2026-02-01: $billed"
[ "$(rows)" = "2026-03-01:1,2,4 2026-04-01:3" ] || fail "rows after 2026-02-01: $(rows)"
[ "$(q "SELECT id FROM cursors WHERE next_period = '2026-03-01'")" = "$id" ] ||
    fail "the cohort's row was not moved in place"
fk "after 2026-02-01"

# Subscription 1 stops in March: billed for March, it then leaves the
# cohort; 2 and 4 reach 2026-04-01, where 3 is: one row for the three.
CAREBILL_TODAY=2026-02-01 "$bin" --db "$db" subscription stop 1 --on 2026-03-15 >/dev/null ||
    fail "stop"
tick 2026-03-01
grep -q ': 3 invoices' "$tmp/tick.out" || fail "tick 2026-03-01: $(cat "$tmp/tick.out")"
[ "$(rows)" = "2026-04-01:2,3,4" ] || fail "rows after 2026-03-01: $(rows)"
[ "$(subs)" = "1=- 2=2026-04-01/2026-04-01 3=2026-04-01/2026-04-01 4=2026-04-01/2026-04-01 5=-" ] ||
    fail "cursors after 2026-03-01: $(subs)"
[ "$(q 'SELECT COUNT(*) FROM cursors')" = 1 ] || fail "cursors rows: $(q 'SELECT COUNT(*) FROM cursors')"
fk "after 2026-03-01"

# The same day again bills nothing and changes no cursor.
tick 2026-03-01
grep -q ': 0 invoices' "$tmp/tick.out" || fail "second tick 2026-03-01: $(cat "$tmp/tick.out")"
[ "$(rows)" = "2026-04-01:2,3,4" ] || fail "rows after the second run: $(rows)"
fk "after the second run"
sh "$top/bench/dump.sh" --check "$db" || fail "numbering or integrity"
exit 0
