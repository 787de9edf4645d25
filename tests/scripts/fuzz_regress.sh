#!/bin/sh
# fuzz_regress.sh — every input the fuzzers ever crashed on stays fixed.
# Builds each tests/fuzz/fuzz_*.c target without libFuzzer (main from
# tests/fuzz/replay.c) under AddressSanitizer, LeakSanitizer and UBSan,
# against the engine compiled the same way into $B/fuzz-regress, and
# replays the seed corpus tests/fuzz/corpus/NAME/ and the saved crashes
# tests/fuzz/regress/NAME/ through it. Any sanitizer report fails.
# FUZZ_CC picks the compiler (default clang, else cc).
set -u
top=$(pwd)
B=${B:-build}
out=$B/fuzz-regress
cc=${FUZZ_CC:-}
if [ -z "$cc" ]; then
    if command -v clang >/dev/null 2>&1; then cc=clang; else cc=cc; fi
fi
PKG_CONFIG=${PKG_CONFIG:-pkg-config}
pkgs="lua5.4 sqlite3 yaml-0.1 libesmtp-1.0 jansson libxml-2.0 pangocairo cairo-pdf libqrencode"
pkg_cflags=$($PKG_CONFIG --cflags $pkgs) || { echo "fuzz_regress: pkg-config failed"; exit 1; }
pkg_libs=$($PKG_CONFIG --libs $pkgs)
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
cflags="-std=c11 -D_DEFAULT_SOURCE -g -O1 -Iengine -DCAREBILL_TOP=\"$top\" $pkg_cflags $san"

mkdir -p "$out/engine" "$out/gen" || exit 1
sh tools/embed.sh "$out/gen/migrations.c.new" schema/*.sql || exit 1
if cmp -s "$out/gen/migrations.c.new" "$out/gen/migrations.c"; then
    rm -f "$out/gen/migrations.c.new"
else
    mv "$out/gen/migrations.c.new" "$out/gen/migrations.c"
fi

# Engine objects, rebuilt when the source or any engine header is newer;
# compiled in parallel, one per core.
newest_h=$(ls -t engine/*/*.h | head -1)
todo=""
objs=""
for src in engine/*/*.c "$out/gen/migrations.c"; do
    [ "$src" = engine/face/main.c ] && continue
    case $src in engine/*) obj=$out/${src%.c}.o ;; *) obj=${src%.c}.o ;; esac
    mkdir -p "${obj%/*}"
    objs="$objs $obj"
    if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ "$newest_h" -nt "$obj" ]; then
        todo="$todo $src"
    fi
done
jobs_max=$(nproc 2>/dev/null || echo 2)
running=0
for src in $todo; do
    case $src in engine/*) obj=$out/${src%.c}.o ;; *) obj=${src%.c}.o ;; esac
    mkdir -p "${obj%/*}"
    rm -f "$obj"
    timeout 600 $cc $cflags -c -o "$obj" "$src" 2>"$obj.err" &
    running=$((running + 1))
    if [ $running -ge "$jobs_max" ]; then
        wait
        running=0
    fi
done
wait
for src in $todo; do
    case $src in engine/*) obj=$out/${src%.c}.o ;; *) obj=${src%.c}.o ;; esac
    mkdir -p "${obj%/*}"
    if [ ! -f "$obj" ]; then
        cat "$obj.err"
        echo "fuzz_regress: cannot compile $src with $cc"
        exit 1
    fi
done
rm -f "$out/libcarebill-san.a"
ar rcs "$out/libcarebill-san.a" $objs || exit 1

total=0
names=""
bad=""
for t in tests/fuzz/fuzz_*.c; do
    name=$(basename "$t" .c)
    [ "$name" = fuzz_camt ] && [ ! -f engine/formats/sepa.h ] && continue
    if ! $cc $cflags -o "$out/$name" "$t" tests/fuzz/replay.c "$out/libcarebill-san.a" \
        $pkg_libs -lm 2>"$out/$name.build.log"; then
        cat "$out/$name.build.log"
        bad="$bad $name(build)"
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
