#!/bin/sh
# fuzz_regress.sh — every input the fuzzers ever crashed on stays fixed.
# The Makefile (`make B=$B fuzz-regress`, part of `make test`) builds each
# tests/fuzz/fuzz_*.c target without libFuzzer (main from
# tests/fuzz/replay.c) under AddressSanitizer, LeakSanitizer and UBSan
# into $B/fuzz-replay; this replays the seed corpus tests/fuzz/corpus/NAME/
# and the saved crashes tests/fuzz/regress/NAME/ through each. Any
# sanitizer report, or a target that is not built, fails.
set -u
top=$(pwd)
B=${B:-build}
out=$B/fuzz-replay

total=0
names=""
bad=""
for t in tests/fuzz/fuzz_*.c; do
    name=$(basename "$t" .c)
    if [ ! -x "$out/$name" ]; then
        echo "fuzz_regress: $out/$name is not built (make B=$B fuzz-regress)"
        bad="$bad $name(not built)"
        continue
    fi
    set --
    [ -d "tests/fuzz/corpus/$name" ] && set -- "$@" "tests/fuzz/corpus/$name"
    [ -d "tests/fuzz/regress/$name" ] && set -- "$@" "tests/fuzz/regress/$name"
    [ $# -gt 0 ] || continue
    if ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
        CAREBILL_LIBDIR="$top" timeout 300 "$out/$name" "$@" >"$out/$name.log" 2>&1; then
        n=$(sed -n 's/^replayed \([0-9]*\) input.*/\1/p' "$out/$name.log")
        total=$((total + ${n:-0}))
        names="$names $name"
    else
        echo "fuzz_regress: $name fails on a saved input:"
        grep -E '^==[0-9]+==ERROR|SUMMARY|runtime error|^ *#[0-9]+ ' "$out/$name.log" | head -30
        bad="$bad $name"
    fi
done

if [ -n "$bad" ]; then
    echo "fuzz_regress: FAILED:$bad (logs in $out)"
    exit 1
fi
echo "fuzz_regress: $total saved inputs replayed clean under ASan+UBSan through$names"
