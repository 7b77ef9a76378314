#!/usr/bin/env bash
# Board pack production time against a priority page's, in the same run on the same server.
# Builds the portal (Release), starts it once on a loopback port with a fresh SQLite database, warms up, then
# times N requests each of a static file (baseline), /priorities/serious-acquisitive-crime and /board-pack,
# interleaved so that a noisy machine slows all three alike. Prints medians and ratios.
# Goal (issue 5): the whole board pack in under 10 priority-page times.
# Usage: bench/board-pack.sh [N]   (default N=30)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-30}
port=${KCCSP_BENCH_PORT:-$(( 56000 + RANDOM % 900 ))}
work=$(mktemp -d /tmp/kccsp-bench.XXXXXX)
base="http://127.0.0.1:$port"

dotnet build "$root/src/KcCsp.Web" -c Release --nologo -v quiet >/dev/null

# (env: a setting whose name has dots cannot be a shell assignment.)
# Development: the demo users exist and the sign-in cookie works over plain http on the loopback.
env ASPNETCORE_ENVIRONMENT=Development \
  "ConnectionStrings__Sqlite=Data Source=$work/kccsp.db" \
  Serilog__MinimumLevel__Default=Warning \
  Serilog__MinimumLevel__Override__KcCsp.Web.Controllers.BoardPackController=Information \
  "Serilog__WriteTo__1__Args__path=$work/logs/kccsp-.log" \
  ASPNETCORE_CONTENTROOT="$root/src/KcCsp.Web" \
  dotnet "$root/src/KcCsp.Web/bin/Release/net10.0/KcCsp.Web.dll" --urls "$base" >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; [ -n "${KCCSP_BENCH_KEEP:-}" ] || rm -rf "$work"' EXIT

for _ in $(seq 1 60); do curl -sf "$base/health" >/dev/null && break; sleep 1; done
curl -sf "$base/health" >/dev/null || { echo "the portal did not start; see $work/server.log" >&2; cat "$work/server.log" >&2; exit 1; }

# Sign in as the demo board member, as a person would: the form's anti-forgery token, then the cookie.
jar="$work/cookies"
token=$(curl -s -c "$jar" -b "$jar" "$base/sign-in" | grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' | sed 's/.*value="//;s/"$//')
[ -n "$token" ] || token=$(curl -s -c "$jar" -b "$jar" "$base/sign-in" | grep -o '__RequestVerificationToken[^>]*value="[^"]*"' | sed 's/.*value="//;s/"$//')
curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "Email=board@kccsp.local" --data-urlencode "Password=Demo-pass-2010!" \
  --data-urlencode "__RequestVerificationToken=$token" "$base/sign-in"

static="$base/css/site.css"
page="$base/priorities/serious-acquisitive-crime"
pack="$base/board-pack"
# Every timed request must be a 200: a redirect to the sign-in page would time nothing.
time_of() {
  local out; out=$(curl -s -o /dev/null -b "$jar" -w '%{http_code} %{time_total}' "$1")
  [ "${out%% *}" = 200 ] || { echo "GET $1 answered ${out%% *}, not 200" >&2; exit 1; }
  echo "${out#* }"
}

for _ in $(seq 1 5); do time_of "$static" >/dev/null; time_of "$page" >/dev/null; time_of "$pack" >/dev/null; done

: >"$work/static"; : >"$work/page"; : >"$work/pack"
for _ in $(seq 1 "$n"); do
  time_of "$static" >>"$work/static"
  time_of "$page" >>"$work/page"
  time_of "$pack" >>"$work/pack"
done

median() { sort -g "$1" | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
s=$(median "$work/static"); p=$(median "$work/page"); b=$(median "$work/pack")
bytes=$(curl -s -b "$jar" "$pack" | wc -c)
echo "requests each:            $n (after 5 warm-up rounds)"
echo "static file (baseline):   $(awk -v x="$s" 'BEGIN { printf "%.1f ms", x * 1000 }')"
echo "priority page:            $(awk -v x="$p" 'BEGIN { printf "%.1f ms", x * 1000 }') median"
echo "board pack (.xlsx):       $(awk -v x="$b" 'BEGIN { printf "%.1f ms", x * 1000 }') median, $bytes bytes"
echo "priority page / static:   $(awk -v a="$p" -v b="$s" 'BEGIN { printf "%.1f", a / b }')"
echo "board pack / static:      $(awk -v a="$b" -v b="$s" 'BEGIN { printf "%.1f", a / b }')"
ratio=$(awk -v a="$b" -v b="$p" 'BEGIN { printf "%.2f", a / b }')
echo "board pack / priority page: $ratio (goal: < 10)"
grep -o 'figures in [0-9]* ms, workbook in [0-9]* ms' "$work/server.log" | tail -n "$n" | sort -t' ' -k3 -g | awk -v n="$n" 'NR == int((n + 1) / 2) { print "board pack split (median run): " $0 }' || true
awk -v r="$ratio" 'BEGIN { exit !(r < 10) }' || { echo "over the goal" >&2; exit 1; }
