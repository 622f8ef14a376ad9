package dev.wgdiag.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.wgdiag.net.IpAddresses;
import dev.wgdiag.time.Times;
import dev.wgdiag.wire.Datagram;
import dev.wgdiag.wire.WgMessage;
import dev.wgdiag.wire.WgMessageHandler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * One line per WireGuard message: text for people, or JSON Lines for scripts.
 *
 * <p>JSON Lines object: {@code time} (epoch seconds, the capture's precision), {@code src}, {@code dst}
 * ({@code address:port}, IPv6 as {@code [address]:port}), {@code type} (wire number 1-4),
 * {@code keepalive}, {@code sender}, {@code receiver}, {@code counter} (unsigned; absent when the
 * type has none or the capture cut them off), {@code length} (UDP payload length), {@code frame}.
 */
public final class MessageListWriter implements WgMessageHandler {
    public enum Format { TEXT, JSON }

    private final Writer out;
    private final Format format;
    private final JsonGenerator json;
    private final StringBuilder line = new StringBuilder(160);
    private long written;

    public MessageListWriter(Writer out, Format format) {
        this.out = out;
        this.format = format;
        try {
            this.json = format == Format.JSON
                    ? new JsonFactory().createGenerator(out).configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false)
                    : null;
            if (json != null) json.setRootValueSeparator(new com.fasterxml.jackson.core.io.SerializedString("\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void onMessage(Datagram d, WgMessage m) {
        written++;
        try {
            if (format == Format.JSON) writeJson(d, m);
            else writeText(d, m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeJson(Datagram d, WgMessage m) throws IOException {
        json.writeStartObject();
        json.writeFieldName("time");
        json.writeNumber(Times.epochSeconds(d.timeNanos(), d.timeDigits()));
        json.writeStringField("src", endpoint(d.ipVersion(), d.srcHi(), d.srcLo(), d.srcPort()));
        json.writeStringField("dst", endpoint(d.ipVersion(), d.dstHi(), d.dstLo(), d.dstPort()));
        json.writeNumberField("type", m.wireType());
        json.writeBooleanField("keepalive", m.isKeepalive());
        if (m.hasSender()) json.writeNumberField("sender", m.sender());
        if (m.hasReceiver()) json.writeNumberField("receiver", m.receiver());
        if (m.hasCounter()) {
            json.writeFieldName("counter");
            json.writeNumber(Long.toUnsignedString(m.counter()));
        }
        if (m.hasMac2()) json.writeBooleanField("mac2", m.mac2Set());
        json.writeNumberField("length", m.length());
        json.writeNumberField("frame", d.frameNumber());
        json.writeEndObject();
    }

    private void writeText(Datagram d, WgMessage m) throws IOException {
        StringBuilder sb = line;
        sb.setLength(0);
        sb.append(Times.wallClock(d.timeNanos(), d.timeDigits())).append("  ");
        sb.append(endpoint(d.ipVersion(), d.srcHi(), d.srcLo(), d.srcPort())).append(" -> ");
        sb.append(endpoint(d.ipVersion(), d.dstHi(), d.dstLo(), d.dstPort())).append("  ");
        sb.append(m.type().label());
        if (m.hasSender()) sb.append(" sender=0x").append(hex8(m.sender()));
        if (m.hasReceiver()) sb.append(" receiver=0x").append(hex8(m.receiver()));
        if (m.hasCounter()) sb.append(" counter=").append(Long.toUnsignedString(m.counter()));
        if (m.hasMac2() && m.mac2Set()) sb.append(" mac2");
        sb.append(" len=").append(m.length()).append('\n');
        out.append(sb);
    }

    public void finish() {
        try {
            if (json != null) {
                json.flush();
                if (written > 0) out.write('\n');
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String endpoint(int version, long hi, long lo, int port) {
        String a = IpAddresses.format(version, hi, lo);
        return version == 6 ? "[" + a + "]:" + port : a + ":" + port;
    }

    private static String hex8(long v) {
        String h = Long.toHexString(v);
        return "00000000".substring(h.length()) + h;
    }
}
