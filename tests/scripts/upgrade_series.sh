#!/bin/sh
# upgrade_series.sh — migration 014 (issue 15) on a ledger made by the
# release before it (tests/fixtures/ledger-23c2a69.sql, schema version
# 13): `carebill init` upgrades it; each series holds the issue date of
# its last number (series.last_issued, as the invoices say), invoices has
# lost its key on (series, seq) and is the table a new ledger has, and no
# foreign key is broken; a run that would number out of date order is
# still refused, before and after a tick, and numbering goes on without a
# gap. A ledger with a broken foreign key (a line of an invoice that is
# not there) is not upgraded: init fails naming the table, and the file
# is left as it was.
set -u
top=$(pwd)
bin=${CAREBILL:-$top/carebill}
export CAREBILL_LIBDIR="$top" CAREBILL_RULES="$top/tests/fixtures/upgrade13"
export LC_ALL=C TZ=UTC
unset CAREBILL_DB CAREBILL_TODAY
tmp=$(mktemp -d "${TMPDIR:-/tmp}/carebill-upseries.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail() { echo "upgrade_series: $*" >&2; exit 1; }
fixture=$top/tests/fixtures/ledger-23c2a69.sql
db=$tmp/ledger.db
sqlite3 "$db" <"$fixture" || fail "cannot load the fixture"
[ "$(sqlite3 "$db" 'PRAGMA user_version')" = 13 ] || fail "fixture is not at version 13"
# What the invoices say: each series' highest seq and its date.
sqlite3 "$db" "SELECT s.id, s.last_seq, (SELECT i.issued FROM invoices i
    WHERE i.series = s.id ORDER BY i.seq DESC LIMIT 1) FROM series s
    ORDER BY s.id" >"$tmp/want-series.txt"
[ -s "$tmp/want-series.txt" ] || fail "the fixture has no series"

CAREBILL_TODAY=2026-02-01 "$bin" --db "$db" tick >/dev/null 2>&1 &&
    fail "an old ledger was used before init upgraded it"
"$bin" --db "$db" init >"$tmp/init.out" 2>&1 || { cat "$tmp/init.out"; fail "init failed"; }
grep -q "schema version $(ls "$top"/schema/[0-9]*.sql | wc -l)\$" "$tmp/init.out" || fail "init: $(cat "$tmp/init.out")"

sqlite3 "$db" "SELECT id, last_seq, last_issued FROM series ORDER BY id" >"$tmp/series.txt"
cmp -s "$tmp/series.txt" "$tmp/want-series.txt" || {
    diff "$tmp/want-series.txt" "$tmp/series.txt"; fail "series.last_issued is not the invoices' date"; }
# The key on (series, seq) is gone; the number's own key and the named
# indexes are there.
idx=$(sqlite3 "$db" "SELECT group_concat(name, ' ') FROM (SELECT name FROM
    sqlite_master WHERE type = 'index' AND tbl_name = 'invoices' ORDER BY name)")
[ "$idx" = "invoices_account invoices_open_dd invoices_payment_reference sqlite_autoindex_invoices_1" ] ||
    fail "indexes of invoices after init: $idx"
