package dev.wgdiag.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wgdiag.config.ConfigException;
import dev.wgdiag.config.IpPrefix;
import dev.wgdiag.config.WgConfig;
import dev.wgdiag.peer.InnerStack;
import dev.wgdiag.peer.PeerSpec;
import dev.wgdiag.probe.Behaviours;
import dev.wgdiag.probe.Bracket;
import dev.wgdiag.probe.NatBehaviour;
import dev.wgdiag.probe.Observation;
import dev.wgdiag.probe.ProbeProfile;
import dev.wgdiag.probe.Schedule;
import dev.wgdiag.probe.Timer;
import dev.wgdiag.probe.net.BehaviourProbe;
import dev.wgdiag.probe.net.ProbeClient;
import dev.wgdiag.report.ProbeHtml;
import dev.wgdiag.report.ProbeWords;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code wgdiag probe CONFIG}: behind the NAT, measures how long the NAT keeps a UDP mapping, with
 * WireGuard sessions in parallel against {@code wgdiag probe serve} (see docs/probe.md).
 */
@Command(name = "probe", mixinStandardHelpOptions = true, sortOptions = false,
        subcommands = ProbeServeCommand.class,
        description = {"Measure the NAT in front of this machine: how long it keeps a UDP mapping for an",
                "established WireGuard flow and for one that never became two-way, with sessions in",
                "parallel, each idle for a different time, against `wgdiag probe serve` at the Endpoint;",
                "and its mapping and filtering behaviour (RFC 4787) against the server's other port and",
                "address."},
        footerHeading = "%nExamples:%n",
        // The man page's EXAMPLES come from here and the README's examples must be among them (ReadmeExamplesTest).
        footer = {
                "  wgdiag probe phone.conf",
                "      Behind the carrier's NAT: bracket both mapping lifetimes (up to 10 minutes).",
                "  wgdiag probe phone.conf --schedule 10,20,40,80 --format json",
                "      Your own idle times; the profile as JSON for scripts.",
                "  wgdiag probe phone.conf --html nat.html",
                "      The profile also as one self-contained HTML page.",
                "  wgdiag probe serve server.conf",
                "      On the public side: answer the probe for the peers in server.conf.",
                "  wgdiag probe serve server.conf --alt-address 192.0.2.7",
                "      With a second address of the server: the address tests run too."})
public final class ProbeCommand implements Callable<Integer> {
    enum Format { text, json }

