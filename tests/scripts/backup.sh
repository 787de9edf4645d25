#!/bin/sh
# backup.sh — `carebill backup FILE` takes a consistent copy of a live
# ledger (SPEC §6). On a ledger of BACKUP_SUBS (40,000) subscriptions due
# on one day, backups are taken while a tick bills them (early, midway,
# late). Each copy must pass PRAGMA integrity_check, hold either none or
# all of the run (never half of it), and, ticked for the same day, end with
# exactly what the original holds: the same invoices, lines, outbox,
# cursors and gapless numbers. A backup of the idle ledger afterwards must
# equal it outright.
set -u
top=$(pwd)
bin=${CAREBILL:-$top/carebill}
subs=${BACKUP_SUBS:-40000}
day=2026-01-01
export CAREBILL_LIBDIR="$top" CAREBILL_RULES="$top/bench/practice"
export LC_ALL=C TZ=UTC
unset CAREBILL_DB CAREBILL_TODAY

tmp=$(mktemp -d "${TMPDIR:-/tmp}/carebill-backup.XXXXXX") || exit 1
keep=0
trap '[ $keep = 1 ] || rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

fail() {
    keep=1
    echo "backup: FAIL: $*"
    echo "backup: files kept in $tmp"
    exit 1
}

sound() { # DB WHAT
    sh bench/dump.sh --check "$1" >"$tmp/check.txt" 2>&1 ||
        fail "$2: $(head -5 "$tmp/check.txt")"
}

db=$tmp/live.db
"$bin" --db "$db" init >/dev/null 2>"$tmp/init.err" || fail "init: $(cat "$tmp/init.err")"
sh bench/gen.sh "$db" "$subs" "$day" || fail "cannot generate the ledger"

# How long a tick takes here, on a scratch copy.
cp "$db" "$tmp/probe.db"
t0=$(date +%s%3N)
timeout 300 "$bin" --db "$tmp/probe.db" tick --as-of "$day" --quiet >"$tmp/probe.out" 2>&1 ||
    fail "tick failed: $(head -5 "$tmp/probe.out")"
t1=$(date +%s%3N)
ms=$((t1 - t0))
rm -f "$tmp"/probe.db*

# Backups at 20%, 50% and 80% of the run, while it runs.
timeout 300 "$bin" --db "$db" tick --as-of "$day" --quiet >"$tmp/tick.out" 2>"$tmp/tick.err" &
pt=$!
taken=""
during=0
for pct in 20 50 80; do
    at=$(awk -v ms="$ms" -v p="$pct" 'BEGIN { printf "%.3f", ms * p / 100000 }')
    prev=${prevat:-0}
    sleep "$(awk -v a="$at" -v b="$prev" 'BEGIN { d = a - b; if (d < 0) d = 0; printf "%.3f", d }')"
    prevat=$at
    timeout 120 "$bin" --db "$db" backup "$tmp/copy$pct.db" >"$tmp/b$pct.out" 2>&1 ||
        fail "backup at ${pct}% of the tick failed: $(head -5 "$tmp/b$pct.out")"
    taken="$taken $pct"
    # Was the tick still running when the backup finished?
    if kill -0 $pt 2>/dev/null; then during=$((during + 1)); fi
done
wait $pt || fail "tick during backups failed: $(head -5 "$tmp/tick.err")"
sound "$db" "the original after the tick"
[ "$(sqlite3 "$db" "SELECT COUNT(*) FROM invoices")" = "$subs" ] ||
    fail "the original did not bill $subs subscriptions"
sh bench/dump.sh "$db" >"$tmp/live.txt" || fail "cannot dump the original"

states=""
for pct in $taken; do
    copy=$tmp/copy$pct.db
    [ ! -e "$tmp/copy$pct.db.tmp" ] || fail "backup at ${pct}% left its temporary file"
    ok=$(sqlite3 "$copy" "PRAGMA integrity_check")
    [ "$ok" = ok ] || fail "copy at ${pct}%: integrity_check: $ok"
    n=$(sqlite3 "$copy" "SELECT COUNT(*) FROM invoices")
    [ "$n" = 0 ] || [ "$n" = "$subs" ] ||
        fail "copy at ${pct}% holds $n invoices: half a run"
    states="$states ${pct}%:$n"
    timeout 300 "$bin" --db "$copy" tick --as-of "$day" --quiet >"$tmp/c.out" 2>&1 ||
        fail "tick on the copy at ${pct}% failed: $(head -5 "$tmp/c.out")"
    sound "$copy" "copy at ${pct}% after its tick"
    sh bench/dump.sh "$copy" >"$tmp/copy.txt" || fail "cannot dump the copy at ${pct}%"
    if ! cmp -s "$tmp/live.txt" "$tmp/copy.txt"; then
        diff "$tmp/live.txt" "$tmp/copy.txt" | head -20
        fail "copy at ${pct}%, ticked, differs from the original"
    fi
done

# A backup of the idle ledger is the ledger.
timeout 120 "$bin" --db "$db" backup "$tmp/idle.db" >"$tmp/idle.out" 2>&1 ||
    fail "backup of the idle ledger failed: $(head -5 "$tmp/idle.out")"
sh bench/dump.sh "$tmp/idle.db" >"$tmp/idle.txt" || fail "cannot dump the idle copy"
cmp -s "$tmp/live.txt" "$tmp/idle.txt" || fail "backup of the idle ledger differs from it"

echo "backup: $subs subscriptions, tick ${ms} ms; $during of 3 copies finished while the tick ran (invoices held:$states); all sound and, ticked, equal to the original; idle copy equal"
