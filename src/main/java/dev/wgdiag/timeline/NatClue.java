package dev.wgdiag.timeline;

/** What in the capture shows a NAT (or stateful firewall) in front of a peer. */
public enum NatClue {
    /** Its port changed on the same address: a NAT gave it a new mapping. */
    NAT_REBINDING,
    /** An idle gap's mapping was found dead (a new port afterwards, or packets into it never arrived inside). */
    MAPPING_EXPIRED,
    /** Two captures joined: the same handshake message left it from one endpoint and arrived from another. */
    TRANSLATED,
    /** It talks from a private or shared (CGNAT) address to a public one: the capture is inside its NAT. */
    PRIVATE_ADDRESS,
    /** Another client on its public address shows a NAT there ({@link SharedNat}): they share that NAT. */
    SHARED_ADDRESS
}
