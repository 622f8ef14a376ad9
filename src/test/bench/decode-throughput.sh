#!/usr/bin/env bash
# Whole-process decode benchmark (not a test): wgdiag analyze vs tshark on the same >= 5 M WireGuard
# packets, scaled from real lab traffic (an iperf3 run over a wireguard-go tunnel through the lab NAT,
# captured on the server side with a 96-byte snaplen).
#
#   sudo src/test/bench/decode-throughput.sh [MIN_PACKETS]      (default 10000000)
#
# Prints packets/s and MB/s for each tool (best of RUNS runs from the page cache; tshark TSHARK_RUNS) and wgdiag's
# maximum resident set size; the JVM runs with -Xmx256m, so it completing proves the heap bound.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$root"
packets=${1:-10000000}
runs=${RUNS:-3}
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
  java -cp target/test-classes dev.wgdiag.bench.ScaleCapture "$seed" "$big" "$packets" > "$work/count"
fi
count=$(cat "$work/count" 2>/dev/null || tshark -r "$big" -Y wg 2>/dev/null | wc -l)
bytes=$(stat -c %s "$big")
cat "$big" > /dev/null   # page cache

best() {  # prints "best-wall-seconds max-RSS-KB-of-that-run" over $runs runs of "$@"
  local b="" r="" t m
  for _ in $(seq "$runs"); do
    /usr/bin/time -f '%e %M' -o "$work/time" "$@" > "$work/out" 2> "$work/err" || { cat "$work/err" >&2; return 1; }
    read -r t m < "$work/time"
    if [ -z "$b" ] || awk "BEGIN{exit !($t < $b)}"; then b=$t; r=$m; fi
  done
  echo "$b $r"
}

read -r w w_rss < <(best java -Xmx256m -XX:+UseSerialGC -jar target/wgdiag.jar analyze "$big")
read -r d d_rss < <(best java -Xmx256m -XX:+UseSerialGC -jar target/wgdiag.jar analyze "$big" --list --port 1)
read -r t t_rss < <(runs=${TSHARK_RUNS:-1} best tshark -n -q -r "$big" -o udp.try_heuristic_first:TRUE -d udp.port==51820,wg -Y wg)

awk -v c="$count" -v b="$bytes" -v w="$w" -v t="$t" -v wr="$w_rss" -v tr="$t_rss" -v d="$d" -v dr="$d_rss" 'BEGIN {
  printf "capture: %d WireGuard packets, %.1f MB\n", c, b/1e6;
  printf "%-8s %8s %14s %10s %12s\n", "tool", "wall s", "packets/s", "MB/s", "max RSS MB";
  printf "%-8s %8.2f %14.0f %10.0f %12.0f\n", "wgdiag", w, c/w, b/1e6/w, wr/1024;
  printf "%-8s %8.2f %14.0f %10.0f %12.0f   (read + decode only: --list --port 1)\n", "decode", d, c/d, b/1e6/d, dr/1024;
  printf "%-8s %8.2f %14.0f %10.0f %12.0f\n", "tshark", t, c/t, b/1e6/t, tr/1024;
  printf "speed-up over tshark: %.1fx; analysis costs %.2fx the decode alone\n", t/w, w/d }'
