#!/usr/bin/env bash
# Until the first production release, each provider has one migration, "Initial", regenerated from the model.
# After a release, add migrations with scripts/add-migration.sh instead.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf src/KcCsp.Data.Sqlite/Migrations src/KcCsp.Data.SqlServer/Migrations src/KcCsp.Data.PostgreSql/Migrations
scripts/add-migration.sh Initial
