#!/bin/sh
# tests/fuzz/run.sh — the running half of `make fuzz`: the Makefile builds
# every tests/fuzz/fuzz_*.c target with clang under libFuzzer coverage,
# AddressSanitizer and UBSan into B (build-fuzz); this runs each for
# FUZZ_SECONDS (default 20) from its seed corpus tests/fuzz/corpus/NAME/.
# New inputs go to B/corpus/NAME/ (the seeds in the tree stay small);
# crashes to B/crashes/NAME/. A crash, leak or UB report fails the run and
# is listed with how to minimise it and where to save it as a regression
# (tests/fuzz/regress/NAME/, replayed by tests/scripts/fuzz_regress.sh).
#
# Environment: B, FUZZ_SECONDS, FUZZ_TARGETS (names to run, default all),
# FUZZ_JOBS (libFuzzer -jobs, default 1).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
B=${B:-build-fuzz}
secs=${FUZZ_SECONDS:-20}
names=${FUZZ_TARGETS:-}
if [ -z "$names" ]; then
    for t in tests/fuzz/fuzz_*.c; do names="$names $(basename "$t" .c)"; done
fi

mkdir -p "$B/corpus" "$B/crashes" || exit 1
failed=""
ran=""
for name in $names; do
    if [ ! -x "$B/$name" ]; then
        echo "fuzz: $B/$name is not built (make fuzz builds it)"
        failed="$failed $name"
        continue
    fi
    mkdir -p "$B/corpus/$name" "$B/crashes/$name" "tests/fuzz/corpus/$name"
    dict=""
    [ -f "tests/fuzz/$name.dict" ] && dict="-dict=tests/fuzz/$name.dict"
    log=$B/$name.log
    jobs=""
    [ "${FUZZ_JOBS:-1}" -gt 1 ] 2>/dev/null && jobs="-jobs=$FUZZ_JOBS -workers=$FUZZ_JOBS"
    # Leaks count as failures; a slow input (>10 s) or one over 2 GB too.
    # shellcheck disable=SC2086
    ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    CAREBILL_LIBDIR="$top" \
        timeout $((secs + 120)) "$B/$name" -max_total_time="$secs" \
        -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
        $jobs \
        -artifact_prefix="$B/crashes/$name/" $dict \
        "$B/corpus/$name" "tests/fuzz/corpus/$name" >"$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
    if [ $rc -ne 0 ]; then
        failed="$failed $name"
        echo "fuzz: $name FAILED (exit $rc) after ${runs:-?} runs; log $log"
        grep -E '^==[0-9]+==ERROR|SUMMARY|runtime error|^ *#[0-9]+ ' "$log" | head -25
        for a in "$B/crashes/$name"/*; do
            [ -f "$a" ] || continue
            echo "  input: $a"
            echo "  minimise: $B/$name -minimize_crash=1 -runs=20000 -exact_artifact_path=tests/fuzz/regress/$name/$(basename "$a") $a"
        done
    else
        ran="$ran $name(${runs:-?} runs, ${cov:-cov ?})"
    fi
done

echo "fuzz: ${secs}s each:${ran:- none}"
if [ -n "$failed" ]; then
    echo "fuzz: failed:$failed"
    exit 1
fi
exit 0
