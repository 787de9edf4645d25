#!/bin/sh
# bench/outbox.sh — `outbox send` throughput to a real SMTP server on
# loopback (tests/smtpd.py, Debian's python3-aiosmtpd): a ledger of N
# subscriptions is billed (N queued e-mails), then one `outbox send`
# delivers them, timed. Prints, last:
#   bench: outbox messages=N send_s=X msgs_per_s=X
# Target (SPEC §6): at least 1,000 messages/s. The server writes each
# message to a directory on /dev/shm when there is one, so the disk does
# not set the pace. BENCH_OUTBOX_N (default 5000).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${CAREBILL:-$top/carebill}
n=${BENCH_OUTBOX_N:-5000}
base=/dev/shm
[ -d "$base" ] && [ -w "$base" ] || base=${TMPDIR:-/tmp}
work=$(mktemp -d "$base/carebill-outbox.XXXXXX")
feeder=
trap '[ -n "$feeder" ] && kill $feeder 2>/dev/null; rm -rf "$work"' EXIT
export CAREBILL_LIBDIR=$top CAREBILL_RULES=$top/bench/practice
export CAREBILL_DB=$work/ledger.db CAREBILL_TODAY=2026-01-01 LC_ALL=C TZ=UTC

"$bin" init >/dev/null
sh "$top/bench/gen.sh" "$CAREBILL_DB" "$n" 2026-01-01
"$bin" tick --quiet

mkdir "$work/mail"
mkfifo "$work/in"
/usr/bin/python3 "$top/tests/smtpd.py" --port 0 --dir "$work/mail" \
    <"$work/in" >"$work/port" 2>"$work/smtpd.err" &
sleep 3600 >"$work/in" &
feeder=$!
port=
for i in $(seq 1 100); do
    port=$(sed -n 's/^PORT //p' "$work/port" 2>/dev/null)
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { cat "$work/smtpd.err" >&2; echo "bench: smtpd did not start" >&2; exit 1; }

start=$(date +%s.%N)
CAREBILL_SMTP_PORT=$port "$bin" outbox send >"$work/send.out" 2>&1 || {
    cat "$work/send.out" >&2; exit 1; }
end=$(date +%s.%N)
got=$(ls "$work/mail" | grep -c '\.eml$' || true)
[ "$got" = "$n" ] || { echo "bench: $got of $n messages arrived" >&2; exit 1; }
awk -v n="$n" -v s="$start" -v e="$end" 'BEGIN {
    t = e - s; printf "bench: outbox messages=%d send_s=%.2f msgs_per_s=%.0f\n", n, t, n / t }'
