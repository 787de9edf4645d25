#!/bin/sh
# bench/run.sh — `make bench`: throughput and memory of `carebill tick`
# against the reference floor (SPEC §6, issue 15). For each N in BENCH_N it
#   1. runs bench/floor_ref.c: in a fresh file of five slim tables, one
#      invoice, one line and one queued e-mail per subscription, one
#      transaction, prepared statements (the plain cost of the job);
#   2. makes a ledger with `carebill init` and fills it with N accounts and
#      N monthly subscriptions all due on one day (bench/gen.sh);
#   3. copies it and runs bench/floor.c on the copy (the same inserts on
#      carebill's own schema: its indexes, row widths and keys);
#   4. runs the billing tick on the original under /usr/bin/time (elapsed
#      and peak RSS), checks it issued N invoices and queued N messages,
#      and measures what the ledger grew by per billed period (pages in
#      use after the tick less before, in bytes, over N);
#   5. runs the tick again for the same day (nothing due) and times it;
#   6. runs the reference floor once more: the floor is the mean of its
#      run before and its run after the tick, so a machine busy with
#      something else for part of the run weighs on both sides alike.
# It ends with one line per N, exactly:
#   bench: subs=N tick_s=X subs_per_s=X ref_floor_subs_per_s=X ratio=X noop_s=X peak_rss_mb=X ledger_bytes_per_period=X
# where ratio = subs_per_s / ref_floor_subs_per_s. Targets: ratio >= 0.5 at
# 1,000,000, noop_s < 0.3, peak_rss_mb < 64 and flat in N; a missed target
# is flagged on a "bench: target" line before the results (and exits 1
# when BENCH_STRICT=1). A "bench: N=..." line before them gives the
# details: generation time, ledger size, own floor, both reference runs.
#
# Environment: B (build dir, default build), BENCH_N (default
# "10000 100000 1000000"), CAREBILL (binary, default $B/carebill),
# BENCH_DIR (scratch space, default a fresh dir under TMPDIR; a 1,000,000
# ledger takes about 2 GB), BENCH_DATE (default 2026-01-01).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
B=${B:-build}
BENCH_N=${BENCH_N:-10000 100000 1000000}
bin=${CAREBILL:-$top/$B/carebill}
day=${BENCH_DATE:-2026-01-01}
export CAREBILL_LIBDIR="$top" CAREBILL_RULES="$top/bench/practice"
export LC_ALL=C TZ=UTC
unset CAREBILL_DB CAREBILL_TODAY

fail() { echo "bench: $*" >&2; exit 1; }

for tool in sqlite3 /usr/bin/time; do
    command -v "$tool" >/dev/null 2>&1 || fail "$tool is needed (apt-get install sqlite3 time)"
done
[ -x "$bin" ] || fail "no carebill binary at $bin (run make)"

# The floors, built with the Makefile's flags.
mkdir -p "$B/bench"
floor=$B/bench/floor
ref_floor=$B/bench/floor_ref
for f in floor floor_ref; do
    cc -std=c11 -D_DEFAULT_SOURCE -O2 -g -Wall -Wextra -Wshadow \
        -Wmissing-prototypes -Wstrict-prototypes -Wno-format-truncation \
        -o "$B/bench/$f" "bench/$f.c" $(pkg-config --cflags --libs sqlite3) ||
        fail "cannot build bench/$f.c"
done

work=${BENCH_DIR:-}
own_work=0
if [ -z "$work" ]; then
    work=$(mktemp -d "${TMPDIR:-/tmp}/carebill-bench.XXXXXX") || exit 1
    own_work=1
