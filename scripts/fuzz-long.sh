#!/usr/bin/env bash
# A longer run of the property-based fuzz tests than CI's, on H2 and then PostgreSQL (127.0.0.1:5432, db `test`, as in
# the normal test run):
#  - server/src/test/java/kz/freedomid/attacks/ApiFuzzTest.java (JSON bodies and OIDC forms; CI: 200 tries per property)
#  - server/src/test/java/kz/freedomid/attacks/PageFormFuzzTest.java (HTML form posts; CI: 30 tries, 10 for the forms
#    where a try costs an Argon2id hash or a new sign-in)
# Usage: scripts/fuzz-long.sh [tries per API property, default 5000] [tries per page-form property, default 1000]
set -euo pipefail
cd "$(dirname "$0")/.."
tries="${1:-5000}"
page_tries="${2:-1000}"
exec mvn -B -q -pl client,examples/partner-demo,server -am test \
  -Dtest='kz.freedomid.attacks.ApiFuzzTest,kz.freedomid.attacks.PageFormFuzzTest' -Dsurefire.failIfNoSpecifiedTests=false \
  -Djqwik.tries.default="$tries" -Dpagefuzz.tries="$page_tries"
