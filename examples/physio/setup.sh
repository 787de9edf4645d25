#!/bin/sh
# The example practice's patients and subscriptions, as an admin would
# enter them. Run with CAREBILL_DB and CAREBILL_RULES set.
set -e
carebill account add --id jan --name "Jan Jansen" --email jan@example.nl \
    --address "Dorpsstraat 1
3512 CD Utrecht"
carebill account add --id zoe --name "Zoë Müller-Lefèvre" --email zoe@example.nl \
    --iban NL91ABNA0417164300 --mandate MANDATE-ZOE-1 --mandate-date 2025-12-01
carebill account add --id piet --name "Piet de Boer" --email piet@example.nl
carebill account add --id anna --name "Anna Visser" --email anna@example.nl --no-reminders

carebill subscription start --account jan --type fysio-fit --from 2026-01-01
carebill subscription start --account zoe --type fysio-fit --from 2026-01-15 --direct-debit
carebill subscription start --account piet --type sportmassage --from 2026-02-10
carebill subscription start --account anna --type beweegprogramma --from 2026-01-01
carebill subscription start --account jan --type jaarplan --from 2026-01-31
