package dev.wgdiag.timeline;

/**
 * How firmly the clues name the client: HIGH two or more clues and a margin of 4 points or more over
 * the other peer ({@link RoleClue#weight()}), MEDIUM a margin of 2 or 3, LOW a margin of 1.
 */
public enum RoleConfidence {
    HIGH, MEDIUM, LOW
}
