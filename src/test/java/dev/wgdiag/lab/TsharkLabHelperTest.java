package dev.wgdiag.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wgdiag.testing.Requirements;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The lab's tshark view sees WireGuard on whatever port a NAT picks. Needs tshark, not root. */
class TsharkLabHelperTest {

    @Test
    void shouldSeeEveryWireGuardMessageWhenTheNatPortBelongsToAnotherProtocol() {
        Requirements.commands("tshark");
        Path pcap = Requirements.projectDir().resolve("src/test/resources/wire/nat-port-19948-kdp.pcap");
        // Every UDP datagram of this lab capture is WireGuard (the lab captures only the tunnel's port pair).
        long udp = Requirements.run("tshark", "-n", "-r", pcap.toString(), "-Y", "udp", "-T", "fields", "-e", "frame.number")
                .lines().filter(l -> !l.isBlank()).count();
        assertEquals(udp, Tshark.wireGuard(pcap).size());
    }
}
