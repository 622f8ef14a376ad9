package dev.wgdiag.peer.net;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files that hold keys ({@code -w} with its Decryption Secrets Blocks, {@code --keylog}): readable and
 * writable by the owner only (0600, as wg(8) wants private keys kept), set before any byte is written.
 */
public final class SecretFiles {
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private SecretFiles() {
    }

    /** Creates {@code path} empty with mode 0600, or empties an existing file and makes it 0600. */
    public static void prepare(Path path) throws IOException {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        if (Files.exists(path)) {
            if (posix) Files.setPosixFilePermissions(path, OWNER_ONLY);
            Files.newOutputStream(path).close(); // truncate
        } else if (posix) {
            Files.createFile(path, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } else {
            Files.createFile(path);
        }
    }
}
