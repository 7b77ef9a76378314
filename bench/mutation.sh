#!/usr/bin/env bash
# Mutation testing of KcCsp.Domain (the pure rules) with Stryker.NET, against tests/KcCsp.Domain.Tests.
# Not part of .ci/run: a whole run takes many minutes on a small machine. The score and every surviving mutant are
# recorded in docs/testing.md; rerun this after changing the domain or its tests, and update that page.
# Usage: bench/mutation.sh [extra Stryker options, e.g. --mutate '**/Spc.cs']
#   KCCSP_MUTATION_CONCURRENCY  test processes in parallel (default 2)
# Output: the score on the console; HTML and JSON reports under bench/StrykerOutput/<timestamp>/reports (ignored by git).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root/tests/KcCsp.Domain.Tests"
dotnet tool restore >/dev/null
dotnet dotnet-stryker \
  --test-runner mtp \
  --project KcCsp.Domain.csproj \
  --concurrency "${KCCSP_MUTATION_CONCURRENCY:-2}" \
  --reporter progress --reporter html --reporter json --reporter cleartext \
  --output "$root/bench/StrykerOutput/$(date -u +%Y%m%dT%H%M%SZ)" \
  --skip-version-check \
  "$@"
