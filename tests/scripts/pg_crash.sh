#!/bin/sh
# pg_crash.sh — the crash trial of tests/scripts/crash.sh on a PostgreSQL
# ledger: SIGKILL during `carebill tick` loses nothing and doubles
# nothing. A ledger of PG_CRASH_SUBS (1,000) monthly subscriptions due on
# one day is made as a SQLite file (bench/gen.sh) and moved into a
# schema of its own for each run with `carebill migrate-ledger`. It is
# billed cleanly twice (the two must agree); then PG_CRASH_TRIALS (4)
# times a fresh copy is ticked and killed with SIGKILL after a random
# fraction (0 to 1.3) of the clean run's duration, in one trial out of
# three the rerun too. After each kill the ledger holds no invoice or
# all of them (one transaction; the server rolled back the dead
# connection's), and after a rerun to completion `carebill ledger dump`
# equals the clean run's (the runs table left out: its times differ).
# Then two ticks start at once on a fresh copy: the second waits for the
# first's advisory lock, and the day is billed once.
#
# Uses the server of tests/run (CAREBILL_PG_URL, CAREBILL_PG_DIR), or
# starts its own. PG_CRASH_SEED=N repeats a sequence.
set -u
top=$(pwd)
bin=${CAREBILL:-$top/carebill}
trials=${PG_CRASH_TRIALS:-4}
subs=${PG_CRASH_SUBS:-1000}
seed=${PG_CRASH_SEED:-$(( $$ + $(date +%s) ))}
day=2026-01-01
export CAREBILL_LIBDIR="$top" CAREBILL_RULES="$top/bench/practice"
export LC_ALL=C TZ=UTC
unset CAREBILL_DB CAREBILL_TODAY
. "$top/tests/pg_server"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/carebill-pgcrash.XXXXXX") || exit 1
keep=0 own=0
trap '[ $own = 1 ] && pg_stop "$tmp/server"; [ $keep = 1 ] || rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

fail() {
    keep=1
    echo "pg_crash: FAIL: $*"
    echo "pg_crash: seed $seed (PG_CRASH_SEED=$seed repeats it); files kept in $tmp"
    exit 1
}

if [ -z "${CAREBILL_PG_URL:-}" ]; then
    pg_start "$tmp/server" || exit 1
    own=1
fi
url() { echo "$CAREBILL_PG_URL&schema=$1"; }
tag=c$$

now_ms() { date +%s%3N; }
k=0
next_rand() { k=$((k + 1)); r=$(sed -n "${k}p" "$tmp/rand"); }
awk -v s="$seed" -v n=$((trials * 4 + 4)) \
    'BEGIN { srand(s); for (i = 0; i < n; i++) printf "%.4f\n", rand() }' >"$tmp/rand"

# What a run wrote, without the runs table.
dump() {
    "$bin" --db "$1" ledger dump >"$tmp/dump.raw" || return 1
    awk '/^== / { skip = ($2 == "runs") } !skip' "$tmp/dump.raw"
}
invoices() { pg_psql "SELECT COUNT(*) FROM $1.invoices"; }
copy() { # SCHEMA: a fresh copy of the base ledger
    "$bin" migrate-ledger "$tmp/base.db" "$(url "$1")" >/dev/null 2>"$tmp/copy.err" ||
        fail "cannot copy the base ledger into $1: $(head -3 "$tmp/copy.err")"
}
tick() { timeout 300 "$bin" --db "$(url "$1")" tick --as-of "$day" --quiet; }

"$bin" --db "$tmp/base.db" init >/dev/null 2>"$tmp/init.err" ||
    fail "init: $(cat "$tmp/init.err")"
sh bench/gen.sh "$tmp/base.db" "$subs" "$day" || fail "cannot generate the ledger"

