package dev.wgdiag.wire;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wgdiag.report.MessageListWriter;

import java.io.StringWriter;
import java.util.Arrays;

/**
 * Coverage-guided fuzzing of the WireGuard message decoder and of {@code analyze --list}'s text and
 * JSON lines over what it accepts, see docs/security.md.
 *
 * <p>Input layout: {@code flags(1) time(8, big-endian nanoseconds) payload...}. Flags bit 0 restricts
 * decoding to port 51820, bit 1 puts the datagram on that port, bits 2-7 say how many 16-byte units
 * the wire carried beyond what was captured (a snaplen cut). The payload is copied into an array of
 * exactly its length, so reading past the captured bytes fails here.
 */
class WireGuardDecoderFuzzTest {
    static final int PORT = 51820;

    @FuzzTest(maxDuration = "10m")
    void decodesAnyDatagram(byte[] data) {
        if (data.length < 9) return;
        int flags = data[0] & 0xff;
        long time = 0;
        for (int i = 1; i < 9; i++) time = (time << 8) | (data[i] & 0xff);
        byte[] payload = Arrays.copyOfRange(data, 9, data.length);
        int wire = payload.length + (flags >>> 2) * 16;
        Datagram d = new Datagram().set(time, (int) Long.remainderUnsigned(time, 10), 1, 4, 0, 0xc0000201L,
                (flags & 2) != 0 ? PORT : 40000, 0, 0xc6336402L, 1234, payload, 0, payload.length, wire);

        StringWriter text = new StringWriter();
        StringWriter json = new StringWriter();
        MessageListWriter textList = new MessageListWriter(text, MessageListWriter.Format.TEXT);
        MessageListWriter jsonList = new MessageListWriter(json, MessageListWriter.Format.JSON);
        long[] seen = new long[1];
        WireGuardDecoder decoder = new WireGuardDecoder((dg, m) -> {
            seen[0]++;
            check(m.captured() <= payload.length && m.length() == wire, "lengths");
            touchEveryField(m);
            textList.onMessage(dg, m);
            jsonList.onMessage(dg, m);
        }, (flags & 1) != 0 ? PORT : -1);
        decoder.onDatagram(d);
        textList.finish();
        jsonList.finish();

        long accepted = decoder.accepted().values().stream().mapToLong(Long::longValue).sum();
        long rejected = decoder.rejected().values().stream().mapToLong(Long::longValue).sum();
        check(accepted == seen[0], "accepted count");
        check(accepted + rejected + decoder.otherUdp() == 1, "each datagram is counted once");
        check(text.toString().lines().count() == seen[0] && json.toString().lines().count() == seen[0],
                "one line per message");
    }

    /** Reads every field the message says it holds, as the analysis and the identification do. */
    private static void touchEveryField(WgMessage m) {
        long sink = m.type().ordinal() + (m.isKeepalive() ? 1 : 0);
        if (m.hasSender()) sink += m.sender();
        if (m.hasReceiver()) sink += m.receiver();
        if (m.hasCounter()) sink += m.counter();
        if (m.hasEphemeral()) sink += m.copy(m.ephemeralOffset(), WgMessage.KEY_LENGTH)[0];
        if (m.hasMac1()) sink += m.copy(m.mac1Offset(), WgMessage.MAC_LENGTH)[0];
        if (m.hasMac2()) sink += m.mac2Set() ? 1 : 0;
        if (m.hasCookieNonce()) sink += m.copy(WgMessage.COOKIE_NONCE_OFFSET, WgMessage.COOKIE_NONCE_LENGTH)[0];
        check(sink != Long.MIN_VALUE + 7, "unreachable");
    }

    private static void check(boolean ok, String what) {
        if (!ok) throw new AssertionError(what);
    }
}
