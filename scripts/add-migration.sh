#!/usr/bin/env bash
# Adds a migration with the same name to every provider's migrations assembly.
# Usage: scripts/add-migration.sh <Name>
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?migration name}
dotnet tool restore >/dev/null
for p in Sqlite SqlServer PostgreSql; do
  dotnet ef migrations add "$name" --project "src/KcCsp.Data.$p" --startup-project "src/KcCsp.Data.$p" --output-dir Migrations
done
