package dev.mtasts.checker.internal;

import java.util.List;

/** {@code sts.dane.overlap}: TLSA records at {@code _25._tcp.<mx>} beside MTA-STS. */
public final class DaneOverlapCheck {
    private DaneOverlapCheck() {}

    /** Looks up TLSA for each MX host, emitting findings into {@code ctx}. */
    public static void run(CheckContext ctx, List<String> mxHosts) {
        throw new UnsupportedOperationException("not yet");
    }
}
