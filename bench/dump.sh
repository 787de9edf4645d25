#!/bin/sh
# bench/dump.sh — what a billing run wrote to a ledger, as plain text
# ordered deterministically, so two ledgers can be compared with cmp:
# invoices (number, account, dates, amounts, reference), their lines,
# the outbox (event, key, step, recipient, subject, body, status, send
# time) and the invoice e-mails still to be made (each invoice's mail,
# the outbox's mark), the subscriptions' cursors and the numbering series. Times of day
# and run ids are left out: they differ between equal runs.
#
#   sh bench/dump.sh LEDGER > FILE
#   sh bench/dump.sh --check LEDGER   integrity, gapless numbering and the
#                                     series' dates: prints nothing and
#                                     exits 0 when sound
set -u
check=0
[ "${1:-}" = "--check" ] && { check=1; shift; }
db=$1
if [ $check = 1 ]; then
    bad=$(sqlite3 "$db" "PRAGMA integrity_check" | grep -v '^ok$')
    [ -z "$bad" ] || { echo "integrity_check: $bad"; exit 1; }
    # Per series: numbers 1..n with no gap or repeat, the counter at n, and
    # the series' date that of its last number (the bare column of a MAX()
    # is read from the row with the maximum).
    gaps=$(sqlite3 -separator ' ' "$db" "
        SELECT 'series ' || i.series || ': count ' || COUNT(*) || ', seq ' ||
               MIN(i.seq) || '..' || MAX(i.seq) || ', distinct ' ||
               COUNT(DISTINCT i.seq) || ', counter ' ||
               COALESCE(s.last_seq, 'none')
        FROM invoices i LEFT JOIN series s ON s.id = i.series
        GROUP BY i.series
        HAVING MIN(i.seq) <> 1 OR MAX(i.seq) <> COUNT(*) OR
               COUNT(DISTINCT i.seq) <> COUNT(*) OR
               s.last_seq IS NULL OR s.last_seq <> COUNT(*);
        SELECT 'series ' || s.id || ': last issued ' ||
               COALESCE(s.last_issued, 'none') || ', its last invoice ' ||
               COALESCE(l.issued, 'none')
        FROM series s LEFT JOIN
             (SELECT series, MAX(seq), issued FROM invoices GROUP BY series) l
             ON l.series = s.id
        WHERE s.last_issued IS NOT l.issued;
        SELECT 'subscription ' || subscription || ' period ' || period_start ||
               ' billed ' || COUNT(*) || ' times'
        FROM invoice_lines WHERE subscription IS NOT NULL AND
             credits_line IS NULL
        GROUP BY subscription, period_start HAVING COUNT(*) > 1 LIMIT 5;")
    [ -z "$gaps" ] || { echo "$gaps"; exit 1; }
    exit 0
fi
sqlite3 -separator '|' "$db" "
SELECT 'invoice', number, series, seq, kind, account, issued, due, locale,
       net_cents, vat_cents, total_cents, paid_cents, status,
       payment_reference, direct_debit, mail
FROM invoices ORDER BY series, seq;
SELECT 'line', i.number, l.position, l.description, l.qty100, l.unit_cents,
       l.amount_cents, l.vat_id, l.vat_bp, l.source, l.subscription,
       l.period_start, l.period_end, l.ref, l.why
FROM invoice_lines l JOIN invoices i ON i.id = l.invoice
ORDER BY i.series, i.seq, l.position;
SELECT 'outbox', o.event, o.key, o.step, i.number, o.account, o.template,
       o.to_addr, o.to_name, o.subject, replace(o.body, char(10), '\n'), o.status,
       o.send_at
FROM outbox o LEFT JOIN invoices i ON i.id = o.invoice
ORDER BY o.event, o.key, o.step;
SELECT 'subscription', s.id, c.next_period, c.next_due FROM subscriptions s
LEFT JOIN cursors c ON c.id = s.cursor ORDER BY s.id;
SELECT 'series', id, last_seq FROM series ORDER BY id;
SELECT 'outbox_made', invoice FROM outbox_made;
SELECT 'runs', SUM(invoices), SUM(messages), COUNT(*) FILTER (WHERE invoices > 0 OR messages > 0)
FROM runs;
"
