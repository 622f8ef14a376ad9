package dev.wgdiag.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wgdiag.probe.NatBehaviour.Kind;
import dev.wgdiag.probe.NatBehaviour.Reason;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * The decision tables of RFC 5780 4.3 (mapping: test I, II towards the alternate address, III towards
 * the alternate port) and 4.4 (filtering: test II, a response from the alternate address and port;
 * test III, from the alternate port), with RFC 4787's names for the outcomes.
 */
class NatBehaviourTest {
    static final InetSocketAddress X1 = new InetSocketAddress("203.0.113.1", 40000);
    static final InetSocketAddress X2 = new InetSocketAddress("203.0.113.1", 40001);

    @Test
    void shouldCallTheSamePublicEndpointTowardsEveryServerEndpointEndpointIndependentMapping() {
        assertEquals(NatBehaviour.measured(Kind.ENDPOINT_INDEPENDENT), NatBehaviour.mapping(X1, X1, X1, true, true));
    }

    @Test
    void shouldCallANewEndpointOnlyForAnotherAddressAddressDependentMapping() {
        assertEquals(NatBehaviour.measured(Kind.ADDRESS_DEPENDENT), NatBehaviour.mapping(X1, X1, X2, true, true));
    }

    @Test
    void shouldCallANewEndpointForAnotherPortAddressAndPortDependentMappingEvenWithOneServerAddress() {
        assertEquals(NatBehaviour.measured(Kind.ADDRESS_AND_PORT_DEPENDENT), NatBehaviour.mapping(X1, X2, null, true, false));
        assertEquals(NatBehaviour.measured(Kind.ADDRESS_AND_PORT_DEPENDENT), NatBehaviour.mapping(X1, X2, X2, true, true));
    }

    @Test
    void shouldLeaveTheMappingOpenWhenOnlyTheAddressTestCouldTell() {
        assertEquals(NatBehaviour.notMeasured(Reason.ONE_SERVER_ADDRESS), NatBehaviour.mapping(X1, X1, null, true, false));
        assertEquals(NatBehaviour.notMeasured(Reason.NO_ANSWER), NatBehaviour.mapping(X1, X1, null, true, true));
        assertEquals(NatBehaviour.notMeasured(Reason.NO_ANSWER), NatBehaviour.mapping(null, null, null, false, false));
        assertEquals(NatBehaviour.notMeasured(Reason.NO_SECOND_PORT), NatBehaviour.mapping(X1, null, null, false, false));
    }

    @Test
    void shouldCallAnAnswerFromAnotherAddressAndPortEndpointIndependentFiltering() {
        assertEquals(NatBehaviour.measured(Kind.ENDPOINT_INDEPENDENT), NatBehaviour.filtering(true, true, true, true));
    }

    @Test
    void shouldCallAnAnswerOnlyFromTheSameAddressAddressDependentFiltering() {
        assertEquals(NatBehaviour.measured(Kind.ADDRESS_DEPENDENT), NatBehaviour.filtering(true, false, true, true));
    }

    @Test
    void shouldCallNoAnswerFromAnotherPortAddressAndPortDependentFilteringEvenWithOneServerAddress() {
        assertEquals(NatBehaviour.measured(Kind.ADDRESS_AND_PORT_DEPENDENT), NatBehaviour.filtering(false, null, true, false));
        assertEquals(NatBehaviour.measured(Kind.ADDRESS_AND_PORT_DEPENDENT), NatBehaviour.filtering(false, false, true, true));
    }

    @Test
    void shouldLeaveTheFilteringOpenOrUnknownWhenTheTestsCannotTell() {
        assertEquals(NatBehaviour.notMeasured(Reason.ONE_SERVER_ADDRESS), NatBehaviour.filtering(true, null, true, false));
        assertEquals(NatBehaviour.notMeasured(Reason.NO_ANSWER), NatBehaviour.filtering(null, true, true, true));
        assertEquals(new NatBehaviour(Kind.UNKNOWN, Reason.INCONSISTENT), NatBehaviour.filtering(false, true, true, true));
    }
}
