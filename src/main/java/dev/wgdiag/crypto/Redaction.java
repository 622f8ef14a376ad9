package dev.wgdiag.crypto;

/**
 * Masks whatever in a text could be a key before the text is shown to a person (an error message
 * quoting a config or keylog line, a name taken from a comment).
 *
 * <p>A key's text is 44 base64 characters ({@code [A-Za-z0-9+/]}, 43 of them, then '='), its hex form
 * 64 of those characters. Any run of at least {@link #MIN_RUN} such characters, with the '=' after it,
 * becomes {@code ****}: a key with a typo, a key cut short or pasted twice is still a secret, and no
 * word of a wg config is that long without a '.', '-', '_', ':' or space in it.
 */
public final class Redaction {
    /** Shortest run masked: fewer than half a key's characters. */
    public static final int MIN_RUN = 20;
    public static final String MASK = "****";

    private Redaction() {
    }

    /** The text with every key-like run replaced by {@link #MASK}; null stays null. */
    public static String maskKeys(String text) {
        if (text == null || !containsKeyLike(text)) return text;
        StringBuilder sb = new StringBuilder(text.length());
        int i = 0;
        int n = text.length();
        while (i < n) {
            int end = i;
            while (end < n && isBase64(text.charAt(end))) end++;
            if (end - i >= MIN_RUN) {
                while (end < n && text.charAt(end) == '=') end++;
                sb.append(MASK);
                i = end;
            } else if (end > i) {
                sb.append(text, i, end);
                i = end;
            } else {
                sb.append(text.charAt(i++));
            }
        }
        return sb.toString();
    }

    /** True when {@link #maskKeys} would mask something. */
    public static boolean containsKeyLike(String text) {
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            run = isBase64(text.charAt(i)) ? run + 1 : 0;
            if (run >= MIN_RUN) return true;
        }
        return false;
    }

    private static boolean isBase64(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
    }
}
