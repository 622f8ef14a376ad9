package dev.wgdiag.check;

/** How bad a finding is: ERROR breaks the tunnel or its purpose (exit code 1), WARNING likely hurts, NOTE is advice. */
public enum Severity {
    ERROR, WARNING, NOTE
}
