package dev.wgdiag.timeline;

import dev.wgdiag.lab.Lab;
import dev.wgdiag.lab.LabRun;
import dev.wgdiag.lab.LabTest;
import dev.wgdiag.lab.PeerLab;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * The lab's scenarios with {@code wgdiag peer} in place of wireguard-go on the client side and on the
 * server side give the analysis outcome the lab configured, exactly as with wireguard-go on both
 * sides ({@link LabScenarioAcceptanceTest}'s checks against truth.json: initiators in order, swaps and
 * their causes, persistent keepalive interval, NAT rebinding, loss, the mapping-timeout bracket). The
 * captures are the lab's tcpdump on both sides, so this proves wgdiag's timers by what it put on the
 * wire: its persistent keepalive (keepalive-long), its "no reply after data" handshake taking over as
 * initiator (swap-no-reply, wgdiag as server), and its answering a swap (wgdiag as client). Every
 * scenario: {@code -Dwgdiag.peer.scenarios=all} (about ten minutes).
 */
@LabTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PeerScenarioAcceptanceLabTest {
    /** The default set; {@code -Dwgdiag.peer.scenarios=all} (or a comma-separated list) runs more. */
    private static final List<String> DEFAULT = List.of("handshake-ping", "keepalive-long", "swap-no-reply");

    private static List<String> scenarios() {
        String s = System.getProperty("wgdiag.peer.scenarios", "");
        if (s.isBlank()) return DEFAULT;
        if (s.equals("all")) return Lab.scenarioNames();
        return List.of(s.split(","));
    }

    private record Case(String scenario, PeerLab.Side side) {
        String label() {
            return scenario + "-" + side.label();
        }
    }

    private final List<Case> cases = new ArrayList<>();
    private Map<Case, CompletableFuture<LabRun>> runs;

    @BeforeAll
    void runEveryScenarioWithWgdiagOnEitherSide() {
        for (String s : scenarios()) {
            for (String side : List.of("client", "server")) cases.add(new Case(s, new PeerLab.Side(side, 0, false)));
        }
        long start = System.nanoTime();
        runs = PeerLab.runAll(cases, c -> Lab.run(c.scenario(), Lab.projectDir().resolve("target/lab-peer").resolve(c.label()),
                PeerLab.env(c.side(), null)));
        runs.forEach((c, f) -> System.out.printf("scenario %-40s %s%n", c.label(),
                f.isCompletedExceptionally() ? "FAILED" : String.format("%.1f s", f.join().wallTime().toMillis() / 1000.0)));
        System.out.printf("%d scenario runs with wgdiag in %.1f s wall%n", cases.size(), (System.nanoTime() - start) / 1e9);
    }

    @TestFactory
    Stream<DynamicTest> shouldGiveTheConfiguredOutcomeWithWgdiagOnEitherSide() {
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.label(), () -> {
            LabRun run = PeerLab.get(runs.get(c));
            org.junit.jupiter.api.Assertions.assertEquals("wgdiag",
                    run.truth().path("implementations").path(c.side().wgdiag()).asText());
            LabScenarioAcceptanceTest.check(run.truthFile());
        }));
    }
}
