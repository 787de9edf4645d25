#!/bin/sh
# pg_worker.sh — workers share a registry of practices with no double and
# no missed run, under SIGKILL. PG_WORKER_PRACTICES (6) practices of
# PG_WORKER_SUBS (150) subscriptions due on one day: all but one in
# PostgreSQL schemas, one a SQLite file (a registry may hold both). The
# reference is each practice ticked by hand. Then the registry (a
# PostgreSQL schema) is worked by three `carebill worker --once` at once,
# one of them killed with SIGKILL at a random moment and replaced, again
# PG_WORKER_TRIALS (3) times on fresh copies; a last worker finishes
# what is left. Every practice must then hold exactly its reference
# (`carebill ledger dump`, the runs table aside), be recorded in the
# registry as run that day, and a further worker must find nothing due.
# Also: registry add/list/remove and their refusals, --jobs 2, and
# --jobs refused on a SQLite registry. Uses the server of tests/run or
# starts its own.
set -u
top=$(pwd)
bin=${CAREBILL:-$top/carebill}
np=${PG_WORKER_PRACTICES:-6}
subs=${PG_WORKER_SUBS:-150}
trials=${PG_WORKER_TRIALS:-3}
seed=${PG_WORKER_SEED:-$(( $$ + $(date +%s) ))}
day=2026-01-01
export CAREBILL_LIBDIR="$top" LC_ALL=C TZ=UTC CAREBILL_TODAY=$day
unset CAREBILL_DB CAREBILL_RULES CAREBILL_REGISTRY
. "$top/tests/pg_server"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/carebill-pgworker.XXXXXX") || exit 1
keep=0 own=0
trap '[ $own = 1 ] && pg_stop "$tmp/server"; [ $keep = 1 ] || rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
fail() {
    keep=1
    echo "pg_worker: FAIL: $*"
    echo "pg_worker: seed $seed (PG_WORKER_SEED=$seed repeats it); files kept in $tmp"
    exit 1
}
if [ -z "${CAREBILL_PG_URL:-}" ]; then
    pg_start "$tmp/server" || exit 1
    own=1
fi
tag=w$$
url() { echo "$CAREBILL_PG_URL&schema=$1"; }
dump() { "$bin" --db "$1" ledger dump | awk '/^== / { skip = ($2 == "runs") } !skip'; }
awk -v s="$seed" 'BEGIN { srand(s); for (i = 0; i < 100; i++) printf "%.4f\n", rand() }' >"$tmp/rand"
k=0
next_rand() { k=$((k + 1)); r=$(sed -n "${k}p" "$tmp/rand"); }

# The bench practice without its SMTP server: the runs are ticks.
mkdir "$tmp/rules"
awk '/^  smtp:/ { skip = 1; next } skip && /^    / { next } { skip = 0; print }' \
    "$top/bench/practice/practice.yaml" >"$tmp/rules/practice.yaml"
"$bin" --rules "$tmp/rules" check >/dev/null 2>"$tmp/check.err" || fail "rules: $(head -3 "$tmp/check.err")"
"$bin" --db "$tmp/base.db" init >/dev/null || fail "init"
sh bench/gen.sh "$tmp/base.db" "$subs" "$day" || fail "cannot generate the ledger"

# where SET P: practice P's ledger in copy SET (the last one a SQLite file)
where() { if [ "$2" = "$np" ]; then echo "$tmp/$1-p$2.db"; else url "${tag}_$1_p$2"; fi; }
make_set() { # SET: fresh copies of every practice
    p=1
    while [ $p -le "$np" ]; do
        w=$(where "$1" $p)
        "$bin" migrate-ledger "$tmp/base.db" "$w" >/dev/null 2>"$tmp/copy.err" ||
            fail "copy $1 p$p: $(head -3 "$tmp/copy.err")"
        p=$((p + 1))
    done
}
registry() { # SET: a registry of the set's practices
    reg=$(url "${tag}_reg_$1")
    p=1
    while [ $p -le "$np" ]; do
        "$bin" registry add "p$p" --rules "$tmp/rules" --ledger "$(where "$1" $p)" \
            --registry "$reg" >/dev/null 2>"$tmp/add.err" || fail "registry add: $(cat "$tmp/add.err")"
        p=$((p + 1))
    done
}
check_set() { # SET WHAT: every practice equals the reference, recorded as run
    p=1
    while [ $p -le "$np" ]; do
        dump "$(where "$1" $p)" >"$tmp/got.txt" || fail "$2: cannot dump p$p"
        cmp -s "$tmp/ref.txt" "$tmp/got.txt" || {
            diff "$tmp/ref.txt" "$tmp/got.txt" | head -10
            fail "$2: practice p$p differs from its reference run"
        }
        p=$((p + 1))
    done
    "$bin" registry list --format csv --registry "$reg" >"$tmp/list.csv" || fail "$2: registry list"
    n=$(awk -F, -v d="$day" 'NR > 1 && $5 == d && $7 == ""' "$tmp/list.csv" | wc -l)
    [ "$n" = "$np" ] || { cat "$tmp/list.csv"; fail "$2: $n of $np practices recorded as run on $day"; }
    out=$("$bin" worker --once --registry "$reg" 2>&1) || fail "$2: last worker: $out"
    [ -z "$out" ] || fail "$2: a worker found practices still due: $out"
}

