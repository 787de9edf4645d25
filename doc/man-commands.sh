#!/bin/sh
# doc/man-commands.sh [CAREBILL] — rewrite the COMMANDS section of
# doc/carebill.1 from the command table (engine/face/main.c) and each
# command's --help, after a command or option is added; the rest of the
# page is kept as it is. tests/scripts/docs.sh says when it is due.
cd "$(dirname "$0")/.."
C=${1:-./carebill}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
export HELPS="$t/helps.txt"
sed -n '/^static const struct command commands\[\]/,/^};/p' engine/face/main.c | tr '\n' ' ' |
  grep -oE '\{"[a-z-]+", *(NULL|"[a-z-]+")' | sed -E 's/\{"([a-z-]+)", *"?([a-z-]*)"?/\1 \2/; s/ NULL$//' > "$t/cmds.txt"
{ while read w s; do [ -n "$s" ] || { grep -q "^$w [a-z]" "$t/cmds.txt" && continue; }; echo "=== $w $s"; $C $w $s --help 2>&1; done < "$t/cmds.txt"; } > "$t/helps.txt"
python3 - <<'PY'
import re
import os
txt=open(os.environ['HELPS']).read()
blocks=re.split(r'^=== ', txt, flags=re.M)[1:]
out=[]
def esc(s):
    s=s.replace('\\','\\e').replace('-','\\-')
    if s.startswith('.') or s.startswith("'"): s='\\&'+s
    return s
extra={'account add':'Add an account to bill: a patient (default), an organisation, a mediation client or supplier; prints its id. \\-\\-iban with \\-\\-mandate and \\-\\-mandate\\-date makes direct debit possible; \\-\\-no\\-reminders opts out of payment reminders.'}
for b in blocks:
    lines=b.rstrip('\n').split('\n')
    name=lines[0].strip()
    body=lines[1:]
    usage=[]
    i=0
    while i<len(body) and (body[i].startswith('usage:') or body[i].startswith('  ')):
        l=body[i]
        if l.startswith('usage: '): l=l[7:]
        usage.append(l.strip()); i+=1
    desc=body[i:]
    out.append('.SS "%s"' % esc(name))
    out.append('.nf')
    for u in usage: out.append(esc(u))
    out.append('.fi')
    if name in extra: out.append(extra[name])
    out.append(esc(' '.join(d.strip() for d in desc)))
sec='\n'.join(out)+'\n'
p='doc/carebill.1'
s=open(p).read()
a=s.index('.SH COMMANDS\n')+len('.SH COMMANDS\n')
b=s.index('.SH ENVIRONMENT\n')
s=s[:a]+sec+s[b:]
open(p,'w').write(s)
PY
