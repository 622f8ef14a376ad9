ip link set lo up
tcpdump -i lo -U -n -w lo.pcap udp 2> tcpdump.err &
TD=$!
sleep 1
for n in 1 2; do
  if [ $n = 1 ]; then c=server.conf; p=47811; else c=server2.conf; p=47812; fi
  LOG_LEVEL=verbose WG_PROCESS_FOREGROUND=1 wireguard-go wg$n > wg$n.log 2>&1 &
  sleep 1
  grep -v '^Address' $c | sed 's/^ListenPort.*/ListenPort = '$p'/' > wg$n.setconf
  wg setconf wg$n wg$n.setconf
  ip link set wg$n up
done
/tmp/nc/wg peer phone.conf --ping 10.0.0.1 -c 1 -W 2 --no-status > p1.out 2>&1
/tmp/nc/wg peer phone2.conf --ping 10.0.0.1 -c 1 -W 2 --no-status > p2.out 2>&1
sleep 1
kill $TD
ip link del wg1; ip link del wg2
sleep 1
