package dev.wgdiag.cli;

import dev.wgdiag.crypto.KeyFormatException;
import dev.wgdiag.crypto.PresharedKey;
import dev.wgdiag.crypto.PrivateKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code wgdiag genkey | pubkey | genpsk}, compatible with wg(8): same output (base64 key and a
 * newline) and the same one-line errors on bad input (wireguard-tools src/genkey.c, pubkey.c).
 * Register the three nested classes as subcommands in Main.
 */
public final class KeyCommands {
    /** Success. */
    public static final int OK = 0;
    /** Bad input or I/O failure (wg exits 1). */
    public static final int FAILED = 1;

    private KeyCommands() {
    }

    @Command(name = "genkey", description = "Print a new random private key (base64), as wg genkey.")
    public static final class GenkeyCommand implements Callable<Integer> {
        private final PrintStream out;
        private final SecureRandom random;

        public GenkeyCommand() {
            this(System.out, new SecureRandom());
        }

        public GenkeyCommand(PrintStream out, SecureRandom random) {
            this.out = out;
            this.random = random;
        }

        @Override
        public Integer call() {
            out.print(PrivateKey.generate(random).toBase64() + "\n");
            out.flush();
            return OK;
        }
    }

    @Command(name = "genpsk", description = "Print a new random preshared key (base64), as wg genpsk.")
    public static final class GenpskCommand implements Callable<Integer> {
        private final PrintStream out;
        private final SecureRandom random;

        public GenpskCommand() {
            this(System.out, new SecureRandom());
        }

        public GenpskCommand(PrintStream out, SecureRandom random) {
            this.out = out;
            this.random = random;
        }

        @Override
        public Integer call() {
            out.print(PresharedKey.generate(random).toBase64() + "\n");
            out.flush();
            return OK;
        }
    }

    @Command(name = "pubkey", description = "Read a private key (base64) from stdin and print its public key, as wg pubkey.")
    public static final class PubkeyCommand implements Callable<Integer> {
        private final InputStream in;
        private final PrintStream out;
        private final PrintStream err;

        public PubkeyCommand() {
            this(System.in, System.out, System.err);
        }

        public PubkeyCommand(InputStream in, PrintStream out, PrintStream err) {
            this.in = in;
            this.out = out;
            this.err = err;
        }

        @Override
        public Integer call() {
            String text;
            try {
                // A key is 44 characters; read a little more to notice trailing garbage, never unbounded.
                byte[] buf = in.readNBytes(4096);
                text = new String(buf, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                err.println("wgdiag: cannot read stdin: " + e.getMessage());
                return FAILED;
            }
            // wg pubkey: exactly 44 key characters, then only whitespace.
            if (text.length() < 44) {
                err.println("wgdiag: Key is not the correct length or format");
                return FAILED;
            }
            if (!text.substring(44).isBlank()) {
                err.println("wgdiag: Trailing characters found after key");
                return FAILED;
            }
            PrivateKey key;
            try {
                key = PrivateKey.parse(text.substring(0, 44));
            } catch (KeyFormatException e) {
                err.println("wgdiag: Key is not the correct length or format");
                return FAILED;
            }
            out.print(key.publicKey().toBase64() + "\n");
            out.flush();
            return OK;
        }
    }

    /** Test helper: runs pubkey on a string and returns stdout. */
    static String pubkeyOf(String stdin, PrintStream err) {
        ByteArrayOutputStream bout = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bout, true, StandardCharsets.US_ASCII);
        int rc = new PubkeyCommand(new java.io.ByteArrayInputStream(stdin.getBytes(StandardCharsets.US_ASCII)), out, err).call();
        return rc == OK ? bout.toString(StandardCharsets.US_ASCII) : null;
    }
}
