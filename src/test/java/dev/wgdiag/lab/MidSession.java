package dev.wgdiag.lab;

import dev.wgdiag.testing.Requirements;

import java.math.BigDecimal;
import java.nio.file.Path;

/**
 * A lab capture as if tcpdump had been started after the tunnel was up: everything before the first
 * handshake response plus {@value #AFTER_RESPONSE_SECONDS} s is cut away with tshark, so the capture
 * starts in the middle of the first session. The truth stays the lab's settings.
 */
public final class MidSession {
    public static final double AFTER_RESPONSE_SECONDS = 1.5;

    private MidSession() {
    }

    /** Writes the cut capture to {@code out} and returns the time it starts from (epoch seconds). */
    public static BigDecimal cut(Path pcap, Path out) {
        Requirements.commands("tshark");
        String first = Requirements.run("tshark", "-n", "-r", pcap.toString(), "-Y", "wg.type == 2", "-T", "fields",
                "-e", "frame.time_epoch").strip().lines().findFirst().orElse("");
        if (first.isEmpty()) throw new IllegalStateException(pcap + ": no handshake response to cut after");
        BigDecimal from = new BigDecimal(first).add(BigDecimal.valueOf(AFTER_RESPONSE_SECONDS));
        Requirements.run("tshark", "-n", "-r", pcap.toString(), "-Y", "frame.time_epoch >= " + from.toPlainString(),
                "-F", "pcap", "-w", out.toString());
        return from;
    }
}
