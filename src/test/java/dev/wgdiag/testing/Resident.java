package dev.wgdiag.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of a process and the trend of samples, for the long-run (soak) tests. */
public final class Resident {
    private Resident() {
    }

    /** VmRSS of a process in bytes (Linux {@code /proc/PID/status}, proc(5)), or -1 when it is gone or not Linux. */
    public static long bytes(long pid) {
        return bytes(Path.of("/proc", Long.toString(pid), "status"));
    }

    /** VmRSS of this process in bytes, or -1. */
    public static long ofSelf() {
        return bytes(Path.of("/proc/self/status"));
    }

    private static long bytes(Path status) {
        try {
            for (String line : Files.readAllLines(status, StandardCharsets.US_ASCII)) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        } catch (IOException | NumberFormatException e) {
            // the process is gone (NoSuchFileException), or not Linux
        }
        return -1;
    }

    /** Least-squares slope of y over x for the points (x[i], y[i]), i in [from, to); 0 with fewer than two. */
    public static double slope(double[] x, double[] y, int from, int to) {
        int n = to - from;
        if (n < 2) return 0;
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (int i = from; i < to; i++) {
            sx += x[i];
            sy += y[i];
            sxx += x[i] * x[i];
            sxy += x[i] * y[i];
        }
        double d = n * sxx - sx * sx;
        return d == 0 ? 0 : (n * sxy - sx * sy) / d;
    }
}
