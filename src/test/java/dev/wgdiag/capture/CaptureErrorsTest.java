package dev.wgdiag.capture;

import dev.wgdiag.testing.Requirements;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Setup errors name the fix, in one line, with the environment exit code (5) or usage (2). */
class CaptureErrorsTest {
    static final int ENVIRONMENT = 5;
    static final int USAGE = 2;

    @BeforeEach
    void needsAClassPathWithPcap4j() {
        if (!Jvm.classPathUsable()) Requirements.unmet("the test class path does not name pcap4j (run through Maven)");
    }

    private static void assertOneLine(Tools.Run r) {
        assertEquals(1, r.err().strip().lines().count(), "one line expected, got: " + r.err());
        assertTrue(r.err().startsWith("wgdiag: "), r.err());
    }

    @Test
    void shouldNameThePackageWhenLibpcapIsMissing() {
        Tools.Run r = Tools.exec(Jvm.capture(List.of(), List.of("-Dorg.pcap4j.core.pcapLibName=/nonexistent/libpcap.so.9"), "lo", "-c", "1"));
        assertEquals(ENVIRONMENT, r.code(), r.err());
        assertOneLine(r);
        assertTrue(r.err().contains("libpcap0.8") && r.err().contains("Fedora") && r.err().contains("Alpine"), r.err());
    }

    @Test
    void shouldListTheValidInterfacesForAnUnknownOne() {
        Tools.Run r = Tools.exec(Jvm.capture(List.of(), List.of(), "nosuchif0", "-c", "1"));
        assertEquals(ENVIRONMENT, r.code(), r.err());
        assertOneLine(r);
        assertTrue(r.err().contains("no interface 'nosuchif0'") && r.err().contains(" lo") && r.err().contains("any"), r.err());
    }

    @Test
    void shouldExplainABadFilterInOneLine() {
        Requirements.root();
        Tools.Run r = Tools.exec(Jvm.capture(List.of(), List.of(), "lo", "-f", "udp and nonsense here", "-c", "1"));
        assertEquals(USAGE, r.code(), r.err());
        assertOneLine(r);
        assertTrue(r.err().contains("bad capture filter 'udp and nonsense here'"), r.err());
    }

    @Test
    void shouldNameTheCapabilitiesWhenPermissionIsMissing() {
        Requirements.root();
        Requirements.commands("setpriv");
        // root without CAP_NET_RAW / CAP_NET_ADMIN: dropped from the bounding set before exec
        Tools.Run r = Tools.exec(Jvm.capture(List.of("setpriv", "--bounding-set=-net_raw,-net_admin",
                "--inh-caps=-net_raw,-net_admin", "--"), List.of(), "lo", "-c", "1"));
        assertEquals(ENVIRONMENT, r.code(), r.err());
        assertOneLine(r);
        assertTrue(r.err().contains("CAP_NET_RAW") && r.err().contains("CAP_NET_ADMIN") && r.err().contains("setcap"), r.err());
    }
}
