package dev.mtasts.tlsrpt;

import dev.mtasts.core.ResultType;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code failure-details} element (RFC 8460 §4.4): a count of failed sessions sharing all other
 * fields (RPT-AGG-3). Optional fields a peer omitted (or sent as {@code null} / {@code ""}) are
 * empty.
 *
 * @param resultType {@code result-type}
 * @param sendingMtaIp {@code sending-mta-ip}, verbatim even when not a valid address (RW-10)
 * @param receivingMxHostname {@code receiving-mx-hostname}
 * @param receivingMxHelo {@code receiving-mx-helo}
 * @param receivingIp {@code receiving-ip}
 * @param failedSessionCount {@code failed-session-count}
 * @param additionalInformation {@code additional-information}, verbatim (RW-13)
 * @param failureReasonCode {@code failure-reason-code} (or the draft {@code failure-error-code},
 *     RW-11)
 * @param extensions unknown members kept raw (RPT-JSON-3)
 */
public record FailureDetail(
        ResultTypeValue resultType,
        Optional<String> sendingMtaIp,
        Optional<String> receivingMxHostname,
        Optional<String> receivingMxHelo,
        Optional<String> receivingIp,
        long failedSessionCount,
        Optional<String> additionalInformation,
        Optional<String> failureReasonCode,
        Map<String, String> extensions) {
    /** Checks the count and copies the extensions. */
    public FailureDetail {
        Objects.requireNonNull(resultType, "resultType");
        Objects.requireNonNull(sendingMtaIp, "sendingMtaIp");
        Objects.requireNonNull(receivingMxHostname, "receivingMxHostname");
        Objects.requireNonNull(receivingMxHelo, "receivingMxHelo");
        Objects.requireNonNull(receivingIp, "receivingIp");
        Objects.requireNonNull(additionalInformation, "additionalInformation");
        Objects.requireNonNull(failureReasonCode, "failureReasonCode");
        if (failedSessionCount < 0) {
            throw new IllegalArgumentException("failed-session-count must not be negative: " + failedSessionCount);
        }
        extensions = Extensions.copy(extensions);
    }

    /** A builder for a detail of {@code type} counting {@code failedSessionCount} sessions. */
    public static Builder builder(ResultType type, long failedSessionCount) {
        return new Builder(ResultTypeValue.of(type), failedSessionCount);
    }

    /** A builder for a detail of any {@code type} counting {@code failedSessionCount} sessions. */
    public static Builder builder(ResultTypeValue type, long failedSessionCount) {
        return new Builder(type, failedSessionCount);
    }

    /** This detail with another count (used when merging equal details, RPT-AGG-3). */
    public FailureDetail withFailedSessionCount(long count) {
        return new FailureDetail(
                resultType,
                sendingMtaIp,
                receivingMxHostname,
                receivingMxHelo,
                receivingIp,
                count,
                additionalInformation,
                failureReasonCode,
                extensions);
    }

    /** Builds {@link FailureDetail}s; not thread-safe. */
    public static final class Builder {
        private final ResultTypeValue resultType;
        private final long failedSessionCount;
        private Optional<String> sendingMtaIp = Optional.empty();
        private Optional<String> receivingMxHostname = Optional.empty();
        private Optional<String> receivingMxHelo = Optional.empty();
        private Optional<String> receivingIp = Optional.empty();
        private Optional<String> additionalInformation = Optional.empty();
        private Optional<String> failureReasonCode = Optional.empty();

        private Builder(ResultTypeValue resultType, long failedSessionCount) {
            this.resultType = Objects.requireNonNull(resultType, "resultType");
            this.failedSessionCount = failedSessionCount;
        }

        /** Sets {@code sending-mta-ip}. */
        public Builder sendingMtaIp(String ip) {
            this.sendingMtaIp = Optional.of(ip);
            return this;
        }

        /** Sets {@code receiving-mx-hostname}. */
        public Builder receivingMxHostname(String host) {
            this.receivingMxHostname = Optional.of(host);
            return this;
        }

        /** Sets {@code receiving-mx-helo}. */
        public Builder receivingMxHelo(String helo) {
            this.receivingMxHelo = Optional.of(helo);
            return this;
        }

        /** Sets {@code receiving-ip}. */
        public Builder receivingIp(String ip) {
            this.receivingIp = Optional.of(ip);
            return this;
        }

        /** Sets {@code additional-information}. */
        public Builder additionalInformation(String uri) {
            this.additionalInformation = Optional.of(uri);
            return this;
        }

        /** Sets {@code failure-reason-code} (RPT-TYPE-1). */
        public Builder failureReasonCode(String code) {
            this.failureReasonCode = Optional.of(code);
            return this;
        }

        /** The detail. */
        public FailureDetail build() {
            return new FailureDetail(
                    resultType,
                    sendingMtaIp,
                    receivingMxHostname,
                    receivingMxHelo,
                    receivingIp,
                    failedSessionCount,
                    additionalInformation,
                    failureReasonCode,
                    Map.of());
        }
    }
}
