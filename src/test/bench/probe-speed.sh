#!/bin/bash
# Benchmark: how long `wgdiag probe` (default schedule) takes to bracket a NAT's UDP mapping timers,
# against a real nftables masquerade whose conntrack timers are set by sysctl (the truth).
# Three namespaces of its own (client 100.64.59.2, NAT, server 203.0.113.238), torn down at exit.
# Prints the brackets, lifetimeSearchSeconds (the rounds; the inbound-refresh test follows) and the
# ratio to the established timer. Issue 17's target: a 120 s timer within 5 s / 5 % in about 180 s.
# Usage: mvn -q -o test-compile && src/test/bench/probe-speed.sh [STREAM_S=120] [ONE_WAY_S=30] [MAX_LIFETIME=300]
# Needs root, ip, nft, sysctl, jq, java.
set -u
cd "$(dirname "$0")/../../.."
STREAM=${1:-120}; ONEWAY=${2:-30}; MAX=${3:-300}
T=$(head -c2 /dev/urandom | od -An -tx1 | tr -d ' \n')
C=wgps-c-$T; N=wgps-n-$T; S=wgps-s-$T
OUT=$(mktemp -d /tmp/wgps.XXXX)
CP=target/classes:$(mvn -B -q -o dependency:build-classpath -Dmdep.outputFile=/dev/stdout 2>/dev/null | sed "s/\x1b\[[0-9;]*m//g")
cleanup() { [ -n "${SRV:-}" ] && kill "$SRV" 2>/dev/null; for n in $C $N $S; do ip netns del $n 2>/dev/null; done; rm -rf "$OUT"; }
trap cleanup EXIT
for n in $C $N $S; do ip netns add $n; done
ip link add wpsc$T netns $C type veth peer name wpsn$T netns $N
ip link add wpss$T netns $S type veth peer name wpsm$T netns $N
ip -n $C addr add 100.64.59.2/30 dev wpsc$T; ip -n $N addr add 100.64.59.1/30 dev wpsn$T
ip -n $N addr add 203.0.113.237/30 dev wpsm$T; ip -n $S addr add 203.0.113.238/30 dev wpss$T
for l in "$C wpsc$T" "$C lo" "$N wpsn$T" "$N wpsm$T" "$N lo" "$S wpss$T" "$S lo"; do set -- $l; ip -n $1 link set $2 up; done
ip -n $C route add default via 100.64.59.1
ip netns exec $N sysctl -qw net.ipv4.ip_forward=1
printf 'table ip wgps {\n chain post {\n  type nat hook postrouting priority srcnat; policy accept;\n  oifname "wpsm%s" masquerade\n }\n}\n' $T > $OUT/nat.nft
ip netns exec $N nft -f $OUT/nat.nft
ip netns exec $N sysctl -qw net.netfilter.nf_conntrack_udp_timeout=$ONEWAY net.netfilter.nf_conntrack_udp_timeout_stream=$STREAM
SK=$(java -cp "$CP" dev.wgdiag.cli.Main genkey); CK=$(java -cp "$CP" dev.wgdiag.cli.Main genkey)
SP=$(echo "$SK" | java -cp "$CP" dev.wgdiag.cli.Main pubkey); CPUB=$(echo "$CK" | java -cp "$CP" dev.wgdiag.cli.Main pubkey)
umask 077
printf '[Interface]\nPrivateKey = %s\nListenPort = 47590\nAddress = 10.77.0.1/24\n\n[Peer]\nPublicKey = %s\nAllowedIPs = 10.77.0.2/32\n' "$SK" "$CPUB" > $OUT/server.conf
printf '[Interface]\nPrivateKey = %s\nAddress = 10.77.0.2/24\n\n[Peer]\nPublicKey = %s\nEndpoint = 203.0.113.238:47590\nAllowedIPs = 10.77.0.0/24\n' "$CK" "$SP" > $OUT/client.conf
ip netns exec $S java -cp "$CP" dev.wgdiag.cli.Main probe serve $OUT/server.conf -d $((3 * MAX + 120)) > $OUT/serve.out 2>&1 & SRV=$!
sleep 2
start=$(date +%s.%N)
ip netns exec $C java -cp "$CP" dev.wgdiag.cli.Main probe $OUT/client.conf --max-lifetime $MAX --format json > $OUT/p.json 2> $OUT/p.err
rc=$?
wall=$(echo "$(date +%s.%N) - $start" | bc)
[ $rc = 0 ] || { echo "probe failed ($rc):"; cat $OUT/p.err; exit 1; }
grep -E "^round" $OUT/p.err
echo "truth: one-way $ONEWAY s, established $STREAM s (sysctl in the NAT namespace)"
jq -r '"one-way bracket \(.mapping.oneWayLifetimeSeconds.lower), \(.mapping.oneWayLifetimeSeconds.upper); established \(.mapping.lifetimeSeconds.lower), \(.mapping.lifetimeSeconds.upper)"' $OUT/p.json
search=$(jq -r .lifetimeSearchSeconds $OUT/p.json)
printf "lifetimes bracketed after %s s (%.2f x the established timer; target <= %s s); whole run %.1f s with the inbound-refresh test\n" \
  "$search" "$(echo "$search / $STREAM" | bc -l)" "$((STREAM + 60))" "$wall"
