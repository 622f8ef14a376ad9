package dev.wgdiag.peer;

import dev.wgdiag.crypto.AeadException;
import dev.wgdiag.crypto.Blake2s;
import dev.wgdiag.crypto.CookieReply;
import dev.wgdiag.crypto.Mac1;
import dev.wgdiag.crypto.PublicKey;
import dev.wgdiag.wire.Protocol;

/**
 * The initiator's side of cookies for one peer (whitepaper 5.4.7, wireguard-go {@code device/cookie.go}
 * CookieGenerator): remembers the mac1 of the last handshake message sent to the peer, opens a cookie
 * reply against it, and hands out the cookie for mac2 while it is younger than COOKIE_REFRESH_TIME.
 * The retry that carries mac2 is the next retransmission (timers.go), as in wireguard-go.
 */
final class CookieJar {
    private final PublicKey peer;
    private byte[] lastMac1;
    private byte[] cookie;
    private long cookieSetAt;

    CookieJar(PublicKey peer) {
        this.peer = peer;
    }

    /** The cookie for mac2 at {@code now}, or null (mac2 then stays zero). */
    byte[] cookie(long now) {
        return cookie != null && now - cookieSetAt <= Protocol.COOKIE_REFRESH_TIME ? cookie : null;
    }

    /** Remembers the mac1 of a handshake message just sent (cookie.go AddMacs). */
    void sent(byte[] msg) {
        lastMac1 = Mac1.of(msg, 0, msg.length);
    }

    /** Opens a cookie reply from the peer; false when it does not authenticate against our last mac1. */
    boolean consumeReply(byte[] msg, int off, int len, long now) {
        if (lastMac1 == null) {
            return false;
        }
        try {
            byte[] c = CookieReply.decrypt(msg, off, len, peer, lastMac1);
            if (c.length != Blake2s.MAC_LENGTH) {
                return false;
            }
            cookie = c;
            cookieSetAt = now;
            return true;
        } catch (AeadException e) {
            return false;
        }
    }
}
