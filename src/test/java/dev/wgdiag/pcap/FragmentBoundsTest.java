package dev.wgdiag.pcap;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fragments whose lengths no datagram can have. RFC 2675 section 3: a jumbogram (IPv6 payload length
 * 0, Jumbo Payload option) must not carry a Fragment header, and no reassembled datagram exceeds
 * 65 535 bytes (RFC 8200 section 4.5), so such a fragment is dropped and counted, never reassembled.
 */
class FragmentBoundsTest {
    @Test
    void shouldDropAFragmentOfAJumbogramClaimingTwoGigabytesAtTheLastOffset() {
        // The jumbo length plus the fragment offset (65 528) overflowed an int: the fragment passed the
        // 64 KiB check and was copied past the end of the reassembly buffer.
        byte[] frame = jumboFragment(0x7fffff00, 65528);
        Invariants delivered = new Invariants();
        FrameDecoder decoder = new FrameDecoder(PacketDecoder.LINKTYPE_IPV6, delivered, CaptureOptions.DEFAULTS);

        decoder.decode(1_700_000_000_000_000_000L, 9, 1, frame, 0, frame.length);

        assertEquals(0, delivered.datagrams);
        assertEquals(Map.of("IP fragment beyond 64 KiB", 1L), decoder.skipped());
    }

    @Test
    void shouldDropAFragmentOfAJumbogramAtOffsetZeroToo() {
        byte[] frame = jumboFragment(0x7fff0000, 0);
        FrameDecoder decoder = new FrameDecoder(PacketDecoder.LINKTYPE_IPV6, new Invariants(), CaptureOptions.DEFAULTS);

        decoder.decode(1_700_000_000_000_000_000L, 9, 1, frame, 0, frame.length);

        assertEquals(1L, decoder.skipped().get("IP fragment beyond 64 KiB"));
    }

    /**
     * IPv6 (payload length 0), hop-by-hop header with a Jumbo Payload option (type 0xC2, length 4,
     * RFC 2675), Fragment header (RFC 8200 4.5: next header UDP, offset, M=1, id), then 16 bytes.
     */
    static byte[] jumboFragment(int jumboLength, int offset) {
        ByteBuffer b = ByteBuffer.allocate(40 + 8 + 8 + 16);
        b.putInt(0x60000000).putShort((short) 0).put((byte) 0).put((byte) 64);
        b.put(new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
        b.put(new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2});
        b.put((byte) 44).put((byte) 0).put((byte) 0xc2).put((byte) 4).putInt(jumboLength);
        b.put((byte) 17).put((byte) 0).putShort((short) (offset | 1)).putInt(0x1234);
        b.putShort((short) 40000).putShort((short) 51820).putShort((short) 0).putShort((short) 0).put(new byte[8]);
        return b.array();
    }
}
