package dev.wgdiag.keys;

import dev.wgdiag.config.IpPrefix;
import dev.wgdiag.crypto.InnerPacket;
import dev.wgdiag.crypto.PublicKey;
import dev.wgdiag.time.Timestamp;
import dev.wgdiag.wire.Datagram;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Connected but nothing works (issue 11, cause 7): what the decrypted inner packets of a tunnel show.
 * Each packet sent (ICMP echo request, UDP, TCP) opens or extends a flow of its sender; packets the other
 * side sends back to it answer the flow. At the end, per inner source address:
 * <ul>
 *   <li>{@link NoConnectCause#SOURCE_NOT_ALLOWED}: the source is outside the receiver's AllowedIPs for the
 *       sender (receiver's config given), or nothing at all came back to it;</li>
 *   <li>{@link NoConnectCause#MTU_BLACK_HOLE}: echo requests to one destination answered up to a size and
 *       never above it;</li>
 *   <li>{@link NoConnectCause#DNS_UNANSWERED}: UDP/53 never answered while something beyond the server
 *       answers the same source (or the DNS address is the server's own);</li>
 *   <li>{@link NoConnectCause#NOT_FORWARDED} (or, with the server's config, {@link NoConnectCause#NO_MASQUERADE}
 *       / {@link NoConnectCause#NO_FORWARDING}): nothing from beyond the server ever answers, while the
 *       server itself does.</li>
 * </ul>
 * Rules and their sources: docs/report.md "Connected but nothing works". Memory: flows and pending echo
 * requests are bounded; payload bytes are never kept.
 */
final class InnerTraffic {
    private static final int MAX_FLOWS = 4096;
    private static final int MAX_PENDING = 4096;
    private static final int FRAMES_KEPT = 5;
    /** Addresses kept per source that answered it: enough to see one inside and one beyond, bounded for busy tunnels. */
    private static final int MAX_HEARD = 256;
    /** Requests sent less than this before the capture's end may still be answered: not counted lost. */
    static final long LATE_NANOS = 2_000_000_000L;
    /** Unanswered requests needed before a flow counts as unanswered (one lost packet is not a cause). */
    static final int MIN_UNANSWERED = 2;

    private static final class Flow {
        final String senderKey;
        final PublicKey sender;
        final PublicKey receiver;
        final String src;
        final String dst;
        final int proto;
        final int port;
        int sent;
        int sentEarly;
        int answered;
        int smallest = Integer.MAX_VALUE;
        int largest = -1;
        int largestAnswered = -1;
        int smallestLost = -1;
        int lost;
        final List<Long> frames = new ArrayList<>();
        /** Frames of the first echo requests never answered (capture order). */
        final List<Long> lostFrames = new ArrayList<>();
        long firstNanos;
        long lastNanos;
        int digits;
        String outerFrom;
        String outerTo;

        Flow(PublicKey sender, PublicKey receiver, String src, String dst, int proto, int port) {
            this.senderKey = sender.toBase64();
            this.sender = sender;
            this.receiver = receiver;
            this.src = src;
            this.dst = dst;
            this.proto = proto;
            this.port = port;
        }

        boolean echo() {
            return port == -1 && (proto == InnerPacket.PROTO_ICMP || proto == InnerPacket.PROTO_ICMPV6);
        }
    }

    private record PendingEcho(Flow flow, int size, long timeNanos, long frame) {
    }

    private final Map<String, Flow> flows = bounded(MAX_FLOWS);
    private final Map<String, PendingEcho> echoes = bounded(MAX_PENDING);
    /** Per sender key and inner source: the inner addresses that sent anything back to it. */
    private final Map<String, Set<String>> heard = bounded(MAX_FLOWS);
    private long endNanos = Long.MIN_VALUE;

    private static <K, V> Map<K, V> bounded(int max) {
        return new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > max;
            }
        };
    }

    private static String flowKey(String senderKey, String src, String dst, int proto, int port) {
        return senderKey + "|" + src + ">" + dst + "|" + proto + "/" + port;
    }

    /** One decrypted inner packet that {@code sender} sent to {@code receiver}. */
    void onInner(Datagram d, InnerPacket p, PublicKey sender, PublicKey receiver) {
        endNanos = Math.max(endNanos, d.timeNanos());
        if (p == null || p == InnerPacket.EMPTY || p.source() == null) return;
        String receiverKey = receiver.toBase64();
        Set<String> h = heard.computeIfAbsent(receiverKey + "|" + p.destination(), k -> new LinkedHashSet<>());
        if (h.size() < MAX_HEARD) h.add(p.source());
        int size = p.length();
        if (p.isEchoReply()) {
            PendingEcho e = echoes.remove(p.destination() + ">" + p.source() + "#" + p.echoIdentifier() + "/" + p.echoSequence());
            if (e != null) {
                e.flow().answered++;
                e.flow().largestAnswered = Math.max(e.flow().largestAnswered, e.size());
            }
            return;
        }
        boolean ports = p.protocol() == InnerPacket.PROTO_UDP || p.protocol() == InnerPacket.PROTO_TCP;
        if (ports && p.sourcePort() >= 0) {
            // an answer to the other side's flow?
            Flow back = flows.get(flowKey(receiverKey, p.destination(), p.source(), p.protocol(), p.sourcePort()));
            if (back != null) {
                back.answered++;
                back.largestAnswered = Math.max(back.largestAnswered, size);
                return;
            }
        }
        if (!p.isEchoRequest() && !(ports && p.destinationPort() >= 0)) return; // ICMP errors and the rest: heard only
        int port = ports ? p.destinationPort() : -1;
        String key = flowKey(sender.toBase64(), p.source(), p.destination(), p.protocol(), port);
        Flow f = flows.computeIfAbsent(key, k -> new Flow(sender, receiver, p.source(), p.destination(), p.protocol(), port));
        f.sent++;
        f.smallest = Math.min(f.smallest, size);
        f.largest = Math.max(f.largest, size);
        if (f.frames.size() < FRAMES_KEPT) f.frames.add(d.frameNumber());
        if (f.sent == 1) {
            f.firstNanos = d.timeNanos();
            f.digits = d.timeDigits();
            f.outerFrom = d.source().toString();
            f.outerTo = d.destination().toString();
        }
        f.lastNanos = d.timeNanos();
        if (p.isEchoRequest()) {
            echoes.put(p.source() + ">" + p.destination() + "#" + p.echoIdentifier() + "/" + p.echoSequence(),
                    new PendingEcho(f, size, d.timeNanos(), d.frameNumber()));
        }
    }

    /** The causes the inner packets show, for the capture named {@code capture}. */
    List<NoConnectFinding> result(KeyRing ring, String capture) {
        for (PendingEcho e : echoes.values()) {
            if (e.timeNanos() > endNanos - LATE_NANOS) continue;
            Flow f = e.flow();
            f.lost++;
            if (f.lostFrames.size() < FRAMES_KEPT) f.lostFrames.add(e.frame());
            f.smallestLost = f.smallestLost < 0 ? e.size() : Math.min(f.smallestLost, e.size());
        }
        for (Flow f : flows.values()) {
            f.sentEarly = f.firstNanos <= endNanos - LATE_NANOS ? f.sent : 0;
        }
        // group flows by sender key and inner source
        Map<String, List<Flow>> bySource = new LinkedHashMap<>();
        for (Flow f : flows.values()) bySource.computeIfAbsent(f.senderKey + "|" + f.src, k -> new ArrayList<>()).add(f);
        List<NoConnectFinding> out = new ArrayList<>();
        for (List<Flow> group : bySource.values()) judge(group, ring, capture, out);
        return out;
    }

    private void judge(List<Flow> group, KeyRing ring, String capture, List<NoConnectFinding> out) {
        Flow first = group.get(0);
        Set<String> back = heard.getOrDefault(first.senderKey + "|" + first.src, Set.of());
        KeyRing.ConfigKeys receiverConfig = first.receiver == null ? null : ring.configOf(first.receiver);
        KeyRing.ConfigKeys senderConfig = ring.configOf(first.sender);
        KeyRing.Inner rIn = receiverConfig == null ? null : receiverConfig.inner();
        KeyRing.Inner sIn = senderConfig == null ? null : senderConfig.inner();
        int sent = group.stream().mapToInt(f -> f.sent).sum();
        int early = group.stream().mapToInt(f -> f.sentEarly).sum();
        int answered = group.stream().mapToInt(f -> f.answered).sum();

        // 1. the source is not in the receiver's AllowedIPs for the sender
        List<IpPrefix> allowed = rIn == null ? null : rIn.allowedIps().get(first.senderKey);
        if (allowed != null && !covered(allowed, first.src)) {
            Integer line = receiverConfig.peerLines().get(first.senderKey);
            out.add(finding(capture, NoConnectCause.SOURCE_NOT_ALLOWED, group, NoConnectFinding.Confidence.HIGH, List.of(),
                    new NoConnectFinding.Fix(receiverConfig.file(), line == null ? 0 : line, "server", "[Peer]", "AllowedIPs",
                            hostPrefix(first.src)), null, back.size()));
            return;
        }
        boolean allowedKnown = allowed != null;
        if (!allowedKnown && answered == 0 && back.isEmpty() && early >= MIN_UNANSWERED
                && group.stream().anyMatch(f -> inside(f.dst, f.src, rIn, sIn))) {
            boolean notOwn = sIn != null && !sIn.addresses().isEmpty() && !covered(sIn.addresses(), first.src);
            out.add(finding(capture, NoConnectCause.SOURCE_NOT_ALLOWED, group,
                    notOwn ? NoConnectFinding.Confidence.MEDIUM : NoConnectFinding.Confidence.LOW, List.of(),
                    new NoConnectFinding.Fix(null, 0, "server", "[Peer]", "AllowedIPs", hostPrefix(first.src)),
                    "the server's config (--config): its [Peer] AllowedIPs for this client", 0));
            return;
        }

        // 2. an MTU black hole: echo to one destination answered up to a size, never above
        List<Flow> mtu = new ArrayList<>();
        for (Flow f : group) {
            if (f.echo() && f.answered > 0 && f.lost >= MIN_UNANSWERED && f.smallestLost > f.largestAnswered) mtu.add(f);
        }
        if (!mtu.isEmpty()) {
            int largestAnswered = mtu.stream().mapToInt(f -> f.largestAnswered).max().orElse(-1);
            int smallestLost = mtu.stream().mapToInt(f -> f.smallestLost).min().orElse(-1);
            NoConnectFinding f = finding(capture, NoConnectCause.MTU_BLACK_HOLE, mtu, NoConnectFinding.Confidence.HIGH, List.of(),
                    new NoConnectFinding.Fix(senderConfig == null ? null : senderConfig.file(), 0, "client", "[Interface]", "MTU",
                            Integer.toString(mtuFor(largestAnswered, smallestLost))), null, back.size());
            List<Long> lostFrames = new ArrayList<>();
            for (Flow m : mtu) lostFrames.addAll(m.lostFrames);
            lostFrames.sort(null);
            out.add(withSizes(f, largestAnswered, smallestLost, lostFrames.subList(0, Math.min(FRAMES_KEPT, lostFrames.size()))));
        }

        boolean beyondAnswers = back.stream().anyMatch(a -> !inside(a, first.src, rIn, sIn));
        // 3. DNS never answered
        List<Flow> dns = new ArrayList<>();
        for (Flow f : group) {
            if (f.proto == InnerPacket.PROTO_UDP && f.port == 53 && f.answered == 0 && f.sentEarly >= MIN_UNANSWERED) dns.add(f);
        }
        boolean dnsNamed = false;
        if (!dns.isEmpty() && (beyondAnswers || dns.stream().allMatch(f -> inside(f.dst, f.src, rIn, sIn)))) {
            boolean configured = sIn != null && dns.stream().allMatch(f -> sIn.dns().contains(f.dst));
            out.add(finding(capture, NoConnectCause.DNS_UNANSWERED, dns,
                    configured ? NoConnectFinding.Confidence.HIGH : NoConnectFinding.Confidence.MEDIUM, List.of(),
                    new NoConnectFinding.Fix(senderConfig == null ? null : senderConfig.file(), 0, "client", "[Interface]", "DNS", null),
                    sIn == null ? "the client's config (--config) says whether this is its DNS address" : null, back.size()));
            dnsNamed = true;
        }

        // 4. nothing from beyond the server answers
        if (beyondAnswers) return;
        List<Flow> beyond = new ArrayList<>();
        for (Flow f : group) {
            if (mtu.contains(f) || (dnsNamed && dns.contains(f))) continue;
            if (f.answered == 0 && f.sentEarly >= MIN_UNANSWERED && !inside(f.dst, f.src, rIn, sIn)) beyond.add(f);
        }
        if (beyond.isEmpty()) return;
        boolean serverAnswers = !back.isEmpty();
        NoConnectCause cause = NoConnectCause.NOT_FORWARDED;
        NoConnectFinding.Fix fix = new NoConnectFinding.Fix(null, 0, "server", "[Interface]", "PostUp", null);
        if (rIn != null) {
            int version = first.src.contains(":") ? 6 : 4;
            boolean masq = rIn.postUp().stream().anyMatch(c -> masquerades(c, version));
            cause = masq ? NoConnectCause.NO_FORWARDING : NoConnectCause.NO_MASQUERADE;
            fix = new NoConnectFinding.Fix(receiverConfig.file(), 0, "server", "[Interface]", "PostUp", null);
        }
        NoConnectFinding.Confidence c = !serverAnswers ? NoConnectFinding.Confidence.LOW
                : rIn != null ? NoConnectFinding.Confidence.HIGH : NoConnectFinding.Confidence.MEDIUM;
        List<NoConnectCause> alt = serverAnswers || allowedKnown ? List.of() : List.of(NoConnectCause.SOURCE_NOT_ALLOWED);
        out.add(finding(capture, cause, beyond, c, alt, fix,
                rIn == null ? "the server's config (--config): a masquerade rule in its PostUp or not tells masquerade from forwarding"
                        : null, back.size()));
    }

    /**
     * The MTU to suggest: 1280 (IPv6's minimum link MTU, RFC 8200 section 5, which every path must carry)
     * when it is below the smallest size lost, else the largest size answered.
     */
    static int mtuFor(int largestAnswered, int smallestLost) {
        return smallestLost > IPV6_MIN_MTU && largestAnswered < IPV6_MIN_MTU ? IPV6_MIN_MTU : largestAnswered;
    }

    static final int IPV6_MIN_MTU = 1280;

    /**
     * A PostUp command that masquerades or source-NATs (iptables {@code -j MASQUERADE} / {@code -j SNAT},
     * nft {@code masquerade} / {@code snat}) for inner packets of IP version {@code ipVersion}: the lines
     * wg-quick setups add for a server that forwards. Commands are split at {@code ;}, {@code &&}, {@code ||}.
     */
    static boolean masquerades(String command, int ipVersion) {
        for (String part : command.toLowerCase(java.util.Locale.ROOT).split(";|&&|\\|\\|")) {
            String c = part.strip();
            if (!c.matches(".*(-j\\s+masquerade|-j\\s+snat|\\bmasquerade\\b|\\bsnat\\b).*")) continue;
            // iptables is IPv4, ip6tables IPv6; nft's table family: ip, ip6, or inet (both)
            if (c.startsWith("ip6tables")) {
                if (ipVersion == 6) return true;
            } else if (c.startsWith("iptables")) {
                if (ipVersion == 4) return true;
            } else if (c.matches(".*\\bnft\\b.*\\bip6\\b.*")) {
                if (ipVersion == 6) return true;
            } else if (c.matches(".*\\bnft\\b.*\\bip\\b.*")) {
                if (ipVersion == 4) return true;
            } else {
                return true;
            }
        }
        return false;
    }

    /** The MTU finding: its sizes, and the lost requests as its frames. */
    private static NoConnectFinding withSizes(NoConnectFinding f, int largestAnswered, int smallestLost, List<Long> lostFrames) {
        NoConnectFinding.Inner i = f.inner();
        return new NoConnectFinding(f.capture(), f.cause(), f.messages(), lostFrames, f.firstTime(), f.lastTime(), f.from(), f.to(),
                f.key(), f.keyName(), f.fix(), f.settledBy(), f.confidence(), f.alternatives(),
                new NoConnectFinding.Inner(i.source(), i.destinations(), i.protocol(), i.sent(), i.answered(), i.smallestSent(),
                        i.largestSent(), largestAnswered, smallestLost, i.received()));
    }

    private NoConnectFinding finding(String capture, NoConnectCause cause, List<Flow> flows, NoConnectFinding.Confidence c,
                                     List<NoConnectCause> alt, NoConnectFinding.Fix fix, String settledBy, int received) {
        Flow first = flows.get(0);
        List<Long> frames = new ArrayList<>();
        List<String> dsts = new ArrayList<>();
        int sent = 0;
        int answered = 0;
        int smallest = Integer.MAX_VALUE;
        int largest = -1;
        int largestAnswered = -1;
        int smallestLost = -1;
        long firstNanos = Long.MAX_VALUE;
        long lastNanos = Long.MIN_VALUE;
        Flow earliest = first;
        for (Flow f : flows) {
            for (Long fr : f.frames) if (frames.size() < FRAMES_KEPT) frames.add(fr);
            if (!dsts.contains(f.dst) && dsts.size() < FRAMES_KEPT) dsts.add(f.dst);
            sent += f.sent;
            answered += f.answered;
            smallest = Math.min(smallest, f.smallest);
            largest = Math.max(largest, f.largest);
            largestAnswered = Math.max(largestAnswered, f.largestAnswered);
            if (f.smallestLost >= 0) smallestLost = smallestLost < 0 ? f.smallestLost : Math.min(smallestLost, f.smallestLost);
            if (f.firstNanos < firstNanos) {
                firstNanos = f.firstNanos;
                earliest = f;
            }
            lastNanos = Math.max(lastNanos, f.lastNanos);
        }
        frames.sort(null);
        List<String> protos = new ArrayList<>();
        for (Flow f : flows) if (!protos.contains(protocolName(f))) protos.add(protocolName(f));
        String proto = String.join(" and ", protos);
        return new NoConnectFinding(capture, cause, sent, frames, Timestamp.of(firstNanos, earliest.digits),
                Timestamp.of(lastNanos, earliest.digits), earliest.outerFrom, earliest.outerTo, first.sender.shortForm(), null, fix,
                settledBy, c, alt, new NoConnectFinding.Inner(first.src, dsts, proto, sent, answered, smallest, largest,
                largestAnswered, smallestLost, received));
    }

    private static String protocolName(Flow f) {
        if (f.echo()) return f.proto == InnerPacket.PROTO_ICMP ? "ICMP echo" : "ICMPv6 echo";
        String p = f.proto == InnerPacket.PROTO_UDP ? "UDP" : f.proto == InnerPacket.PROTO_TCP ? "TCP" : "protocol " + f.proto;
        return f.port >= 0 ? p + "/" + f.port : p;
    }

    /**
     * Whether {@code address} is inside the tunnel (the server's own address or another peer's), not beyond
     * the server: in the receiver's Address prefixes when its config is known, else in the sender's, else in
     * the same /24 (IPv4) or /64 (IPv6) as the inner source.
     */
    private static boolean inside(String address, String source, KeyRing.Inner receiver, KeyRing.Inner sender) {
        if (receiver != null && !receiver.addresses().isEmpty()) return coveredByNetwork(receiver.addresses(), address);
        if (sender != null && !sender.addresses().isEmpty() && sender.addresses().stream().anyMatch(p -> p.prefixLength() < p.bits())) {
            return coveredByNetwork(sender.addresses(), address);
        }
        IpPrefix a = parse(address);
        IpPrefix s = parse(source);
        if (a == null || s == null || a.version() != s.version()) return false;
        IpPrefix net = IpPrefix.parse(s.address() + "/" + (s.version() == 4 ? 24 : 64)).network();
        return net.contains(a);
    }

    private static boolean coveredByNetwork(List<IpPrefix> prefixes, String address) {
        IpPrefix a = parse(address);
        if (a == null) return false;
        for (IpPrefix p : prefixes) {
            if (p.version() == a.version() && p.network().contains(a)) return true;
        }
        return false;
    }

    private static boolean covered(List<IpPrefix> prefixes, String address) {
        return coveredByNetwork(prefixes, address);
    }

    private static String hostPrefix(String address) {
        IpPrefix a = parse(address);
        return a == null ? address : a.address() + "/" + a.bits();
    }

    private static IpPrefix parse(String address) {
        try {
            return IpPrefix.parse(address);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
