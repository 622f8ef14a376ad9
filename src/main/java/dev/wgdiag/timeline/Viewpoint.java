package dev.wgdiag.timeline;

/** Where the capture sits relative to the NAT-side peer's NAT. */
public enum Viewpoint {
    /** Outside the NAT (e.g. on the server): the peer's outside endpoint, rebindings visible. */
    OUTSIDE,
    /** Inside the NAT (on the client): the peer's inside endpoint, rebindings invisible. */
    INSIDE,
    UNKNOWN
}
