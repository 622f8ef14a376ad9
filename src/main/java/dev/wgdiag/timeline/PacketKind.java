package dev.wgdiag.timeline;

/** What a packet of a tunnel was, as the per-side timers tell them apart (keepalive: transport with no payload). */
enum PacketKind { INITIATION, RESPONSE, COOKIE, DATA, KEEPALIVE }
