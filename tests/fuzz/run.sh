#!/bin/sh
# tests/fuzz/run.sh — `make fuzz`: build the engine with clang under
# libFuzzer coverage, AddressSanitizer and UBSan into B (build-fuzz), build
# every tests/fuzz/fuzz_*.c target against it, and run each for
# FUZZ_SECONDS (default 20) from its seed corpus tests/fuzz/corpus/NAME/.
# New inputs go to B/corpus/NAME/ (the seeds in the tree stay small);
# crashes to B/crashes/NAME/. A crash, leak or UB report fails the run and
# is listed with how to minimise it and where to save it as a regression
# (tests/fuzz/regress/NAME/, replayed by tests/scripts/fuzz_regress.sh).
#
# Environment: B, FUZZ_SECONDS, FUZZ_TARGETS (names to run, default all),
# FUZZ_CC (default clang), FUZZ_JOBS (libFuzzer -jobs, default 1).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
B=${B:-build-fuzz}
secs=${FUZZ_SECONDS:-20}
cc=${FUZZ_CC:-clang}
PKG_CONFIG=${PKG_CONFIG:-pkg-config}
# The Makefile's PKGS.
pkgs="lua5.4 sqlite3 yaml-0.1 libesmtp-1.0 jansson libxml-2.0 pangocairo cairo-pdf libqrencode"

command -v "$cc" >/dev/null 2>&1 || { echo "fuzz: $cc not found (apt-get install clang)"; exit 1; }
pkg_cflags=$($PKG_CONFIG --cflags $pkgs) || { echo "fuzz: pkg-config failed for: $pkgs"; exit 1; }
pkg_libs=$($PKG_CONFIG --libs $pkgs)
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
cflags="-std=c11 -D_DEFAULT_SOURCE -g -O1 -Iengine -DCAREBILL_TOP=\"$top\" $pkg_cflags"

mkdir -p "$B/engine" "$B/gen" "$B/corpus" "$B/crashes" || exit 1
sh tools/embed.sh "$B/gen/migrations.c" schema/*.sql || exit 1

# Engine objects, rebuilt when the source or any engine header is newer.
newest_h=$(ls -t engine/*/*.h | head -1)
objs=""
for src in engine/*/*.c "$B/gen/migrations.c"; do
    [ "$src" = engine/face/main.c ] && continue
    case $src in engine/*) obj=$B/${src%.c}.o ;; *) obj=${src%.c}.o ;; esac
    mkdir -p "${obj%/*}"
    objs="$objs $obj"
    if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ "$newest_h" -nt "$obj" ]; then
        $cc $cflags $san -fsanitize=fuzzer-no-link -c -o "$obj" "$src" ||
            { echo "fuzz: cannot compile $src"; exit 1; }
    fi
done
rm -f "$B/libcarebill-fuzz.a"
ar rcs "$B/libcarebill-fuzz.a" $objs || exit 1

failed=""
ran=""
for t in tests/fuzz/fuzz_*.c; do
    name=$(basename "$t" .c)
    if [ -n "${FUZZ_TARGETS:-}" ]; then
        case " $FUZZ_TARGETS " in *" $name "*) ;; *) continue ;; esac
    fi
    if [ "$name" = fuzz_camt ] && [ ! -f engine/formats/sepa.h ]; then
        echo "fuzz: $name skipped (no engine/formats/sepa.h)"
        continue
    fi
    $cc $cflags $san -fsanitize=fuzzer -o "$B/$name" "$t" "$B/libcarebill-fuzz.a" \
        $pkg_libs -lm || { echo "fuzz: cannot build $name"; failed="$failed $name"; continue; }
    mkdir -p "$B/corpus/$name" "$B/crashes/$name" "tests/fuzz/corpus/$name"
    dict=""
    [ -f "tests/fuzz/$name.dict" ] && dict="-dict=tests/fuzz/$name.dict"
    log=$B/$name.log
    jobs=""
    [ "${FUZZ_JOBS:-1}" -gt 1 ] 2>/dev/null && jobs="-jobs=$FUZZ_JOBS -workers=$FUZZ_JOBS"
    # Leaks count as failures; a slow input (>10 s) or one over 2 GB too.
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
