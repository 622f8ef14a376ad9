package dev.wgdiag.config;

import dev.wgdiag.testing.Requirements;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Peer names as people and generators write them. Each sample in src/test/resources/config is laid out
 * as its generator's code writes a server config (sources in that directory's README.md); the expected
 * names are the ones the generator was given, the truth of its format.
 */
class PeerNamesTest {
    private static WgConfig sample(String file) throws ConfigException {
        Path p = Requirements.projectDir().resolve("src/test/resources/config").resolve(file);
        return WgConfig.parse(p);
    }

    private static List<String> names(WgConfig c) {
        return c.peers().stream().map(PeerSection::name).toList();
    }

    private static List<NameSource> sources(WgConfig c) {
        return c.peers().stream().map(p -> p.commentName().map(PeerName::source).orElse(null)).toList();
    }

    @Test
    void shouldNamePiVpnClientsFromTheirBeginMarkersAndSkipDisabledOnes() throws ConfigException {
        WgConfig c = sample("pivpn-wg0.conf");
        assertEquals(List.of("pixel7", "ipad.mum"), names(c));
        assertEquals(List.of(NameSource.PIVPN, NameSource.PIVPN), sources(c));
    }

    @Test
    void shouldNameWgEasyClientsWithoutTheirIds() throws ConfigException {
        assertEquals(List.of("Anna's iPhone", "work laptop"), names(sample("wg-easy-v14-wg0.conf")));
        WgConfig v15 = sample("wg-easy-v15-wg0.conf");
        assertEquals(List.of("phone", "tablet"), names(v15));
        assertEquals(List.of(NameSource.WG_EASY, NameSource.WG_EASY), sources(v15));
    }

    @Test
    void shouldNameWireguardInstallClientsFromBeginPeerNotFromThePreviousEndPeer() throws ConfigException {
        WgConfig c = sample("wireguard-install-wg0.conf");
        assertEquals(List.of("laptop", "phone_bob"), names(c));
        assertEquals(List.of(NameSource.WIREGUARD_INSTALL, NameSource.WIREGUARD_INSTALL), sources(c));
    }

    @Test
    void shouldNameAngristanClients() throws ConfigException {
        WgConfig c = sample("angristan-wg0.conf");
        assertEquals(List.of("galaxy", "macbook"), names(c));
        assertEquals(List.of(NameSource.ANGRISTAN, NameSource.ANGRISTAN), sources(c));
    }

    @Test
    void shouldNameWireguardUiClientsFromTheNameLineNotTheLastCommentOfTheirBlock() throws ConfigException {
        WgConfig c = sample("wireguard-ui-wg0.conf");
        assertEquals(List.of("Kenji phone", "NAS"), names(c));
        assertEquals(List.of(NameSource.WIREGUARD_UI, NameSource.WIREGUARD_UI), sources(c));
        assertEquals(List.of(), c.peers().get(0).overruledNames());
    }

    @Test
    void shouldNameLinuxserverPeersFromTheCommentInsideTheSection() throws ConfigException {
        WgConfig c = sample("linuxserver-wg0.conf");
        assertEquals(List.of("peer1", "peer_laptop"), names(c));
        assertEquals(List.of(NameSource.COMMENT_INSIDE, NameSource.COMMENT_INSIDE), sources(c));
    }

    @Test
    void shouldNameHandWrittenPeersInsideAboveAndOnTheHeaderButNotFromRulesOrCommentedOutLines() throws ConfigException {
        WgConfig c = sample("handwritten-wg0.conf");
        assertEquals("Client1", c.peers().get(0).name());
        assertEquals("Client2", c.peers().get(1).name());
        assertEquals("Oma tablet", c.peers().get(2).name());
        // "# -----" above and "#Endpoint = ..." inside name nothing: the key's short form is used.
        assertEquals(c.peers().get(3).publicKey().shortForm(), c.peers().get(3).name());
        assertEquals(java.util.Arrays.asList(NameSource.COMMENT_INSIDE, NameSource.COMMENT_ABOVE, NameSource.COMMENT_INSIDE, null),
                sources(c));
        // "#PersistentKeepalive = 25" after Client2's attributes is above the third [Peer], not a name.
        assertEquals(List.of(), c.peers().get(2).overruledNames());
    }

    @Test
    void shouldSayWhichNameWonWhenTwoStylesDisagree() throws ConfigException {
        WgConfig c = sample("disagreeing-wg0.conf");
        PeerSection lisa = c.peers().get(0);
        assertEquals("Lisa", lisa.name());
        assertEquals(NameSource.COMMENT_INSIDE, lisa.commentName().orElseThrow().source());
        assertEquals(List.of(new PeerName("Family phones", NameSource.COMMENT_ABOVE, 5)), lisa.overruledNames());
        PeerSection dad = c.peers().get(1);
        assertEquals("pixel7", dad.name());
        assertEquals(List.of(new PeerName("Dad's new phone", NameSource.COMMENT_INSIDE, 13)), dad.overruledNames());
    }
}
