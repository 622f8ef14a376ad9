package dev.wgdiag.advice;

/**
 * A peer as the advice names it: its id in the analysis and the name the keys gave it (null without
 * one, or when the id names no peer of the tunnel). The report writes it "home (peer1)" or "peer1".
 */
public record PeerRef(String id, String name) {
}
