package dev.wgdiag.peer.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wgdiag.config.IpPrefix;
import dev.wgdiag.crypto.PresharedKey;
import dev.wgdiag.crypto.PrivateKey;
import dev.wgdiag.peer.Action;
import dev.wgdiag.peer.InnerStack;
import dev.wgdiag.peer.InterfaceSpec;
import dev.wgdiag.peer.PeerEvent;
import dev.wgdiag.peer.PeerSpec;
import dev.wgdiag.peer.Pinger;
import dev.wgdiag.peer.WgInterface;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The driver on real loopback sockets: a server bound on two local addresses (127.0.0.1 and 127.0.0.2,
 * both on Linux's loopback) answers a client from the address the client wrote to, as WireGuard's sticky
 * source does, so a NAT in front of the client (whose mapping is for the address it wrote to) lets the
 * answer in. The truth is the source address the kernel reports for each datagram the client receives.
 */
class UdpDriverTest {
    private static final InetAddress LO1 = address("127.0.0.1");
    private static final InetAddress LO2 = address("127.0.0.2");
    private static final InetAddress SERVER_TUNNEL = address("10.0.0.1");
    private static final InetAddress CLIENT_TUNNEL = address("10.0.0.2");

    private final SecureRandom random = new SecureRandom();
    private final PrivateKey serverKey = PrivateKey.generate(random);
    private final PrivateKey clientKey = PrivateKey.generate(random);
    private final LongSupplier clock = UdpDriver.epochClock();
    private UdpDriver driver;
    private Thread loop;
    private DatagramSocket clientSocket;

    @AfterEach
    void stop() throws Exception {
        if (driver != null) {
            driver.stop();
            loop.join(5000);
            driver.close();
        }
        if (clientSocket != null) clientSocket.close();
    }

    @Test
    void shouldAnswerFromTheLocalAddressTheClientWroteTo() throws Exception {
        startServer(() -> List.of(LO1, LO2));
        assumeTrue(driver.addresses().contains(LO2), "127.0.0.2 cannot be bound here (not Linux loopback)");
        Client c = new Client(LO1);
        int port = driver.bound().getPort();

        InetSocketAddress second = new InetSocketAddress(LO2, port);
        assertEquals(second, c.handshake(second), "handshake response source");
        assertEquals(second, c.ping(second, 1), "echo reply source after writing to 127.0.0.2");

        InetSocketAddress first = new InetSocketAddress(LO1, port);
        assertEquals(first, c.ping(first, 2), "echo reply source after the client moved to 127.0.0.1");
        assertEquals(second, c.ping(second, 3), "echo reply source after the client moved back to 127.0.0.2");
    }

    @Test
    void shouldServeFromOneWildcardSocketAnsweringFromTheKernelsChoiceWhenAddressesCannotBeListed() throws Exception {
        startServer(() -> {
            throw new IOException("netlink denied");
        });
        assertEquals(List.of(), driver.addresses());
        assertTrue(driver.bound().getAddress().isAnyLocalAddress(), "bound to " + driver.bound());
        Client c = new Client(LO1);
        InetSocketAddress server = new InetSocketAddress(LO1, driver.bound().getPort());
        assertEquals(server, c.handshake(server), "handshake response source");
        assertEquals(server, c.ping(server, 1), "echo reply source");
        // Why one socket per address: written to 127.0.0.2, the wildcard socket answers from the kernel's
        // choice for 127.0.0.1, the address a NAT in front of the client would not let in.
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "127.0.0.2 is on the loopback on Linux only");
        assertEquals(server, c.ping(new InetSocketAddress(LO2, server.getPort()), 2), "echo reply source, written to 127.0.0.2");
    }

    private void startServer(LocalSockets.AddressSource addresses) throws IOException {
        PeerSpec client = new PeerSpec("client", clientKey.publicKey(), PresharedKey.NONE, null,
                List.of(IpPrefix.parse("10.0.0.2/32")), 0);
        WgInterface core = new WgInterface(new InterfaceSpec(serverKey, List.of(client)), random);
        driver = UdpDriver.of(core, new InnerStack(List.of(SERVER_TUNNEL)), 0, addresses, new Quiet(), false, clock);
        loop = new Thread(() -> {
            try {
                driver.run(Long.MAX_VALUE);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, "udp-driver-test");
        loop.setDaemon(true);
        loop.start();
    }

    /** A WireGuard client core on a plain socket, writing to whichever server address the test names. */
    private final class Client {
        final WgInterface core;
        final InnerStack inner = new InnerStack(List.of(CLIENT_TUNNEL));

        Client(InetAddress local) throws IOException {
            clientSocket = new DatagramSocket(new InetSocketAddress(local, 0));
            clientSocket.setSoTimeout(5000);
            PeerSpec server = new PeerSpec("server", serverKey.publicKey(), PresharedKey.NONE,
                    new InetSocketAddress(LO1, 9), List.of(IpPrefix.parse("10.0.0.1/32")), 0);
            core = new WgInterface(new InterfaceSpec(clientKey, List.of(server)), random);
        }

        /** Sends an initiation to {@code to}; returns the source of the response (after consuming it). */
        InetSocketAddress handshake(InetSocketAddress to) throws IOException {
            sendAll(core.connect(serverKey.publicKey(), clock.getAsLong()), to);
            DatagramPacket p = receive();
            List<Action> after = core.onDatagram(p.getData(), 0, p.getLength(), (InetSocketAddress) p.getSocketAddress(),
                    clock.getAsLong());
            assertTrue(after.stream().anyMatch(a -> a instanceof Action.Emit e
                    && e.event().kind() == PeerEvent.Kind.HANDSHAKE_ANSWERED), "handshake answered: " + after);
            sendAll(after, to); // key confirmation
            return (InetSocketAddress) p.getSocketAddress();
        }

        /** An echo request through the tunnel to the server, sent to {@code to}; the source of the reply. */
        InetSocketAddress ping(InetSocketAddress to, int seq) throws IOException {
            byte[] request = inner.echoRequest(SERVER_TUNNEL, 7, seq, clock.getAsLong(), InnerStack.DEFAULT_DATA_BYTES);
            sendAll(core.send(request, clock.getAsLong()), to);
            while (true) {
                DatagramPacket p = receive();
                for (Action a : core.onDatagram(p.getData(), 0, p.getLength(), (InetSocketAddress) p.getSocketAddress(),
                        clock.getAsLong())) {
                    if (a instanceof Action.DeliverInner d) {
                        InnerStack.EchoReply r = assertInstanceOf(InnerStack.EchoReply.class, inner.receive(d.packet()));
                        if (r.sequence() == seq) return (InetSocketAddress) p.getSocketAddress();
                    }
                }
            }
        }

        private void sendAll(List<Action> actions, InetSocketAddress to) throws IOException {
            List<byte[]> out = new ArrayList<>();
            for (Action a : actions) if (a instanceof Action.SendDatagram d) out.add(d.bytes());
            assertTrue(!out.isEmpty(), "the client core sent nothing: " + actions);
            for (byte[] b : out) clientSocket.send(new DatagramPacket(b, b.length, to));
        }

        private DatagramPacket receive() throws IOException {
            DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
            clientSocket.receive(p);
            return p;
        }
    }

    private static final class Quiet implements UdpDriver.Listener {
        @Override
        public void onDatagram(long now, InetSocketAddress local, InetSocketAddress remote, byte[] data, int off, int len,
                               boolean sent) {
        }

        @Override
        public void onEvent(PeerEvent event) {
        }

        @Override
        public void onPingReply(Pinger pinger, Pinger.Reply reply) {
        }

        @Override
        public void onPingFinished(Pinger pinger, Pinger.Statistics statistics) {
        }
    }

    private static InetAddress address(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
