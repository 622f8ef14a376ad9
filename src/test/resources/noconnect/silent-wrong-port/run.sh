set -e
ip link set lo up
nft add table inet noconnect
nft add chain inet noconnect out '{ type filter hook output priority 0; }'
nft add rule inet noconnect out icmp type destination-unreachable drop
tcpdump -i lo -U -n -Z root -w lo.pcap "udp port 47816 or icmp" 2> tcpdump.err &
td=$!
sleep 1
${WGDIAG:-/tmp/nc/wg} peer server.conf -d 14s --no-status > server.out 2> server.err &
sv=$!
sleep 2
${WGDIAG:-/tmp/nc/wg} peer phone.conf --ping 10.0.0.1 -c 1 -W 11 --no-status > phone.out 2> phone.err || true
wait $sv || true
kill -INT $td; wait $td || true
