#!/bin/sh
# pg_migrate.sh — a practice moves from SQLite to PostgreSQL and back
# (`carebill migrate-ledger FROM TO`), checked by comparing reports: the
# example practice runs three months on a SQLite file (ticks, a payment,
# a product invoice, a credit note), moves into a PostgreSQL schema, and
# every report gives the same output on both; a month more on each gives
# the same invoices again. Moving back into a new SQLite file gives the
# same reports; `backup` of the PostgreSQL ledger is a SQLite ledger that
# carebill opens; a target that already holds rows is refused. Uses the
# server of tests/run or starts its own.
set -u
top=$(pwd)
bin=${CAREBILL:-$top/carebill}
export CAREBILL_LIBDIR="$top" CAREBILL_RULES="$top/examples/physio" LC_ALL=C TZ=UTC
unset CAREBILL_DB CAREBILL_TODAY
. "$top/tests/pg_server"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/carebill-pgmigrate.XXXXXX") || exit 1
keep=0 own=0
trap '[ $own = 1 ] && pg_stop "$tmp/server"; [ $keep = 1 ] || rm -rf "$tmp"' EXIT
fail() { keep=1; echo "pg_migrate: FAIL: $*"; echo "pg_migrate: files kept in $tmp"; exit 1; }
if [ -z "${CAREBILL_PG_URL:-}" ]; then
    pg_start "$tmp/server" || exit 1
    own=1
fi
pg="$CAREBILL_PG_URL&schema=m$$"
sq=$tmp/practice.db
reports() { # LEDGER: every report, as the accountant reads them
    for r in subscriptions invoices outbox credits balances journal; do
        echo "== report $r"
        CAREBILL_TODAY=2026-04-01 "$bin" --db "$1" report $r --format csv 2>&1
    done
    echo "== report runs"
    "$bin" --db "$1" report runs --format csv | cut -d, -f1,2,4-
}
export CAREBILL_DB=$sq CAREBILL_TODAY=2026-01-01
"$bin" init >/dev/null || fail "init"
PATH=$(dirname "$bin"):$PATH sh "$top/examples/physio/setup.sh" >/dev/null || fail "setup"
for d in 2026-01-01 2026-02-01 2026-03-01; do
    CAREBILL_TODAY=$d "$bin" tick --quiet >/dev/null || fail "tick $d"
done
n=$("$bin" report invoices --format csv | awk -F, 'NR == 2 { print $1 }')
CAREBILL_TODAY=2026-03-05 "$bin" payment register "$n" --amount 10.00 --on 2026-03-05 >/dev/null || fail "payment"
CAREBILL_TODAY=2026-03-06 "$bin" invoice credit "$n" >/dev/null || fail "credit note"
unset CAREBILL_DB

out=$("$bin" migrate-ledger "$sq" "$pg") || fail "migrate to PostgreSQL: $out"
echo "$out" | grep -q "both ledgers hold the same rows" || fail "migrate: $out"
reports "$sq" >"$tmp/a.txt"
reports "$pg" >"$tmp/b.txt"
cmp -s "$tmp/a.txt" "$tmp/b.txt" || { diff "$tmp/a.txt" "$tmp/b.txt" | head; fail "reports differ after the move"; }
"$bin" --db "$sq" ledger dump >"$tmp/a.dump"
"$bin" --db "$pg" ledger dump >"$tmp/b.dump"
cmp -s "$tmp/a.dump" "$tmp/b.dump" || fail "the dumps differ after the move"

# Life goes on the same way on both engines.
cp "$sq" "$tmp/on.db"
for w in "$tmp/on.db" "$pg"; do
    CAREBILL_TODAY=2026-04-01 "$bin" --db "$w" tick --quiet >/dev/null || fail "tick after the move ($w)"
done
"$bin" --db "$tmp/on.db" report invoices --format csv >"$tmp/a.txt"
"$bin" --db "$pg" report invoices --format csv >"$tmp/b.txt"
cmp -s "$tmp/a.txt" "$tmp/b.txt" || { diff "$tmp/a.txt" "$tmp/b.txt" | head; fail "April differs between the engines"; }

# Back into a new SQLite file, and the refusals.
out=$("$bin" migrate-ledger "$pg" "$tmp/back.db") || fail "migrate back: $out"
reports "$pg" >"$tmp/b.txt"
reports "$tmp/back.db" >"$tmp/c.txt"
cmp -s "$tmp/b.txt" "$tmp/c.txt" || { diff "$tmp/b.txt" "$tmp/c.txt" | head; fail "reports differ after moving back"; }
"$bin" migrate-ledger "$sq" "$pg" >/dev/null 2>"$tmp/err" && fail "a ledger with rows was overwritten"
grep -q "is not empty" "$tmp/err" || fail "refusal: $(cat "$tmp/err")"
"$bin" migrate-ledger "$tmp/none.db" "$CAREBILL_PG_URL&schema=n$$" >/dev/null 2>"$tmp/err" && fail "copied a missing ledger"
grep -q "run 'carebill init' first" "$tmp/err" || fail "missing source: $(cat "$tmp/err")"

# backup of a PostgreSQL ledger: a SQLite ledger carebill opens.
"$bin" --db "$pg" backup "$tmp/copy.db" || fail "backup"
"$bin" --db "$tmp/copy.db" ledger dump >"$tmp/c.dump"
"$bin" --db "$pg" ledger dump >"$tmp/b.dump"
cmp -s "$tmp/b.dump" "$tmp/c.dump" || fail "the backup differs from the ledger"
echo "pg_migrate: SQLite -> PostgreSQL -> SQLite with equal reports and dumps; a month more equal on both; backup opens"
