package dev.wgdiag.capture;

import java.util.Locale;

/** Capture file formats wgdiag writes. */
public enum FileFormat {
    PCAP, PCAPNG;

    /** pcapng when the name ends in {@code .pcapng} or {@code .ntar}, classic pcap otherwise (tcpdump's default). */
    public static FileFormat forName(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        return n.endsWith(".pcapng") || n.endsWith(".ntar") ? PCAPNG : PCAP;
    }
}
