set -e
ip link set lo up
nft add table inet noconnect
nft add chain inet noconnect in '{ type filter hook input priority 0; }'
nft add rule inet noconnect in udp sport 47815 drop
${WGDIAG:-/tmp/nc/wg} peer server.conf -d 14s --no-status -w server.pcapng > server.out 2> server.err &
sleep 2
${WGDIAG:-/tmp/nc/wg} peer phone.conf --ping 10.0.0.1 -c 1 -W 11 -w phone.pcapng --no-status > phone.out 2> phone.err || true
wait
