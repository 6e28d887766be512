package dev.mtasts.testkit.server;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A scripted answer of the {@link FakePolicyHost}: status, headers, body, and optionally an {@link
 * HttpFault}. {@code Content-Type} is {@code text/plain} unless set.
 *
 * <p>Immutable and thread-safe.
 */
public final class PolicyResponse {
    /** The default size of an {@link HttpFault#OVERSIZED_BODY}: 64 KiB + 1 bytes, one more than STS-HTTP-7 allows. */
    public static final int OVERSIZED_LENGTH = 64 * 1024 + 1;

    /** The default {@code Location} of an {@link HttpFault#REDIRECT}. */
    public static final String DEFAULT_REDIRECT_LOCATION =
            "https://redirected.mtasts-testkit.invalid/.well-known/mta-sts.txt";

    private final int status;
    private final List<Map.Entry<String, String>> headers;
    private final @Nullable String contentType;
    private final byte[] body;
    private final @Nullable HttpFault fault;
    private final @Nullable String location;
    private final Duration delay;
    private final int trickleBytes;
    private final Duration tricklePeriod;
    private final int oversizedLength;

    private PolicyResponse(Builder b) {
        this.status = b.status;
        this.headers = List.copyOf(b.headers);
        this.contentType = b.contentType;
        this.body = b.body.clone();
        this.fault = b.fault;
        this.location = b.location;
        this.delay = b.delay;
        this.trickleBytes = b.trickleBytes;
        this.tricklePeriod = b.tricklePeriod;
        this.oversizedLength = b.oversizedLength;
    }

    /** A new builder: status 200, {@code text/plain}, empty body, no fault. */
    public static Builder builder() {
        return new Builder();
    }

    /** 200, {@code text/plain}, the body as UTF-8. */
    public static PolicyResponse ok(String body) {
        return builder().body(body).build();
    }

    /** The given status with an empty body. */
    public static PolicyResponse status(int status) {
        return builder().status(status).build();
    }

    /** A {@code 404 Not Found}, what the host serves for a domain with no policy. */
    public static PolicyResponse notFound() {
        return builder().status(404).body("not found\n").build();
    }

    /** A {@code 301} redirect to {@code location} ({@link HttpFault#REDIRECT}). */
    public static PolicyResponse redirect(String location) {
        return builder().fault(HttpFault.REDIRECT).location(location).build();
    }

    /** The given fault with a default valid-looking policy body. */
    public static PolicyResponse fault(HttpFault fault) {
        return builder()
                .body("version: STSv1\r\nmode: enforce\r\nmx: mx.example.com\r\nmax_age: 86400\r\n")
                .fault(fault)
                .build();
    }

    /** A builder starting from this response. */
    public Builder newBuilder() {
        Builder b = new Builder();
        b.status = status;
        b.headers.addAll(headers);
        b.contentType = contentType;
        b.body = body.clone();
        b.fault = fault;
        b.location = location;
        b.delay = delay;
        b.trickleBytes = trickleBytes;
        b.tricklePeriod = tricklePeriod;
        b.oversizedLength = oversizedLength;
        return b;
    }

    /** The status code (as set; a REDIRECT fault turns a non-3xx into 301 on the wire). */
    public int statusCode() {
        return status;
    }

    /** Extra headers, in order. */
    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    /** The {@code Content-Type} sent, unless a fault changes or removes it. */
    public Optional<String> contentType() {
        return Optional.ofNullable(contentType);
    }

    /** A copy of the body bytes. */
    public byte[] body() {
        return body.clone();
    }

    /** The fault, if any. */
    public Optional<HttpFault> fault() {
        return Optional.ofNullable(fault);
    }

    /** The redirect location. */
    public Optional<String> location() {
        return Optional.ofNullable(location);
    }

    /** The wait of {@link HttpFault#SLOW_HEADERS}. */
    public Duration delay() {
        return delay;
    }

    /** Bytes per step of {@link HttpFault#TRICKLE_BODY}. */
    public int trickleBytes() {
        return trickleBytes;
    }

    /** The pause between steps of {@link HttpFault#TRICKLE_BODY}. */
    public Duration tricklePeriod() {
        return tricklePeriod;
    }

