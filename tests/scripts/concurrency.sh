#!/bin/sh
# concurrency.sh — two runs at once on one ledger (SPEC §6): one waits
# (the busy timeout) or refuses with the "busy" message; nothing doubles.
# On a ledger of CONC_SUBS (40,000) subscriptions due on one day, whose
# tick takes a second or more:
#   1. two ticks for the same day start together: each exits 0, or 1 with
#      the busy message; in the end every subscription is billed once,
#      one message each, gapless numbers, and one of them billed it all;
#   2. `account add` and `subscription start` during a tick wait for it
#      and then succeed (or refuse with the busy message, changing
#      nothing); a report during the tick reads the last committed state;
#   3. a tick against a ledger whose write lock another process holds
#      longer than the 30 s busy timeout refuses with the busy message,
#      exit 1, and writes nothing. This one takes 31 s; CONC_QUICK=1
#      skips it.
set -u
top=$(pwd)
bin=${CAREBILL:-$top/carebill}
subs=${CONC_SUBS:-40000}
day=2026-01-01
export CAREBILL_LIBDIR="$top" CAREBILL_RULES="$top/bench/practice"
export LC_ALL=C TZ=UTC
unset CAREBILL_DB CAREBILL_TODAY

tmp=$(mktemp -d "${TMPDIR:-/tmp}/carebill-conc.XXXXXX") || exit 1
keep=0
holder=""
trap '[ -n "$holder" ] && kill "$holder" 2>/dev/null; [ $keep = 1 ] || rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

fail() {
    keep=1
    echo "concurrency: FAIL: $*"
    echo "concurrency: files kept in $tmp"
    exit 1
}

# An exit that is 0, or 1 with the busy message on stderr.
waited_or_refused() { # NAME RC ERRFILE
    [ "$2" = 0 ] && return 0
    [ "$2" = 1 ] && grep -q 'busy' "$3" && return 0
    fail "$1 exited $2: $(head -5 "$3")"
}

sound() { # DB WHAT
    sh bench/dump.sh --check "$1" >"$tmp/check.txt" 2>&1 ||
        fail "$2: $(head -5 "$tmp/check.txt")"
}

"$bin" --db "$tmp/base.db" init >/dev/null 2>"$tmp/init.err" ||
    fail "init: $(cat "$tmp/init.err")"
sh bench/gen.sh "$tmp/base.db" "$subs" "$day" || fail "cannot generate the ledger"

