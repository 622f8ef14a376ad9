#!/usr/bin/env python3
"""Generates the capture fixtures of dev.wgdiag.pcap tests (see README.md for one line per file).

Frames are crafted byte by byte here (no scapy); editcap / mergecap convert them between formats.
Deterministic: a fixed random seed, fixed time stamps. Run from this directory:
    python3 make-fixtures.py
Truth for the tests comes from tshark reading these files, not from this script.
"""
import gzip
import os
import random
import shutil
import struct
import subprocess

rnd = random.Random(51820)
T0 = 1700000000  # 2023-11-14T22:13:20Z


def wg(kind, extra16=0):
    """A WireGuard-shaped payload: type byte, 3 reserved zero bytes, random rest (sizes of the whitepaper)."""
    size = {1: 148, 2: 92, 3: 64, 4: 32 + 16 * extra16}[kind]
    return bytes([kind, 0, 0, 0]) + bytes(rnd.getrandbits(8) for _ in range(size - 4))


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ip4(a):
    return bytes(int(x) for x in a.split("."))


def ip6(a):
    import ipaddress
    return ipaddress.IPv6Address(a).packed


def udp(sport, dport, payload, length=None):
    return struct.pack("!HHHH", sport, dport, length if length is not None else 8 + len(payload), 0) + payload


def ipv4(src, dst, proto, payload, ident=1, flags_off=0, options=b"", total=None):
    ihl = 5 + len(options) // 4
    tl = total if total is not None else ihl * 4 + len(payload)
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, tl, ident, flags_off, 64, proto, 0, ip4(src), ip4(dst)) + options
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def ipv6(src, dst, nh, payload, plen=None):
    return struct.pack("!IHBB16s16s", 0x60000000, len(payload) if plen is None else plen, nh, 64,
                       ip6(src), ip6(dst)) + payload


def ext(nh, body_len8=0):
    """A generic IPv6 extension header (hop-by-hop / routing / destination options) of 8*(n+1) bytes, padded with PadN."""
    n = 8 * (body_len8 + 1)
    pad = n - 2
    return bytes([nh, body_len8]) + (bytes([1, pad - 2]) + b"\0" * (pad - 2) if pad >= 2 else b"")


def eth(ethertype, payload, tags=()):
    h = b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01"
    for tpid, vid in tags:
        h += struct.pack("!HH", tpid, vid)
    return h + struct.pack("!H", ethertype) + payload


def write_pcap(path, linktype, frames, big=False, nsec=False, snaplen=262144):
    e = ">" if big else "<"
    magic = 0xA1B23C4D if nsec else 0xA1B2C3D4
    with open(path, "wb") as f:
        f.write(struct.pack(e + "IHHiIII", magic, 2, 4, 0, 0, snaplen, linktype))
        for t, data in frames:
            sec = int(t)
            frac = round((t - sec) * (1e9 if nsec else 1e6))
            cap = data[:snaplen]
            f.write(struct.pack(e + "IIII", sec, frac, len(cap), len(data)) + cap)


def times(n, step=0.0123457, start=T0 + 0.000001):
    return [start + i * step for i in range(n)]


def run(*args):
    subprocess.run(args, check=True)


# --- traffic -----------------------------------------------------------------------------------
C4, S4 = "100.64.12.34", "203.0.113.7"
C6, S6 = "2001:db8:1::2", "2001:db8:ff::1"


def v4_mix():
    """IPv4 WireGuard handshake + transport, another port, plus non-UDP frames."""
    p = []
    p.append(eth(0x0800, ipv4(C4, S4, 17, udp(40001, 51820, wg(1)))))
    p.append(eth(0x0800, ipv4(S4, C4, 17, udp(51820, 40001, wg(2)))))
    p.append(eth(0x0800, ipv4(C4, S4, 17, udp(40001, 51820, wg(4, 0)))))           # keepalive
    p.append(eth(0x0806, b"\x00\x01\x08\x00\x06\x04\x00\x01" + b"\0" * 20))          # ARP: not IP
    p.append(eth(0x0800, ipv4(C4, S4, 17, udp(40001, 51820, wg(4, 5)))))
    p.append(eth(0x0800, ipv4(S4, C4, 17, udp(51820, 40001, wg(3)))))
    p.append(eth(0x0800, ipv4(C4, S4, 6, b"\x9c\x41\x00\x16" + b"\0" * 16)))        # TCP
    p.append(eth(0x0800, ipv4(C4, "192.0.2.53", 17, udp(53000, 53, b"\x12\x34" + b"\0" * 30))))
    p.append(eth(0x0800, ipv4(C4, S4, 17, udp(40001, 51820, wg(4, 1)), options=b"\x94\x04\x00\x00")))  # router alert
    p.append(eth(0x0800, ipv4(S4, C4, 17, udp(51820, 40001, wg(4, 20)))))
    p.append(eth(0x0800, ipv4(C4, S4, 17, udp(40001, 51821, wg(1)))) + b"\0" * 6)  # trailer padding
    return p


