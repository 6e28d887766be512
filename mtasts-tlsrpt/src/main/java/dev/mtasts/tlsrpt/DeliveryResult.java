package dev.mtasts.tlsrpt;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/** How delivering one report ended (RPT-SEND-1, RPT-SEND-2). */
public sealed interface DeliveryResult {
    /**
     * At least one endpoint accepted the report.
     *
     * @param acceptedBy the {@code rua} URIs that accepted it, in record order (never empty)
     * @param attempts the number of attempt rounds it took
     * @param errors the errors of the endpoints that refused it in that round, for logs
     */
    record Delivered(List<URI> acceptedBy, int attempts, List<String> errors) implements DeliveryResult {
        /** Copies the lists. */
        public Delivered {
            acceptedBy = List.copyOf(acceptedBy);
            if (acceptedBy.isEmpty()) {
                throw new IllegalArgumentException("a delivered report was accepted by some endpoint");
            }
            errors = List.copyOf(errors);
        }
    }

    /**
     * No endpoint accepted the report within the retry window; the report is dropped.
     *
     * @param attempts the number of attempt rounds made
     * @param errors the last error of each endpoint, for logs
     */
    record GaveUp(int attempts, List<String> errors) implements DeliveryResult {
        /** Copies the errors. */
        public GaveUp {
            errors = List.copyOf(errors);
        }
    }

    /**
     * The policy domain has no TLSRPT record (RPT-TXT-7), or its record lists no {@code mailto:} or
     * {@code https:} URI (RPT-TXT-5), or none this deliverer is configured for (mailto without a
     * {@link ReportMailer}).
     *
     * @param reason why
     */
    record NoEndpoint(String reason) implements DeliveryResult {
        /** Checks the reason is present. */
        public NoEndpoint {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
