package dev.wgdiag.pcap;

/**
 * A capture that cannot be read. The message is one line for a person: it names the file and says
 * what is wrong (e.g. {@code trace.pcap: not a pcap or pcapng file (magic 0x3c68746d)}).
 */
public class CaptureException extends Exception {
    public CaptureException(String message) {
        super(message);
    }

    public CaptureException(String message, Throwable cause) {
        super(message, cause);
    }
}
