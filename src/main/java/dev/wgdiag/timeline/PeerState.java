package dev.wgdiag.timeline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * One peer as the capture shows it: the endpoints it used, in order, and when it moved between them
 * (whitepaper 6.5 roaming; NAT rebindings). Allocated once per peer; the history grows per change.
 */
final class PeerState {
    final String id;
    /** Its place in this analysis' peer list (keys the {@link TunnelIndex}). */
    final int ordinal;
    int currentEid;
    /** Endpoints it used, in order: the first, then the others (allocated for a second one only). */
    private int firstEid = -1;
    private LinkedHashSet<Integer> moreEids;
    /** Endpoint history: from {@code historyTime[i]} on the peer used {@code historyEid[i]} (one entry per change; null before the first). */
    long[] historyTime;
    int[] historyEid;
    int historyCount;
    final List<TunnelState> tunnels = new ArrayList<>(1);

    PeerState(String id, int ordinal) {
        this.id = id;
        this.ordinal = ordinal;
    }

    void moved(long t, int eid) {
        if (historyTime == null) {
            historyTime = new long[2];
            historyEid = new int[2];
        } else if (historyCount == historyTime.length) {
            historyTime = Arrays.copyOf(historyTime, historyCount * 2);
            historyEid = Arrays.copyOf(historyEid, historyCount * 2);
        }
        historyTime[historyCount] = t;
        historyEid[historyCount++] = eid;
    }

    void addEndpoint(int eid) {
        if (firstEid < 0) {
            firstEid = eid;
        } else if (eid != firstEid) {
            if (moreEids == null) moreEids = new LinkedHashSet<>(4);
            moreEids.add(eid);
        }
    }

    /** The endpoints it used, first one first. */
    int[] endpointIds() {
        if (firstEid < 0) return new int[0];
        int[] out = new int[1 + (moreEids == null ? 0 : moreEids.size())];
        out[0] = firstEid;
        int i = 1;
        if (moreEids != null) for (int e : moreEids) out[i++] = e;
        return out;
    }

    /** The endpoint it used at {@code time}: the first one, then each change up to that time. */
    int endpointAt(long time) {
        int eid = endpointIds()[0];
        for (int i = 0; i < historyCount && historyTime[i] <= time; i++) eid = historyEid[i];
        return eid;
    }
}
