package dev.wgdiag.pcap;

/** Reads a capture in a separate process (e.g. as an unprivileged user) and prints the error line, or "read". */
public final class ReadProbe {
    private ReadProbe() {
    }

    public static void main(String[] args) {
        try {
            CaptureReader.read(args[0], d -> { }, null);
            System.out.println("read");
        } catch (CaptureException e) {
            System.out.println(e.getMessage());
        }
    }
}
