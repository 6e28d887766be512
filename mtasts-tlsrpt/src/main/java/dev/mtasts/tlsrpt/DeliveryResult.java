package dev.mtasts.tlsrpt;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/** How delivering one report ended (RPT-SEND-1, RPT-SEND-2). */
public sealed interface DeliveryResult {
    /**
     * An endpoint accepted the report.
     *
     * @param endpoint the {@code rua} URI that accepted it
     * @param attempts the number of attempt rounds it took
     */
    record Delivered(URI endpoint, int attempts) implements DeliveryResult {
        /** Checks the endpoint is present. */
        public Delivered {
            Objects.requireNonNull(endpoint, "endpoint");
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
     * The record lists no {@code mailto:} or {@code https:} URI (RPT-TXT-5), or none this deliverer
     * is configured for (mailto without a composer and sender).
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
