package dev.wgdiag.wire;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A 32-bit session index as WireGuard's messages carry it (the whitepaper's I<sub>i</sub> / I<sub>r</sub>:
 * sender index, receiver index), unsigned. Written as {@code 0x} and eight hex digits, as tshark shows
 * {@code wg.sender} and {@code wg.receiver}.
 *
 * @param value the index, 0 to 2<sup>32</sup>-1
 */
public record SessionIndex(long value) {
    public SessionIndex {
        if (value < 0 || value > 0xffff_ffffL) throw new IllegalArgumentException("not a 32-bit index: " + value);
    }

    public static SessionIndex of(long value) {
        return new SessionIndex(value);
    }

    @JsonValue
    @Override
    public String toString() {
        // "0x%08x" without the Formatter (a JSON report of many tunnels writes one per session)
        String hex = Long.toHexString(value);
        return "0x" + "00000000".substring(hex.length()) + hex;
    }
}
