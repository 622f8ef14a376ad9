package dev.wgdiag.peer;

/**
 * A peer's previous, current and next sessions with key confirmation, as wireguard-go's
 * {@code device/keypair.go} and {@code BeginSymmetricSession} / {@code ReceivedWithKeypair}
 * (noise-protocol.go), after the Linux driver:
 * <ul>
 * <li>the initiator uses a new session at once (the response proved the responder has it): it becomes
 *     current, the old current (or an unconfirmed next) becomes previous;</li>
 * <li>the responder holds its new session as next and keeps sending on current until the first
 *     transport message arrives on next (key confirmation), then next becomes current.</li>
 * </ul>
 * Keypairs dropped here lose their index and have their keys zeroed.
 */
final class Keypairs {
    Keypair previous;
    Keypair current;
    Keypair next;

    void installAsInitiator(Keypair keypair, IndexTable indices) {
        if (next != null) {
            Keypair unconfirmed = next;
            next = null;
            delete(previous, indices);
            previous = unconfirmed;
            delete(current, indices);
        } else {
            delete(previous, indices);
            previous = current;
        }
        current = keypair;
    }

    void installAsResponder(Keypair keypair, IndexTable indices) {
        delete(next, indices);
        next = keypair;
        delete(previous, indices);
        previous = null;
    }

    /** Key confirmation: true when {@code keypair} was next and is now current. */
    boolean confirm(Keypair keypair, IndexTable indices) {
        if (next != keypair) {
            return false;
        }
        delete(previous, indices);
        previous = current;
        current = next;
        next = null;
        return true;
    }

    /** Drops every session (wireguard-go ZeroAndFlushAll). */
    void clear(IndexTable indices) {
        delete(previous, indices);
        delete(current, indices);
        delete(next, indices);
        previous = null;
        current = null;
        next = null;
    }

    boolean isEmpty() {
        return previous == null && current == null && next == null;
    }

    private static void delete(Keypair keypair, IndexTable indices) {
        if (keypair != null) {
            indices.delete(keypair.localIndex);
            keypair.wipe();
        }
    }
}