    /** The body length of {@link HttpFault#OVERSIZED_BODY}. */
    public int oversizedLength() {
        return oversizedLength;
    }

    byte[] bodyBytes() {
        return body;
    }

    @Override
    public String toString() {
        return "PolicyResponse{" + status + (fault == null ? "" : ", " + fault) + ", " + body.length + " bytes}";
    }

    /** Builds a {@link PolicyResponse}; setters fail fast naming the bad value. Not thread-safe. */
    public static final class Builder {
        private int status = 200;
        private final List<Map.Entry<String, String>> headers = new ArrayList<>();
        private @Nullable String contentType = "text/plain";
        private byte[] body = new byte[0];
        private @Nullable HttpFault fault;
        private @Nullable String location;
        private Duration delay = Duration.ofSeconds(10);
        private int trickleBytes = 1;
        private Duration tricklePeriod = Duration.ofMillis(100);
        private int oversizedLength = OVERSIZED_LENGTH;

        private Builder() {}

        /** The status code, 100 to 599. */
        public Builder status(int status) {
            if (status < 100 || status > 599) {
                throw new IllegalArgumentException("status must be 100 to 599, was " + status);
            }
            this.status = status;
            return this;
        }

        /** Adds a header (sent after {@code Content-Type}). */
        public Builder header(String name, String value) {
            requireNonNull(name, "name");
            requireNonNull(value, "value");
            if (name.isEmpty() || !name.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != ':')) {
                throw new IllegalArgumentException("not a header name: '" + name + "'");
            }
            if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("header value may not hold CR or LF: '" + value + "'");
            }
            if (name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding")) {
                throw new IllegalArgumentException(name + " is computed by the server");
            }
            headers.add(Map.entry(name, value));
            return this;
        }

        /** The {@code Content-Type} value; {@code text/plain} unless set. */
        public Builder contentType(String contentType) {
            requireNonNull(contentType, "contentType");
            if (contentType.indexOf('\r') >= 0 || contentType.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("content type may not hold CR or LF: '" + contentType + "'");
            }
            this.contentType = contentType;
            return this;
        }

        /** Sends no {@code Content-Type} (same as {@link HttpFault#MISSING_CONTENT_TYPE}). */
        public Builder noContentType() {
            this.contentType = null;
            return this;
        }

        /** The body as UTF-8. */
        public Builder body(String body) {
            this.body = requireNonNull(body, "body").getBytes(StandardCharsets.UTF_8);
            return this;
        }

        /** The body bytes (copied). */
        public Builder body(byte[] body) {
            this.body = requireNonNull(body, "body").clone();
            return this;
        }

        /** The fault to apply. */
        public Builder fault(HttpFault fault) {
            this.fault = requireNonNull(fault, "fault");
            return this;
        }

        /** The {@code Location} of a {@link HttpFault#REDIRECT}. */
        public Builder location(String location) {
            requireNonNull(location, "location");
            if (location.indexOf('\r') >= 0 || location.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("location may not hold CR or LF: '" + location + "'");
            }
            this.location = location;
            return this;
        }

        /** The wait before the status line under {@link HttpFault#SLOW_HEADERS}; 10 s unless set. */
        public Builder delay(Duration delay) {
            requireNonNull(delay, "delay");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("delay must not be negative, was " + delay);
            }
            this.delay = delay;
            return this;
        }

        /** Under {@link HttpFault#TRICKLE_BODY}: {@code bytes} per step, {@code period} between steps. */
        public Builder trickle(int bytes, Duration period) {
            requireNonNull(period, "period");
            if (bytes < 1) {
                throw new IllegalArgumentException("trickle bytes must be at least 1, was " + bytes);
            }
            if (period.isNegative()) {
                throw new IllegalArgumentException("trickle period must not be negative, was " + period);
            }
            this.trickleBytes = bytes;
            this.tricklePeriod = period;
            return this;
        }

        /** The body length under {@link HttpFault#OVERSIZED_BODY}; 65537 unless set. */
        public Builder oversizedLength(int length) {
            if (length < 1) {
                throw new IllegalArgumentException("oversized length must be positive, was " + length);
            }
            this.oversizedLength = length;
            return this;
        }

        /** Builds the response. */
        public PolicyResponse build() {
            return new PolicyResponse(this);
        }
    }
}
