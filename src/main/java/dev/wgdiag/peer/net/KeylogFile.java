package dev.wgdiag.peer.net;

import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * {@code --keylog FILE}: a Wireshark WireGuard keylog ({@code wg.keylog_file}, packet-wireguard.c),
 * one block of {@code TYPE = base64} lines per session, flushed at once so Wireshark can follow a
 * running peer. Mode 0600 ({@link SecretFiles}). Nothing else is ever written to it.
 */
public final class KeylogFile implements Closeable {
    private final Path path;
    private final Writer out;

    private KeylogFile(Path path, Writer out) {
        this.path = path;
        this.out = out;
    }

    public static KeylogFile create(Path path) throws IOException {
        SecretFiles.prepare(path);
        return new KeylogFile(path, Files.newBufferedWriter(path, StandardCharsets.US_ASCII, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING));
    }

    public Path path() {
        return path;
    }

    /** Appends one session's lines (LOCAL_STATIC_PRIVATE_KEY, ..., LOCAL_EPHEMERAL_PRIVATE_KEY, PRESHARED_KEY). */
    public void session(List<String> keylogLines) throws IOException {
        for (String line : keylogLines) {
            out.write(line);
            out.write('\n');
        }
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
