#!/usr/bin/env python3
"""Writes the seed inputs of the Jazzer fuzz tests (docs/security.md) from the bundled captures,
the pcap test fixtures and the lab configs. Run from the project directory:
    python3 src/test/fuzz/make-seeds.py
Seeds go to src/test/resources/dev/wgdiag/<package>/<TestClass>Inputs/<method>/seed-*, Jazzer's
layout: every `mvn test` replays each file there as one test (regression mode), and JAZZER_FUZZ=1
runs start from them. Findings and the minimized corpus kept from long runs sit beside the seeds.

dsb-handshake-pings.pcapng (beside this script) was made once: a handshake and three pings between
the handshake-ping lab keys (captures/handshake-ping.*.conf) with a known initiator ephemeral, by
wgdiag's own HandshakeInitiator / HandshakeResponder and PcapWriter, then
`editcap --inject-secrets wg,KEYLOG` put the keylog in a Decryption Secrets Block; tshark decrypts it.
"""
import glob
import os
import struct

ROOT = os.getcwd()
RES = os.path.join(ROOT, "src/test/resources/dev/wgdiag")
FIX = os.path.join(ROOT, "src/test/resources/pcap")
CAP = os.path.join(ROOT, "captures")
HERE = os.path.dirname(os.path.abspath(__file__))

# FrameDecoderFuzzTest.LINK_TYPES, in order
LINK_TYPES = [1, 101, 228, 229, 113, 276, 0, 108, 12, 14]


def out(test, method, name, data):
    d = os.path.join(RES, test + "Inputs", method)
    os.makedirs(d, exist_ok=True)
    # no .pcap/.conf extension: tools that walk the test resources for captures (TsharkAgreementTest)
    # must not take the corpus for fixtures
    with open(os.path.join(d, "seed-" + name.replace(".", "-")), "wb") as f:
        f.write(data)


def pcap_records(path):
    """(link type, [(time ns, frame bytes)]) of a classic pcap file."""
    b = open(path, "rb").read()
    magic = struct.unpack("<I", b[:4])[0]
    if magic == 0x0a0d0d0a:
        return None, []                      # pcapng (some fixtures named .pcap are)
    if magic in (0xa1b2c3d4, 0xa1b23c4d):
        e = "<"
    else:
        e = ">"
        magic = struct.unpack(">I", b[:4])[0]
    nano = magic == 0xa1b23c4d
    link = struct.unpack(e + "I", b[20:24])[0] & 0xffff
    recs, p = [], 24
    while p + 16 <= len(b):
        sec, frac, incl, _ = struct.unpack(e + "IIII", b[p:p + 16])
        if p + 16 + incl > len(b):
            break
        recs.append((sec * 10**9 + (frac if nano else frac * 1000), b[p + 16:p + 16 + incl]))
        p += 16 + incl
    return link, recs


def udp_payloads(path):
    """UDP payloads of an Ethernet / IPv4 or IPv6 capture, in order."""
    _, recs = pcap_records(path)
    res = []
    for _, f in recs:
        et = struct.unpack("!H", f[12:14])[0]
        if et == 0x0800:
            ihl = (f[14] & 15) * 4
            if f[23] != 17:
                continue
            u = 14 + ihl
        elif et == 0x86dd:
            if f[20] != 17:
                continue
            u = 14 + 40
        else:
            continue
        res.append(f[u + 8:])
    return res


