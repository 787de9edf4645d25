#!/bin/sh
# bench/host.sh — `make bench-host`: a host of many practices. HOST_PRACTICES
# (1,000) practices of HOST_SUBS (1,000) monthly subscriptions each, all
# due on one day, run
#   - on one PostgreSQL server (a schema per practice, one registry) by
#     `carebill worker --once --jobs N` for N in HOST_JOBS (1 2 4), and
#   - as SQLite files, one `carebill tick` per file, by 1 and 2 processes
#     side by side (xargs -P), as a host without a server would;
# each on fresh ledgers, wall time measured. Then the SIGKILL trial over
# the workers: HOST_KILLS (3) times a worker of the 4 is killed at a
# random moment and replaced; afterwards every practice must hold what
# a clean run writes (its invoices, once). One table at the end.
#
#   make bench-host                                 the full size
#   HOST_PRACTICES=20 HOST_SUBS=500 make bench-host a quick one
#
# The PostgreSQL server is started here (tests/pg_server) in a temporary
# directory and stopped afterwards; the rule set is bench/practice without
# its SMTP server, so a run is the tick.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
B=${B:-build}
bin=${CAREBILL:-$top/$B/carebill}
np=${HOST_PRACTICES:-1000}
subs=${HOST_SUBS:-1000}
jobs_list=${HOST_JOBS:-1 2 4}
kills=${HOST_KILLS:-3}
day=2026-01-01
export CAREBILL_LIBDIR="$top" LC_ALL=C TZ=UTC CAREBILL_TODAY=$day
unset CAREBILL_DB CAREBILL_RULES CAREBILL_REGISTRY
. "$top/tests/pg_server"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/carebill-host.XXXXXX") || exit 1
trap 'pg_stop "$tmp/server"; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
die() { echo "bench-host: $*" >&2; exit 1; }
now_ms() { date +%s%3N; }

pg_start "$tmp/server" >/dev/null || die "no PostgreSQL server"
mkdir "$tmp/rules"
awk '/^  smtp:/ { skip = 1; next } skip && /^    / { next } { skip = 0; print }' \
    "$top/bench/practice/practice.yaml" >"$tmp/rules/practice.yaml"
reg="$CAREBILL_PG_URL&schema=registry"
"$bin" registry list --registry "$reg" >/dev/null || die "registry"

# ---- fresh ledgers: PostgreSQL schemas p1..pN, SQLite files f/pI.db
"$bin" --db "$tmp/base.db" init >/dev/null || die "init"
sh "$top/bench/gen.sh" "$tmp/base.db" "$subs" "$day" || die "gen"
pg_fresh() {
    i=1
    while [ $i -le "$np" ]; do
        pg_psql "DROP SCHEMA IF EXISTS p$i CASCADE" >/dev/null
        "$bin" --db "$CAREBILL_PG_URL&schema=p$i" init >/dev/null || die "init p$i"
        pg_psql "SET search_path TO p$i;
            INSERT INTO accounts(id, name, email, kind, created)
            SELECT format('p%s', lpad(i::text, 8, '0')), format('Patiënt %s de Vries', i),
                   format('patient%s@example.nl', i), 'patient', '$day'
            FROM generate_series(1, $subs) i;
            INSERT INTO cursors(id, next_period, next_due) VALUES (1, '$day', '$day');
            INSERT INTO subscriptions(id, account, type, start, quantity, cursor, created)
            SELECT i, format('p%s', lpad(i::text, 8, '0')), 'maand', '$day', 1, 1, '$day'
            FROM generate_series(1, $subs) i;
            ANALYZE" >/dev/null || die "generate p$i"
        i=$((i + 1))
    done
    pg_psql "DELETE FROM registry.practices" >/dev/null
    pg_psql "INSERT INTO registry.practices(name, rules, ledger, zone)
             SELECT 'p' || i, '$tmp/rules', '$CAREBILL_PG_URL&schema=p' || i, 'Europe/Amsterdam'
             FROM generate_series(1, $np) i" >/dev/null || die "registry rows"
}
sq_fresh() {
    rm -rf "$tmp/f"
    mkdir "$tmp/f"
    i=1
    while [ $i -le "$np" ]; do
        cp "$tmp/base.db" "$tmp/f/p$i.db"
        i=$((i + 1))
    done
}
pg_invoices() { # the invoices of every practice together
    t=0
    i=1
    while [ $i -le "$np" ]; do
        t=$((t + $(pg_psql "SELECT COUNT(*) FROM p$i.invoices")))
        i=$((i + 1))
    done
    echo $t
}

