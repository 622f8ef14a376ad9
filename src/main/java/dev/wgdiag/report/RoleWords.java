package dev.wgdiag.report;

import dev.wgdiag.timeline.NatClue;
import dev.wgdiag.timeline.Peer;
import dev.wgdiag.timeline.Role;
import dev.wgdiag.timeline.RoleClue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A peer's role in words, with the evidence behind it: "client behind a NAT (its port changed; ...)". */
public final class RoleWords {
    private RoleWords() {
    }

    /** "server", "client", "client behind a NAT", "server behind a NAT" or "role unknown". */
    public static String role(Peer p) {
        String base = switch (p.role()) {
            case SERVER -> "server";
            case CLIENT, NAT_CLIENT -> "client";
            case UNKNOWN -> "role unknown";
        };
        return p.natEvidence().isEmpty() ? base : base + " behind a NAT";
    }

    /** Why, in a few words, or "" when there is nothing to say (the server, whose role is the client's counterpart). */
    public static String why(Peer p) {
        List<String> parts = new ArrayList<>();
        for (RoleClue c : p.roleEvidence()) parts.add(clue(c));
        for (NatClue c : p.natEvidence()) {
            String w = nat(c);
            if (!parts.contains(w)) parts.add(w);
        }
        if (p.role() == Role.UNKNOWN) return "nothing in the capture tells which side dials";
        if (parts.isEmpty()) return "";
        String conf = p.roleConfidence() == null || p.role() == Role.SERVER ? ""
                : "; confidence " + p.roleConfidence().name().toLowerCase(Locale.ROOT);
        return String.join(", ", parts) + conf;
    }

    static String clue(RoleClue c) {
        return switch (c) {
            case PORT_CHANGED -> "its port changed on the same address";
            case ROAMED -> "it moved to another address";
            case FIRST_INITIATOR -> "it started the first handshake";
            case INITIATED_MID_SESSION -> "it started the first handshake seen";
            case OTHER_ON_SERVER_PORT -> "the other side keeps a fixed server port";
            case PERSISTENT_KEEPALIVE -> "it sends persistent keepalives";
            case PRIVATE_ADDRESS -> "it talks from a private or carrier-NAT address to a public one";
        };
    }

    static String nat(NatClue c) {
        return switch (c) {
            case NAT_REBINDING -> "its port changed on the same address";
            case MAPPING_EXPIRED -> "its NAT mapping expired";
            case TRANSLATED -> "the NAT translated its address (seen in both captures)";
            case PRIVATE_ADDRESS -> "it talks from a private or carrier-NAT address to a public one";
            case SHARED_ADDRESS -> "another client on its public address shows the NAT they share";
        };
    }
}
