package dev.wgdiag.cli;

import dev.wgdiag.crypto.KeyFormatException;
import dev.wgdiag.crypto.PresharedKey;
import dev.wgdiag.crypto.PrivateKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code wgdiag genkey | pubkey | genpsk}, compatible with wg(8): the same base64 key and newline on
 * standard output, the private key read from standard input, and the same reasons on bad input
 * (wireguard-tools src/genkey.c, src/pubkey.c).
 */
final class KeyCommands {
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyCommands() {
    }

    /**
     * wg genkey and genpsk warn when standard output is a regular file that others may read, write or
     * execute (wireguard-tools src/genkey.c: S_ISREG and mode & S_IRWXO); the key is written anyway.
     */
    static void warnIfWorldAccessible(Path stdoutFile, PrintWriter err) {
        if (stdoutFile == null) return;
        try {
            PosixFileAttributes a = Files.readAttributes(stdoutFile, PosixFileAttributes.class);
            Set<PosixFilePermission> p = a.permissions();
            if (a.isRegularFile() && (p.contains(PosixFilePermission.OTHERS_READ) || p.contains(PosixFilePermission.OTHERS_WRITE)
                    || p.contains(PosixFilePermission.OTHERS_EXECUTE))) {
                err.println("wgdiag: Warning: writing to world accessible file. Consider setting the umask to 077 and trying again.");
                err.flush();
            }
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // no /proc, or no POSIX permissions: nothing to judge, as wg on such systems
        }
    }

    @Command(name = "genkey", description = "Print a new random private key (base64), as wg genkey.",
            footerHeading = "%nExample:%n", footer = "  wgdiag genkey | tee private.key | wgdiag pubkey > public.key")
    static final class GenkeyCommand implements Callable<Integer> {
        private final Path stdoutFile;

        @Spec
        CommandSpec spec;

        GenkeyCommand(Path stdoutFile) {
            this.stdoutFile = stdoutFile;
        }

        @Override
        public Integer call() {
            warnIfWorldAccessible(stdoutFile, spec.commandLine().getErr());
            spec.commandLine().getOut().print(PrivateKey.generate(RANDOM).toBase64() + "\n");
            return ExitCode.OK;
        }
    }

    @Command(name = "genpsk", description = "Print a new random preshared key (base64), as wg genpsk.",
            footerHeading = "%nExample:%n", footer = "  wgdiag genpsk > preshared.key")
    static final class GenpskCommand implements Callable<Integer> {
        private final Path stdoutFile;

        @Spec
        CommandSpec spec;

        GenpskCommand(Path stdoutFile) {
            this.stdoutFile = stdoutFile;
        }

        @Override
        public Integer call() {
            warnIfWorldAccessible(stdoutFile, spec.commandLine().getErr());
            spec.commandLine().getOut().print(PresharedKey.generate(RANDOM).toBase64() + "\n");
            return ExitCode.OK;
        }
    }

    @Command(name = "pubkey", description = "Read a private key (base64) on standard input and print its public key, as wg pubkey.",
            footerHeading = "%nExample:%n", footer = "  wgdiag genkey | tee private.key | wgdiag pubkey > public.key")
    static final class PubkeyCommand implements Callable<Integer> {
        private final InputStream in;

        @Spec
        CommandSpec spec;

        PubkeyCommand(InputStream in) {
            this.in = in;
        }

        @Override
        public Integer call() {
            String text;
            try {
                // A key is 44 characters; read a little more to notice trailing garbage, never unbounded.
                text = new String(in.readNBytes(4096), StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new UserError(ExitCode.BAD_INPUT, "cannot read standard input: " + e.getMessage());
            }
            // wg pubkey (src/pubkey.c): exactly 44 key characters, then only whitespace.
            if (text.length() < 44) {
                throw new UserError(ExitCode.BAD_INPUT, "Key is not the correct length or format");
            }
            if (!text.substring(44).isBlank()) {
                throw new UserError(ExitCode.BAD_INPUT, "Trailing characters found after key");
            }
            PrivateKey key;
            try {
                key = PrivateKey.parse(text.substring(0, 44));
            } catch (KeyFormatException e) {
                throw new UserError(ExitCode.BAD_INPUT, "Key is not the correct length or format");
            }
            spec.commandLine().getOut().print(key.publicKey().toBase64() + "\n");
            return ExitCode.OK;
        }
    }
}