# ---- 1. two ticks at once
db=$tmp/two.db
cp "$tmp/base.db" "$db"
timeout 120 "$bin" --db "$db" tick --as-of "$day" >"$tmp/a.out" 2>"$tmp/a.err" &
pa=$!
timeout 120 "$bin" --db "$db" tick --as-of "$day" >"$tmp/b.out" 2>"$tmp/b.err" &
pb=$!
wait $pa
ra=$?
wait $pb
rb=$?
waited_or_refused "first tick" $ra "$tmp/a.err"
waited_or_refused "second tick" $rb "$tmp/b.err"
[ $ra = 0 ] || [ $rb = 0 ] || fail "both ticks refused"
got=$(sqlite3 "$db" "SELECT (SELECT COUNT(*) FROM invoices) || ' ' ||
    (SELECT COUNT(DISTINCT subscription || period_start) FROM invoice_lines) || ' ' ||
    ((SELECT COUNT(*) FROM outbox) + (SELECT COUNT(*) FROM invoices
      WHERE mail IS NOT NULL AND id > COALESCE((SELECT invoice FROM outbox_made), 0)))")
[ "$got" = "$subs $subs $subs" ] ||
    fail "two ticks: invoices, billed periods, messages = $got; expected $subs each"
sound "$db" "two ticks"
billed=$(cat "$tmp/a.out" "$tmp/b.out" | grep -c ": $subs invoices")
[ "$billed" = 1 ] || fail "two ticks: expected one to bill all $subs, got: $(cat "$tmp/a.out" "$tmp/b.out")"
outcome="both exited 0, one billed $subs, the other nothing"
[ $ra = 0 ] && [ $rb = 0 ] || outcome="one billed $subs, the other refused as busy"

# ---- 2. other commands during a tick
db=$tmp/cmds.db
cp "$tmp/base.db" "$db"
cp "$tmp/base.db" "$tmp/before.db"
timeout 120 "$bin" --db "$db" tick --as-of "$day" >"$tmp/t.out" 2>"$tmp/t.err" &
pt=$!
# Wait until the tick holds the write lock (its run row is not visible to
# readers before it commits, so probe the lock itself).
n=0
while [ $n -lt 100 ]; do
    n=$((n + 1))
    sqlite3 "$db" "PRAGMA busy_timeout = 0; BEGIN IMMEDIATE; ROLLBACK;" >/dev/null 2>&1 || break
    sleep 0.02
done
timeout 120 "$bin" --db "$db" account add --id laat --name "Laat Binnen" \
    --email laat@example.nl >"$tmp/acc.out" 2>"$tmp/acc.err" &
pacc=$!
timeout 120 "$bin" --db "$db" report invoices --format csv >"$tmp/rep.out" 2>"$tmp/rep.err" &
prep=$!
wait $prep
rrep=$?
[ $rrep = 0 ] || fail "report during a tick exited $rrep: $(head -5 "$tmp/rep.err")"
wait $pacc
racc=$?
waited_or_refused "account add during a tick" $racc "$tmp/acc.err"
timeout 120 "$bin" --db "$db" subscription start --account laat --type maand \
    --from 2026-02-01 >"$tmp/sub.out" 2>"$tmp/sub.err"
rsub=$?
wait $pt
rt=$?
[ $rt = 0 ] || fail "tick with commands alongside exited $rt: $(head -5 "$tmp/t.err")"
[ $rsub = 0 ] || fail "subscription start after the tick exited $rsub: $(head -5 "$tmp/sub.err")"
acc=$(sqlite3 "$db" "SELECT COUNT(*) FROM accounts WHERE id = 'laat'")
if [ $racc = 0 ]; then
    [ "$acc" = 1 ] || fail "account add exited 0 but the account is missing"
else
    [ "$acc" = 0 ] || fail "account add refused but the account exists"
fi
got=$(sqlite3 "$db" "SELECT COUNT(*) FROM invoices")
[ "$got" = "$subs" ] || fail "tick with commands alongside billed $got, expected $subs"
sound "$db" "commands during a tick"
rows=$(grep -c . "$tmp/rep.out")
[ "$rows" -le 1 ] || [ "$rows" -ge "$subs" ] ||
    fail "report during a tick saw $rows lines: a half-written run"

# ---- 3. a lock held past the busy timeout
busy="skipped (CONC_QUICK=1)"
if [ "${CONC_QUICK:-0}" != 1 ]; then
    db=$tmp/held.db
    cp "$tmp/base.db" "$db"
    { echo "BEGIN IMMEDIATE;"; echo "SELECT 'locked';"; sleep 36; echo "ROLLBACK;"; } |
        sqlite3 "$db" >"$tmp/holder.out" 2>&1 &
    holder=$!
    n=0
    while [ $n -lt 100 ] && ! grep -q locked "$tmp/holder.out"; do
        n=$((n + 1))
        sleep 0.05
    done
    grep -q locked "$tmp/holder.out" || fail "could not take the write lock with sqlite3"
    t0=$(date +%s)
    timeout 60 "$bin" --db "$db" tick --as-of "$day" >"$tmp/h.out" 2>"$tmp/h.err"
    rh=$?
    t1=$(date +%s)
    wait $holder 2>/dev/null
    holder=""
    [ $rh = 1 ] || fail "tick against a held lock exited $rh, expected 1: $(head -5 "$tmp/h.err")"
    grep -q 'busy' "$tmp/h.err" || fail "tick against a held lock: no busy message: $(head -5 "$tmp/h.err")"
    grep -q 'nothing was written' "$tmp/h.err" ||
        fail "tick against a held lock does not say nothing was written: $(head -5 "$tmp/h.err")"
    got=$(sqlite3 "$db" "SELECT (SELECT COUNT(*) FROM invoices) + (SELECT COUNT(*) FROM runs)")
    [ "$got" = 0 ] || fail "refused tick wrote $got rows"
    busy="refused after $((t1 - t0)) s with: $(head -1 "$tmp/h.err")"
fi

echo "concurrency: $subs subscriptions; two ticks: $outcome; account add during a tick: $([ $racc = 0 ] && echo waited || echo refused); held lock: $busy"
