#!/usr/bin/env bash
# Whole-process decode benchmark (not a test): wgdiag analyze and tshark on the same >= 8 M WireGuard
# packets, in one run, scaled from real lab traffic (an iperf3 run over a wireguard-go tunnel through
# the lab NAT, captured on the server side with a 96-byte snaplen).
#
#   sudo src/test/bench/decode-throughput.sh [MIN_PACKETS]      (default 10000000)
#
# wgdiag runs as users run it, through the launcher src/bin/wgdiag (heap sized to the work, class-data
# archive in a private cache made by one warm-up run), RUNS times (default 5), interleaved with the other
# wgdiag rows so that the machine's load falls on all alike:
#   wgdiag          analyze FILE                       (reading on a second thread: the default)
#   one thread      analyze FILE with -Dwgdiag.readerThread=off
#   decode only     analyze FILE --list --port 1       (read + decode, nothing analysed)
#   before          analyze FILE with BEFORE_JAR's jar (only when BEFORE_JAR names one)
# then tshark TSHARK_RUNS times (default 1: ~40 s each). For each: best and median wall time, packets/s
# and MB/s at both, median CPU (user+sys) and the largest peak resident set (GNU time's maximum RSS,
# as `/usr/bin/time -v` reports it). The load average is printed before and after.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$root"
packets=${1:-10000000}
runs=${RUNS:-5}
work=${WORK:-/tmp/wgdiag-bench}
mkdir -p "$work"
seed=$work/iperf-seed.pcap
big=$work/scaled-$packets.pcap

[ -f target/wgdiag.jar ] && [ -d target/test-classes ] || mvn -B -q test-compile package -DskipTests

if [ ! -s "$seed" ]; then
  id=bn$(head -c2 /dev/urandom | od -An -tx1 | tr -d ' \n')
  src/lab/wglab up handshake-ping --id "$id" >/dev/null
  trap 'src/lab/wglab down --id "$id" >/dev/null 2>&1 || true' EXIT
  ip netns exec "wgl-$id-srv" iperf3 -s -1 -B 10.0.0.1 >/dev/null 2>&1 &
  ip netns exec "wgl-$id-srv" tcpdump -i s0 -s 96 -U -n -w "$seed" udp port 51820 2>/dev/null &
  tcpdump_pid=$!
  sleep 1
  ip netns exec "wgl-$id-cli" iperf3 -c 10.0.0.1 -t 4 -l 1300 >/dev/null
  sleep 0.5
  kill -INT "$tcpdump_pid"; wait "$tcpdump_pid" || true
  src/lab/wglab down --id "$id" >/dev/null 2>&1 || true
  trap - EXIT
fi

if [ ! -s "$big" ]; then
  java -cp target/test-classes dev.wgdiag.bench.ScaleCapture "$seed" "$big" "$packets" > "$big.count"
fi
count=$(cat "$big.count" 2>/dev/null || tshark -r "$big" -Y wg 2>/dev/null | wc -l)
bytes=$(stat -c %s "$big")
cat "$big" > /dev/null   # page cache

# one timed run of "$@": appends "wall cpu maxrss_kb" to $work/times.$name
timed() {
  local name=$1; shift
  /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$@" > "$work/out.$name" 2> "$work/err.$name" \
    || { cat "$work/err.$name" >&2; return 1; }
  awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$work/time" >> "$work/times.$name"
}

launcher=src/bin/wgdiag
# name | environment | arguments after "analyze FILE"
rows=("wgdiag||" "one thread|WGDIAG_JAVA_OPTS=-Dwgdiag.readerThread=off|" "decode only||--list --port 1")
[ -n "${BEFORE_JAR:-}" ] && rows+=("before|WGDIAG_JAR=$BEFORE_JAR|")

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for r in "${rows[@]}"; do
  IFS='|' read -r name envs extra <<< "$r"
  rm -f "$work/times.$name"
  # a private class-data archive per row (the launcher replaces an archive made for another jar)
  # shellcheck disable=SC2086
  env XDG_CACHE_HOME="$work/cache-${name// /-}" $envs "$launcher" analyze "$big" $extra > /dev/null 2>&1 || true
done
for _ in $(seq "$runs"); do
  for r in "${rows[@]}"; do
    IFS='|' read -r name envs extra <<< "$r"
    # shellcheck disable=SC2086
    timed "$name" env XDG_CACHE_HOME="$work/cache-${name// /-}" $envs "$launcher" analyze "$big" $extra
  done
done
rm -f "$work/times.tshark"
for _ in $(seq "${TSHARK_RUNS:-1}"); do
  timed tshark tshark -n -q -r "$big" -o udp.try_heuristic_first:TRUE -d udp.port==51820,wg -Y wg
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
cmp -s "$work/out.wgdiag" "$work/out.one thread" || echo "WARNING: the two wgdiag paths' reports differ" >&2

echo "capture: $count WireGuard packets, $(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB ($big)"
echo "load average before: $load_before; after: $load_after ($(nproc) CPUs)"
printf '%-12s %5s %9s %9s %14s %14s %8s %8s %8s\n' tool runs "best s" "median s" "packets/s best" "packets/s med" "MB/s med" "CPU s" "RSS MB"
for name in wgdiag "one thread" "decode only" before tshark; do
  f="$work/times.$name"
  [ -s "$f" ] || continue
  cmed=$(cut -d' ' -f2 "$f" | sort -n | awk '{ v[NR] = $1 } END { printf "%.2f", (v[int((NR + 1) / 2)] + v[int(NR / 2) + 1]) / 2 }')
  sort -n "$f" | awk -v n="$name" -v c="$count" -v b="$bytes" -v cmed="$cmed" '
    { w[NR] = $1; if ($3 > rss) rss = $3 }
    END {
      med = (w[int((NR + 1) / 2)] + w[int(NR / 2) + 1]) / 2
      printf "%-12s %5d %9.2f %9.2f %14.0f %14.0f %8.0f %8.2f %8.0f\n", n, NR, w[1], med, c / w[1], c / med, b / 1e6 / med, cmed, rss / 1024
    }'
done
