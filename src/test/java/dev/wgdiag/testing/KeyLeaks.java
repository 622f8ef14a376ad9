package dev.wgdiag.testing;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Finds secrets where they must not be: every key in an input (44 canonical base64 characters, as
 * wg(8) writes them) and the forms it could leak in: the base64 text, any 20-character piece of it,
 * and its hex (any 32 hex digits: half a key). Independent of wgdiag's own masking, so it can judge it.
 */
public final class KeyLeaks {
    /** Pieces this long are looked for: 20 base64 characters (120 bits), under half a key; shorter pieces leave too much unknown to matter. */
    static final int PIECE = 20;

    private KeyLeaks() {
    }

    /** Every key text in {@code text}: each window of 44 characters that wg would accept as a key. */
    public static List<String> keysIn(String text) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i + 44 <= text.length(); i++) {
            if (text.charAt(i + 43) != '=' || text.charAt(i + 42) == '=') continue;
            String k = text.substring(i, i + 44);
            try {
                byte[] b = Base64.getDecoder().decode(k);
                if (b.length == 32 && Base64.getEncoder().encodeToString(b).equals(k) && !keys.contains(k)) keys.add(k);
            } catch (IllegalArgumentException e) {
                // not base64
            }
        }
        return keys;
    }

    /** The first form of {@code key} found in {@code text}, or null: base64, a 20-character piece of it, hex. */
    public static String leakOf(String key, String text) {
        if (text == null) return null;
        if (text.contains(key)) return key;
        for (int i = 0; i + PIECE <= 43; i++) {
            String piece = key.substring(i, i + PIECE);
            if (text.contains(piece)) return piece;
        }
        String hex = HexFormat.of().formatHex(Base64.getDecoder().decode(key));
        String lower = text.toLowerCase(Locale.ROOT);
        for (int i = 0; i + 32 <= hex.length(); i += 2) {
            if (lower.contains(hex.substring(i, i + 32))) return hex.substring(i, i + 32);
        }
        return null;
    }

    /** Fails naming the key and the form when any of {@code keys} shows in {@code text}. */
    public static void assertNoLeak(List<String> keys, String text, String where) {
        for (String k : keys) {
            String leak = leakOf(k, text);
            if (leak != null) {
                throw new AssertionError(where + " shows key " + k.substring(0, 4) + "... as '" + leak + "': " + text);
            }
        }
    }
}