def icmp_unreachable():
    """ICMP port unreachable quoting a WireGuard UDP datagram (tshark shows the quoted UDP header)."""
    inner = ipv4(S4, C4, 17, udp(51820, 40001, wg(4, 0)))[:28]
    icmp = struct.pack("!BBHI", 3, 3, 0, 0) + inner
    return eth(0x0800, ipv4(C4, S4, 1, icmp))


def v6_mix():
    p = []
    p.append(eth(0x86DD, ipv6(C6, S6, 17, udp(40002, 51820, wg(1)))))
    p.append(eth(0x86DD, ipv6(S6, C6, 17, udp(51820, 40002, wg(2)))))
    p.append(eth(0x86DD, ipv6(C6, S6, 0, ext(17) + udp(40002, 51820, wg(4, 0)))))              # hop-by-hop
    p.append(eth(0x86DD, ipv6(C6, S6, 60, ext(43, 1) + bytes([17, 0, 0, 0]) + b"\0" * 4
                              + udp(40002, 51820, wg(4, 3)))))                                  # dstopts, routing
    p.append(eth(0x86DD, ipv6(S6, C6, 58, struct.pack("!BBHI", 128, 0, 0, 0))))                # ICMPv6 echo
    p.append(eth(0x86DD, ipv6(S6, "fd00::5", 17, udp(51820, 41000, wg(4, 2)))))
    return p