    /** picocli's output streams (Main and tests set them on the command line), taken when the command runs. */
    private PrintWriter out;
    private PrintWriter err;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "CONFIG", arity = "0..1", description = "wg-quick config: [Interface] PrivateKey, Address; one [Peer] with the Endpoint of `wgdiag probe serve`.")
    Path config;

    @Option(names = "--schedule", paramLabel = "SECONDS", description = "Idle times of the first round, comma-separated (default: every 5 s up to 100 s, then 5 %% apart, up to --max-lifetime).")
    String schedule;

    @Option(names = "--max-lifetime", paramLabel = "SECONDS", defaultValue = "600", description = "Longest idle time tried (default ${DEFAULT-VALUE}).")
    double maxLifetime;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "" + Schedule.DEFAULT_ROUNDS,
            description = "Rounds: the first, then refinements of each bracket (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--target", paramLabel = "ADDR", description = "Tunnel address to send the in-tunnel requests to (default: the first address of the [Peer]'s AllowedIPs).")
    String target;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write the profile as one self-contained HTML page to FILE (opened before the probe starts, written at its end).")
    Path html;

    @Option(names = "--format", defaultValue = "text", description = "text or json: the closing profile (with json, progress goes to standard error).")
    Format format;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        err = spec.commandLine().getErr();
        if (config == null) throw new UserError(ExitCode.USAGE, "wgdiag probe: missing CONFIG (or: wgdiag probe serve CONFIG)");
        if (!(maxLifetime > 0 && maxLifetime <= 3600)) throw new UserError(ExitCode.USAGE, "--max-lifetime must be 1-3600 s");
        if (rounds < 1 || rounds > 10) throw new UserError(ExitCode.USAGE, "--rounds must be 1-10");
        Schedule plan;
        try {
            plan = schedule == null ? Schedule.standard(maxLifetime, rounds) : Schedule.parse(schedule, maxLifetime, rounds);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCode.USAGE, "--schedule " + schedule + ": " + e.getMessage());
        }
        WgConfig wg;
        try {
            wg = WgConfig.parse(config);
        } catch (ConfigException e) {
            throw new UserError(ExitCode.BAD_INPUT, e.getMessage());
        }
        wg.warnings().forEach(w -> err.println("wgdiag: " + w));
        PeerSetup.Setup setup = PeerSetup.of(wg, PeerSetup.SYSTEM);
        if (setup.spec().peers().size() != 1) {
            throw new UserError(ExitCode.BAD_INPUT, wg.name() + ": the probe needs exactly one [Peer] (the probe server); found "
                    + setup.spec().peers().size());
        }
        PeerSpec server = setup.spec().peers().get(0);
        if (server.endpoint() == null) {
            throw new UserError(ExitCode.BAD_INPUT, wg.name() + ": [Peer] " + server.name() + ": no Endpoint: the probe dials the server");
        }
        InetAddress to = target(server, setup);
        InnerStack inner = new InnerStack(setup.addresses());
        if (inner.sourceFor(to).isEmpty()) {
            throw new UserError(ExitCode.BAD_INPUT, wg.name() + ": [Interface] Address: none of " + to.getHostAddress()
                    + "'s family; the in-tunnel requests need a source address");
        }
        try (Output page = html == null ? null : Output.file(html)) { // fails now, not after minutes of probing
            return probe(wg, setup, server, to, inner, plan, page);
        }
    }

    private int probe(WgConfig wg, PeerSetup.Setup setup, PeerSpec server, InetAddress to, InnerStack inner, Schedule plan, Output page) {
        PrintWriter live = format == Format.json ? err : out;
        live.printf(Locale.ROOT, "probing the NAT towards %s (peer %s), in-tunnel requests to %s%n",
                PeerLines.endpoint(server.endpoint()), server.name(), to.getHostAddress());
        live.flush();
        long start = System.nanoTime();
        List<Observation> observations;
        Behaviours behaviours;
        ProbeClient client = new ProbeClient(setup.spec(), server.publicKey(), server.endpoint(), inner, to, plan, progress(live));
        try {
            behaviours = new BehaviourProbe(setup.spec(), server.publicKey(), server.endpoint(), inner, to).run();
            live.println("mapping behaviour: " + ProbeWords.behaviour(behaviours.mapping()) + "; filtering behaviour: "
                    + ProbeWords.behaviour(behaviours.filtering()));
            live.flush();
            observations = client.run();
        } catch (IOException e) {
            throw new UserError(ExitCode.ENVIRONMENT, "probe: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
        ProbeProfile profile = ProbeProfile.of(observations, (System.nanoTime() - start) / 1e9, client.inboundRefresh(), behaviours,
                client.searchEndedNanos() == 0 ? null : (client.searchEndedNanos() - start) / 1e9);
        if (page != null) {
            ProbeHtml.write(profile, wg.name() + " towards " + PeerLines.endpoint(server.endpoint()), page.writer());
            page.commit();
        }
        if (format == Format.json) {
            out.println(json(profile));
        } else {
            text(profile, out);
        }
        out.flush();
        return observations.isEmpty() ? ExitCode.NO_REPLY : ExitCode.OK;
    }

    private InetAddress target(PeerSpec server, PeerSetup.Setup setup) {
        if (target != null) {
            try {
                return PeerSetup.numeric(target.strip());
            } catch (IllegalArgumentException e) {
                throw new UserError(ExitCode.USAGE, "--target " + target + ": not an IPv4 or IPv6 address");
            }
        }
        for (IpPrefix p : server.allowedIps()) {
            byte[] a = PeerSetup.numeric(p.address()).getAddress();
            if (setup.addresses().stream().noneMatch(x -> x.getAddress().length == a.length)) continue;
            if (p.prefixLength() < a.length * 8) a[a.length - 1] |= 1; // the network's first host
            try {
                return InetAddress.getByAddress(a);
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new UserError(ExitCode.BAD_INPUT, config + ": [Peer] " + server.name()
                + ": no AllowedIPs of the family of an [Interface] Address: nowhere to send the in-tunnel requests (or give --target)");
    }

    private static ProbeClient.Listener progress(PrintWriter live) {
        return new ProbeClient.Listener() {
            @Override
            public void roundStarted(int round, Map<Timer, List<Double>> idleTimes) {
                live.printf(Locale.ROOT, "round %d: %s%n", round, idleTimes.entrySet().stream()
                        .map(e -> ProbeWords.timer(e.getKey()) + " idle " + e.getValue().stream().map(ProbeWords::seconds)
                                .collect(Collectors.joining(", ")) + " s")
                        .collect(Collectors.joining("; ")));
                live.flush();
            }

            @Override
            public void flowReady(Timer timer, double idleSeconds, int localPort) {
            }

            @Override
            public void observed(Observation o, Bracket bracket) {
                live.printf(Locale.ROOT, "  %-11s idle %6s s: %-5s (port %d)  -> lifetime %s%n", ProbeWords.timer(o.timer()),
                        ProbeWords.seconds(o.idleSeconds()), o.lived() ? "lived" : "died", o.localPort(), ProbeWords.bracket(bracket));
                live.flush();
            }

            @Override
            public void inboundRefresh(double idleSeconds, double everySeconds, Boolean survived) {
                if (idleSeconds == 0) {
                    live.println("inbound refresh: not tested (the established lifetime has no bracket)");
                } else {
                    live.printf(Locale.ROOT, "inbound refresh: established flow idle %s s, server-only packets every %s s: %s%n",
                            ProbeWords.seconds(idleSeconds), ProbeWords.seconds(Math.round(everySeconds * 10) / 10.0), survived == null
                                    ? "no result" : survived ? "lived (inbound traffic refreshes the mapping)" : "died (inbound traffic does not refresh it)");
                }
                live.flush();
            }

            @Override
            public void flowFailed(Timer timer, double idleSeconds, String reason) {
                live.printf(Locale.ROOT, "  %-11s idle %6s s: %s%n", ProbeWords.timer(timer), ProbeWords.seconds(idleSeconds), reason);
                live.flush();
            }
        };
    }

    static void text(ProbeProfile p, PrintWriter out) {
        out.println();
        out.println("NAT profile");
        out.println("  established flow (two-way) mapping lifetime: " + ProbeWords.bracket(p.lifetime()));
        out.println("  one-way flow (handshake, then silence) lifetime: " + ProbeWords.bracket(p.oneWayLifetime()));
        ProbeProfile.Recommendation r = p.recommendation();
        out.println("  PersistentKeepalive" + (r == null || r.persistentKeepalive() == null ? ": " : " = ") + ProbeWords.recommendation(r));
        out.println("  public endpoints seen by the server: " + (p.publicEndpoints().isEmpty() ? "none reported"
                : p.publicEndpoints().stream().map(PeerLines::endpoint).collect(Collectors.joining(", "))));
        out.println("  port preservation: " + (p.portPreservation() == null ? "not measured" : p.portPreservation() ? "yes" : "no")
                + "; port allocation: " + (p.portAllocation() == null ? "not measured" : p.portAllocation().name().toLowerCase(Locale.ROOT)));
        out.println("  inbound refresh (server-only traffic keeps the mapping): " + (p.inboundRefresh() == null ? "not measured"
                : p.inboundRefresh() ? "yes" : "no"));
        out.println("  mapping behaviour (RFC 4787): " + ProbeWords.behaviour(p.behaviours().mapping()));
        out.println("  filtering behaviour (RFC 4787): " + ProbeWords.behaviour(p.behaviours().filtering()));
        out.printf(Locale.ROOT, "  %d flows observed in %s s%s%n", p.observations().size(), ProbeWords.seconds(Math.round(p.durationSeconds() * 10) / 10.0),
                p.lifetimeSearchSeconds() == null ? "" : " (lifetimes bracketed after " + ProbeWords.seconds(Math.round(p.lifetimeSearchSeconds() * 10) / 10.0)
                        + " s, then the inbound-refresh test)");
    }

    static String json(ProbeProfile p) {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = m.createObjectNode();
        ObjectNode notMeasured = m.createObjectNode();
        ObjectNode mapping = root.putObject("mapping");
        bracket(mapping, "lifetimeSeconds", p.lifetime(), notMeasured);
        bracket(mapping, "oneWayLifetimeSeconds", p.oneWayLifetime(), notMeasured);
        behaviour(mapping, "mapping.behaviour", p.behaviours().mapping(), notMeasured);
        if (p.inboundRefresh() == null) {
            mapping.putNull("inboundRefresh");
            notMeasured.put("mapping.inboundRefresh", "needs a bracketed established lifetime");
        } else {
            mapping.put("inboundRefresh", p.inboundRefresh());
        }
        String noSeen = "no established flow reported its public endpoint (IPv4 tunnel addresses only)";
        if (p.portPreservation() == null) {
            mapping.putNull("portPreservation");
            notMeasured.put("mapping.portPreservation", noSeen);
        } else {
            mapping.put("portPreservation", p.portPreservation());
        }
        if (p.portAllocation() == null) {
            mapping.putNull("portAllocation");
            notMeasured.put("mapping.portAllocation", "fewer than two public endpoints reported");
        } else {
            mapping.put("portAllocation", p.portAllocation().name().toLowerCase(Locale.ROOT));
        }
        if (p.publicEndpoints().isEmpty()) {
            mapping.putNull("publicEndpoints");
            notMeasured.put("mapping.publicEndpoints", noSeen);
        } else {
            ArrayNode eps = mapping.putArray("publicEndpoints");
            p.publicEndpoints().forEach(e -> eps.add(PeerLines.endpoint(e)));
        }
        behaviour(root.putObject("filtering"), "filtering.behaviour", p.behaviours().filtering(), notMeasured);
        root.put("durationSeconds", Math.round(p.durationSeconds() * 1000) / 1000.0);
        if (p.lifetimeSearchSeconds() == null) root.putNull("lifetimeSearchSeconds");
        else root.put("lifetimeSearchSeconds", Math.round(p.lifetimeSearchSeconds() * 1000) / 1000.0);
        ObjectNode rec = root.putObject("recommendation");
        ProbeProfile.Recommendation r = p.recommendation();
        if (r == null || r.persistentKeepalive() == null) {
            rec.putNull("persistentKeepalive");
            notMeasured.put("recommendation.persistentKeepalive", r == null ? "no flow completed"
                    : "every flow lived up to " + ProbeWords.seconds(r.fromSeconds()) + " s");
        } else {
            rec.put("persistentKeepalive", r.persistentKeepalive());
        }
        if (r != null) {
            ObjectNode ev = rec.putObject("evidence");
            ev.put("basis", r.basis().name());
            ev.put("fromSeconds", r.fromSeconds());
        }
        ArrayNode obs = root.putArray("observations");
        for (Observation o : p.observations()) {
            ObjectNode n = obs.addObject();
            n.put("timer", o.timer().name());
            n.put("idleSeconds", o.idleSeconds());
            n.put("lived", o.lived());
            n.put("localPort", o.localPort());
            if (o.seen() == null) n.putNull("publicEndpoint"); else n.put("publicEndpoint", PeerLines.endpoint(o.seen()));
        }
        root.set("notMeasured", notMeasured);
        try {
            return m.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void behaviour(ObjectNode parent, String name, NatBehaviour b, ObjectNode notMeasured) {
        String field = name.substring(name.indexOf('.') + 1);
        if (b.kind() == null) {
            parent.putNull(field);
            notMeasured.put(name, ProbeWords.reason(b.reason()));
        } else {
            parent.put(field, b.kind().name());
            if (b.reason() != NatBehaviour.Reason.MEASURED) notMeasured.put(name, ProbeWords.reason(b.reason()));
        }
    }

    private static void bracket(ObjectNode mapping, String name, Bracket b, ObjectNode notMeasured) {
        if (b.lower() == null && b.upper() == null) {
            mapping.putNull(name);
            notMeasured.put("mapping." + name, "no flow of this kind completed");
            return;
        }
        ObjectNode n = mapping.putObject(name);
        if (b.lower() == null) n.putNull("lower"); else n.put("lower", b.lower());
        if (b.upper() == null) n.putNull("upper"); else n.put("upper", b.upper());
        n.put("inconsistent", b.inconsistent());
    }
}
