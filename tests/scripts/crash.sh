#!/bin/sh
# crash.sh — SIGKILL during `carebill tick` loses nothing and doubles
# nothing (SPEC §6). A ledger of CRASH_SUBS (20,000) monthly subscriptions,
# all due on one day, is billed cleanly twice (the two must agree). Then,
# CRASH_TRIALS times, a fresh copy is ticked and killed with SIGKILL after
# a random fraction (0 to 1.1) of the clean run's duration; in one trial
# out of three the rerun is killed as well. Each time the ledger must be
# whole (integrity check; the kill left either nothing or the complete
# run: one transaction), and after a rerun to completion it must hold
# exactly what the clean run wrote: the same invoices (number, account,
# amounts), lines, outbox rows (event, key, step, recipient, subject,
# body), cursors and gapless numbering per series.
#
# `make test` runs 8 trials (under a minute); the full suite:
#   CRASH_TRIALS=50 sh tests/scripts/crash.sh
# CRASH_SEED=N repeats a failing sequence; the seed is printed on failure.
set -u
top=$(pwd)
bin=${CAREBILL:-$top/carebill}
trials=${CRASH_TRIALS:-8}
subs=${CRASH_SUBS:-20000}
seed=${CRASH_SEED:-$(( $$ + $(date +%s) ))}
day=2026-01-01
export CAREBILL_LIBDIR="$top" CAREBILL_RULES="$top/bench/practice"
export LC_ALL=C TZ=UTC
unset CAREBILL_DB CAREBILL_TODAY

tmp=$(mktemp -d "${TMPDIR:-/tmp}/carebill-crash.XXXXXX") || exit 1
keep=0
trap '[ $keep = 1 ] || rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

fail() {
    keep=1
    echo "crash: FAIL: $*"
    echo "crash: seed $seed (CRASH_SEED=$seed repeats it); files kept in $tmp"
    exit 1
}

now_ms() { date +%s%3N; }

# next_rand: r = the next number in [0, 1) of the sequence seeded by seed.
k=0
next_rand() {
    k=$((k + 1))
    r=$(sed -n "${k}p" "$tmp/rand")
}

# The ledger is whole and holds either no invoice or the complete run;
# sets n to the number of invoices.
whole() {
    sh bench/dump.sh --check "$1" >"$tmp/check.txt" 2>&1 ||
        fail "$2: ledger unsound after SIGKILL: $(head -5 "$tmp/check.txt")"
    n=$(sqlite3 "$1" "SELECT COUNT(*) FROM invoices") ||
        fail "$2: ledger unreadable after SIGKILL"
    [ "$n" = 0 ] || [ "$n" = "$subs" ] ||
        fail "$2: ledger holds $n invoices after SIGKILL: a partial run was committed"
}

tick_to_end() {
    timeout 300 "$bin" --db "$1" tick --as-of "$day" --quiet >"$tmp/rerun.out" 2>&1 ||
        fail "$2: rerun failed: $(head -5 "$tmp/rerun.out")"
}

awk -v s="$seed" -v n=$((trials * 4 + 4)) \
    'BEGIN { srand(s); for (i = 0; i < n; i++) printf "%.4f\n", rand() }' >"$tmp/rand"

# ---- the pristine ledger and the clean run
"$bin" --db "$tmp/base.db" init >/dev/null 2>"$tmp/init.err" ||
    fail "init: $(cat "$tmp/init.err")"
sh bench/gen.sh "$tmp/base.db" "$subs" "$day" || fail "cannot generate the ledger"
cp "$tmp/base.db" "$tmp/clean.db"
t0=$(now_ms)
timeout 300 "$bin" --db "$tmp/clean.db" tick --as-of "$day" --quiet >"$tmp/clean.out" 2>&1 ||
    fail "clean tick failed: $(head -5 "$tmp/clean.out")"
t1=$(now_ms)
clean_ms=$((t1 - t0))
sh bench/dump.sh --check "$tmp/clean.db" >"$tmp/check.txt" 2>&1 ||
    fail "clean run unsound: $(head -5 "$tmp/check.txt")"
[ "$(sqlite3 "$tmp/clean.db" "SELECT COUNT(*) FROM invoices")" = "$subs" ] ||
    fail "clean run did not bill $subs subscriptions"
sh bench/dump.sh "$tmp/clean.db" >"$tmp/clean.txt" || fail "cannot dump the clean run"
# A second clean run: billing is deterministic, and the faster of the two
# (warm caches, like the trials) sets the range of kill times.
cp "$tmp/base.db" "$tmp/clean2.db"
t0=$(now_ms)
timeout 300 "$bin" --db "$tmp/clean2.db" tick --as-of "$day" --quiet >"$tmp/clean.out" 2>&1 ||
    fail "second clean tick failed: $(head -5 "$tmp/clean.out")"
t1=$(now_ms)
[ $((t1 - t0)) -lt $clean_ms ] && clean_ms=$((t1 - t0))
sh bench/dump.sh "$tmp/clean2.db" >"$tmp/clean2.txt" || fail "cannot dump the second clean run"
if ! cmp -s "$tmp/clean.txt" "$tmp/clean2.txt"; then
    diff "$tmp/clean.txt" "$tmp/clean2.txt" | head -20
    fail "two clean runs on the same ledger differ"
fi
rm -f "$tmp"/clean2.*

# ---- the trials
before=0 after=0 double=0
i=0
while [ $i -lt "$trials" ]; do
    i=$((i + 1))
    db=$tmp/trial.db
    rm -f "$db" "$db-wal" "$db-shm"
    cp "$tmp/base.db" "$db"
    kills=1
    next_rand
    [ "$(awk -v r="$r" 'BEGIN { print (r < 0.34) }')" = 1 ] && kills=2
    j=0
    while [ $j -lt $kills ]; do
        j=$((j + 1))
        next_rand
        delay=$(awk -v r="$r" -v ms="$clean_ms" 'BEGIN { printf "%.3f", r * 1.1 * ms / 1000 }')
        "$bin" --db "$db" tick --as-of "$day" --quiet >/dev/null 2>&1 &
        pid=$!
        sleep "$delay"
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        whole "$db" "trial $i kill $j after ${delay}s"
        if [ "$n" = 0 ]; then before=$((before + 1)); else after=$((after + 1)); fi
    done
    [ $kills = 2 ] && double=$((double + 1))
    tick_to_end "$db" "trial $i"
    sh bench/dump.sh --check "$db" >"$tmp/check.txt" 2>&1 ||
        fail "trial $i: unsound after the rerun: $(head -5 "$tmp/check.txt")"
    sh bench/dump.sh "$db" >"$tmp/trial.txt" || fail "trial $i: cannot dump"
    if ! cmp -s "$tmp/clean.txt" "$tmp/trial.txt"; then
        echo "crash: trial $i (killed after ${delay}s) differs from the clean run:"
        diff "$tmp/clean.txt" "$tmp/trial.txt" | head -20
        fail "trial $i: rerun after SIGKILL differs from the clean run"
    fi
done

echo "crash: $trials trials ($double with the rerun killed too) on $subs subscriptions, clean tick ${clean_ms} ms: $before kills before commit, $after after; every rerun equals the clean run"
