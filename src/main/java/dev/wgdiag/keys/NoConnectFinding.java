package dev.wgdiag.keys;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.wgdiag.time.Timestamp;
import java.util.List;

/**
 * One cause of a tunnel that does not connect, with its evidence and the config line to change.
 *
 * @param capture    the capture file the frames are of (null when built by hand)
 * @param cause      which cause
 * @param messages   how many messages show it (initiations, or answered handshakes never confirmed)
 * @param frames     frame numbers of the first few of them (capture order)
 * @param firstTime  capture time of the first, epoch seconds
 * @param lastTime   capture time of the last, epoch seconds
 * @param from       the initiator's endpoint ({@code address:port}) of the first
 * @param to         the responder's endpoint of the first
 * @param key        the public key concerned in short form (the unknown initiator's; the key mac1 was made
 *                   with), or null when the capture cannot tell
 * @param keyName    what the configs call that key, or null
 * @param fix        where to change what
 * @param settledBy  the key or capture that would settle it when missing, or null
 * @param confidence how sure: HIGH when the keys or both captures prove it, lower when a pattern suggests it
 * @param alternatives the other causes the evidence leaves open (empty when none)
 * @param inner      what the decrypted inner packets showed (connected-but-nothing-works causes), or null
 */
public record NoConnectFinding(String capture, NoConnectCause cause, int messages, List<Long> frames,
                               @JsonSerialize(using = ToStringSerializer.class) Timestamp firstTime, @JsonSerialize(using = ToStringSerializer.class) Timestamp lastTime,
                               String from, String to, String key, String keyName, Fix fix, String settledBy,
                               Confidence confidence, List<NoConnectCause> alternatives, Inner inner) {
    public NoConnectFinding {
        frames = List.copyOf(frames);
        alternatives = List.copyOf(alternatives);
    }

    /** A finding the keys or both captures prove: HIGH, no alternatives, no inner packets. */
    public NoConnectFinding(String capture, NoConnectCause cause, int messages, List<Long> frames, Timestamp firstTime, Timestamp lastTime,
                            String from, String to, String key, String keyName, Fix fix, String settledBy) {
        this(capture, cause, messages, frames, firstTime, lastTime, from, to, key, keyName, fix, settledBy,
                Confidence.HIGH, List.of(), null);
    }

    /** How sure a finding is. */
    public enum Confidence { HIGH, MEDIUM, LOW }

    /**
     * Inner packets of one kind sent through the tunnel and what came back (sizes are IP total lengths;
     * payload bytes are never kept).
     *
     * @param source          inner source address of the packets sent
     * @param destinations    inner destination addresses (first few)
     * @param protocol        {@code ICMP echo}, {@code UDP/53}, ... or null for outer transport sizes
     * @param sent            packets sent
     * @param answered        of them answered
     * @param smallestSent    smallest size sent
     * @param largestSent     largest size sent
     * @param largestAnswered largest size answered, -1 when none
     * @param smallestLost    smallest size never answered, -1 when none
     * @param received        packets (or, without keys, data datagrams) the other side sent back
     */
    public record Inner(String source, List<String> destinations, String protocol, int sent, int answered,
                        int smallestSent, int largestSent, int largestAnswered, int smallestLost, int received) {
        public Inner {
            destinations = List.copyOf(destinations);
        }
    }

    /**
     * A config line to change (public keys only: fine to show).
     *
     * @param file      the config file, or null when it was not given (then {@code whose} says whose config)
     * @param line      the line of the section header, 0 when a new section must be added or the file is unknown
     * @param whose     whose config it is ({@code client}, {@code server}, or a peer name)
     * @param section   {@code [Peer]} or {@code [Interface]}
     * @param attribute e.g. {@code PublicKey}
     * @param value     the value to set, or null when only the other side's config knows it
     */
    public record Fix(String file, int line, String whose, String section, String attribute, String value) {
    }
}
