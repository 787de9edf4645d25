#!/bin/sh
# The example agency's accounts and two months of hours, as the admin,
# the suppliers and the clients would enter them: January and February
# 2027, with one rejection and a resubmission. Run with CAREBILL_DB and
# CAREBILL_RULES set; each step runs on its own day (CAREBILL_TODAY).
set -e
export CAREBILL_TODAY=2026-12-15
# The agency itself: self-billed invoices are addressed to it.
carebill account add --id debrug --kind organisation \
    --name "Zorgbemiddeling De Brug" --email facturen@debrug.example \
    --address "Brugstraat 5
3511 AB Utrecht" --vat-number NL123456782B01
# Suppliers: Anna is BIG-registered (care exempt from VAT), Bram charges 21%.
carebill account add --id anna --kind supplier --name "Anna de Wit" \
    --email anna@dewitzorg.example --iban NL91ABNA0417164300 \
    --address "Kerkstraat 8
3512 BB Utrecht"
carebill account mediation --id anna --kvk 12345678 --vat-status exempt
carebill account add --id bram --kind supplier --name "Bram Smit" \
    --email bram@smithulp.example --iban NL56AGDH9619008421 \
    --vat-number NL001234560B01 --address "Molenweg 3
3521 CC Utrecht"
carebill account mediation --id bram --kvk 23456789 --vat-status standard \
    --self-billing-agreement 2026-12-01
# Clients: a patient, a PGB holder in privacy mode, a care provider.
carebill account add --id fam-bakker --kind client --name "Fam. Bakker" \
    --email bakker@example.nl --address "Lindelaan 4
3511 AB Utrecht"
carebill account add --id pgb-jansen --kind client --name "P. Jansen" \
    --email jansen@example.nl --address "Oudegracht 100
3511 AX Utrecht"
carebill account mediation --id pgb-jansen --privacy yes
carebill account add --id zorggroep-oost --kind client \
    --name "Zorggroep Oost B.V." --email crediteuren@zorggroep-oost.example \
    --address "Oostweg 1
3581 AA Utrecht" --vat-number NL002345675B01

# January: the suppliers register, submit on the first of February, the
# clients approve.
export CAREBILL_TODAY=2027-01-31
for d in 04 06 11 13 18 20 25 27; do
    carebill hours add --placement anna-bakker --date 2027-01-$d --hours 4 >/dev/null
done
carebill hours add --placement anna-bakker --date 2027-01-30 --hours 3.5 >/dev/null
for d in 05 12 19 26; do
    carebill hours add --placement anna-jansen --date 2027-01-$d --hours 2:30 >/dev/null
done
carebill hours add --placement anna-jansen --date 2027-01-28 --hours 2 --kind evening \
    --note "avonddienst" >/dev/null
for d in 07 14 21 28; do
    carebill hours add --placement bram-oost --date 2027-01-$d --hours 6 >/dev/null
done
export CAREBILL_TODAY=2027-02-01
carebill hours submit --placement anna-bakker --month 2027-01
carebill hours submit --placement anna-jansen --month 2027-01
carebill hours submit --placement bram-oost --month 2027-01
export CAREBILL_TODAY=2027-02-02
carebill hours approve --placement anna-bakker --month 2027-01
carebill hours approve --placement anna-jansen --month 2027-01
carebill hours approve --placement bram-oost --month 2027-01

# February: Fam. Bakker rejects, Anna corrects a day and submits again.
export CAREBILL_TODAY=2027-02-28
for d in 01 03 08 10 15 17 22 24; do
    carebill hours add --placement anna-bakker --date 2027-02-$d --hours 4 >/dev/null
done
wrong=$(carebill hours add --placement anna-bakker --date 2027-02-14 --hours 5)
for d in 02 09 16 23; do
    carebill hours add --placement anna-jansen --date 2027-02-$d --hours 2:30 >/dev/null
done
for d in 04 11 18 25; do
    carebill hours add --placement bram-oost --date 2027-02-$d --hours 6 >/dev/null
done
export CAREBILL_TODAY=2027-03-01
carebill hours submit --placement anna-bakker --month 2027-02
carebill hours submit --placement anna-jansen --month 2027-02
carebill hours submit --placement bram-oost --month 2027-02
export CAREBILL_TODAY=2027-03-02
carebill hours reject --placement anna-bakker --month 2027-02 \
    --reason "Op zondag 14 februari was er geen zorg; dat was zaterdag 13 februari."
carebill hours approve --placement anna-jansen --month 2027-02
carebill hours approve --placement bram-oost --month 2027-02
export CAREBILL_TODAY=2027-03-03
carebill hours remove "$wrong"
carebill hours add --placement anna-bakker --date 2027-02-13 --hours 5 >/dev/null
carebill hours submit --placement anna-bakker --month 2027-02
export CAREBILL_TODAY=2027-03-04
carebill hours approve --placement anna-bakker --month 2027-02