def frame_seeds():
    files = ["vlan", "sll", "sll2", "loop", "null-be", "null-le", "raw101", "raw12", "ipv4-228", "ipv6-229",
             "fragments", "fragments-snap90", "snap96", "eth-le-usec"]
    paths = [os.path.join(FIX, f + ".pcap") for f in files] + \
            [os.path.join(CAP, f) for f in ("small-mtu.client.pcap", "ipv6-outer.client.pcap")]
    for path in paths:
        link, recs = pcap_records(path)
        if link is None:
            continue
        data = bytearray([LINK_TYPES.index(link)])
        last = recs[0][0] if recs else 0
        for t, f in recs[:48]:
            step = min(255, max(0, (t - last) // 250_000_000))
            last = t
            data += bytes([step]) + struct.pack("!H", len(f)) + f
        out("pcap/FrameDecoderFuzzTest", "decodesAnyFrames", os.path.basename(path), bytes(data))


def wire_seeds():
    pl = udp_payloads(os.path.join(CAP, "handshake-ping.server.pcap"))
    ka = [p for p in udp_payloads(os.path.join(CAP, "keepalive-long.server.pcap")) if len(p) == 32]
    picks = {"initiation": next(p for p in pl if p[0] == 1), "response": next(p for p in pl if p[0] == 2),
             "transport": next(p for p in pl if p[0] == 4 and len(p) > 32),
             "cookie": bytes([3, 0, 0, 0]) + bytes(range(60)), "other": b"\x45not wireguard"}
    if ka:
        picks["keepalive"] = ka[0]
    t = struct.pack("!Q", 1_700_000_000_123_456_789)
    for name, p in picks.items():
        out("wire/WireGuardDecoderFuzzTest", "decodesAnyDatagram", name, bytes([0]) + t + p)
        out("wire/WireGuardDecoderFuzzTest", "decodesAnyDatagram", name + "-port", bytes([3]) + t + p)
        out("wire/WireGuardDecoderFuzzTest", "decodesAnyDatagram", name + "-cut", bytes([0x0c]) + t + p[:40])


def key_of(conf, attr):
    for line in open(conf):
        if line.startswith(attr):
            return line.split("=", 1)[1].strip()


def config_seeds():
    for f in ("handshake-ping.server.conf", "handshake-ping.client.conf", "ipv6-outer.client.conf",
              "roaming.server.conf"):
        out("config/WgConfigFuzzTest", "parsesAnyConfig", f, open(os.path.join(CAP, f), "rb").read())
    priv = key_of(os.path.join(CAP, "handshake-ping.client.conf"), "PrivateKey")
    pub = key_of(os.path.join(CAP, "handshake-ping.client.conf"), "PublicKey")
    psk = key_of(os.path.join(CAP, "handshake-ping.server.conf"), "PrivateKey")  # any 32 bytes do
    full = f"""[Interface]
PrivateKey = {priv}
ListenPort = 51820
FwMark = 0x1234
Address = 10.0.0.2/32, fd86:ea04:1119::2/128
DNS = 10.0.0.1, example.internal
MTU = 1420
Table = off
SaveConfig = false
PreUp = true
PostUp = iptables -A FORWARD -i %i -j ACCEPT
PreDown = true
PostDown = true

# home server
[Peer]
PublicKey = {pub}
PresharedKey = {psk}
AllowedIPs = 0.0.0.0/0, ::/0
Endpoint = [2001:db8::1]:51820
PersistentKeepalive = 25
"""
    out("config/WgConfigFuzzTest", "parsesAnyConfig", "every-attribute.conf", full.encode())
    # Keys in the wrong place: each must be masked in the error (regressions of the secrets rule).
    wrong = {
        "private-key-in-peer.conf": f"[Interface]\nListenPort = 1\n[Peer]\nPublicKey = {pub}\nPrivateKey = {priv}\n",
        "psk-in-interface.conf": f"[Interface]\nPresharedKey = {psk}\n",
        "key-outside-section.conf": f"PrivateKey = {priv}\n[Interface]\n",
        "bare-key-line.conf": f"[Interface]\n{priv}\n",
        "key-typo.conf": f"[Interface]\nPrivateKey = {priv[:-2]}x=\n",
        "commented-key-names-peer.conf": f"[Interface]\n# PrivateKey = {priv}\n[Peer]\nPublicKey = {pub}\n",
    }
    for name, text in wrong.items():
        out("config/WgConfigFuzzTest", "parsesAnyConfig", name, text.encode())


def keylog_seeds():
    priv = key_of(os.path.join(CAP, "handshake-ping.client.conf"), "PrivateKey")
    pub = key_of(os.path.join(CAP, "handshake-ping.client.conf"), "PublicKey")
    eph = key_of(os.path.join(CAP, "handshake-ping.server.conf"), "PrivateKey")
    good = (f"# wireguard keylog\nLOCAL_STATIC_PRIVATE_KEY = {priv}\nREMOTE_STATIC_PUBLIC_KEY = {pub}\n\n"
            f"LOCAL_EPHEMERAL_PRIVATE_KEY = {eph}\nPRESHARED_KEY = {priv}\n")
    out("crypto/KeylogFuzzTest", "parsesAnyKeylog", "all-types.keylog", good.encode())
    bad = {"unknown-type.keylog": f"{priv}\n", "no-equals.keylog": f"LOCAL_STATIC_PRIVATE_KEY {priv}\n",
           "psk-first.keylog": f"PRESHARED_KEY = {priv}\n", "bad-key.keylog": f"LOCAL_STATIC_PRIVATE_KEY = {priv[:-3]}==\n"}
    for name, text in bad.items():
        out("crypto/KeylogFuzzTest", "parsesAnyKeylog", name, text.encode())


def analyze_seeds():
    caps = ["handshake-ping.server.pcap", "keepalive-long.client.pcap", "roaming.server.pcap", "ipv6-outer.client.pcap",
            "dead-at-end.client.pcap", "swap-reject-after.server.pcap"]
    for c in caps:
        out("timeline/AnalyzeFuzzTest", "analyzesAnyCapture", c, open(os.path.join(CAP, c), "rb").read())
    for f in ("fragments.pcapng", "multi-interface.pcapng"):
        out("timeline/AnalyzeFuzzTest", "analyzesAnyCapture", f, open(os.path.join(FIX, f), "rb").read())
    out("timeline/AnalyzeFuzzTest", "analyzesAnyCapture", "dsb-handshake-pings.pcapng",
        open(os.path.join(HERE, "dsb-handshake-pings.pcapng"), "rb").read())
    for s in ("handshake-ping", "roaming", "ipv6-outer", "mapping-expiry"):
        a = open(os.path.join(CAP, s + ".server.pcap"), "rb").read()
        b = open(os.path.join(CAP, s + ".client.pcap"), "rb").read()
        out("timeline/AnalyzeFuzzTest", "joinsAnyTwoCaptures", s, struct.pack("!H", len(a)) + a + b)


def reader_seeds():
    for f in sorted(glob.glob(os.path.join(FIX, "*.pcap*"))):
        out("pcap/CaptureReaderFuzzTest", "readsAnyCapture", os.path.basename(f), open(f, "rb").read())
    for c in ("handshake-ping.server.pcap", "ipv6-outer.client.pcap", "roaming.server.pcap"):
        out("pcap/CaptureReaderFuzzTest", "readsAnyCapture", c, open(os.path.join(CAP, c), "rb").read())
    out("pcap/CaptureReaderFuzzTest", "readsAnyCapture", "dsb-handshake-pings.pcapng",
        open(os.path.join(HERE, "dsb-handshake-pings.pcapng"), "rb").read())


if __name__ == "__main__":
    reader_seeds()
    frame_seeds()
    wire_seeds()
    config_seeds()
    keylog_seeds()
    analyze_seeds()
