#!/bin/sh
# progress_tty.sh — the progress line on a terminal (issue 12 item 7):
# `outbox send` run under a pseudo-terminal (python3's pty module) against
# a loopback SMTP server (tests/smtpd.py) that answers one recipient with
# a 4xx. Its terminal output is replayed as a terminal shows it (a
# carriage return goes back to the margin, ESC [ K clears to the end of
# the line), and
#   1. the progress line shows ("carebill outbox send: messages handed
#      over N");
#   2. the retry line of the refused message stands on a line of its
#      own: the progress line is cleared before it, nothing of it is left
#      on the retry line's row;
#   3. the run's summary follows on a clean line and no progress text is
#      left on the screen at the end.
# The same run with stderr in a file (cron) has no progress text at all.
set -eu
top=$(pwd)
bin=${CAREBILL:-$top/carebill}
work=$(mktemp -d); [ -n "${KEEP:-}" ] && echo "work: $work"
. "$top/tests/smtp_server"
trap 'smtp_stop; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
cd "$work"
fail() { echo "progress_tty: FAIL: $*" >&2; exit 1; }

smtp_start mail --reject-rcpt 'bounce*:450' || fail "smtpd did not start"
PORT=$SMTP_PORT

mkdir practice
cp "$top/tests/fixtures/basic/types.yaml" practice/
sed "s/^  direct_debit:/  email: praktijk@example.nl\n  smtp:\n    host: 127.0.0.1\n    port: $PORT\n    from: praktijk@example.nl\n  direct_debit:/" \
    "$top/tests/fixtures/basic/practice.yaml" >practice/practice.yaml
cat >practice/mail.yaml <<'YAML'
templates:
  - id: factuur
    name: Factuur
    event: subscription_invoice
    subject: "Factuur {{ invoice.number }}"
    body: "Uw factuur {{ invoice.number }} van {{ invoice.total }}."
YAML

export CAREBILL_RULES=$work/practice CAREBILL_DB=$work/ledger.db
export CAREBILL_LIBDIR=$top CAREBILL_TODAY=2026-03-01 LC_ALL=C
"$bin" init >/dev/null
for a in jan bob zoe; do
    mail=$a@example.nl
    [ $a = bob ] && mail=bounce@example.nl
    "$bin" account add --id $a --name "$a" --email $mail >/dev/null
    "$bin" subscription start --account $a --type massage --from 2026-03-01 >/dev/null
done
"$bin" tick --quiet

# Run carebill outbox send on a pseudo-terminal (stdin, stdout and stderr)
# and keep every byte it writes there.
/usr/bin/python3 - "$bin" tty.raw <<'PY' || fail "could not run outbox send on a pty"
import os, pty, subprocess, sys
master, slave = pty.openpty()
p = subprocess.Popen([sys.argv[1], "outbox", "send"], stdin=slave,
                     stdout=slave, stderr=slave, close_fds=True)
os.close(slave)
out = b""
while True:
    try:
        chunk = os.read(master, 4096)
    except OSError:  # EIO: the other end is closed
        break
    if not chunk:
        break
    out += chunk
p.wait()
open(sys.argv[2], "wb").write(out)
PY

# The screen the bytes leave: rows as a terminal shows them.
/usr/bin/python3 - tty.raw >screen.txt <<'PY' || fail "could not replay the terminal output"
import sys
raw = open(sys.argv[1], "rb").read().decode("utf-8", "replace")
raw = raw.replace("\r\n", "\n")  # the pty's own line ends
rows, row, col, i = [], [], 0, 0
while i < len(raw):
    if raw.startswith("\x1b[K", i):
        del row[col:]
        i += 3
        continue
    ch = raw[i]
    i += 1
    if ch == "\r":
        col = 0
    elif ch == "\n":
        rows.append("".join(row))
        row, col = [], 0
    else:
        if col < len(row):
            row[col] = ch
        else:
            row.append(ch)
        col += 1
if row:
    rows.append("".join(row))
print("\n".join(rows))
PY

progress='carebill outbox send: messages handed over'
grep -q "$progress" tty.raw ||
    fail "no progress line on the terminal: $(tr '\r' '\n' <tty.raw | head -5)"
retry=$(grep 'bounce@example.nl' screen.txt) ||
    fail "no retry line for the 4xx recipient: $(cat screen.txt)"
case "$retry" in
    "message "*"to bounce@example.nl: "*"(retry after "*) ;;
    *) fail "the retry line does not stand on its own: '$retry'" ;;
esac
! grep -q "$progress" screen.txt ||
    fail "progress text is left on the screen: $(grep "$progress" screen.txt)"
grep -qx 'outbox: 2 sent, 1 to retry, 0 failed' screen.txt ||
    fail "no clean summary line: $(cat screen.txt)"

# Not a terminal (cron): no progress text at all, the retry line as is.
CAREBILL_TODAY=2026-03-02 "$bin" outbox send >cron.out 2>cron.err || true
! grep -q 'handed over' cron.err || fail "progress text in a file: $(cat cron.err)"
! grep -q "$(printf '\r')" cron.err || fail "carriage returns in a file"

echo "progress_tty: the progress line shows on a terminal and is cleared before the retry line ('$retry') and the summary; none in a file"
