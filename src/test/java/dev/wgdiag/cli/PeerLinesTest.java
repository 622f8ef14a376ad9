package dev.wgdiag.cli;

import dev.wgdiag.testing.Requirements;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** ping(8)'s packet-loss figure is C's {@code %g}: checked against the C library's printf (coreutils' printf). */
class PeerLinesTest {
    @Test
    void shouldPrintTheLossPercentAsCPrintfGDoes() {
        Requirements.commands("printf");
        for (long[] sentReceived : new long[][] {{3, 3}, {3, 0}, {15, 14}, {3, 2}, {7, 1}, {1000, 999}, {123457, 1}}) {
            double loss = (sentReceived[0] - sentReceived[1]) * 100.0 / sentReceived[0];
            String c = Requirements.run(Requirements.which("printf").toString(), "%g", Double.toString(loss));
            assertEquals(c, PeerLines.percent(loss), sentReceived[0] + " sent, " + sentReceived[1] + " received");
        }
    }
}