# ---- the clean runs
copy "${tag}_clean"
t0=$(now_ms)
tick "${tag}_clean" >"$tmp/clean.out" 2>&1 || fail "clean tick failed: $(head -5 "$tmp/clean.out")"
clean_ms=$(($(now_ms) - t0))
[ "$(invoices "${tag}_clean")" = "$subs" ] || fail "clean run did not bill $subs subscriptions"
dump "$(url "${tag}_clean")" >"$tmp/clean.txt" || fail "cannot dump the clean run"
copy "${tag}_clean2"
t0=$(now_ms)
tick "${tag}_clean2" >"$tmp/clean.out" 2>&1 || fail "second clean tick failed: $(head -5 "$tmp/clean.out")"
[ $(($(now_ms) - t0)) -lt $clean_ms ] && clean_ms=$(($(now_ms) - t0))
dump "$(url "${tag}_clean2")" >"$tmp/clean2.txt" || fail "cannot dump the second clean run"
cmp -s "$tmp/clean.txt" "$tmp/clean2.txt" || {
    diff "$tmp/clean.txt" "$tmp/clean2.txt" | head -20
    fail "two clean runs on the same ledger differ"
}

# ---- the trials
before=0 after=0 double=0 i=0
while [ $i -lt "$trials" ]; do
    i=$((i + 1))
    s=${tag}_t$i
    copy "$s"
    kills=1
    next_rand
    [ "$(awk -v r="$r" 'BEGIN { print (r < 0.34) }')" = 1 ] && kills=2
    j=0
    while [ $j -lt $kills ]; do
        j=$((j + 1))
        next_rand
        delay=$(awk -v r="$r" -v ms="$clean_ms" 'BEGIN { printf "%.3f", r * 1.3 * ms / 1000 }')
        "$bin" --db "$(url "$s")" tick --as-of "$day" --quiet >/dev/null 2>&1 &
        pid=$!
        sleep "$delay"
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        # The server ends the dead client's transaction when it notices
        # the closed socket: wait until no other session holds the lock.
        n=""
        for w in 1 2 3 4 5 6 7 8 9 10; do
            busy=$(pg_psql "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory'")
            [ "$busy" = 0 ] && break
            sleep 0.2
        done
        n=$(invoices "$s") || fail "trial $i: ledger unreadable after SIGKILL"
        [ "$n" = 0 ] || [ "$n" = "$subs" ] ||
            fail "trial $i kill $j after ${delay}s: $n invoices: a partial run was committed"
        if [ "$n" = 0 ]; then before=$((before + 1)); else after=$((after + 1)); fi
    done
    [ $kills = 2 ] && double=$((double + 1))
    tick "$s" >"$tmp/rerun.out" 2>&1 || fail "trial $i: rerun failed: $(head -5 "$tmp/rerun.out")"
    dump "$(url "$s")" >"$tmp/trial.txt" || fail "trial $i: cannot dump"
    if ! cmp -s "$tmp/clean.txt" "$tmp/trial.txt"; then
        diff "$tmp/clean.txt" "$tmp/trial.txt" | head -20
        fail "trial $i (killed after ${delay}s): rerun after SIGKILL differs from the clean run"
    fi
done
# ---- two ticks at once: the second waits for the advisory lock (or
# refuses as busy), and the day is billed once.
s=${tag}_two
copy "$s"
timeout 120 "$bin" --db "$(url "$s")" tick --as-of "$day" --quiet >"$tmp/a.out" 2>"$tmp/a.err" &
pa=$!
timeout 120 "$bin" --db "$(url "$s")" tick --as-of "$day" --quiet >"$tmp/b.out" 2>"$tmp/b.err" &
pb=$!
wait $pa; ra=$?
wait $pb; rb=$?
for x in "a $ra" "b $rb"; do
    set -- $x
    [ "$2" = 0 ] || { [ "$2" = 1 ] && grep -q busy "$tmp/$1.err"; } ||
        fail "concurrent tick $1 exited $2: $(head -3 "$tmp/$1.err")"
done
[ "$(invoices "$s")" = "$subs" ] || fail "two ticks at once: $(invoices "$s") invoices"
dump "$(url "$s")" >"$tmp/two.txt"
cmp -s "$tmp/clean.txt" "$tmp/two.txt" || fail "two ticks at once differ from the clean run"

echo "pg_crash: $trials trials ($double with the rerun killed too) on $subs subscriptions, clean tick ${clean_ms} ms: $before kills before commit, $after after; every rerun equals the clean run"
