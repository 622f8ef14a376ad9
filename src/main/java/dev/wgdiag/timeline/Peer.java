package dev.wgdiag.timeline;

import java.util.List;
import java.util.Map;

/** A peer of a tunnel. {@code id} is stable within one document; {@code role} is SERVER, NAT_CLIENT or UNKNOWN. */
public record Peer(String id, String name, List<String> endpoints, String role) {
}