fi
mkdir -p "$work"
cleanup() {
    rm -f "$work"/tick.db* "$work"/floor.db* "$work"/ref.db* "$work"/time.* \
        "$work"/out.*
    [ $own_work = 1 ] && rmdir "$work" 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# timed OUT CMD...: run CMD under /usr/bin/time; sets t_s and rss_mb.
timed() {
    out=$1
    shift
    /usr/bin/time -f '%e %M' -o "$work/time.txt" "$@" >"$work/out.$out" 2>&1
    rc=$?
    read -r t_s rss_kb <"$work/time.txt"
    rss_mb=$(awk -v k="$rss_kb" 'BEGIN { printf "%.1f", k / 1024 }')
    return $rc
}

# value KEY < line: the X of "KEY=X".
value() { sed -n "s/.*[ :]$1=\([^ ]*\).*/\1/p"; }

# used_bytes LEDGER: the bytes of the pages the ledger holds data in
# (its WAL included, free pages not).
used_bytes() {
    sqlite3 "$1" "SELECT (p.page_count - f.freelist_count) * s.page_size
        FROM pragma_page_count p, pragma_freelist_count f, pragma_page_size s"
}

# reference N: one run of the reference floor; prints its line.
reference() {
    "$ref_floor" "$1" "$work/ref.db" || fail "reference floor failed at $1"
}

results=""
notes=""
for n in $BENCH_N; do
    case $n in *[!0-9]* | '') fail "BENCH_N holds '$n', not a number" ;; esac
    rm -f "$work"/tick.db* "$work"/floor.db*
    ref1=$(reference "$n") || exit 1
    db=$work/tick.db
    "$bin" --db "$db" init >/dev/null || fail "carebill init failed"
    t0=$(date +%s)
    sh bench/gen.sh "$db" "$n" "$day" || fail "generating $n subscriptions failed"
    t1=$(date +%s)
    cp "$db" "$work/floor.db" || fail "cannot copy the ledger"

    fl=$("$floor" "$work/floor.db" "$day") || fail "floor failed at $n"
    rm -f "$work"/floor.db*
    floor_rate=$(printf '%s\n' "$fl" | value subs_per_s)
    bytes_before=$(used_bytes "$db")
    subs_bytes=$((bytes_before / n))

    if ! timed tick "$bin" --db "$db" tick --as-of "$day"; then
        cat "$work/out.tick" >&2
        fail "tick failed at $n"
    fi
    tick_s=$t_s tick_rss=$rss_mb
    got=$(sqlite3 "$db" "SELECT (SELECT COUNT(*) FROM invoices) || ' ' ||
        ((SELECT COUNT(*) FROM outbox WHERE status = 'queued') +
         (SELECT COUNT(*) FROM invoices WHERE mail IS NOT NULL AND
          id > COALESCE((SELECT invoice FROM outbox_made), 0)))")
    [ "$got" = "$n $n" ] || fail "tick at $n wrote invoices/messages '$got', expected '$n $n'"
    bytes_after=$(used_bytes "$db")
    period_bytes=$(((bytes_after - bytes_before) / n))

    if ! timed noop "$bin" --db "$db" tick --as-of "$day"; then
        cat "$work/out.noop" >&2
        fail "no-op tick failed at $n"
    fi
    grep -q ': 0 invoices' "$work/out.noop" || fail "second tick at $n billed again: $(cat "$work/out.noop")"
    noop_s=$t_s noop_rss=$rss_mb
    size_mb=$(du -m "$db" | cut -f1)
    rm -f "$work"/tick.db*
    ref2=$(reference "$n") || exit 1
    ref_rate=$(printf '%s\n%s\n' "$ref1" "$ref2" | value subs_per_s |
        awk '{ s += $1; k++ } END { printf "%.0f", k ? s / k : 0 }')

    line=$(awk -v n="$n" -v t="$tick_s" -v f="$ref_rate" -v z="$noop_s" \
        -v m="$tick_rss" -v b="$period_bytes" 'BEGIN {
            r = t > 0 ? n / t : 0
            printf "bench: subs=%d tick_s=%.2f subs_per_s=%.0f ref_floor_subs_per_s=%.0f ratio=%.2f noop_s=%.2f peak_rss_mb=%.1f ledger_bytes_per_period=%d",
                n, t, r, f, (f > 0 ? r / f : 0), z, m, b }')
    echo "bench: N=$n generated in $((t1 - t0)) s, ledger ${size_mb} MB (${subs_bytes} bytes per account and subscription before the tick); $fl (own schema, floor_subs_per_s=$floor_rate); reference before the tick: $ref1; after: $ref2; noop peak_rss_mb=$noop_rss"
    results="$results$line
"
    ratio=$(printf '%s\n' "$line" | value ratio)
    note=$(awk -v n="$n" -v r="$ratio" -v z="$noop_s" -v m="$tick_rss" 'BEGIN {
        if (n >= 1000000 && r < 0.5) printf "bench: target missed at %d: ratio %s < 0.5\n", n, r
        if (z >= 0.3) printf "bench: target missed at %d: noop_s %s >= 0.3\n", n, z
        if (m >= 64) printf "bench: target missed at %d: peak_rss_mb %s >= 64\n", n, m }')
    [ -n "$note" ] && notes="$notes$note
"
done

[ -n "$notes" ] && printf '%s' "$notes"
printf '%s' "$results"
[ -n "$notes" ] && [ "${BENCH_STRICT:-0}" = 1 ] && exit 1
exit 0
