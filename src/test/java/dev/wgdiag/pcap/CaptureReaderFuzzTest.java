package dev.wgdiag.pcap;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.ByteArrayInputStream;
import java.io.InputStream;

/**
 * Coverage-guided fuzzing of the capture reader (pcap, pcapng with every block and option it reads,
 * Decryption Secrets Blocks, link and IP decoding with fragment reassembly), see docs/security.md.
 *
 * <p>A capture that cannot be read must end in a {@link CaptureException}; anything else thrown, a
 * datagram or ICMP error that points outside its buffer, or a warning that is not one line naming
 * the file, is a finding. The input arrives in chunks of 1 to 13 bytes so that the buffer's refill
 * and compaction run on every record.
 */
class CaptureReaderFuzzTest {
    static final String NAME = "fuzzed.pcap";
    /** Holds the largest record (CaptureSession.MAX_RECORD plus a header) without allocating 8 MiB per input. */
    static final int BUFFER = 1 << 19;

    @FuzzTest(maxDuration = "10m")
    void readsAnyCapture(byte[] data) {
        Invariants check = new Invariants();
        CaptureOptions options = CaptureOptions.builder().icmpHandler(check).secretsHandler(check)
                .maxPendingReassemblies(4).build();
        CaptureStats stats;
        try {
            stats = CaptureReader.read(NAME, new Trickle(data), check, null, options, BUFFER);
        } catch (CaptureException e) {
            Invariants.oneLineNaming(e.getMessage(), NAME);
            return;
        }
        check.stats(stats, data.length);
    }

    /** Hands out its bytes a few at a time, as a pipe or a slow disk might. */
    static final class Trickle extends InputStream {
        private final ByteArrayInputStream in;
        private int next = 1;

        Trickle(byte[] data) {
            in = new ByteArrayInputStream(data);
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            int n = Math.min(len, next);
            next = next % 13 + 1;
            return in.read(b, off, n);
        }
    }
}
