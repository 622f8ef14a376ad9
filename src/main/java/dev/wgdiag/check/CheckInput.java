package dev.wgdiag.check;

import dev.wgdiag.config.ConfigException;
import dev.wgdiag.config.LocatedConfig;
import dev.wgdiag.config.RawConfig;
import dev.wgdiag.config.WgConfig;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One config file to check: its name as given, its lines read leniently, and whether others may
 * read it.
 */
public record CheckInput(String file, LocatedConfig config, boolean worldAccessible) {
    /** A config is a text file of a few kilobytes; anything this large is something else. */
    static final int MAX_BYTES = 1 << 20;
    /** wg-quick's rule for the interface name in the file name (wireguard-tools src/wg-quick/linux.bash parse_options). */
    private static final Pattern INTERFACE = Pattern.compile("(^|/)([a-zA-Z0-9_=+.-]{1,15})\\.conf$");

    /** Reads a file; only an unreadable or non-text file fails (every defect of a config's content is a finding). */
    public static CheckInput read(Path path) throws ConfigException {
        String name = path.toString();
        byte[] bytes;
        try {
            if (Files.isDirectory(path)) throw unreadable(name, "is a directory");
            if (Files.size(path) > MAX_BYTES) throw unreadable(name, "larger than 1 MiB, not a WireGuard config");
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw unreadable(name, "no such file");
        } catch (AccessDeniedException e) {
            throw unreadable(name, "permission denied");
        } catch (IOException e) {
            throw unreadable(name, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw unreadable(name, "not a text file (not UTF-8)");
        }
        if (text.indexOf('\0') >= 0) throw unreadable(name, "not a text file (contains NUL bytes)");
        return new CheckInput(name, parse(name, text), WgConfig.worldAccessible(path));
    }

    /** A config from text (tests, standard input): never world accessible. */
    public static CheckInput of(String file, String text) {
        return new CheckInput(file, parse(file, text), false);
    }

    private static LocatedConfig parse(String name, String text) {
        try {
            return LocatedConfig.of(RawConfig.parse(name, new StringReader(text)));
        } catch (IOException e) {
            throw new IllegalStateException("reading a string cannot fail", e);
        }
    }

    private static ConfigException unreadable(String file, String reason) {
        return new ConfigException(ConfigException.Kind.UNREADABLE, file, 0, null, null, "cannot read: " + reason, null);
    }

    /** The interface wg-quick brings up from this file (the file name without ".conf"), or empty when it refuses the name. */
    public Optional<String> interfaceName() {
        Matcher m = INTERFACE.matcher(file);
        return m.find() ? Optional.of(m.group(2)) : Optional.empty();
    }

    /** The file name without directories. */
    public String baseName() {
        int slash = file.lastIndexOf('/');
        return slash < 0 ? file : file.substring(slash + 1);
    }
}
