#!/usr/bin/env bash
# Starts what the integration suites need and exports the variables that point the tests at them:
#   KCCSP_TEST_POSTGRES  a throwaway PostgreSQL 15 cluster on a loopback port (stopped by kccsp_stop_services)
#   KCCSP_TEST_CHROMIUM  Debian's Chromium, for the browser tests
#   KCCSP_SHARED_DATA    ../shared/data beside the checkout (real MPS extracts and populations)
#   KCCSP_TEST_SOFFICE   LibreOffice's soffice, to print the board pack to PDF
# Source it: `source scripts/test-services.sh`. Installs missing Debian packages when run as root.
set -euo pipefail

kccsp_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
pg_bin=/usr/lib/postgresql/15/bin

kccsp_apt_install() {
  if [ "$(id -u)" = 0 ]; then
    if [ -z "${KCCSP_APT_UPDATED:-}" ]; then apt-get update -qq >/dev/null; KCCSP_APT_UPDATED=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    echo "test-services: $* missing and not root: install it first" >&2
    return 1
  fi
}

[ -x "$pg_bin/initdb" ] || kccsp_apt_install postgresql-15
command -v chromium >/dev/null || kccsp_apt_install chromium
command -v soffice >/dev/null || kccsp_apt_install libreoffice-calc-nogui

# PostgreSQL refuses to run as root: the cluster belongs to the postgres user (or to the current user when not root).
kccsp_pg_dir=$(mktemp -d /tmp/kccsp-pg.XXXXXX)
kccsp_pg_port=${KCCSP_PG_PORT:-$(( 54000 + RANDOM % 900 ))}
if [ "$(id -u)" = 0 ]; then
  chown postgres "$kccsp_pg_dir"
  kccsp_as_pg() { runuser -u postgres -- "$@"; }
else
  kccsp_as_pg() { "$@"; }
fi
kccsp_as_pg "$pg_bin/initdb" -D "$kccsp_pg_dir/data" -U kccsp --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
kccsp_as_pg "$pg_bin/pg_ctl" -D "$kccsp_pg_dir/data" -l "$kccsp_pg_dir/server.log" -w \
  -o "-p $kccsp_pg_port -k $kccsp_pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=200" start >/dev/null

kccsp_stop_services() {
  kccsp_as_pg "$pg_bin/pg_ctl" -D "$kccsp_pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$kccsp_pg_dir"
}

export KCCSP_TEST_POSTGRES="Host=127.0.0.1;Port=$kccsp_pg_port;Username=kccsp;Database=postgres;Pooling=true"
export KCCSP_TEST_CHROMIUM=$(command -v chromium)
export KCCSP_TEST_SOFFICE=$(command -v soffice)
if [ -d "$kccsp_root/../shared/data" ]; then
  export KCCSP_SHARED_DATA=$(cd "$kccsp_root/../shared/data" && pwd)
fi
echo "test-services: PostgreSQL on 127.0.0.1:$kccsp_pg_port, Chromium at $KCCSP_TEST_CHROMIUM, LibreOffice at $KCCSP_TEST_SOFFICE, data at ${KCCSP_SHARED_DATA:-<none>}"
set +e +u +o pipefail
