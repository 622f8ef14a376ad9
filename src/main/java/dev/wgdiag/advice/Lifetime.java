package dev.wgdiag.advice;

import dev.wgdiag.timeline.RefreshModel;

/**
 * The mapping lifetime a keepalive rests on (the bracket of its timeout): the longest idle time the
 * mapping lived through ({@code lower}) and the shortest it did not ({@code upper}), either null when
 * unknown (never both), and how idle time was counted ({@code model}).
 */
public record Lifetime(RefreshModel model, Double lower, Double upper) {
}
