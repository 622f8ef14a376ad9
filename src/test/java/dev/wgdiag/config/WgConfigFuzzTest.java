package dev.wgdiag.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wgdiag.crypto.PrivateKey;
import dev.wgdiag.testing.KeyLeaks;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Coverage-guided fuzzing of the wg / wg-quick config parser, see docs/security.md. A bad config
 * must end in a {@link ConfigException} whose message is one line naming the file and shows none
 * of the keys in the input (whatever line, section or typo carries them); a good one's
 * {@code toString} shows no private or preshared key.
 */
class WgConfigFuzzTest {
    static final String NAME = "fuzzed.conf";

    @FuzzTest(maxDuration = "10m")
    void parsesAnyConfig(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        List<String> keys = KeyLeaks.keysIn(text);
        WgConfig config;
        try {
            config = WgConfig.parse(NAME, new StringReader(text));
        } catch (ConfigException e) {
            String m = e.getMessage();
            check(m.startsWith(NAME) && m.indexOf('\n') < 0 && m.indexOf('\r') < 0, "not one line naming the file: " + m);
            KeyLeaks.assertNoLeak(keys, m, "error message");
            return;
        }
        // Public keys may be shown; every other key of the input may not, not even a piece of one (a piece
        // it shares with a shown public key is that public key's, so public keys are blanked first).
        List<String> publicKeys = new java.util.ArrayList<>();
        config.iface().privateKey().map(PrivateKey::publicKey).ifPresent(p -> publicKeys.add(p.toBase64()));
        config.peers().forEach(p -> publicKeys.add(p.publicKey().toBase64()));
        List<String> secrets = new java.util.ArrayList<>(keys);
        secrets.removeAll(publicKeys);
        String shown = config.toString();
        for (String p : publicKeys) shown = shown.replace(p, "<public key>");
        KeyLeaks.assertNoLeak(secrets, shown, "toString");
        config.peers().forEach(p -> KeyLeaks.assertNoLeak(secrets, String.valueOf(p.name()), "peer name"));
    }

    private static void check(boolean ok, String what) {
        if (!ok) throw new AssertionError(what);
    }
}
