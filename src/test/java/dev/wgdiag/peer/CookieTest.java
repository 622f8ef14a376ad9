package dev.wgdiag.peer;

import dev.wgdiag.wire.Endian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgdiag.crypto.Mac1;
import dev.wgdiag.crypto.Mac2;
import dev.wgdiag.crypto.PrivateKey;
import dev.wgdiag.crypto.PublicKey;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Cookies against wireguard-go's {@code device/cookie_test.go} scenario, on its message bytes: mac1
 * written by the initiator side verifies and mac2 does not before a cookie; a cookie reply made by the
 * checker for a source is consumed by the jar; then mac2 verifies for that source only, and any flipped
 * bit breaks both macs. (The source there is 7 opaque bytes; here it is an IP and port, as
 * StdNetEndpoint.DstToBytes makes them.)
 */
class CookieTest {
    final PublicKey pk = PrivateKey.generate(new SecureRandom()).publicKey();
    final CookieChecker checker = new CookieChecker(pk, new SplittableRandom(7));
    final CookieJar jar = new CookieJar(pk);
    final InetSocketAddress src = new InetSocketAddress(SimNet.addr("192.168.13.37"), 0x0a0a);
    final InetSocketAddress srcBadPort = new InetSocketAddress(SimNet.addr("192.168.13.37"), 0x0128);
    final InetSocketAddress srcBadIp = new InetSocketAddress(SimNet.addr("192.168.13.38"), 0x0a0a);
    long now = SimNet.T0;

    /** wireguard-go CookieGenerator.AddMacs: mac1, remember it, mac2 when a fresh cookie is held. */
    void addMacs(byte[] msg) {
        Mac1.write(msg, 0, msg.length, pk);
        byte[] cookie = jar.cookie(now);
        if (cookie != null) {
            Mac2.write(msg, 0, msg.length, cookie);
        }
        jar.sent(msg);
    }

    void checkMac1Only(byte[] msg) {
        addMacs(msg);
        assertTrue(checker.checkMac1(msg, 0, msg.length), "mac1");
        assertFalse(checker.checkMac2(msg, 0, msg.length, src, now), "no mac2 before a cookie");
    }

    void checkMac2(byte[] msg) {
        addMacs(msg);
        assertTrue(checker.checkMac1(msg, 0, msg.length), "mac1");
        assertTrue(checker.checkMac2(msg, 0, msg.length, src, now), "mac2");
        msg[5] ^= 0x20;
        assertFalse(checker.checkMac1(msg, 0, msg.length), "mac1 after a flipped bit");
        assertFalse(checker.checkMac2(msg, 0, msg.length, src, now), "mac2 after a flipped bit");
        msg[5] ^= 0x20;
        assertFalse(checker.checkMac2(msg, 0, msg.length, srcBadPort, now), "mac2 from another port");
        assertFalse(checker.checkMac2(msg, 0, msg.length, srcBadIp, now), "mac2 from another address");
    }

    @Test
    void shouldVerifyMac1ThenConsumeACookieReplyThenVerifyMac2ForItsSourceOnly() {
        checkMac1Only(CookieVectors.MAC1_A.clone());
        checkMac1Only(CookieVectors.MAC1_B.clone());
        checkMac1Only(CookieVectors.MAC1_C.clone());

        byte[] msg = CookieVectors.REPLY_TRIGGER.clone();
        addMacs(msg);
        byte[] reply = checker.createReply(msg, 0, msg.length, 1377, src, now);
        assertEquals(64, reply.length);
        assertEquals(1377, Endian.le32(reply, 4));
        assertTrue(jar.consumeReply(reply, 0, reply.length, now), "cookie reply consumed");

        checkMac2(CookieVectors.MAC2_A.clone());
        checkMac2(CookieVectors.MAC2_B.clone());
    }

    @Test
    void shouldRefuseACookieReplyThatDoesNotMatchTheLastMac1() {
        byte[] first = CookieVectors.MAC1_A.clone();
        addMacs(first);
        byte[] reply = checker.createReply(first, 0, first.length, 1, src, now);
        byte[] second = CookieVectors.MAC1_B.clone();
        addMacs(second); // the reply's AD is the first message's mac1
        assertFalse(jar.consumeReply(reply, 0, reply.length, now));
        assertNull(jar.cookie(now));
    }

    @Test
    void shouldDropTheCookieAfterCookieRefreshTimeAndRotateTheSecret() {
        byte[] msg = CookieVectors.REPLY_TRIGGER.clone();
        addMacs(msg);
        byte[] reply = checker.createReply(msg, 0, msg.length, 1, src, now);
        assertTrue(jar.consumeReply(reply, 0, reply.length, now));
        now += 120 * SimNet.S;
        assertNotNull(jar.cookie(now), "still valid at exactly 120 s (cookie.go: > CookieRefreshTime expires)");
        byte[] m = CookieVectors.MAC2_A.clone();
        addMacs(m);
        assertTrue(checker.checkMac2(m, 0, m.length, src, now));
        now += 1;
        assertNull(jar.cookie(now), "expired after 120 s");
        assertFalse(checker.checkMac2(m, 0, m.length, src, now), "the checker's secret is stale too");
        byte[] again = checker.createReply(m, 0, m.length, 1, src, now); // renews the secret
        assertTrue(jar.consumeReply(again, 0, again.length, now));
        assertFalse(checker.checkMac2(m, 0, m.length, src, now), "a mac2 made with the old cookie fails under the new secret");
        byte[] n = CookieVectors.MAC2_B.clone();
        addMacs(n);
        assertTrue(checker.checkMac2(n, 0, n.length, src, now));
    }
}