rows=""
row() { rows="$rows$(printf '%-34s %9s %11s %10s' "$1" "$2" "$3" "$4")
"; }
rate() { awk -v n="$1" -v ms="$2" 'BEGIN { printf "%.1f", (ms > 0) ? n * 1000 / ms : 0 }'; }

want=$((np * subs))
for j in $jobs_list; do
    pg_fresh
    t0=$(now_ms)
    "$bin" worker --once --quiet --jobs "$j" --registry "$reg" || die "workers ($j) failed"
    ms=$(($(now_ms) - t0))
    got=$(pg_invoices)
    [ "$got" = "$want" ] || die "PostgreSQL, $j workers: $got invoices, expected $want"
    row "PostgreSQL, $j worker(s)" "$(awk -v ms=$ms 'BEGIN { printf "%.1f", ms / 1000 }')" \
        "$(rate $np $ms)" "$got"
done
for p in 1 2; do
    sq_fresh
    t0=$(now_ms)
    ls "$tmp"/f/*.db | xargs -P "$p" -I{} "$bin" --rules "$tmp/rules" --db {} tick --quiet ||
        die "SQLite, $p processes failed"
    ms=$(($(now_ms) - t0))
    got=0
    for f in "$tmp"/f/*.db; do got=$((got + $(sqlite3 "$f" "SELECT COUNT(*) FROM invoices"))); done
    [ "$got" = "$want" ] || die "SQLite, $p processes: $got invoices, expected $want"
    row "SQLite files, $p process(es)" "$(awk -v ms=$ms 'BEGIN { printf "%.1f", ms / 1000 }')" \
        "$(rate $np $ms)" "$got"
done

# ---- SIGKILL over the workers: 4 workers, one killed at random moments
pg_fresh
seed=${HOST_SEED:-$(( $$ + $(date +%s) ))}
n_k=0
pids=""
for w in 1 2 3 4; do
    "$bin" worker --once --quiet --registry "$reg" >/dev/null 2>&1 &
    pids="$pids $!"
done
t0=$(now_ms)
while [ $n_k -lt "$kills" ]; do
    n_k=$((n_k + 1))
    r=$(awk -v s="$seed" -v k=$n_k 'BEGIN { srand(s + k); printf "%.3f", rand() * 3 }')
    sleep "$r"
    victim=$(echo $pids | cut -d' ' -f1)
    kill -KILL "$victim" 2>/dev/null
    pids="$(echo $pids | cut -d' ' -f2-)"
    "$bin" worker --once --quiet --registry "$reg" >/dev/null 2>&1 &
    pids="$pids $!"
done
wait
"$bin" worker --once --quiet --registry "$reg" || die "the last worker failed"
ms=$(($(now_ms) - t0))
got=$(pg_invoices)
[ "$got" = "$want" ] || die "SIGKILL trial: $got invoices, expected $want"
left=$(pg_psql "SELECT COUNT(*) FROM registry.practices WHERE last_run IS DISTINCT FROM '$day'")
[ "$left" = 0 ] || die "SIGKILL trial: $left practices not recorded as run"
row "PostgreSQL, 4 workers, $kills killed" "$(awk -v ms=$ms 'BEGIN { printf "%.1f", ms / 1000 }')" \
    "$(rate $np $ms)" "$got"

echo "bench-host: $np practices x $subs subscriptions, all due on $day ($(nproc) cores)"
printf '%-34s %9s %11s %10s\n' "configuration" "wall s" "practices/s" "invoices"
printf '%s' "$rows"
echo "SIGKILL trial: every practice billed once ($want invoices, none twice: unique periods), all recorded as run"
