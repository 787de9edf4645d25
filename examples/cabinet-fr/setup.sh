#!/bin/sh
# Patients of the example cabinet. Run with CAREBILL_DB and CAREBILL_RULES.
set -e
carebill account add --id claire --name "Claire Dubois" --email claire@example.fr --locale fr
carebill account add --id zoe --name "Zoë Müller-Lefèvre" --email zoe@example.fr --locale fr
carebill account add --id marc --name "Marc Petit" --email marc@example.fr --locale fr --no-reminders
