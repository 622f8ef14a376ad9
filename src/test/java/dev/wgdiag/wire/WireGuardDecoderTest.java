package dev.wgdiag.wire;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sizes and layouts from the WireGuard whitepaper section 5.4 (and wireguard-go noise-protocol.go). */
class WireGuardDecoderTest {
    private final List<String> seen = new ArrayList<>();
    private final WireGuardDecoder decoder = new WireGuardDecoder((d, m) -> seen.add(
            m.type() + (m.hasSender() ? " s=" + Long.toHexString(m.sender()) : "")
                    + (m.hasReceiver() ? " r=" + Long.toHexString(m.receiver()) : "")
                    + (m.hasCounter() ? " c=" + Long.toUnsignedString(m.counter()) : "")
                    + (m.hasMac2() ? " mac2=" + m.mac2Set() : "")));

    private void feed(byte[] payload, int wireLength, int port) {
        decoder.onDatagram(new Datagram().set(1_000_000_000L, 6, 1, 4, 0, 0xc0000201L, 40000,
                0, 0xc6336402L, port, payload, 0, payload.length, wireLength));
    }

    private void feed(byte[] payload) {
        feed(payload, payload.length, 51820);
    }

    @Test
    void shouldDecodeKeepaliveWithReceiverAndCounter() {
        byte[] keepalive = HexFormat.of().parseHex(
                "04" + "000000"                  // type 4 (transport), 3 reserved zero bytes
                + "7b7e885e"                     // receiver index 0x5e887e7b, little-endian
                + "0500000000000000"             // counter 5, little-endian
                + "00112233445566778899aabbccddeeff"); // 16-byte Poly1305 tag of an empty payload
        feed(keepalive);
        assertEquals(List.of("KEEPALIVE r=5e887e7b c=5"), seen);
    }

    @Test
    void shouldDecodeInitiationAndSeeMac2InUse() {
        byte[] initiation = new byte[Protocol.MESSAGE_INITIATION_SIZE];
        initiation[0] = 1;                        // type 1, reserved zero
        initiation[4] = (byte) 0xef;              // sender 0xdeadbeef, little-endian
        initiation[5] = (byte) 0xbe;
        initiation[6] = (byte) 0xad;
        initiation[7] = (byte) 0xde;
        initiation[140] = 1;                      // one byte of mac2 (offset 132..147) non-zero: cookie in use
        feed(initiation);
        assertEquals(List.of("INITIATION s=deadbeef mac2=true"), seen);
    }

    @Test
    void shouldDecodeHeaderFieldsOfAFrameCutBySnaplen() {
        byte[] response = new byte[12];           // only 12 of 92 bytes captured
        response[0] = 2;                          // type 2, reserved zero
        response[4] = 1;                          // sender 1
        response[8] = 2;                          // receiver 2
        feed(response, Protocol.MESSAGE_RESPONSE_SIZE, 51820);
        assertEquals(List.of("RESPONSE s=1 r=2"), seen);
    }

    @Test
    void shouldRejectLookAlikesWithTheirReason() {
        feed(new byte[]{1, 0, 0, 0, 0, 0, 0, 0});                    // type 1 but 8 bytes, not 148
        byte[] unpadded = new byte[33];
        unpadded[0] = 4;                                             // transport of 33 bytes: not 32 + 16k
        feed(unpadded);
        byte[] reserved = new byte[32];
        reserved[0] = 4;
        reserved[2] = 7;                                             // reserved byte not zero
        feed(reserved);
        assertTrue(seen.isEmpty());
        assertEquals(Map.of(RejectReason.WRONG_LENGTH, 1L, RejectReason.TRANSPORT_NOT_PADDED, 1L,
                RejectReason.RESERVED_NOT_ZERO, 1L), decoder.rejected());
    }

    @Test
    void shouldAcceptAnMtuSizedTransportThatPaddingCouldNotRoundUp() {
        // wireguard-go send.go: padded size = min(roundup16(len), MTU); with MTU 1420 a 1420-byte
        // inner packet travels as 16 header + 1420 + 16 tag = 1452 bytes, 1420 not a multiple of 16.
        byte[] transport = new byte[1452];
        transport[0] = 4;
        feed(transport);
        assertEquals(List.of("TRANSPORT r=0 c=0"), seen);
    }

    @Test
    void shouldIgnoreOtherUdpWithoutCountingItAsALookAlike() {
        feed(new byte[]{(byte) 0x12, 0x34, 0x01, 0x00, 0x00, 0x01});   // a DNS query header
        assertTrue(seen.isEmpty());
        assertTrue(decoder.rejected().isEmpty());
        assertEquals(1, decoder.otherUdp());
    }

    @Test
    void shouldDecodeOnlyTheChosenPortWhenRestricted() {
        WireGuardDecoder onPort = new WireGuardDecoder((d, m) -> seen.add("x"), 51821);
        byte[] keepalive = new byte[32];
        keepalive[0] = 4;
        onPort.onDatagram(new Datagram().set(0, 6, 1, 4, 0, 1, 1000, 0, 2, 51820, keepalive, 0, 32, 32));
        assertFalse(seen.contains("x"));
        onPort.onDatagram(new Datagram().set(0, 6, 2, 4, 0, 1, 51821, 0, 2, 1000, keepalive, 0, 32, 32));
        assertEquals(List.of("x"), seen);
    }
}
