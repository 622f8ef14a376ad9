package dev.wgdiag.peer.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The per-address sockets on real loopback addresses: an address that appears after start is served
 * once the addresses are scanned again and one that goes away is let go, and a port another socket
 * holds is refused as in use. The truth is the kernel's: which datagrams arrive, which binds it refuses.
 */
class LocalSocketsTest {
    private static final InetAddress LO1 = address("127.0.0.1");
    private static final InetAddress LO2 = address("127.0.0.2");

    private final List<InetAddress> addresses = new ArrayList<>(List.of(LO1));
    private Selector selector;
    private LocalSockets sockets;

    @AfterEach
    void close() throws IOException {
        if (sockets != null) sockets.close();
        if (selector != null) selector.close();
    }

    @Test
    void shouldServeAnAddressThatAppearsAfterStartAndLetGoOfOneThatWentAway() throws Exception {
        selector = Selector.open();
        sockets = LocalSockets.open(selector, 0, () -> List.copyOf(addresses), 0);
        int port = sockets.port();
        assertEquals(List.of(LO1), sockets.addresses());

        addresses.add(LO2);
        sockets.rescan(LocalSockets.RESCAN_NANOS);
        assumeTrue(sockets.addresses().contains(LO2), "127.0.0.2 cannot be bound here (not Linux loopback)");
        assertEquals(List.of(LO1, LO2), sockets.addresses());
        byte[] hello = {1, 2, 3};
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress(LO1, 0))) {
            client.send(new DatagramPacket(hello, hello.length, new InetSocketAddress(LO2, port)));
        }
        assertArrayEquals(hello, receiveOn(LO2, port));

        addresses.remove(LO2);
        sockets.rescan(2 * LocalSockets.RESCAN_NANOS);
        assertEquals(List.of(LO1), sockets.addresses());
        try (DatagramSocket other = new DatagramSocket(new InetSocketAddress(LO2, port))) {
            assertEquals(port, other.getLocalPort(), "the port on 127.0.0.2 is free again");
        }
    }

    @Test
    void shouldRefuseAPortInUseOnOneOfTheAddresses() throws Exception {
        try (DatagramSocket holder = new DatagramSocket(new InetSocketAddress(LO1, 0))) {
            selector = Selector.open();
            BindException e = assertThrows(BindException.class,
                    () -> LocalSockets.open(selector, holder.getLocalPort(), () -> List.of(LO1), 0));
            assertFalse(e.getMessage() == null, "the kernel's reason");
        }
    }

    private byte[] receiveOn(InetAddress local, int port) throws IOException {
        for (DatagramChannel ch : sockets.channels()) {
            if (!ch.getLocalAddress().equals(new InetSocketAddress(local, port))) continue;
            ByteBuffer buf = ByteBuffer.allocate(64);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (ch.receive(buf) == null) {
                if (System.nanoTime() > deadline) throw new AssertionError("nothing arrived on " + local);
                Thread.onSpinWait();
            }
            byte[] out = new byte[buf.position()];
            buf.flip().get(out);
            return out;
        }
        throw new AssertionError("no socket on " + local);
    }

    private static InetAddress address(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
