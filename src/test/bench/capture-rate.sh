#!/bin/bash
# Benchmark: the highest UDP packet rate `wgdiag capture` sustains with zero libpcap drops, on a
# veth pair between two namespaces (src/test/capture/wgpair.sh), while writing a pcap file.
# iperf3 sends UDP datagrams of a WireGuard transport size (default 1452 bytes: 1420-byte MTU
# payload + 32 bytes of WireGuard overhead) at increasing rates for STEP seconds each.
# Usage: mvn -q test-compile && src/test/bench/capture-rate.sh [LEN] [STEP_SECONDS] [RATES_MBIT...]
# Needs root, iperf3, java; class path from `mvn dependency:build-classpath`.
set -u
cd "$(dirname "$0")/../../.."
LEN=${1:-1452}; STEP=${2:-5}; shift 2 2>/dev/null
RATES=${*:-"50 100 200 400 800 1600 3200 6400"}
T=wgb$(head -c3 /dev/urandom | od -An -tx1 | tr -d ' \n')
OUT=$(mktemp -d /tmp/${T}.XXXX)
CP=target/classes:$(mvn -B -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout 2>/dev/null | sed "s/\x1b\[[0-9;]*m//g")
cleanup() { [ -n "${SRV:-}" ] && kill "$SRV" 2>/dev/null; src/test/capture/wgpair.sh down "$T"; rm -rf "$OUT"; }
trap cleanup EXIT
src/test/capture/wgpair.sh up "$T" || exit 1
ip netns exec ${T}a iperf3 -s -p 5201 -B 198.51.100.1 >/dev/null 2>&1 & SRV=$!
sleep 0.5
best=0
printf "%10s %12s %12s %10s %10s\n" "Mbit/s" "sent pkt/s" "captured" "drops" "written"
for r in $RATES; do
  ip netns exec ${T}a java -cp "$CP" dev.wgdiag.cli.CaptureCommand ${T}va -w "$OUT/c.pcap" --no-status \
      -d $((STEP + 2)) >/dev/null 2>"$OUT/err" &
  CAP=$!
  for i in $(seq 50); do grep -q "capturing on" "$OUT/err" 2>/dev/null && break; sleep 0.1; done
  sleep 0.3
  sent=$(ip netns exec ${T}b iperf3 -c 198.51.100.1 -p 5201 -u -l "$LEN" -b ${r}M -t "$STEP" -J 2>/dev/null \
         | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["end"]["sum"]["packets"])' 2>/dev/null || echo 0)
  wait $CAP
  line=$(grep "packets captured" "$OUT/err")
  cap=$(echo "$line" | sed -E 's/.*wgdiag: ([0-9]+) packets captured.*/\1/')
  drops=$(echo "$line" | sed -E 's/.*messages, ([0-9?]+) dropped by libpcap.*/\1/')
  written=$(grep -oE "wrote [0-9]+" "$OUT/err" | grep -oE "[0-9]+")
  printf "%10s %12s %12s %10s %10s\n" "$r" "$((sent / STEP))" "$cap" "$drops" "$written"
  if [ "$drops" = "0" ] && [ "$sent" -gt 0 ]; then best=$((sent / STEP)); else break; fi
done
echo "highest rate with zero libpcap drops: $best packets/s of $LEN bytes (UDP payload), $STEP s steps"
