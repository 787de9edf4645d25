#!/bin/sh
# speed_upgrade.sh — migration 010 (issue 15) on a ledger made by the
# release before it (tests/fixtures/ledger-7a6d307.sql, schema version 7):
# `carebill init` upgrades it; the index of every open invoice makes way
# for one of open direct-debit invoices, the index on the issue date goes
# (a run that would number out of date order is still refused) and
# subscriptions get an index on their type; the sentence `explain` gives for a line the old release
# stored is read as stored, and a line billed after the upgrade, which
# stores "" for a sentence its own columns rebuild, explains word for word
# as the old release would have; numbering goes on without a gap.
set -u
top=$(pwd)
bin=${CAREBILL:-$top/carebill}
export CAREBILL_LIBDIR="$top" CAREBILL_RULES="$top/bench/practice"
export LC_ALL=C TZ=UTC
unset CAREBILL_DB CAREBILL_TODAY
tmp=$(mktemp -d "${TMPDIR:-/tmp}/carebill-upgrade.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail() { echo "speed_upgrade: $*" >&2; exit 1; }
db=$tmp/ledger.db
sqlite3 "$db" <"$top/tests/fixtures/ledger-7a6d307.sql" || fail "cannot load the fixture"
[ "$(sqlite3 "$db" 'PRAGMA user_version')" = 7 ] || fail "fixture is not at version 7"

"$bin" --db "$db" tick --as-of 2026-02-01 >/dev/null 2>&1 &&
    fail "an old ledger was used before init upgraded it"
"$bin" --db "$db" init >"$tmp/init.out" 2>&1 || { cat "$tmp/init.out"; fail "init failed"; }
idx=$(sqlite3 "$db" "SELECT group_concat(name, ' ') FROM (SELECT name FROM
    sqlite_master WHERE type = 'index' AND name IN ('invoices_open',
    'invoices_issued', 'invoices_open_dd', 'subscriptions_type')
    ORDER BY name)")
[ "$idx" = "invoices_open_dd subscriptions_type" ] || fail "indexes after init: $idx"

sentence() { # INVOICE DAY: the sentence of subscription 1's line of the period from DAY
    printf '  because: subscription 1 (maand) period %s..%s: any active day bills the full period; price 45.00 in force on %s; %s of %s days active, 0 paused\n' \
        "$1" "$2" "$1" "$3" "$3"
}
"$bin" --db "$db" explain 2026-0000001 | grep 'because:' >"$tmp/old.txt"
sentence 2026-01-01 2026-01-31 31 >"$tmp/want-old.txt"
cmp -s "$tmp/old.txt" "$tmp/want-old.txt" || fail "old line explains as: $(cat "$tmp/old.txt")"

"$bin" --db "$db" tick --as-of 2026-02-01 >"$tmp/tick.out" 2>&1 || { cat "$tmp/tick.out"; fail "tick after the upgrade failed"; }
grep -q ': 3 invoices' "$tmp/tick.out" || fail "tick: $(cat "$tmp/tick.out")"
"$bin" --db "$db" explain 2026-0000004 | grep 'because:' >"$tmp/new.txt"
sentence 2026-02-01 2026-02-28 28 >"$tmp/want-new.txt"
cmp -s "$tmp/new.txt" "$tmp/want-new.txt" || fail "new line explains as: $(cat "$tmp/new.txt")"

stored=$(sqlite3 "$db" "SELECT group_concat(length(why), ' ') FROM (SELECT why
    FROM invoice_lines ORDER BY id)")
[ "$stored" = "158 158 158 0 0 0" ] || fail "stored sentence lengths: $stored"
"$bin" --db "$db" tick --as-of 2026-01-31 >"$tmp/past.out" 2>&1 &&
    fail "a run dated before the last invoice was not refused"
grep -q 'invoices were already issued on 2026-02-01' "$tmp/past.out" ||
    fail "past run: $(cat "$tmp/past.out")"
sh "$top/bench/dump.sh" --check "$db" || fail "numbering or integrity"
exit 0
