package dev.wgdiag.pcap;

import dev.wgdiag.wire.Datagram;
import dev.wgdiag.wire.DatagramHandler;

/**
 * What must hold for whatever the reader delivers, however broken its input: a fuzz harness's
 * handler. Every payload byte claimed as captured is read, so a datagram pointing outside its
 * buffer fails here rather than in some later consumer.
 */
final class Invariants implements DatagramHandler, IcmpHandler, SecretsHandler {
    long datagrams;
    long checksum;

    @Override
    public void onDatagram(Datagram d) {
        datagrams++;
        byte[] b = d.buffer();
        int off = d.payloadOffset();
        int cap = d.payloadCaptured();
        check(b != null, "no buffer");
        check(cap >= 0 && off >= 0 && off + cap <= b.length,
                "payload [" + off + ", " + (off + cap) + ") outside a buffer of " + b.length);
        check(cap <= d.payloadLength(), "captured " + cap + " > wire length " + d.payloadLength());
        check(d.ipVersion() == 4 || d.ipVersion() == 6, "IP version " + d.ipVersion());
        check(d.srcPort() >= 0 && d.srcPort() <= 0xffff && d.dstPort() >= 0 && d.dstPort() <= 0xffff, "port");
        check(d.timeDigits() >= 0 && d.timeDigits() <= 9, "time digits " + d.timeDigits());
        check(d.frameNumber() >= 1, "frame " + d.frameNumber());
        for (int i = off; i < off + cap; i++) checksum += b[i];
        checksum += d.source().toString().length() + d.destination().toString().length();
    }

    @Override
    public void onIcmpError(IcmpError e) {
        check(e.timeDigits() >= 0 && e.timeDigits() <= 9 && e.frameNumber() >= 1, "ICMP error time or frame");
        checksum += e.reporter().length() + e.quotedSource().toString().length()
                + e.quotedDestination().toString().length() + e.kindName().length() + e.mtu() + e.quotedLength();
    }

    @Override
    public void onSecrets(int secretsType, byte[] data) {
        check(data != null, "secrets without data");
        checksum += data.length;
    }

    void stats(CaptureStats stats, long inputLength) {
        check(stats.frames() >= 0 && stats.datagrams() == datagrams, "datagram count " + stats.datagrams() + " vs " + datagrams);
        check(stats.bytesRead() >= 0, "bytes read " + stats.bytesRead());
        for (String w : stats.warnings()) oneLineNaming(w, CaptureReaderFuzzTest.NAME);
        stats.skipped().forEach((reason, n) -> check(n > 0, "skip count " + reason + " = " + n));
    }

    static void oneLineNaming(String message, String name) {
        check(message != null && message.startsWith(name) && message.indexOf('\n') < 0 && message.indexOf('\r') < 0,
                "not one line naming the file: " + message);
    }

    static void check(boolean ok, String what) {
        if (!ok) throw new AssertionError(what);
    }
}
