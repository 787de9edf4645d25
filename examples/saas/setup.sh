#!/bin/sh
# The organisations, plans, seats, usage and discount codes of 2027 of the
# example SaaS, as an admin enters them. Run with CAREBILL_DB and
# CAREBILL_RULES set; `carebill tick --as-of 2027-12-31` then bills the
# year: one invoice per organisation and period.
set -e
# Praktijk De Linde: standard plan, monthly, five practitioners and a
# student; a welcome code for three periods; to yearly billing from the
# next monthly boundary after 10 May.
carebill account add --id delinde --kind organisation --name "Praktijk De Linde" \
    --email admin@delinde.example --locale nl --address "Lindenlaan 3
2000 Antwerpen"
carebill plan start --account delinde --plan standaard --billing monthly \
    --from 2027-01-01 --code welkom3
for s in an bert chris dirk eva; do
    carebill seat add --account delinde --id "$s" --from 2027-01-01
done
carebill seat add --account delinde --id fien --student --from 2027-01-01
carebill usage record --account delinde --metric vragenlijst --quantity 12 \
    --on 2027-02-14 --id q-2027-02
carebill seat add --account delinde --id gert --from 2027-03-15
carebill seat remove --account delinde --id bert --on 2027-04-01
carebill plan change --account delinde --billing yearly --on 2027-05-10

# Cabinet Lumière: blended plan, yearly, three seats.
carebill account add --id lumiere --kind organisation --name "Cabinet Lumière" \
    --email admin@lumiere.example --locale fr --address "Rue Haute 12
1000 Bruxelles"
carebill plan start --account lumiere --plan blended --billing yearly --from 2027-02-01
for s in amelie bruno claire; do
    carebill seat add --account lumiere --id "$s" --from 2027-02-01
done

# Therapie Noord: starter plan, monthly, two seats and new dossiers;
# to the standard plan from July.
carebill account add --id noord --kind organisation --name "Therapie Noord" \
    --email admin@noord.example --locale nl
carebill plan start --account noord --plan starter --billing monthly \
    --from 2027-01-01 --code starter10
carebill seat add --account noord --id jan --from 2027-01-01
carebill seat add --account noord --id kim --from 2027-01-01
carebill usage record --account noord --metric nieuw_dossier --quantity 3 \
    --on 2027-01-20 --id d-2027-01
carebill usage record --account noord --metric nieuw_dossier --quantity 2 \
    --on 2027-03-05 --id d-2027-03
carebill usage record --account noord --metric vragenlijst --quantity 4 \
    --on 2027-03-06 --id q-2027-03
carebill plan change --account noord --plan standaard --on 2027-06-15
