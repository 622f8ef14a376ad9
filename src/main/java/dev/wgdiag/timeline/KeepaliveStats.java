package dev.wgdiag.timeline;

import java.util.List;
import java.util.Map;

/** Keepalives one peer sent, by kind; the persistent interval is the median time since the last packet either way. */
public record KeepaliveStats(String peer, long confirmation, long passive, long persistent, Double persistentIntervalSeconds) {
}
