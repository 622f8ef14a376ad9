#!/bin/bash
# Two network namespaces joined by a veth pair, each with a wireguard-go peer, for the capture
# tests and benchmark. Addresses only from documentation / shared ranges:
#   veth   198.51.100.1/24 (ns ${T}a)  <->  198.51.100.2/24 (ns ${T}b)
#   tunnel 100.64.77.1/32              <->  100.64.77.2/32, WireGuard ports 51820 / 51821
# Usage: wgpair.sh up TOKEN      (TOKEN: a few lowercase letters/digits, unique per run)
#        wgpair.sh wg TOKEN      (start wireguard-go on both sides; first ping starts the handshake)
#        wgpair.sh down TOKEN    (removes everything the token created; safe to repeat)
# Names: namespaces ${T}a ${T}b, veth ${T}va ${T}vb, WireGuard interfaces ${T}wa ${T}wb (<= 15 chars).
set -u
cmd=$1; T=$2
A=${T}a; B=${T}b
case "$cmd" in
up)
  set -e
  ip netns add "$A"; ip netns add "$B"
  ip link add "${T}va" netns "$A" type veth peer name "${T}vb" netns "$B"
  ip -n "$A" addr add 198.51.100.1/24 dev "${T}va"; ip -n "$B" addr add 198.51.100.2/24 dev "${T}vb"
  ip -n "$A" link set "${T}va" up; ip -n "$B" link set "${T}vb" up
  ip -n "$A" link set lo up; ip -n "$B" link set lo up
  ;;
wg)
  set -e
  umask 077
  dir=$(mktemp -d /tmp/${T}.XXXX)
  wg genkey > "$dir/a.key"; wg genkey > "$dir/b.key"
  wg pubkey < "$dir/a.key" > "$dir/a.pub"; wg pubkey < "$dir/b.key" > "$dir/b.pub"
  ip netns exec "$A" wireguard-go "${T}wa"; ip netns exec "$B" wireguard-go "${T}wb"
  ip netns exec "$A" wg set "${T}wa" private-key "$dir/a.key" listen-port 51820 \
      peer "$(cat "$dir/b.pub")" allowed-ips 100.64.77.2/32 endpoint 198.51.100.2:51821
  ip netns exec "$B" wg set "${T}wb" private-key "$dir/b.key" listen-port 51821 \
      peer "$(cat "$dir/a.pub")" allowed-ips 100.64.77.1/32 endpoint 198.51.100.1:51820
  rm -rf "$dir"
  ip -n "$A" addr add 100.64.77.1/32 peer 100.64.77.2/32 dev "${T}wa"; ip -n "$A" link set "${T}wa" up
  ip -n "$B" addr add 100.64.77.2/32 peer 100.64.77.1/32 dev "${T}wb"; ip -n "$B" link set "${T}wb" up
  ;;
down)
  ip -n "$A" link del "${T}wa" 2>/dev/null; ip -n "$B" link del "${T}wb" 2>/dev/null
  for i in 1 2 3 4 5 6 7 8 9 10; do pgrep -f "wireguard-go ${T}w" >/dev/null || break; sleep 0.2; done
  pgrep -f "wireguard-go ${T}w[ab]\$" | xargs -r kill 2>/dev/null
  ip netns pids "$A" 2>/dev/null | xargs -r kill 2>/dev/null
  ip netns pids "$B" 2>/dev/null | xargs -r kill 2>/dev/null
  ip netns del "$A" 2>/dev/null; ip netns del "$B" 2>/dev/null
  rm -f "/var/run/wireguard/${T}wa.sock" "/var/run/wireguard/${T}wb.sock"
  exit 0
  ;;
*) echo "usage: $0 up|wg|down TOKEN" >&2; exit 2;;
esac
