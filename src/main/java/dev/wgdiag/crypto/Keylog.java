package dev.wgdiag.crypto;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Wireshark WireGuard keylog ({@code wg.keylog_file}, packet-wireguard.c): lines {@code TYPE = base64}
 * with TYPE one of {@link Type}; a PRESHARED_KEY attaches to the LOCAL_EPHEMERAL_PRIVATE_KEY line
 * before it. Blank lines and lines starting with '#' are ignored. {@link #toString()} shows counts only.
 */
public final class Keylog {
    public enum Type { LOCAL_STATIC_PRIVATE_KEY, REMOTE_STATIC_PUBLIC_KEY, LOCAL_EPHEMERAL_PRIVATE_KEY, PRESHARED_KEY }

    /** A local ephemeral private key and the preshared key of its handshake ({@link PresharedKey#NONE} if none given). */
    public record Ephemeral(PrivateKey key, PresharedKey psk) {
    }

    private final List<PrivateKey> localStatics;
    private final List<PublicKey> remoteStatics;
    private final List<Ephemeral> ephemerals;

    private Keylog(List<PrivateKey> localStatics, List<PublicKey> remoteStatics, List<Ephemeral> ephemerals) {
        this.localStatics = List.copyOf(localStatics);
        this.remoteStatics = List.copyOf(remoteStatics);
        this.ephemerals = List.copyOf(ephemerals);
    }

    public static Keylog of(List<PrivateKey> localStatics, List<PublicKey> remoteStatics, List<Ephemeral> ephemerals) {
        return new Keylog(localStatics, remoteStatics, ephemerals);
    }

    public static Keylog parse(Path path) throws KeylogException {
        String name = path.toString();
        try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            return parse(name, r);
        } catch (IOException e) {
            throw new KeylogException(name, 0, "cannot read: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
    }

    public static Keylog parse(String name, Reader reader) throws KeylogException {
        List<PrivateKey> ls = new ArrayList<>();
        List<PublicKey> rs = new ArrayList<>();
        List<Ephemeral> es = new ArrayList<>();
        BufferedReader br = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
        int lineNo = 0;
        try {
            for (String raw = br.readLine(); raw != null; raw = br.readLine()) {
                lineNo++;
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                int eq = line.indexOf('=');
                if (eq < 0) {
                    throw new KeylogException(name, lineNo, "expected TYPE = base64 key (line: " + mask(line) + ")");
                }
                String typeText = line.substring(0, eq).strip();
                String keyText = line.substring(eq + 1).strip();
                Type type;
                try {
                    type = Type.valueOf(typeText);
                } catch (IllegalArgumentException e) {
                    throw new KeylogException(name, lineNo, "unknown key type '" + typeText + "' (line: " + mask(line) + ")");
                }
                try {
                    switch (type) {
                        case LOCAL_STATIC_PRIVATE_KEY -> ls.add(PrivateKey.parse(keyText));
                        case REMOTE_STATIC_PUBLIC_KEY -> rs.add(PublicKey.parse(keyText));
                        case LOCAL_EPHEMERAL_PRIVATE_KEY -> es.add(new Ephemeral(PrivateKey.parse(keyText), PresharedKey.NONE));
                        case PRESHARED_KEY -> {
                            PresharedKey psk = PresharedKey.parse(keyText);
                            if (es.isEmpty()) {
                                throw new KeylogException(name, lineNo,
                                        "PRESHARED_KEY without a LOCAL_EPHEMERAL_PRIVATE_KEY line before it");
                            }
                            Ephemeral last = es.remove(es.size() - 1);
                            es.add(new Ephemeral(last.key(), psk));
                        }
                        default -> throw new IllegalStateException();
                    }
                } catch (KeyFormatException e) {
                    throw new KeylogException(name, lineNo, typeText + ": " + e.getMessage() + " (line: " + mask(line) + ")");
                }
            }
        } catch (IOException e) {
            throw new KeylogException(name, lineNo, "cannot read: " + e.getMessage());
        }
        return new Keylog(ls, rs, es);
    }

    /** The line with everything after '=' replaced by ****. */
    static String mask(String line) {
        int eq = line.indexOf('=');
        return eq < 0 ? "****" : line.substring(0, eq + 1) + " ****";
    }

    public List<PrivateKey> localStatics() {
        return localStatics;
    }

    public List<PublicKey> remoteStatics() {
        return remoteStatics;
    }

    public List<Ephemeral> ephemerals() {
        return ephemerals;
    }

    @Override
    public String toString() {
        return "Keylog[" + localStatics.size() + " local static, " + remoteStatics.size() + " remote static, "
                + ephemerals.size() + " ephemeral]";
    }
}
