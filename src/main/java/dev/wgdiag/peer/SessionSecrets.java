package dev.wgdiag.peer;

import dev.wgdiag.crypto.PresharedKey;
import dev.wgdiag.crypto.PrivateKey;
import dev.wgdiag.crypto.PublicKey;
import java.util.ArrayList;
import java.util.List;

/**
 * The secrets that let Wireshark decrypt one session of this peer (packet-wireguard.c keylog: the
 * local static and ephemeral private keys of one side decrypt the whole handshake and transport).
 * Handed out only through {@link WgInterface#takeSessionSecrets()}; {@link #toString()} hides keys.
 *
 * @param peer         the remote peer's static public key
 * @param initiator    true when this side initiated the handshake
 * @param localIndex   this side's session index (receiver index of incoming transport messages)
 * @param remoteIndex  the peer's session index
 * @param createdNanos the core's clock when the session was derived
 */
public record SessionSecrets(PublicKey peer, PrivateKey localStatic, PrivateKey localEphemeral,
        PresharedKey presharedKey, boolean initiator, int localIndex, int remoteIndex, long createdNanos) {

    /**
     * Wireshark keylog lines ({@code wg.keylog_file}): LOCAL_STATIC_PRIVATE_KEY, REMOTE_STATIC_PUBLIC_KEY,
     * LOCAL_EPHEMERAL_PRIVATE_KEY and, when a preshared key is set, PRESHARED_KEY right after the
     * ephemeral it belongs to. Secret: write only where the user asked.
     */
    public List<String> keylogLines() {
        List<String> lines = new ArrayList<>(4);
        lines.add("LOCAL_STATIC_PRIVATE_KEY = " + localStatic.toBase64());
        lines.add("REMOTE_STATIC_PUBLIC_KEY = " + peer.toBase64());
        lines.add("LOCAL_EPHEMERAL_PRIVATE_KEY = " + localEphemeral.toBase64());
        if (!presharedKey.isZero()) {
            lines.add("PRESHARED_KEY = " + presharedKey.toBase64());
        }
        return lines;
    }

    @Override
    public String toString() {
        return "SessionSecrets[peer=" + peer.shortForm() + ", " + (initiator ? "initiator" : "responder")
                + ", local=" + Integer.toUnsignedString(localIndex) + ", remote=" + Integer.toUnsignedString(remoteIndex)
                + ", keys hidden]";
    }
}
