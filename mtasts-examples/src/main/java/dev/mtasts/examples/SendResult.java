package dev.mtasts.examples;

import static java.util.Objects.requireNonNull;

/** How {@link SampleSender#send} ended for one recipient domain. */
public sealed interface SendResult {
    /** Accepted by the MX host {@code mxHost}. */
    record Delivered(String mxHost) implements SendResult {
        /** Checks for null. */
        public Delivered {
            requireNonNull(mxHost, "mxHost");
        }
    }

    /** Not delivered now; queue the message and try again later (a temporary failure). */
    record Deferred(String reason) implements SendResult {
        /** Checks for null. */
        public Deferred {
            requireNonNull(reason, "reason");
        }
    }

    /** Refused for good (a 5xx reply, or no MX host that accepts mail): bounce the message. */
    record Failed(String reason) implements SendResult {
        /** Checks for null. */
        public Failed {
            requireNonNull(reason, "reason");
        }
    }
}
