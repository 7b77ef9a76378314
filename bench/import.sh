#!/usr/bin/env bash
# Import benchmark: the portal's `import` of a 3.8-million-row LSOA extract into SQLite against the sqlite3
# command-line `.import` of the same file, in the same run (a ratio, so a noisy machine does not fool anyone).
# Also prints the importer's peak memory (/usr/bin/time -v) and checks the borough totals against the source file.
# Usage: bench/import.sh   (needs KCCSP_SHARED_DATA or ../shared/data, python3, sqlite3, /usr/bin/time)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
data=${KCCSP_SHARED_DATA:-$root/../shared/data}
tools=${KCCSP_SHARED_TOOLS:-$data/../tools}
work=$(mktemp -d /tmp/kccsp-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

echo "== publishing (Release, ReadyToRun, as deployed)"
# ReadyToRun: the assemblies are compiled ahead of time, so a command-line run does not spend its first seconds in the JIT.
rid=linux-$(uname -m | sed 's/x86_64/x64/;s/aarch64/arm64/')
dotnet publish "$root/src/KcCsp.Web" -c Release -r "$rid" --self-contained false -o "$work/portal" -v quiet -nologo >/dev/null
dll="$work/portal/KcCsp.Web.dll"

echo "== making the LSOA extract (not timed)"
python3 "$tools/make-lsoa-extract.py" "$data/mps/mps-borough-level-crime-historic-2008-2016.csv" "$work/lsoa.csv"
rows=$(($(wc -l < "$work/lsoa.csv") - 1))
echo "   $rows rows, $(du -h "$work/lsoa.csv" | cut -f1)"

export Database__Provider=Sqlite
export Serilog__WriteTo__1__Args__path="$work/logs/kccsp-.log"
export Serilog__MinimumLevel__Default=Warning

echo "== preparing the portal's database (migrate + seed, not timed)"
export ConnectionStrings__Sqlite="Data Source=$work/portal.db"
dotnet "$dll" migrate >/dev/null
cat "$work/lsoa.csv" > /dev/null   # both runs start with the file in the page cache

echo "== baseline: sqlite3 .import"
start=$(date +%s.%N)
sqlite3 "$work/baseline.db" <<SQL
.mode csv
.import $work/lsoa.csv lsoa
SQL
end=$(date +%s.%N)
baseline=$(echo "$end - $start" | bc)
echo "   sqlite3 .import: ${baseline}s ($(sqlite3 "$work/baseline.db" 'SELECT COUNT(*) FROM lsoa') rows)"

echo "== portal: import"
start=$(date +%s.%N)
/usr/bin/time -v -o "$work/time.txt" dotnet "$dll" import "$work/lsoa.csv" > "$work/import.txt"
end=$(date +%s.%N)
portal=$(echo "$end - $start" | bc)
peak_kb=$(grep "Maximum resident set size" "$work/time.txt" | awk '{print $NF}')
head -1 "$work/import.txt" | cut -c1-200
echo "   portal import: ${portal}s, peak memory $((peak_kb / 1024)) MB"

ratio=$(echo "scale=2; $portal / $baseline" | bc)
echo "== ratio portal / sqlite3 = $ratio (goal <= 0.5); peak $((peak_kb / 1024)) MB (goal <= 300)"

echo "== checking borough totals (every borough x month x category of the source, from the portal's stored counts)"
python3 - "$data/mps/mps-borough-level-crime-historic-2008-2016.csv" "$work/portal.db" <<'PY'
import csv, sqlite3, sys
src, db = sys.argv[1], sys.argv[2]
with open(src, newline="", encoding="utf-8-sig") as f:
    rows = list(csv.reader(f))
header = rows[0]
months = [m for m in header[3:] if "200804" <= m <= "201003"]
expected = {}
for r in rows[1:]:
    for m in months:
        v = int(r[header.index(m)])
        expected[(r[0], r[1], r[2], int(m))] = expected.get((r[0], r[1], r[2], int(m)), 0) + v
con = sqlite3.connect(db)
got = {}
for area, major, minor, month, total in con.execute(
    "SELECT a.Name, al.MajorName, al.MinorName, c.Month, SUM(c.Count) FROM CrimeCounts c "
    "JOIN Areas a ON a.Id = c.AreaId JOIN CategoryAliases al ON al.Id = c.AliasId GROUP BY 1, 2, 3, 4"):
    got[(area, major, minor, month)] = total
bad = [k for k, v in expected.items() if got.get(k, 0) != v] + [k for k in got if k not in expected]
tno = dict(con.execute("SELECT a.Name || ' ' || v.Month, v.Value FROM MeasureMonthValues v JOIN Areas a ON a.Id = v.AreaId "
                       "JOIN Measures m ON m.Id = v.MeasureId WHERE m.Code = 'total-notifiable-offences'").fetchall())
tno_expected = {}
for (area, _, _, month), v in expected.items():
    tno_expected[f"{area} {month}"] = tno_expected.get(f"{area} {month}", 0) + v
bad_tno = [k for k, v in tno_expected.items() if tno.get(k) != v]
print(f"   {len(expected)} borough x category x month totals: {len(bad)} differ; "
      f"{len(tno_expected)} borough-month total notifiable offences: {len(bad_tno)} differ")
sys.exit(1 if bad or bad_tno else 0)
PY
echo "== machine: $(nproc) cores, $(grep 'model name' /proc/cpuinfo | head -1 | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GB; $(date -u +%Y-%m-%d)"
