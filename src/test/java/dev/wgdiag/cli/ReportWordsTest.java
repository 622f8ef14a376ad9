package dev.wgdiag.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wgdiag.lab.MidSession;
import dev.wgdiag.net.Endpoint;
import dev.wgdiag.testing.Requirements;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Words a phone user reads. On every bundled lab scenario (server capture, client capture, both joined,
 * and the server capture cut to start mid-session): counts agree with their nouns everywhere in the text
 * report, no "0 of 0", no "(s)"; and the verdict names first the problem the lab made: packets too big
 * for the path when it narrowed the path (settings.path_mtu), loss when it injected loss, the NAT
 * forgetting the tunnel when it set a timeout the traffic outlived and the capture shows the new port
 * (measured.server_view_of_client_endpoint), and calls the tunnel stable when the lab made no problem.
 */
class ReportWordsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NOUNS = "handshake|time|gap|retrie|initiation|response|cookie replie|packet|session|message|keepalive|round trip";
    private static final Pattern ONE_PLURAL = Pattern.compile("(?<![\\d.])1 (" + NOUNS + ")s\\b");
    private static final Pattern MANY_SINGULAR = Pattern.compile("(?<![\\d.])(0|[2-9]|\\d{2,}) (handshake|time|gap|retry|initiation|response|cookie reply|packet|session|message|keepalive|round trip)\\b(?!s| message)");

    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> shouldNameTheLabsProblemFirstInWordsThatAgreeInNumber() throws IOException {
        Path dir = Requirements.projectDir().resolve("captures");
        List<Path> truths;
        try (Stream<Path> s = Files.list(dir)) {
            truths = s.filter(p -> p.getFileName().toString().endsWith(".truth.json")).sorted().toList();
        }
        return truths.stream().map(t -> DynamicTest.dynamicTest(t.getFileName().toString(), () -> check(dir, t)));
    }

    private void check(Path dir, Path truthFile) throws Exception {
        JsonNode truth = JSON.readTree(truthFile.toFile());
        String name = truth.path("scenario").asText();
        String server = dir.resolve(name + ".server.pcap").toString(), client = dir.resolve(name + ".client.pcap").toString();
        Path cut = tmp.resolve(name + ".mid.pcap");
        MidSession.cut(Path.of(server), cut);
        List<String> failures = new ArrayList<>();
        boolean rebindSeen = rebindSeenOutside(truth);
        JsonNode s = truth.path("settings");
        boolean mtu = s.hasNonNull("path_mtu") && s.path("path_mtu").asInt() > 0;
        boolean loss = s.path("loss_up_percent").asDouble() > 0 || s.path("loss_down_percent").asDouble() > 0;
        List<String> mapping = list(truth.at("/expected/mapping"));
        boolean expires = mapping.contains("expires") || mapping.contains("rebinds-every-keepalive");
        boolean swaps = truth.at("/expected/swaps").toString().contains("KEEPALIVE_TIMEOUT");
        for (String mode : List.of("server", "client", "joined", "mid-session")) {
            List<String> files = switch (mode) {
                case "server" -> List.of(server);
                case "client" -> List.of(client);
                case "joined" -> List.of(server, client);
                default -> List.of(cut.toString());
            };
            List<String> args = new ArrayList<>(List.of("analyze"));
            args.addAll(files);
            args.add("--no-progress");
            Path html = tmp.resolve(name + "." + mode + ".html");
            List<String> withHtml = new ArrayList<>(args);
            withHtml.addAll(List.of("--html", html.toString()));
            CliRun text = CliRun.of(withHtml.toArray(String[]::new));
            args.addAll(List.of("--format", "json"));
            CliRun json = CliRun.of(args.toArray(String[]::new));
            if (text.exitCode() != 0 || json.exitCode() != 0) {
                failures.add(mode + ": exit " + text.exitCode() + "/" + json.exitCode() + " " + text.err());
                continue;
            }
            words(mode, text.out(), failures);
            // The page's words, without markup (charts are SVG text: axis labels hold no counts).
            words(mode + " html", Files.readString(html).replaceAll("(?s)<svg.*?</svg>", " ").replaceAll("<[^>]+>", " ")
                    .replace("&amp;", "&"), failures);
            JsonNode verdict = JSON.readTree(json.out()).path("verdict");
            List<String> problems = list(verdict.path("problems"));
            String want = null;
            if (mtu) want = "PACKETS_TOO_BIG";
            else if (loss) want = "LOSS";
            else if (expires && rebindSeen && !mode.equals("client")) want = "MAPPING_EXPIRED";
            String got = problems.isEmpty() ? null : problems.get(0);
            if (want != null && !want.equals(got)) {
                failures.add(mode + ": first problem " + got + ", the lab made " + want + ": " + verdict.path("sentence").asText());
            }
            if (!mtu && !loss && !expires && !swaps && !verdict.path("stable").asBoolean()) {
                failures.add(mode + ": the lab made no problem, verdict: " + verdict.path("sentence").asText());
            }
        }
        assertEquals(List.of(), failures, name);
    }

    private static void words(String mode, String report, List<String> failures) {
        if (report.contains("0 of 0")) failures.add(mode + ": \"0 of 0\" in the report");
        if (report.contains("(s)")) failures.add(mode + ": \"(s)\" in the report");
        for (Pattern p : List.of(ONE_PLURAL, MANY_SINGULAR)) {
            Matcher m = p.matcher(report);
            while (m.find()) {
                int from = Math.max(0, m.start() - 40), to = Math.min(report.length(), m.end() + 20);
                failures.add(mode + ": count and noun disagree: \"" + report.substring(from, to).replace('\n', ' ') + "\"");
            }
        }
    }

    private static boolean rebindSeenOutside(JsonNode truth) {
        List<Endpoint> seen = new ArrayList<>();
        for (JsonNode v : truth.at("/measured/server_view_of_client_endpoint")) {
            if (!v.path("endpoint").asText().equals("(none)")) seen.add(Endpoint.parse(v.path("endpoint").asText()));
        }
        for (int i = 1; i < seen.size(); i++) {
            if (seen.get(i).sameAddress(seen.get(i - 1)) && !seen.get(i).equals(seen.get(i - 1))) return true;
        }
        return false;
    }

    private static List<String> list(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n.isArray()) n.forEach(x -> out.add(x.asText()));
        return out;
    }
}