# ---- the reference: one practice ticked by hand
"$bin" migrate-ledger "$tmp/base.db" "$(url "${tag}_ref")" >/dev/null || fail "copy ref"
t0=$(date +%s%3N)
"$bin" --rules "$tmp/rules" --db "$(url "${tag}_ref")" tick --as-of "$day" --quiet ||
    fail "reference tick"
one_ms=$(($(date +%s%3N) - t0))
dump "$(url "${tag}_ref")" >"$tmp/ref.txt"

# ---- registry commands
make_set a
registry a
"$bin" registry add p1 --rules "$tmp/rules" --ledger "$(where a 1)" --registry "$reg" \
    >/dev/null 2>"$tmp/err" && fail "a second p1 was added"
grep -q "already has a practice named p1" "$tmp/err" || fail "duplicate: $(cat "$tmp/err")"
"$bin" registry add px --rules "$tmp/rules" --ledger "$(url "${tag}_none")" --registry "$reg" \
    >/dev/null 2>"$tmp/err" && fail "a practice without a ledger was added"
grep -q "run 'carebill init' first" "$tmp/err" || fail "missing ledger: $(cat "$tmp/err")"
"$bin" registry remove px --registry "$reg" >/dev/null 2>"$tmp/err" && fail "removed px"
grep -q "no practice named px" "$tmp/err" || fail "remove: $(cat "$tmp/err")"
"$bin" worker --once --jobs 2 --registry "$tmp/reg.db" >/dev/null 2>"$tmp/err" && fail "--jobs on SQLite"
grep -q "one worker" "$tmp/err" || fail "--jobs on SQLite: $(cat "$tmp/err")"
# --jobs 2 works the registry: every practice once.
"$bin" worker --once --jobs 2 --registry "$reg" >"$tmp/jobs.out" 2>&1 || fail "--jobs 2: $(head -5 "$tmp/jobs.out")"
[ "$(grep -c ': 150 invoices\|invoices' "$tmp/jobs.out")" = "$np" ] || { cat "$tmp/jobs.out"; fail "--jobs 2 did not run each practice once"; }
check_set a "--jobs 2"

# ---- SIGKILL trials: three workers, one killed and replaced
i=0 killed=0
while [ $i -lt "$trials" ]; do
    i=$((i + 1))
    make_set "t$i"
    registry "t$i"
    "$bin" worker --once --quiet --registry "$reg" >/dev/null 2>&1 &
    w1=$!
    "$bin" worker --once --quiet --registry "$reg" >/dev/null 2>&1 &
    w2=$!
    "$bin" worker --once --quiet --registry "$reg" >/dev/null 2>&1 &
    w3=$!
    next_rand
    delay=$(awk -v r="$r" -v ms="$one_ms" -v n="$np" 'BEGIN { printf "%.3f", r * ms * n / 3 / 1000 }')
    sleep "$delay"
    kill -KILL $w2 2>/dev/null && killed=$((killed + 1))
    "$bin" worker --once --quiet --registry "$reg" >/dev/null 2>&1 &
    w4=$!
    wait $w1 $w3 $w4
    wait $w2 2>/dev/null
    # The killed worker's claim ends with its connection; one last worker
    # finishes whatever the others left behind.
    "$bin" worker --once --quiet --registry "$reg" >/dev/null 2>"$tmp/last.err" ||
        fail "trial $i: last worker: $(head -3 "$tmp/last.err")"
    check_set "t$i" "trial $i (killed after ${delay}s)"
done
echo "pg_worker: $np practices x $subs subscriptions ($((np - 1)) PostgreSQL, 1 SQLite), --jobs 2 and $trials trials with a worker killed: every practice run once, equal to its reference"
