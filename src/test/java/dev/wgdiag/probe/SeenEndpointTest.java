package dev.wgdiag.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wgdiag.peer.InnerStack;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The endpoint the server writes into its echo reply survives the reference peer's inner stack, which
 * verifies the IPv4 and ICMP checksums (RFC 1071) before it calls the packet an echo reply.
 */
class SeenEndpointTest {
    @Test
    void shouldCarryTheSeenEndpointInAnEchoReplyTheInnerStackAccepts() throws Exception {
        InetAddress client = InetAddress.getByName("10.77.0.2"), server = InetAddress.getByName("10.77.0.1");
        byte[] request = new InnerStack(List.of(client)).echoRequest(server, 0x8003, 96, 42L, SeenEndpoint.DATA_BYTES);
        InnerStack.Answer answer = (InnerStack.Answer) new InnerStack(List.of(server)).receive(request);
        InetSocketAddress seen = new InetSocketAddress(InetAddress.getByName("203.0.113.201"), 40123);
        byte[] reply = SeenEndpoint.write(answer.reply(), seen);
        InnerStack.Outcome o = new InnerStack(List.of(client)).receive(reply);
        assertEquals(InnerStack.EchoReply.class, o.getClass(), o.toString());
        assertEquals(0x8003, ((InnerStack.EchoReply) o).identifier());
        assertEquals(Optional.of(seen), SeenEndpoint.read(reply));
        assertEquals(Optional.empty(), SeenEndpoint.read(answer.reply()), "an unmarked reply carries none");
    }

    @Test
    void shouldCarryTheServersOtherPortAndAddressWhenTheRequestLeftRoom() throws Exception {
        InetAddress client = InetAddress.getByName("10.77.0.2"), server = InetAddress.getByName("10.77.0.1");
        byte[] request = new InnerStack(List.of(client)).echoRequest(server, 0x8003, 0, 42L, SeenEndpoint.DATA_BYTES);
        InnerStack.Answer answer = (InnerStack.Answer) new InnerStack(List.of(server)).receive(request);
        InetSocketAddress seen = new InetSocketAddress(InetAddress.getByName("203.0.113.201"), 40123);
        SeenEndpoint.Offer offer = new SeenEndpoint.Offer(51821, InetAddress.getByName("198.51.100.9"));
        byte[] reply = SeenEndpoint.write(answer.reply(), seen, offer);
        assertEquals(InnerStack.EchoReply.class, new InnerStack(List.of(client)).receive(reply).getClass(), "checksum still right");
        assertEquals(offer, SeenEndpoint.readOffer(reply));
        assertEquals(Optional.of(seen), SeenEndpoint.read(reply));
        byte[] shortRequest = new InnerStack(List.of(client)).echoRequest(server, 0x8003, 0, 42L, 28);
        byte[] shortReply = SeenEndpoint.write(((InnerStack.Answer) new InnerStack(List.of(server)).receive(shortRequest)).reply(), seen, offer);
        assertEquals(SeenEndpoint.Offer.NONE, SeenEndpoint.readOffer(shortReply), "an older client's 28 data bytes hold no offer");
        assertEquals(Optional.of(seen), SeenEndpoint.read(shortReply));
    }
}
