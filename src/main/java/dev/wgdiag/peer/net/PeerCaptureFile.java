package dev.wgdiag.peer.net;

import dev.wgdiag.capture.PcapngWriter;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;

/**
 * {@code wgdiag peer -w FILE}: the peer's own datagrams as synthetic raw-IP frames in a pcapng file,
 * with Decryption Secrets Blocks (secrets type 0x57474b4c, a WireGuard keylog) placed where Wireshark
 * needs them. Wireshark reads a DSB when it meets it and derives a session from the handshake
 * messages as it dissects them, so (tested with tshark 4.0, see PeerCaptureFileTsharkTest):
 * <ul>
 *   <li>the static keys (our private key, the peers' public keys) go first, before any frame: a
 *       responder's keylog is useless unless the static key was known at the initiation;</li>
 *   <li>an initiator's ephemeral private key must come before its initiation, yet it is handed out
 *       only when the session exists (after the response). So from each initiation we send, frames
 *       are held back in memory (bounded) until the session's secrets arrive, then the DSB is written
 *       and the held frames after it, in their order; an initiation never answered releases its frames
 *       after {@link #HOLD_NANOS} (no session, nothing to decrypt);</li>
 *   <li>a responder's ephemeral arrives with the response we are about to send: its DSB goes at once.</li>
 * </ul>
 * Every DSB is a whole keylog (statics and the ephemeral) so readers that take one keylog per block,
 * such as {@code wgdiag analyze --decrypt}, find every key of a session in it. The file is 0600.
 */
public final class PeerCaptureFile implements Closeable {
    /** pcapng DSB secrets type of a WireGuard key log ("WGKL"). */
    public static final int WIREGUARD_KEY_LOG = 0x57474b4c;
    /** REKEY_TIMEOUT (5 s) + the largest jitter (334 ms, wireguard-go constants.go) + slack: by then a retry replaced the initiation. */
    static final long HOLD_NANOS = 6_000_000_000L;
    static final int MAX_HELD_FRAMES = 4096;
    static final long MAX_HELD_BYTES = 8L << 20;
    static final long FLUSH_NANOS = 1_000_000_000L;
    /** Large enough for an IPv6 frame of the largest UDP datagram (tcpdump's default snaplen). */
    static final int SNAPLEN = 262_144;

    private record Held(long nanos, byte[] frame) {
    }

    private final Path path;
    private final PcapngWriter writer;
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private long heldBytes;
    private long holdSince = -1;
    private long lastFlush;
    private long secretsBlocks;

    private PeerCaptureFile(Path path, PcapngWriter writer) {
        this.path = path;
        this.writer = writer;
    }

    /**
     * Creates the file (0600) and writes the static keys' block.
     *
     * @param staticKeylog LOCAL_STATIC_PRIVATE_KEY and REMOTE_STATIC_PUBLIC_KEY lines
     */
    public static PeerCaptureFile create(Path path, List<String> staticKeylog) throws IOException {
        SecretFiles.prepare(path);
        PeerCaptureFile f = new PeerCaptureFile(path, new PcapngWriter(path, SyntheticFrames.LINKTYPE_RAW, SNAPLEN, "wgdiag peer"));
        if (!staticKeylog.isEmpty()) f.secrets(staticKeylog);
        return f;
    }

    public Path path() {
        return path;
    }

    /**
     * One frame, in the order the datagrams were sent and received.
     *
     * @param ourInitiation the frame carries a handshake initiation we sent
     */
    public void frame(long nanos, byte[] frame, int length, boolean ourInitiation) throws IOException {
        if (ourInitiation) {
            release();
            holdSince = nanos;
        }
        if (holdSince >= 0) {
            held.addLast(new Held(nanos, Arrays.copyOf(frame, length)));
            heldBytes += length;
            if (held.size() >= MAX_HELD_FRAMES || heldBytes >= MAX_HELD_BYTES) release();
            return;
        }
        writer.write(nanos, frame, 0, length, length);
    }

    /**
     * A new session's keylog lines. The block goes in now, before any held frame; an initiator's
     * session also releases the held frames (its initiation among them) after it.
     */
    public void session(List<String> keylogLines, boolean initiator) throws IOException {
        secrets(keylogLines);
        if (initiator) release();
    }

    /** Releases frames held for an initiation that got no session in time, and flushes once a second. */
    public void tick(long now) throws IOException {
        if (holdSince >= 0 && now - holdSince >= HOLD_NANOS) release();
        if (now - lastFlush >= FLUSH_NANOS) {
            writer.flush();
            lastFlush = now;
        }
    }

    /** Frames written so far (held ones not yet). */
    public long packets() {
        return writer.packets();
    }

    /** Decryption Secrets Blocks written so far. */
    public long secretsBlocks() {
        return secretsBlocks;
    }

    private void secrets(List<String> lines) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String l : lines) text.append(l).append('\n');
        writer.writeSecrets(WIREGUARD_KEY_LOG, text.toString().getBytes(StandardCharsets.US_ASCII));
        secretsBlocks++;
    }

    private void release() throws IOException {
        holdSince = -1;
        heldBytes = 0;
        while (!held.isEmpty()) {
            Held h = held.removeFirst();
            writer.write(h.nanos(), h.frame(), 0, h.frame().length, h.frame().length);
        }
    }

    /** Writes held frames and closes; the file is a valid pcapng whatever happened before. */
    @Override
    public void close() throws IOException {
        try {
            release();
        } finally {
            writer.close();
        }
    }
}
