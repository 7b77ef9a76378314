#!/usr/bin/env bash
# Import benchmark: the portal's `import` of a 3.8-million-row LSOA extract
#   1. into SQLite, against the sqlite3 command-line `.import` of the same file (goal: at most 0.5 x);
#   2. into PostgreSQL (the production database), against `psql \copy` of the same file into a plain table (goal: at most 1 x);
# each in the same run (ratios, so a noisy machine does not fool anyone). Also prints the importer's peak memory
# (/usr/bin/time -v) and checks the stored totals against the source file, for both databases.
# Each database is measured in KCCSP_BENCH_ROUNDS rounds (default 3), baseline and portal one after the other in each
# round, each on a fresh database; the ratio reported is the median of the rounds' ratios (one round's noise does not decide).
# KCCSP_BENCH_SOURCE=policeuk measures a police.uk whole-force month instead (bench/make-policeuk-month.py), same goals.
# Usage: bench/import.sh [sqlite|postgres|both]   (needs KCCSP_SHARED_DATA or ../shared/data, python3, sqlite3,
# /usr/bin/time; for PostgreSQL the server binaries in /usr/lib/postgresql/15/bin and psql; port KCCSP_BENCH_PG_PORT, default 5191)
set -euo pipefail
which_db=${1:-both}
rounds=${KCCSP_BENCH_ROUNDS:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
data=${KCCSP_SHARED_DATA:-$root/../shared/data}
tools=${KCCSP_SHARED_TOOLS:-$data/../tools}
work=$(mktemp -d /tmp/kccsp-bench.XXXXXX)
pg_bin=/usr/lib/postgresql/15/bin
pg_dir=""
cleanup() {
  if [ -n "$pg_dir" ]; then as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$pg_dir"; fi
  rm -rf "$work"
}
trap cleanup EXIT
if [ "$(id -u)" = 0 ]; then as_pg() { runuser -u postgres -- "$@"; }; else as_pg() { "$@"; }; fi

echo "== publishing (Release, ReadyToRun, as deployed)"
# ReadyToRun: the assemblies are compiled ahead of time, so a command-line run does not spend its first seconds in the JIT.
rid=linux-$(uname -m | sed 's/x86_64/x64/;s/aarch64/arm64/')
dotnet publish "$root/src/KcCsp.Web" -c Release -r "$rid" --self-contained false -o "$work/portal" -v quiet -nologo >/dev/null
dll="$work/portal/KcCsp.Web.dll"

if [ "${KCCSP_BENCH_SOURCE:-mps}" = policeuk ]; then
  # police.uk: a whole-force month (KCCSP_BENCH_POLICEUK_ROWS, default 60,000 rows), made deterministically in the shape
  # of the real Kent rows the tests ship (bench/make-policeuk-month.py); the baselines load the same file.
  echo "== making a police.uk whole-force month (not timed)"
  python3 "$root/bench/make-policeuk-month.py" "${KCCSP_BENCH_POLICEUK_ROWS:-60000}" "$work/2022-01-benchshire-street.csv"
  ln -s "$work/2022-01-benchshire-street.csv" "$work/lsoa.csv"
  import_file="$work/2022-01-benchshire-street.csv"
  pg_columns="crime_id text, month text, reported_by text, falls_within text, longitude text, latitude text, location text, lsoa_code text, lsoa_name text, crime_type text, outcome text, context text"
  check_totals() { echo "   (police.uk: the stored totals are checked by PoliceUkRealFileTests)"; }
else
echo "== making the LSOA extract (not timed)"
python3 "$tools/make-lsoa-extract.py" "$data/mps/mps-borough-level-crime-historic-2008-2016.csv" "$work/lsoa.csv"
fi
import_file=${import_file:-$work/lsoa.csv}
pg_columns=${pg_columns:-"lsoa_code text, borough text, major_category text, minor_category text, value integer, year integer, month integer"}
rows=$(($(wc -l < "$work/lsoa.csv") - 1))
echo "   $rows rows, $(du -h "$work/lsoa.csv" | cut -f1)"

export Database__Provider=Sqlite
export Serilog__WriteTo__1__Args__path="$work/logs/kccsp-.log"
export Serilog__MinimumLevel__Default=Warning

[ "${KCCSP_BENCH_SOURCE:-mps}" = policeuk ] || check_totals() { # $1: sqlite:<db file> or postgres:<connection string>
python3 - "$data/mps/mps-borough-level-crime-historic-2008-2016.csv" "$1" <<'PY'
import csv, sqlite3, subprocess, sys
src, target = sys.argv[1], sys.argv[2]
with open(src, newline="", encoding="utf-8-sig") as f:
    rows = list(csv.reader(f))
header = rows[0]
months = [m for m in header[3:] if "200804" <= m <= "201003"]
expected = {}
for r in rows[1:]:
    for m in months:
        v = int(r[header.index(m)])
        expected[(r[0], r[1], r[2], int(m))] = expected.get((r[0], r[1], r[2], int(m)), 0) + v
counts_sql = ('SELECT a."Name", al."MajorName", al."MinorName", c."Month", SUM(c."Count") FROM "CrimeCounts" c '
              'JOIN "Areas" a ON a."Id" = c."AreaId" JOIN "CategoryAliases" al ON al."Id" = c."AliasId" GROUP BY 1, 2, 3, 4')
tno_sql = ('SELECT a."Name", v."Month", v."Value" FROM "MeasureMonthValues" v JOIN "Areas" a ON a."Id" = v."AreaId" '
           'JOIN "Measures" m ON m."Id" = v."MeasureId" WHERE m."Code" = \'total-notifiable-offences\'')
kind, where = target.split(":", 1)
if kind == "sqlite":
    con = sqlite3.connect(where)
    query = lambda sql: [tuple(r) for r in con.execute(sql)]
else:
    def query(sql):
        out = subprocess.run(["psql", where, "-At", "-F", "\t", "-c", sql], check=True, capture_output=True, text=True).stdout
        return [tuple(int(x) if x.lstrip("-").isdigit() else x for x in line.split("\t")) for line in out.splitlines() if line]
got = {(area, major, minor, int(month)): int(total) for area, major, minor, month, total in query(counts_sql)}
bad = [k for k, v in expected.items() if got.get(k, 0) != v] + [k for k in got if k not in expected]
tno = {f"{area} {month}": int(value) for area, month, value in query(tno_sql)}
tno_expected = {}
for (area, _, _, month), v in expected.items():
    tno_expected[f"{area} {month}"] = tno_expected.get(f"{area} {month}", 0) + v
bad_tno = [k for k, v in tno_expected.items() if tno.get(k) != v]
print(f"   {len(expected)} borough x category x month totals: {len(bad)} differ; "
      f"{len(tno_expected)} borough-month total notifiable offences: {len(bad_tno)} differ")
sys.exit(1 if bad or bad_tno else 0)
PY
}

median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# Runs the portal's import under /usr/bin/time; sets seconds and peak_mb. $1: where to write its output.
portal_import() {
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -v -o "$work/time.txt" dotnet "$dll" import "$import_file" > "$1"
  end=$(date +%s.%N)
  seconds=$(echo "$end - $start" | bc)
  peak_mb=$(( $(grep "Maximum resident set size" "$work/time.txt" | awk '{print $NF}') / 1024 ))
}

if [ "$which_db" != postgres ]; then
  echo "== SQLite: preparing the portal's database (migrate + seed, not timed; each round starts from a copy)"
  export ConnectionStrings__Sqlite="Data Source=$work/template.db"
  dotnet "$dll" migrate >/dev/null
  export ConnectionStrings__Sqlite="Data Source=$work/portal.db"
  ratios=(); peaks=()
  for round in $(seq 1 "$rounds"); do
    cat "$work/lsoa.csv" > /dev/null   # both runs start with the file in the page cache
    rm -f "$work/baseline.db"
    start=$(date +%s.%N)
    printf '.mode csv\n.import %s lsoa\n' "$work/lsoa.csv" | sqlite3 "$work/baseline.db"
    end=$(date +%s.%N)
    baseline=$(echo "$end - $start" | bc)
    rm -f "$work"/portal.db*; cp "$work/template.db" "$work/portal.db"
    portal_import "$work/import.txt"
    ratio=$(echo "scale=3; $seconds / $baseline" | bc)
    ratios+=("$ratio"); peaks+=("$peak_mb")
    echo "   round $round: sqlite3 .import ${baseline}s ($(sqlite3 "$work/baseline.db" 'SELECT COUNT(*) FROM lsoa') rows), portal import ${seconds}s, peak ${peak_mb} MB: ratio $ratio (load $(cut -d' ' -f1 /proc/loadavg))"
  done
  head -1 "$work/import.txt" | cut -c1-200
  echo "== SQLite: median ratio portal / sqlite3 = $(median "${ratios[@]}") (goal <= 0.5) over $rounds rounds; peak $(printf '%s\n' "${peaks[@]}" | sort -n | tail -1) MB (goal <= 300)"
  echo "== checking borough totals (every borough x month x category of the source, from the portal's stored counts)"
  check_totals "sqlite:$work/portal.db"
fi

if [ "$which_db" != sqlite ]; then
  echo "== PostgreSQL: a throwaway cluster (default durability settings) on port ${KCCSP_BENCH_PG_PORT:-5191}"
  pg_dir=$(mktemp -d /tmp/kccsp-bench-pg.XXXXXX)
  [ "$(id -u)" = 0 ] && chown postgres "$pg_dir"
  pg_port=${KCCSP_BENCH_PG_PORT:-5191}
  as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U kccsp --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1" start >/dev/null
  pg="postgresql://kccsp@127.0.0.1:$pg_port"
  psql "$pg/postgres" -qc "CREATE DATABASE template_portal" -c "CREATE DATABASE baseline"
  export Database__Provider=PostgreSQL
  export ConnectionStrings__PostgreSQL="Host=127.0.0.1;Port=$pg_port;Username=kccsp;Database=template_portal;Pooling=false"
  dotnet "$dll" migrate >/dev/null 2>&1
  export ConnectionStrings__PostgreSQL="Host=127.0.0.1;Port=$pg_port;Username=kccsp;Database=portal"
  ratios=(); peaks=()
  for round in $(seq 1 "$rounds"); do
    psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS portal" -c "CREATE DATABASE portal TEMPLATE template_portal"
    psql "$pg/baseline" -qc "DROP TABLE IF EXISTS lsoa" -c "CREATE TABLE lsoa ($pg_columns)"
    psql "$pg/postgres" -qc "CHECKPOINT"
    cat "$work/lsoa.csv" > /dev/null
    start=$(date +%s.%N)
    psql "$pg/baseline" -qc "\\copy lsoa FROM '$work/lsoa.csv' WITH (FORMAT csv, HEADER true)"
    end=$(date +%s.%N)
    pg_baseline=$(echo "$end - $start" | bc)
    psql "$pg/postgres" -qc "CHECKPOINT"
    portal_import "$work/import-pg.txt"
    ratio=$(echo "scale=3; $seconds / $pg_baseline" | bc)
    ratios+=("$ratio"); peaks+=("$peak_mb")
    echo "   round $round: psql \\copy ${pg_baseline}s ($(psql "$pg/baseline" -Atc 'SELECT COUNT(*) FROM lsoa') rows), portal import ${seconds}s, peak ${peak_mb} MB: ratio $ratio (load $(cut -d' ' -f1 /proc/loadavg))"
  done
  head -1 "$work/import-pg.txt" | cut -c1-200
  echo "== PostgreSQL: median ratio portal / psql \\copy = $(median "${ratios[@]}") (goal <= 1) over $rounds rounds; peak $(printf '%s\n' "${peaks[@]}" | sort -n | tail -1) MB (goal <= 300)"
  echo "== checking totals in PostgreSQL"
  check_totals "postgres:$pg/portal"
fi
echo "== machine: $(nproc) cores, $(grep 'model name' /proc/cpuinfo | head -1 | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GB; $(date -u +%Y-%m-%d)"