key=$(sqlite3 "$db" "SELECT group_concat(ii.name, ',') FROM pragma_index_list('invoices') il,
    pragma_index_info(il.name) ii WHERE il.origin = 'u'")
[ "$key" = number ] || fail "unique keys of invoices after init: $key"
grep -q 'UNIQUE (series, seq)' "$fixture" || fail "the fixture has no (series, seq) key"
sqlite3 "$db" "SELECT sql FROM sqlite_master WHERE name = 'invoices'" | grep -q 'UNIQUE (series' &&
    fail "invoices still declares the key on (series, seq)"
# Every column in its place, the same table a new ledger makes.
"$bin" --db "$tmp/new.db" init >/dev/null 2>&1 || fail "init of a new ledger"
for t in invoices series; do
    sqlite3 "$db" ".schema $t" | tr -s ' \n' ' ' >"$tmp/up-$t.txt"
    sqlite3 "$tmp/new.db" ".schema $t" | tr -s ' \n' ' ' >"$tmp/new-$t.txt"
    cmp -s "$tmp/up-$t.txt" "$tmp/new-$t.txt" || {
        diff "$tmp/new-$t.txt" "$tmp/up-$t.txt"; fail "$t of the upgraded ledger differs from a new one"; }
done
bad=$(sqlite3 "$db" "PRAGMA foreign_key_check")
[ -z "$bad" ] || fail "foreign_key_check after init: $bad"

# The series' dates stop a run that would number out of date order.
CAREBILL_TODAY=2025-12-31 "$bin" --db "$db" tick >"$tmp/past.out" 2>&1 &&
    fail "a run dated before the last invoice was not refused"
grep -q 'invoices were already issued on 2026-01-01' "$tmp/past.out" ||
    fail "past run: $(cat "$tmp/past.out")"

CAREBILL_TODAY=2026-02-01 "$bin" --db "$db" tick >"$tmp/tick.out" 2>&1 || {
    cat "$tmp/tick.out"; fail "tick after the upgrade failed"; }
grep -q ': 3 invoices' "$tmp/tick.out" || fail "tick: $(cat "$tmp/tick.out")"
nums=$(sqlite3 "$db" "SELECT group_concat(number, ' ') FROM (SELECT number FROM invoices
    WHERE issued = '2026-02-01' ORDER BY id)")
[ "$nums" = "2026-0000004 2026-0000005 2026-0000006" ] || fail "numbers after the upgrade: $nums"
got=$(sqlite3 "$db" "SELECT last_seq || ' ' || last_issued FROM series WHERE id = 'invoice:2026'")
[ "$got" = "6 2026-02-01" ] || fail "series invoice:2026 after the tick: $got"
CAREBILL_TODAY=2026-01-31 "$bin" --db "$db" tick >"$tmp/past.out" 2>&1 &&
    fail "a run dated before the tick's invoices was not refused"
grep -q 'invoices were already issued on 2026-02-01' "$tmp/past.out" ||
    fail "past run after the tick: $(cat "$tmp/past.out")"
bad=$(sqlite3 "$db" "PRAGMA foreign_key_check")
[ -z "$bad" ] || fail "foreign_key_check after the tick: $bad"
sh "$top/bench/dump.sh" --check "$db" || fail "numbering or integrity"

# A broken foreign key refuses the upgrade, and nothing changes.
bad_db=$tmp/orphan.db
sqlite3 "$bad_db" <"$fixture" || fail "cannot load the fixture again"
sqlite3 "$bad_db" "PRAGMA foreign_keys = OFF; INSERT INTO invoice_lines(invoice,
    position, description, qty100, unit_cents, amount_cents, vat_id, vat_bp,
    vat_exempt, source) VALUES (999, 1, 'orphan', 100, 100, 100, 'hoog', 2100,
    0, 'product')" || fail "cannot plant the orphan line"
sqlite3 "$bad_db" .dump >"$tmp/before.dump"
"$bin" --db "$bad_db" init >"$tmp/orphan.out" 2>&1 &&
    fail "init upgraded a ledger with a broken foreign key"
grep -q 'invoice_lines' "$tmp/orphan.out" || fail "init does not name the table: $(cat "$tmp/orphan.out")"
sqlite3 "$bad_db" .dump >"$tmp/after.dump"
cmp -s "$tmp/before.dump" "$tmp/after.dump" || {
    diff "$tmp/before.dump" "$tmp/after.dump" | head; fail "the refused upgrade changed the ledger"; }
[ "$(sqlite3 "$bad_db" 'PRAGMA user_version')" = 13 ] || fail "the refused upgrade moved the version"
# Once the line is gone, the same file upgrades.
sqlite3 "$bad_db" "DELETE FROM invoice_lines WHERE invoice = 999" || fail "cannot remove the orphan"
"$bin" --db "$bad_db" init >/dev/null 2>&1 || fail "init after the repair"
exit 0
