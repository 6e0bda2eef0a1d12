#!/usr/bin/env bash
# A longer run of the property-based fuzz tests (server/src/test/java/kz/freedomid/attacks/ApiFuzzTest.java) than CI's
# 200 tries per property, on H2 and then PostgreSQL (127.0.0.1:5432, db `test`, as in the normal test run).
# Usage: scripts/fuzz-long.sh [tries per property, default 5000]
set -euo pipefail
cd "$(dirname "$0")/.."
tries="${1:-5000}"
exec mvn -B -q -pl client,examples/partner-demo,server -am test \
  -Dtest='kz.freedomid.attacks.ApiFuzzTest' -Dsurefire.failIfNoSpecifiedTests=false \
  -Djqwik.tries.default="$tries"
