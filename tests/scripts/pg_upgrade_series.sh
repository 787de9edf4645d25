#!/bin/sh
# pg_upgrade_series.sh — migration 014's PostgreSQL twin on the rows of
# the release before it: a schema made by the first 13 twins (psql) is
# filled with the rows of tests/fixtures/ledger-23c2a69.sql (the same
# tables with the same columns on both engines, pg_schema.sh), and
# `carebill init` upgrades it: each series holds the issue date of its
# last number, invoices keeps only the key of its number, a run that
# would number out of date order is refused and a tick numbers on
# without a gap, as on SQLite (upgrade_series.sh). Uses the server of
# tests/run or starts its own.
set -u
top=$(pwd)
bin=${CAREBILL:-$top/carebill}
export CAREBILL_LIBDIR="$top" CAREBILL_RULES="$top/tests/fixtures/upgrade13"
export LC_ALL=C TZ=UTC
unset CAREBILL_DB CAREBILL_TODAY
. "$top/tests/pg_server"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/carebill-pgupseries.XXXXXX") || exit 1
own=0
trap '[ $own = 1 ] && pg_stop "$tmp/server"; rm -rf "$tmp"' EXIT
fail() { echo "pg_upgrade_series: FAIL: $*" >&2; exit 1; }
if [ -z "${CAREBILL_PG_URL:-}" ]; then
    pg_start "$tmp/server" || exit 1
    own=1
fi
fixture=$top/tests/fixtures/ledger-23c2a69.sql
sq=$tmp/fixture.db
sqlite3 "$sq" <"$fixture" || fail "cannot load the fixture"
[ "$(sqlite3 "$sq" 'PRAGMA user_version')" = 13 ] || fail "fixture is not at version 13"
ls "$top"/schema/pg/0[0-9][0-9]_*.sql | head -n 13 >"$tmp/twins"
[ "$(wc -l <"$tmp/twins")" = 13 ] || fail "fewer than 13 twins"

u=upser_$$
{
    echo "CREATE SCHEMA $u; SET search_path TO $u;"
    xargs cat <"$tmp/twins"
    echo "CREATE TABLE carebill_schema_version (version INTEGER NOT NULL);"
    echo "INSERT INTO carebill_schema_version VALUES (13);"
    echo "BEGIN; SET CONSTRAINTS ALL DEFERRED;"
    for t in $(sqlite3 "$sq" "SELECT name FROM sqlite_master WHERE type = 'table'
               AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name"); do
        [ "$(sqlite3 "$sq" "SELECT COUNT(*) FROM \"$t\"")" = 0 ] && continue
        sqlite3 -csv "$sq" "SELECT * FROM \"$t\" ORDER BY rowid" >"$tmp/$t.csv" ||
            fail "cannot read table $t of the fixture"
        # printf: the shell's echo would take \c for "stop here".
        printf "\\copy %s FROM '%s' CSV\n" "$t" "$tmp/$t.csv"
    done
    echo "COMMIT;"
} >"$tmp/old.sql"
PGOPTIONS='-c client_min_messages=warning' psql -X -q -At -v ON_ERROR_STOP=1 \
    -h "$CAREBILL_PG_DIR" -U carebill -d postgres -f "$tmp/old.sql" \
    >/dev/null 2>"$tmp/old.err" || fail "the version 13 schema and its rows: $(head -3 "$tmp/old.err")"
pg="$CAREBILL_PG_URL&schema=$u"
n=$(pg_psql "SELECT COUNT(*) FROM $u.invoices" 2>&1)
[ "$n" = 8 ] || fail "the invoices were not loaded: $n"
keys=$(pg_psql "SELECT string_agg(conname, ' ' ORDER BY conname) FROM pg_constraint
    WHERE conrelid = '$u.invoices'::regclass AND contype = 'u'")
[ "$keys" = "invoices_number_key invoices_series_seq_key" ] || fail "keys at version 13: $keys"

"$bin" --db "$pg" init >"$tmp/init.out" 2>&1 || { cat "$tmp/init.out"; fail "init failed"; }
grep -q "schema version $(ls "$top"/schema/[0-9]*.sql | wc -l)\$" "$tmp/init.out" || fail "init: $(cat "$tmp/init.out")"
sqlite3 -separator '|' "$sq" "SELECT s.id, s.last_seq, (SELECT i.issued FROM invoices i
    WHERE i.series = s.id ORDER BY i.seq DESC LIMIT 1) FROM series s ORDER BY s.id" >"$tmp/want.txt"
pg_psql "SELECT id, last_seq, last_issued FROM $u.series ORDER BY id COLLATE \"C\"" >"$tmp/got.txt"
cmp -s "$tmp/want.txt" "$tmp/got.txt" || {
    diff "$tmp/want.txt" "$tmp/got.txt"; fail "series.last_issued is not the invoices' date"; }
keys=$(pg_psql "SELECT string_agg(conname, ' ' ORDER BY conname) FROM pg_constraint
    WHERE conrelid = '$u.invoices'::regclass AND contype = 'u'")
[ "$keys" = invoices_number_key ] || fail "keys after init: $keys"

CAREBILL_TODAY=2025-12-31 "$bin" --db "$pg" tick >"$tmp/past.out" 2>&1 &&
    fail "a run dated before the last invoice was not refused"
grep -q 'invoices were already issued on 2026-01-01' "$tmp/past.out" ||
    fail "past run: $(cat "$tmp/past.out")"
CAREBILL_TODAY=2026-02-01 "$bin" --db "$pg" tick >"$tmp/tick.out" 2>&1 || {
    cat "$tmp/tick.out"; fail "tick after the upgrade failed"; }
grep -q ': 3 invoices' "$tmp/tick.out" || fail "tick: $(cat "$tmp/tick.out")"
nums=$(pg_psql "SELECT string_agg(number, ' ' ORDER BY id) FROM $u.invoices
    WHERE issued = '2026-02-01'")
[ "$nums" = "2026-0000004 2026-0000005 2026-0000006" ] || fail "numbers after the upgrade: $nums"
got=$(pg_psql "SELECT last_seq || ' ' || last_issued FROM $u.series WHERE id = 'invoice:2026'")
[ "$got" = "6 2026-02-01" ] || fail "series invoice:2026 after the tick: $got"
CAREBILL_TODAY=2026-01-31 "$bin" --db "$pg" tick >"$tmp/past.out" 2>&1 &&
    fail "a run dated before the tick's invoices was not refused"
grep -q 'invoices were already issued on 2026-02-01' "$tmp/past.out" ||
    fail "past run after the tick: $(cat "$tmp/past.out")"
pg_psql "DROP SCHEMA $u CASCADE" >/dev/null 2>&1
exit 0
