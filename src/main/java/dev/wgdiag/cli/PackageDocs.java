package dev.wgdiag.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Build step (run by exec-maven-plugin before the package is made): writes the Debian package's
 * generated documents from the command-line model, so they never drift from {@code --help}.
 * <pre>
 *   OUT/man/wgdiag.1.gz, OUT/man/wgdiag-COMMAND.1.gz   man pages ({@link ManPage})
 *   OUT/completion/wgdiag, OUT/completion/_wgdiag      bash and zsh completion ({@link Completion})
 *   OUT/doc/changelog.gz                               CHANGELOG, gzipped as Debian policy asks
 * </pre>
 * Usage: {@code PackageDocs OUT DATE CHANGELOG} with DATE as YYYY-MM-DD (the pages' date).
 */
public final class PackageDocs {
    private PackageDocs() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: PackageDocs OUT_DIR DATE CHANGELOG");
        }
        Path out = Path.of(args[0]);
        String date = args[1];
        Path changelog = Path.of(args[2]);
        PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
        CommandLine root = Main.commandLine(InputStream.nullInputStream(), nowhere, nowhere, null);

        Path man = Files.createDirectories(out.resolve("man"));
        for (ManPage.Page page : ManPage.pages(root, date, "wgdiag " + Main.Version.number())) {
            writeGzip(man.resolve(page.fileName() + ".gz"), page.troff().getBytes(StandardCharsets.US_ASCII));
        }
        Path completion = Files.createDirectories(out.resolve("completion"));
        Files.writeString(completion.resolve(root.getCommandSpec().name()), Completion.bash(root), StandardCharsets.UTF_8);
        Files.writeString(completion.resolve("_" + root.getCommandSpec().name()), Completion.zsh(root), StandardCharsets.UTF_8);
        Path doc = Files.createDirectories(out.resolve("doc"));
        writeGzip(doc.resolve("changelog.gz"), Files.readAllBytes(changelog));
    }

    /** gzip -9n: best compression, no file name and no time stamp in the header (the same bytes every build). */
    private static void writeGzip(Path file, byte[] content) throws IOException {
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(file)) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        }) {
            o.write(content);
        }
    }
}
