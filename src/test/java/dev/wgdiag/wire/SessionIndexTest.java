package dev.wgdiag.wire;

import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A session index reads as tshark shows wg.sender / wg.receiver: 0x and eight hex digits (the JDK's "0x%08x" is the reference). */
class SessionIndexTest {
    @Test
    void shouldWriteEightHexDigitsAsTheFormatterDoes() {
        Random r = new Random(13);
        long[] edges = {0, 1, 0xf, 0x10, 0xabcdef, 0x0fff_ffffL, 0x1000_0000L, 0xffff_ffffL};
        for (long v : edges) assertEquals(String.format(Locale.ROOT, "0x%08x", v), SessionIndex.of(v).toString());
        for (int i = 0; i < 100_000; i++) {
            long v = r.nextLong() & 0xffff_ffffL;
            assertEquals(String.format(Locale.ROOT, "0x%08x", v), SessionIndex.of(v).toString());
        }
    }

    @Test
    void shouldRefuseValuesOutsideThirtyTwoBits() {
        assertThrows(IllegalArgumentException.class, () -> SessionIndex.of(-1));
        assertThrows(IllegalArgumentException.class, () -> SessionIndex.of(0x1_0000_0000L));
    }
}
