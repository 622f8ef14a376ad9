package dev.wgdiag.timeline;

/** An initiation's sender index, until its response arrives: the series it belongs to and when it was sent. */
record HandshakeAttempt(HandshakeSeries series, long time) implements IndexEntry {
    @Override
    public HandshakeAttempt asAttempt() {
        return this;
    }
}
