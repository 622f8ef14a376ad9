package dev.wgdiag.timeline;

/** One direction of one session, keyed by the receiver index its transport carries: its counters as seen here. */
final class SessionDirection implements IndexEntry {
    final Session session;
    final int senderSide;
    final long receiverIndex;
    final CounterWindow window = new CounterWindow();
    long first = -1;
    long last;
    /** The latest run of two or more counters that never reached the capture point: when it ended, how many. */
    long jumpTime = -1;
    long jumpMissing;

    SessionDirection(Session session, int senderSide, long receiverIndex) {
        this.session = session;
        this.senderSide = senderSide;
        this.receiverIndex = receiverIndex;
    }

    @Override
    public SessionDirection asDirection() {
        return this;
    }

    /** A transport packet with this counter at time t: a jump of more than two counters marks packets that never arrived here. */
    void transport(long t, long counter) {
        if (first < 0) first = t;
        last = t;
        long step = counter - window.highest();
        if (step > 2 && window.any()) {
            jumpTime = t;
            jumpMissing = step - 1;
        }
        window.add(counter);
    }
}
