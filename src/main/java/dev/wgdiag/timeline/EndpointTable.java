package dev.wgdiag.timeline;

import dev.wgdiag.net.Endpoint;

import java.util.ArrayList;
import java.util.List;

/**
 * Interns UDP endpoints given as primitives (version, hi, lo, port) into small int ids without
 * allocating on a hit: open addressing over parallel primitive arrays. An {@link Endpoint} object is
 * created once per distinct endpoint (bounded by endpoints, not packets).
 */
final class EndpointTable {
    private long[] his = new long[64];
    private long[] los = new long[64];
    private int[] portVersion = new int[64];
    private int[] ids = new int[64];
    private int mask = 63;
    private final List<Endpoint> endpoints = new ArrayList<>();

    private static int hash(long hi, long lo, int pv) {
        long h = (hi * 0x9E3779B97F4A7C15L) ^ (lo * 0xC2B2AE3D27D4EB4FL) ^ (pv * 0x165667B19E3779F9L);
        return (int) (h ^ (h >>> 29));
    }

    /** Returns the id of the endpoint, adding it when new. */
    int intern(int version, long hi, long lo, int port) {
        int pv = (port << 4) | version;
        int i = hash(hi, lo, pv) & mask;
        while (ids[i] != 0) {
            if (his[i] == hi && los[i] == lo && portVersion[i] == pv) return ids[i] - 1;
            i = (i + 1) & mask;
        }
        int id = endpoints.size();
        endpoints.add(Endpoint.of(version, hi, lo, port));
        his[i] = hi;
        los[i] = lo;
        portVersion[i] = pv;
        ids[i] = id + 1;
        if (endpoints.size() * 2 > ids.length) grow();
        return id;
    }

    /** The id of the endpoint, or -1 when it was never added. */
    int find(int version, long hi, long lo, int port) {
        int pv = (port << 4) | version;
        int i = hash(hi, lo, pv) & mask;
        while (ids[i] != 0) {
            if (his[i] == hi && los[i] == lo && portVersion[i] == pv) return ids[i] - 1;
            i = (i + 1) & mask;
        }
        return -1;
    }

    Endpoint get(int id) {
        return endpoints.get(id);
    }

    int size() {
        return endpoints.size();
    }

    private void grow() {
        long[] oh = his, ol = los;
        int[] opv = portVersion, oid = ids;
        int cap = oid.length * 2;
        his = new long[cap];
        los = new long[cap];
        portVersion = new int[cap];
        ids = new int[cap];
        mask = cap - 1;
        for (int k = 0; k < oid.length; k++) {
            if (oid[k] == 0) continue;
            int i = hash(oh[k], ol[k], opv[k]) & mask;
            while (ids[i] != 0) i = (i + 1) & mask;
            his[i] = oh[k];
            los[i] = ol[k];
            portVersion[i] = opv[k];
            ids[i] = oid[k];
        }
    }
}
