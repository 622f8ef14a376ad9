package dev.wgdiag.capture;

import java.util.List;

/** One interface libpcap can capture on. */
public record InterfaceInfo(String name, String description, boolean up, boolean loopback, List<String> addresses) {
}
