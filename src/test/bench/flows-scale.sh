#!/usr/bin/env bash
# Whole-process scale benchmark (not a test): `wgdiag analyze` through the launcher src/bin/wgdiag (its
# heap sized to the work) on captures of N distinct UDP flows with one WireGuard message each
# (dev.wgdiag.bench.FlowsCapture: half initiations, half keepalives of sessions met mid-way, all to one
# server), as a VPN provider's server or a busy gateway sees them. Each flow is a tunnel.
#
#   src/test/bench/flows-scale.sh [N...]        (default 10000 40000 100000 300000)
#
# Per N and output format (text, json; RUNS runs each, best wall time): wall seconds, CPU seconds
# (user + system), peak resident set size (/usr/bin/time -v "Maximum resident set size"), output bytes,
# and the machine's load average before the run (the machine is shared: compare CPU seconds too).
# Targets (issue 13): linear in flows; 300 000 flows in <= 10 s and <= 1 GB resident.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$root"
runs=${RUNS:-1}
work=${WORK:-/tmp/wgdiag-flows}
mkdir -p "$work"
[ $# -gt 0 ] || set -- 10000 40000 100000 300000

[ -f target/wgdiag.jar ] && [ -f target/test-classes/dev/wgdiag/bench/FlowsCapture.class ] || mvn -B -q test-compile package -DskipTests

printf "%-8s %-5s %8s %8s %10s %12s %6s\n" flows fmt "wall s" "cpu s" "RSS MB" "output B" load
for n in "$@"; do
  f=$work/flows-$n.pcap
  [ -s "$f" ] || java -cp target/test-classes dev.wgdiag.bench.FlowsCapture "$n" "$f" > /dev/null
  cat "$f" > /dev/null   # page cache
  for fmt in text json; do
    best=""
    for _ in $(seq "$runs"); do
      load=$(cut -d' ' -f1 /proc/loadavg)
      /usr/bin/time -v -o "$work/time" src/bin/wgdiag analyze --no-progress --format "$fmt" "$f" > "$work/out" 2> "$work/err" \
        || { cat "$work/err" >&2; exit 1; }
      wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
      cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$work/time")
      rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$work/time")
      bytes=$(stat -c %s "$work/out")
      if [ -z "$best" ] || awk "BEGIN{exit !($wall < ${best%% *})}"; then best="$wall $cpu $rss $bytes $load"; fi
    done
    read -r wall cpu rss bytes load <<< "$best"
    printf "%-8s %-5s %8s %8s %10s %12s %6s\n" "$n" "$fmt" "$wall" "$cpu" "$rss" "$bytes" "$load"
  done
done
