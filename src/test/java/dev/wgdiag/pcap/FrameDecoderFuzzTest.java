package dev.wgdiag.pcap;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.Arrays;

/**
 * Coverage-guided fuzzing of link-layer, IPv4/IPv6 and UDP decoding and of fragment reassembly
 * (overlapping, conflicting, never-completed, timed-out fragments), frame by frame, see
 * docs/security.md.
 *
 * <p>Input layout: byte 0 picks the link type; then frames, each {@code step(1) length(2, big-endian)
 * bytes(length)}, where step advances the capture clock by step x 250 ms (so reassemblies time out
 * after the 30 s limit). Each frame is copied into an array of exactly its length, so a decoder
 * reading one byte past a frame fails with an exception here instead of reading its neighbour. The
 * reassembly table holds only 4 datagrams, so that eviction runs too.
 */
class FrameDecoderFuzzTest {
    static final int[] LINK_TYPES = {PacketDecoder.LINKTYPE_ETHERNET, PacketDecoder.LINKTYPE_RAW, PacketDecoder.LINKTYPE_IPV4,
            PacketDecoder.LINKTYPE_IPV6, PacketDecoder.LINKTYPE_LINUX_SLL, PacketDecoder.LINKTYPE_LINUX_SLL2,
            PacketDecoder.LINKTYPE_NULL, PacketDecoder.LINKTYPE_LOOP, PacketDecoder.DLT_RAW_12, PacketDecoder.DLT_RAW_14};

    @FuzzTest(maxDuration = "10m")
    void decodesAnyFrames(byte[] data) {
        if (data.length == 0) return;
        Invariants check = new Invariants();
        CaptureOptions options = CaptureOptions.builder().icmpHandler(check).maxPendingReassemblies(4).build();
        FrameDecoder decoder = new FrameDecoder(LINK_TYPES[(data[0] & 0xff) % LINK_TYPES.length], check, options);
        long time = 1_700_000_000_000_000_000L;
        long frame = 0;
        int p = 1;
        while (p + 3 <= data.length) {
            time += (data[p] & 0xff) * 250_000_000L;
            int len = Math.min(((data[p + 1] & 0xff) << 8) | (data[p + 2] & 0xff), data.length - p - 3);
            byte[] f = Arrays.copyOfRange(data, p + 3, p + 3 + len);
            decoder.decode(time, 9, ++frame, f, 0, len);
            p += 3 + len;
        }
        Invariants.check(decoder.datagrams() == check.datagrams, "datagram count");
        decoder.skipped().forEach((reason, n) -> Invariants.check(n > 0, reason));
    }
}
