package dev.wgdiag.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of one lab scenario run (or of a bundled capture) and its truth.
 *
 * @param scenario   scenario name
 * @param dir        directory holding the files
 * @param clientPcap capture on the client side of the NAT
 * @param serverPcap capture on the server side (what the server sees)
 * @param truthFile  NAME.truth.json: settings, expected outcome, lab measurements
 * @param clientConf wg-quick style client config (throwaway keys)
 * @param serverConf wg-quick style server config (throwaway keys)
 * @param truth      the parsed truth file
 * @param wallTime   how long the run took (zero for bundled captures)
 */
public record LabRun(String scenario, Path dir, Path clientPcap, Path serverPcap, Path truthFile,
                     Path clientConf, Path serverConf, JsonNode truth, Duration wallTime) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Loads NAME.* from dir. */
    public static LabRun load(String scenario, Path dir, Duration wallTime) {
        Path truthFile = dir.resolve(scenario + ".truth.json");
        try {
            JsonNode truth = JSON.readTree(truthFile.toFile());
            LabRun run = new LabRun(scenario, dir, dir.resolve(scenario + ".client.pcap"),
                    dir.resolve(scenario + ".server.pcap"), truthFile, dir.resolve(scenario + ".client.conf"),
                    dir.resolve(scenario + ".server.conf"), truth, wallTime);
            for (Path p : List.of(run.clientPcap, run.serverPcap, run.clientConf, run.serverConf)) {
                if (!Files.isRegularFile(p)) {
                    throw new IllegalStateException(p + ": missing from the lab run of " + scenario);
                }
            }
            return run;
        } catch (IOException e) {
            throw new UncheckedIOException(truthFile + ": cannot read the truth file", e);
        }
    }

    /** truth.settings.KEY as an int (e.g. "nat_udp_timeout_s"). */
    public int setting(String key) {
        JsonNode v = truth.path("settings").path(key);
        if (!v.isNumber()) {
            throw new IllegalStateException(truthFile + ": settings." + key + " is not a number");
        }
        return v.asInt();
    }

    /** truth.expected.KEY as a list of strings (empty when the scenario expects none). */
    public List<String> expected(String key) {
        List<String> out = new ArrayList<>();
        truth.path("expected").path(key).forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The server's public key (base64), from the truth file. */
    public String serverPublicKey() {
        return truth.path("peers").path("server_public_key").asText();
    }

    /** The client's public key (base64), from the truth file. */
    public String clientPublicKey() {
        return truth.path("peers").path("client_public_key").asText();
    }
}
