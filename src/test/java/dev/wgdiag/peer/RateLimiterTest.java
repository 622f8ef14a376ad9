package dev.wgdiag.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The per-source token bucket against wireguard-go's {@code ratelimiter/ratelimiter_test.go}: the same
 * table of waits and verdicts (burst of 5, one packet per 50 ms, a two-packet burst after 100 ms) for
 * the same fourteen IPv4 and IPv6 addresses, on a fake clock advanced by wait + 1 ns with a cleanup
 * after every wait, as that test does.
 */
class RateLimiterTest {
    record Step(boolean allowed, long waitNanos, String text) {
    }

    static final long PER_PACKET = 1_000_000_000L / 20;

    @Test
    void shouldFollowWireguardGosRateLimiterTable() throws Exception {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            steps.add(new Step(true, 0, "initial burst"));
        }
        steps.add(new Step(false, 0, "after burst"));
        steps.add(new Step(true, PER_PACKET, "filling tokens for single packet"));
        steps.add(new Step(false, 0, "not having refilled enough"));
        steps.add(new Step(true, 2 * PER_PACKET, "filling tokens for two packet burst"));
        steps.add(new Step(true, 0, "second packet in 2 packet burst"));
        steps.add(new Step(false, 0, "packet following 2 packet burst"));
        String[] ips = {"127.0.0.1", "192.168.1.1", "172.167.2.3", "97.231.252.215", "248.97.91.167", "188.208.233.47",
            "104.2.183.179", "72.129.46.120", "2001:0db8:0a0b:12f0:0000:0000:0000:0001", "f5c2:818f:c052:655a:9860:b136:6894:25f0",
            "b2d7:15ab:48a7:b07c:a541:f144:a9fe:54fc", "a47b:786e:1671:a22b:d6f9:4ab0:abc7:c918",
            "ea1e:d155:7f7a:98fb:2bf5:9483:80f6:5445", "3f0e:54a2:f5b4:cd19:a21d:58e1:3746:84c4"};
        RateLimiter rate = new RateLimiter();
        long now = SimNet.T0;
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            now += s.waitNanos() + 1;
            rate.cleanup(now);
            for (String ip : ips) {
                assertEquals(s.allowed(), rate.allow(InetAddress.getByName(ip), now), i + ": " + s.text() + ": " + ip);
            }
        }
    }

    @Test
    void shouldForgetSourcesIdleForMoreThanOneSecond() throws Exception {
        RateLimiter rate = new RateLimiter();
        long now = SimNet.T0;
        for (int i = 0; i < 256; i++) {
            rate.allow(InetAddress.getByAddress(new byte[] {(byte) 203, 0, 113, (byte) i}), now + i);
        }
        assertEquals(256, rate.size());
        rate.cleanup(now + 1_000_000_000L + 256);
        assertEquals(0, rate.size());
    }
}
