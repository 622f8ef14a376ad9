package dev.wgdiag.crypto;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wgdiag.testing.KeyLeaks;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Coverage-guided fuzzing of the Wireshark WireGuard keylog parser (the {@code --keylog} files and
 * the text of pcapng Decryption Secrets Blocks), see docs/security.md. A bad keylog must end in a
 * {@link KeylogException} whose message is one line naming the file and shows none of the keys in
 * the input; a good one's {@code toString} shows no key at all.
 */
class KeylogFuzzTest {
    static final String NAME = "fuzzed.keylog";

    @FuzzTest(maxDuration = "10m")
    void parsesAnyKeylog(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        List<String> keys = KeyLeaks.keysIn(text);
        Keylog keylog;
        try {
            keylog = Keylog.parse(NAME, new StringReader(text));
        } catch (KeylogException e) {
            String m = e.getMessage();
            if (!m.startsWith(NAME) || m.indexOf('\n') >= 0 || m.indexOf('\r') >= 0) {
                throw new AssertionError("not one line naming the file: " + m);
            }
            KeyLeaks.assertNoLeak(keys, m, "error message");
            return;
        }
        KeyLeaks.assertNoLeak(keys, keylog.toString(), "toString");
        KeyLeaks.assertNoLeak(keys, keylog.ephemerals().toString(), "ephemerals");
        KeyLeaks.assertNoLeak(keys, keylog.localStatics().toString(), "local statics");
    }
}
