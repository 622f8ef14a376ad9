package dev.wgdiag.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where a command's main output goes: standard output, or a file that appears whole or not at all
 * (written beside its final name, then moved into place), so a failure never leaves a corrupt file.
 */
final class Output implements AutoCloseable {
    private final Path target;
    private final Path temp;
    private final Writer writer;
    private boolean committed;

    private Output(Path target, Path temp, Writer writer) {
        this.target = target;
        this.temp = temp;
        this.writer = writer;
    }

    static Output stdout(PrintWriter out) {
        return new Output(null, null, out);
    }

    static Output file(Path target) {
        Path dir = target.toAbsolutePath().getParent();
        try {
            Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".part");
            return new Output(target, temp, Files.newBufferedWriter(temp, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UserError(ExitCode.OUTPUT_FAILED, target + ": cannot write: " + reason(e));
        }
    }

    static Output of(Path fileOrNull, PrintWriter out) {
        return fileOrNull == null ? stdout(out) : file(fileOrNull);
    }

    Writer writer() {
        return writer;
    }

    /** Makes the output final. Without it, {@link #close()} throws the partial file away. */
    void commit() {
        try {
            writer.flush();
            if (target != null) {
                writer.close();
                try {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            committed = true;
        } catch (IOException e) {
            throw new UserError(ExitCode.OUTPUT_FAILED, target + ": cannot write: " + reason(e));
        }
    }

    @Override
    public void close() {
        if (target == null) {
            try {
                writer.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return;
        }
        if (!committed) {
            try {
                writer.close();
            } catch (IOException ignored) {
                // the partial file is deleted below
            }
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // nothing more can be done; the final name was never touched
            }
        }
    }

    static String reason(IOException e) {
        String m = e.getMessage();
        if (e instanceof java.nio.file.NoSuchFileException) return "no such file or directory";
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
