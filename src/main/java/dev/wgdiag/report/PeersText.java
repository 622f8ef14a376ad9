package dev.wgdiag.report;

import dev.wgdiag.keys.Identification;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/** The "peers proven by keys" part of the text report. Shows public keys only, never secrets or payload. */
public final class PeersText {
    private PeersText() {
    }

    public static void write(Identification id, PrintWriter out) {
        out.println();
        out.println("Peers proven by keys:");
        if (id.peers().isEmpty()) {
            out.println("  none: no handshake in the capture matches a key from --config or --keylog");
        }
        for (Identification.IdentifiedPeer p : id.peers()) {
            out.printf(Locale.ROOT, "  %s (%s) at %s, %s%s%n", p.name(),
                    p.publicKey() == null ? "key not in configs" : p.publicKey(),
                    p.endpoints().isEmpty() ? "no endpoint proven" : String.join(" ", p.endpoints()), Words.count(p.proofs(), "handshake message"),
                    p.clockSkewSeconds() == null ? "" : String.format(Locale.ROOT, ", clock %+.3f s from the capture's", p.clockSkewSeconds()));
        }
        long replays = id.handshakes().stream().filter(h -> Boolean.TRUE.equals(h.replayed())).count();
        if (replays > 0) {
            out.printf(Locale.ROOT, "  %s a timestamp not after the previous one: replayed, or the initiator's clock went back%n",
                    replays == 1 ? "1 initiation carries" : replays + " initiations carry");
        }
        for (Identification.HandshakeIdentity h : id.handshakes()) {
            out.printf(Locale.ROOT, "    %s %-10s %s -> %s (%s)%n", h.time(), h.type(), h.from() == null ? "?" : h.from(),
                    h.to() == null ? "?" : h.to(), h.proof());
        }
        Identification.Decryption d = id.decryption();
        if (d != null) {
            out.printf(Locale.ROOT, "  decrypted: %s, %s, %d failed to authenticate%n",
                    Words.count(d.sessions(), "session"), Words.count(d.messagesDecrypted(), "transport message"), d.failures());
            for (Map.Entry<String, Long> e : d.innerProtocols().entrySet()) {
                out.printf(Locale.ROOT, "    %-14s %d%n", e.getKey(), e.getValue());
            }
            if (d.pings().count() > 0) {
                out.printf(Locale.ROOT, "  in-tunnel ping: %s, min %.2f / median %.2f / max %.2f ms%n", Words.count(d.pings().count(), "round trip"),
                        d.pings().minMs(), d.pings().medianMs(), d.pings().maxMs());
            }
        }
    }
}
