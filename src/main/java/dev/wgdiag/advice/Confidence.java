package dev.wgdiag.advice;

/**
 * How much a recommendation rests on this capture's evidence (rule in docs/report.md):
 * HIGH the NAT timeout bracket has both bounds, is tight (upper at most twice the lower) and holds
 * with idle time counted from outbound packets only (RFC 4787 REQ-6: outbound refresh is the only
 * guaranteed one); MEDIUM one measured bound, a loose bracket, or direct evidence such as a changed
 * source port or reassembled datagrams; LOW a NAT is seen but no bound of its timeout, so the value
 * comes from field practice.
 */
public enum Confidence {
    HIGH, MEDIUM, LOW
}
