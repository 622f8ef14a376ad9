#!/bin/bash
# Benchmark: whole-process start-up of the launcher on a small capture (issue 13 item 5: <= 0.3 s).
# Runs `src/bin/wgdiag analyze CAPTURE` N times (output to /dev/null) and prints best and median wall
# time and the median user+sys CPU time (the machine is shared: CPU time is steadier than wall time),
# with the load average before and after. Extra JVM options come from WGDIAG_JAVA_OPTS as usual
# (e.g. WGDIAG_JAVA_OPTS=-Xshare:off to measure without the class-data archive).
# LAUNCHER=path runs another launcher (e.g. an older one, with WGDIAG_JAR naming its jar).
# Usage: mvn -B -q -o package -DskipTests && src/test/bench/startup.sh [N=10] [CAPTURE=captures/handshake-ping.client.pcap]
set -u
cd "$(dirname "$0")/../../.."
N=${1:-10}; CAP=${2:-captures/handshake-ping.client.pcap}; L=${LAUNCHER:-src/bin/wgdiag}
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$L" analyze "$CAP" > /dev/null 2>&1   # warm the page cache
for i in $(seq "$N"); do
    /usr/bin/time -f '%e %U %S' -o /tmp/wgdiag-startup.$$ "$L" analyze "$CAP" > /dev/null 2>&1
    cat /tmp/wgdiag-startup.$$
done > /tmp/wgdiag-startup.$$.all
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.2f", (v[int((NR+1)/2)] + v[int(NR/2)+1]) / 2 }'; }
best() { sort -n | head -n 1; }
printf 'runs %d  wall best %s s  median %s s  cpu(user+sys) best %s s  median %s s\n' "$N" \
    "$(cut -d' ' -f1 /tmp/wgdiag-startup.$$.all | best)" "$(cut -d' ' -f1 /tmp/wgdiag-startup.$$.all | median)" \
    "$(awk '{ printf "%.2f\n", $2 + $3 }' /tmp/wgdiag-startup.$$.all | best)" \
    "$(awk '{ printf "%.2f\n", $2 + $3 }' /tmp/wgdiag-startup.$$.all | median)"
rm -f /tmp/wgdiag-startup.$$.all
rm -f /tmp/wgdiag-startup.$$
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