def fragments4(src, dst, sport, dport, payload, ident, mtu_payload):
    data = udp(sport, dport, payload)
    out = []
    off = 0
    while off < len(data):
        chunk = data[off:off + mtu_payload]
        more = off + len(chunk) < len(data)
        out.append(ipv4(src, dst, 17, chunk, ident=ident, flags_off=(0x2000 if more else 0) | (off // 8)))
        off += len(chunk)
    return out


def fragments6(src, dst, sport, dport, payload, ident, mtu_payload):
    data = udp(sport, dport, payload)
    out = []
    off = 0
    while off < len(data):
        chunk = data[off:off + mtu_payload]
        more = off + len(chunk) < len(data)
        fh = struct.pack("!BBHI", 17, 0, off | (1 if more else 0), ident)
        out.append(ipv6(src, dst, 44, fh + chunk))
        off += len(chunk)
    return out


def frag_traffic():
    """Two interleaved fragmented datagrams (one out of order), a whole one between, one never completed."""
    a = fragments4(C4, S4, 40001, 51820, wg(4, 90), 0x1111, 576)   # 1472 + 8 bytes: 3 fragments
    b = fragments4(S4, C4, 51820, 40001, wg(4, 60), 0x2222, 600)  # 2 fragments
    lost = fragments4(C4, S4, 40001, 51820, wg(4, 70), 0x3333, 600)
    c = fragments6(C6, S6, 40002, 51820, wg(4, 100), 0xABCD0001, 1232)  # 1640: 2 fragments
    d = fragments6(S6, C6, 51820, 40002, wg(4, 40), 0xABCD0002, 304)
    seq = [a[0], b[1], a[2], ipv4(C4, S4, 17, udp(40001, 51820, wg(4, 0))), b[0], a[1],
           lost[0], c[0], d[2], d[0], c[1], d[1], ipv6(C6, S6, 17, udp(40002, 51820, wg(1)))]
    return [eth(0x86DD if (x[0] >> 4) == 6 else 0x0800, x) for x in seq]


def with_times(frames, start=T0 + 0.000001, step=0.0123457):
    return list(zip(times(len(frames), step, start), frames))


def main():
    os.chdir(os.path.dirname(os.path.abspath(__file__)))
    base = v4_mix() + [icmp_unreachable()] + v6_mix()
    write_pcap("eth-le-usec.pcap", 1, with_times(base))
    write_pcap("eth-be-usec.pcap", 1, with_times(base), big=True)
    write_pcap("eth-be-nsec.pcap", 1, with_times(base, start=T0 + 0.123456789, step=0.000000333), big=True, nsec=True)
    run("editcap", "-F", "nsecpcap", "eth-le-usec.pcap", "eth-le-nsec.pcap")
    run("editcap", "-F", "pcapng", "eth-le-usec.pcap", "eth.pcapng")
    vl = [eth(0x0800, ipv4(C4, S4, 17, udp(40001, 51820, wg(1))), tags=[(0x8100, 100)]),
          eth(0x86DD, ipv6(C6, S6, 17, udp(40002, 51820, wg(2))), tags=[(0x88A8, 10), (0x8100, 20)]),
          eth(0x0800, ipv4(S4, C4, 17, udp(51820, 40001, wg(4, 2))), tags=[(0x9100, 7), (0x8100, 8)]),
          eth(0x0806, b"\0" * 28, tags=[(0x8100, 100)])]
    write_pcap("vlan.pcap", 1, with_times(vl))
    write_pcap("fragments.pcap", 1, with_times(frag_traffic()))
    run("editcap", "-F", "pcapng", "fragments.pcap", "fragments.pcapng")
    # snaplen-cut captures: every header still present, payload cut
    run("editcap", "-s", "96", "eth-le-usec.pcap", "snap96.pcap")
    run("editcap", "-s", "90", "fragments.pcap", "fragments-snap90.pcap")

    ips = [ipv4(C4, S4, 17, udp(40001, 51820, wg(1))), ipv6(S6, C6, 17, udp(51820, 40002, wg(2))),
           ipv4(S4, C4, 17, udp(51820, 40001, wg(4, 1))), ipv4(C4, S4, 1, b"\x08\0\0\0\0\0\0\0")]
    write_pcap("raw101.pcap", 101, with_times(ips))
    write_pcap("raw12.pcap", 12, with_times(ips))
    write_pcap("ipv4-228.pcap", 228, with_times([x for x in ips if x[0] >> 4 == 4]))
    write_pcap("ipv6-229.pcap", 229, with_times([x for x in ips if x[0] >> 4 == 6]))

    def fam(x, big, v6):
        return struct.pack(">I" if big else "<I", v6 if x[0] >> 4 == 6 else 2) + x
    write_pcap("null-le.pcap", 0, with_times([fam(x, False, 30) for x in ips]))          # macOS utun/lo0
    write_pcap("null-be.pcap", 0, with_times([fam(x, True, 24) for x in ips]), big=True)  # big-endian host
    write_pcap("loop.pcap", 108, with_times([fam(x, True, 28) for x in ips]))            # OpenBSD loop: network order

    def sll(x, v6):
        return struct.pack("!HHH8sH", 0, 1, 6, b"\x02\0\0\0\0\x01\0\0", 0x86DD if v6 else 0x0800) + x

    def sll2(x, v6):
        return struct.pack("!HHIHBB8s", 0x86DD if v6 else 0x0800, 0, 3, 1, 4, 6, b"\x02\0\0\0\0\x01\0\0") + x
    write_pcap("sll.pcap", 113, with_times([sll(x, x[0] >> 4 == 6) for x in ips]))
    write_pcap("sll2.pcap", 276, with_times([sll2(x, x[0] >> 4 == 6) for x in ips], start=T0 + 0.5))

    # several interfaces with different link types in one pcapng
    run("mergecap", "-F", "pcapng", "-w", "multi-interface.pcapng", "eth-le-usec.pcap", "sll2.pcap", "raw101.pcap")

    write_handmade_pcapng("sections.pcapng", ips)

    # gzip, with and without a .gz name
    with open("eth-le-usec.pcap", "rb") as f, gzip.GzipFile("eth-le-usec.pcap.gz", "wb", mtime=0) as g:
        shutil.copyfileobj(f, g)
    with open("fragments.pcapng", "rb") as f, gzip.GzipFile("gzipped-without-suffix.pcapng", "wb", mtime=0) as g:
        shutil.copyfileobj(f, g)

    # damaged inputs
    data = open("eth-le-usec.pcap", "rb").read()
    off = 24
    for _ in range(5):                                  # walk records 1-5, then cut 60 bytes into record 6
        off += 16 + struct.unpack_from("<I", data, off + 8)[0]
    open("truncated.pcap", "wb").write(data[:off + 16 + 60])
    data = open("eth.pcapng", "rb").read()
    open("truncated.pcapng", "wb").write(data[:len(data) - 50])
    open("bad-magic.pcap", "wb").write(b"<html><body>not a capture</body></html>\n")
    open("empty.pcap", "wb").close()
    open("short-header.pcap", "wb").write(data[:0] + struct.pack("<IHH", 0xA1B2C3D4, 2, 4))


def write_handmade_pcapng(path, ips):
    """Two sections (little-endian then big-endian), interfaces with if_tsresol (10^-9, 2^-20) and
    if_tsoffset, EPB, SPB, obsolete PB, a Decryption Secrets Block, a Name Resolution Block,
    an Interface Statistics Block, a Custom Block (tshark numbers it as a frame) and an unknown block type."""
    def block(e, btype, body):
        body += b"\0" * (-len(body) % 4)
        n = 12 + len(body)
        return struct.pack(e + "II", btype, n) + body + struct.pack(e + "I", n)

    def opt(e, code, value):
        return struct.pack(e + "HH", code, len(value)) + value + b"\0" * (-len(value) % 4)

    def shb(e):
        return block(e, 0x0A0D0D0A, struct.pack(e + "IHHq", 0x1A2B3C4D, 1, 0, -1))

    def idb(e, lt, opts=b""):
        return block(e, 1, struct.pack(e + "HHI", lt, 0, 262144) + opts + (opt(e, 0, b"") if opts else b""))

    def epb(e, ifid, ts, data):
        return block(e, 6, struct.pack(e + "IIIII", ifid, ts >> 32, ts & 0xFFFFFFFF, len(data), len(data))
                     + data + b"\0" * (-len(data) % 4))

    def pb(e, ifid, ts, data):
        return block(e, 2, struct.pack(e + "HHIIII", ifid, 0, ts >> 32, ts & 0xFFFFFFFF, len(data), len(data))
                     + data + b"\0" * (-len(data) % 4))

    def spb(e, data):
        return block(e, 3, struct.pack(e + "I", len(data)) + data + b"\0" * (-len(data) % 4))

    keylog = b"LOCAL_STATIC_PRIVATE_KEY = AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
    out = b""
    e = "<"
    out += shb(e)
    out += idb(e, 1)                                                           # if 0: Ethernet, default µs
    out += idb(e, 101, opt(e, 9, b"\x09"))                                     # if 1: raw, ns
    out += block(e, 0x0000000A, struct.pack(e + "II", 0x57474B4C, len(keylog)) + keylog)   # DSB (WGKL)
    out += epb(e, 0, (T0 * 10**6) + 111111, eth(0x0800, ips[0]))
    out += epb(e, 1, (T0 * 10**9) + 222222222, ips[1])
    out += block(e, 4, struct.pack(e + "HH", 0, 0))                            # NRB (end only)
    out += pb(e, 0, (T0 * 10**6) + 333333, eth(0x0800, ips[2]))
    out += spb(e, eth(0x0800, ips[0]))                                         # SPB: interface 0, no time
    out += block(e, 0x00000BAD, struct.pack(e + "I", 32473) + b"custom block")   # tshark: a frame
    out += block(e, 0x00000101, b"unknown block type, skipped")
    out += block(e, 5, struct.pack(e + "III", 0, T0 >> 0 >> 32, T0 & 0xFFFFFFFF))   # ISB
    e = ">"
    out += shb(e)
    out += idb(e, 1, opt(e, 9, b"\x94"))                                        # if 0: 2^-20 s
    out += idb(e, 113, opt(e, 9, b"\x03") + opt(e, 14, struct.pack(">q", 3600)))  # if 1: ms, +1 h
    out += epb(e, 1, (T0 * 10**3) + 7, struct.pack("!HHH8sH", 0, 1, 6, b"\x02\0\0\0\0\x01\0\0", 0x0800) + ips[2])
    out += epb(e, 0, (T0 << 20) + 123456, eth(0x86DD, ips[1]))
    out += epb(e, 0, (T0 << 20) + (1 << 20) - 1, eth(0x0800, ips[0]))
    open(path, "wb").write(out)


if __name__ == "__main__":
    main()
