package dev.wgdiag.timeline;

/** How a peer's endpoint changed. */
public enum ChangeKind {
    /** Same address, new port: the NAT gave the flow a new mapping. */
    NAT_REBINDING,
    /** New address: the peer moved (Wi-Fi to LTE); no evidence about the NAT timeout. */
    ROAMING
}
