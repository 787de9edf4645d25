#!/bin/sh
# pg_schema.sh — every migration has its PostgreSQL twin, and the twins
# make the same ledger: schema/NNN_name.sql and schema/pg/NNN_name.sql
# pair one to one (a missing twin is named), and a ledger made by
# `carebill init` on each engine has the same tables with the same
# columns in the same order (PostgreSQL's spelled-out rowid aside). A
# SQLite ledger made before the last migration is upgraded the same way
# on PostgreSQL: init on a PostgreSQL ledger at version N-1 applies the
# last twin. The named indexes are the same too. Uses the server of tests/run or starts its own.
set -u
top=$(pwd)
bin=${CAREBILL:-$top/carebill}
export LC_ALL=C TZ=UTC
unset CAREBILL_DB
. "$top/tests/pg_server"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/carebill-pgschema.XXXXXX") || exit 1
own=0
trap '[ $own = 1 ] && pg_stop "$tmp/server"; rm -rf "$tmp"' EXIT
fail() { echo "pg_schema: FAIL: $*"; exit 1; }

bad=0
for f in "$top"/schema/[0-9]*.sql; do
    b=$(basename "$f")
    [ -f "$top/schema/pg/$b" ] || {
        echo "pg_schema: schema/$b has no PostgreSQL twin schema/pg/$b"; bad=1; }
done
for f in "$top"/schema/pg/[0-9]*.sql; do
    b=$(basename "$f")
    [ -f "$top/schema/$b" ] || {
        echo "pg_schema: schema/pg/$b is the twin of no schema/$b"; bad=1; }
done
[ $bad = 0 ] || fail "the migrations and their PostgreSQL twins do not pair"

if [ -z "${CAREBILL_PG_URL:-}" ]; then
    pg_start "$tmp/server" || exit 1
    own=1
fi
s=schema_$$
"$bin" --db "$tmp/l.db" init >/dev/null || fail "init on SQLite"
"$bin" --db "$CAREBILL_PG_URL&schema=$s" init >/dev/null || fail "init on PostgreSQL"
for t in $(sqlite3 "$tmp/l.db" "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"); do
    echo "$t: $(sqlite3 "$tmp/l.db" "SELECT group_concat(name, ' ') FROM pragma_table_info('$t')")"
done >"$tmp/sqlite.txt"
pg_psql "SELECT table_name || ': ' || string_agg(column_name::text, ' ' ORDER BY ordinal_position)
         FROM information_schema.columns WHERE table_schema = '$s' AND column_name <> 'rowid'
         AND table_name <> 'carebill_schema_version'
         GROUP BY table_name ORDER BY table_name COLLATE \"C\"" >"$tmp/pg.txt"
cmp -s "$tmp/sqlite.txt" "$tmp/pg.txt" || {
    diff "$tmp/sqlite.txt" "$tmp/pg.txt" | head -20
    fail "the PostgreSQL ledger's tables or columns differ from SQLite's"
}
# The same named indexes (the keys' own aside: SQLite's autoindexes,
# PostgreSQL's constraint indexes), with the same uniqueness.
sqlite3 "$tmp/l.db" "SELECT name || CASE WHEN sql LIKE 'CREATE UNIQUE%' THEN ' unique' ELSE '' END
    FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name" >"$tmp/sqlite.idx"
pg_psql "SELECT indexname || CASE WHEN indexdef LIKE 'CREATE UNIQUE%' THEN ' unique' ELSE '' END
         FROM pg_indexes WHERE schemaname = '$s' AND indexname NOT IN
             (SELECT conname FROM pg_constraint WHERE connamespace = '$s'::regnamespace)
         ORDER BY indexname COLLATE \"C\"" >"$tmp/pg.idx"
cmp -s "$tmp/sqlite.idx" "$tmp/pg.idx" || {
    diff "$tmp/sqlite.idx" "$tmp/pg.idx" | head -20
    fail "the PostgreSQL ledger's indexes differ from SQLite's"
}
# Empty ledgers dump the same on both engines.
"$bin" --db "$tmp/l.db" ledger dump >"$tmp/a.dump" || fail "dump on SQLite"
"$bin" --db "$CAREBILL_PG_URL&schema=$s" ledger dump >"$tmp/b.dump" || fail "dump on PostgreSQL"
cmp -s "$tmp/a.dump" "$tmp/b.dump" || fail "empty ledgers dump differently"
# An older PostgreSQL ledger is upgraded by init: a schema made by the
# first N-1 twins (psql) is refused until init applies the last one, and
# then holds what a new ledger holds.
n=$(ls "$top"/schema/pg/[0-9]*.sql | wc -l)
u=up_$$
{
    echo "CREATE SCHEMA $u; SET search_path TO $u;"
    ls "$top"/schema/pg/[0-9]*.sql | head -n $((n - 1)) | xargs cat
    echo "CREATE TABLE carebill_schema_version (version INTEGER NOT NULL);"
    echo "INSERT INTO carebill_schema_version VALUES ($((n - 1)));"
} >"$tmp/old.sql"
psql -X -q -At -v ON_ERROR_STOP=1 -h "$CAREBILL_PG_DIR" -U carebill -d postgres \
    -f "$tmp/old.sql" >/dev/null 2>"$tmp/old.err" || fail "the first $((n - 1)) twins: $(head -3 "$tmp/old.err")"
out=$("$bin" --db "$CAREBILL_PG_URL&schema=$u" ledger dump 2>&1) &&
    fail "a ledger one migration behind was opened"
echo "$out" | grep -q "run 'carebill init' to upgrade" || fail "no upgrade advice: $out"
"$bin" --db "$CAREBILL_PG_URL&schema=$u" init >/dev/null || fail "init did not upgrade"
pg_psql "SELECT table_name || ': ' || string_agg(column_name::text, ' ' ORDER BY ordinal_position)
         FROM information_schema.columns WHERE table_schema = '$u' AND column_name <> 'rowid'
         AND table_name <> 'carebill_schema_version'
         GROUP BY table_name ORDER BY table_name COLLATE \"C\"" >"$tmp/up.txt"
cmp -s "$tmp/pg.txt" "$tmp/up.txt" || {
    diff "$tmp/pg.txt" "$tmp/up.txt" | head -20
    fail "the upgraded PostgreSQL ledger differs from a new one"
}
echo "pg_schema: $n migrations, each with its twin; tables and columns equal on both engines"
