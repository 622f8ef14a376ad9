package dev.wgdiag.check;

import static dev.wgdiag.check.Fixture.assertFindings;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The corrected pairs every defect test starts from: check must find nothing in them. */
class CleanPairTest {

    @Test
    void aCorrectDualStackServerAndPhoneShouldHaveNoFinding() {
        assertFindings(List.of(), Fixture.Configs.pair().check());
    }

    @Test
    void theSameServerWithNftablesHooksShouldHaveNoFinding() {
        assertFindings(List.of(), Fixture.Configs.pair().replace("server.conf", Fixture.IPTABLES_UP, Fixture.NFT_UP).check());
    }

    @Test
    void aServerWithTwoClientsShouldHaveNoFinding() {
        Fixture.Configs c = Fixture.Configs.pair().replace("server.conf", "# phone", Fixture.laptopPeer() + "\n# phone")
                .plus("laptop.conf", Fixture.laptop());
        assertFindings(List.of(), c.check());
    }
}
