package dev.mtasts.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.core.ResultType;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class TlsFailureReasonTest {

    // RFC 8460 §4.3.1, §4.4: the result type and failure-reason-code of every reason, exactly as on the wire.
    @Test
    void reasons_carryTheirResultTypeAndWireCode() {
        Map<TlsFailureReason, String> expected = new EnumMap<>(TlsFailureReason.class);
        expected.put(TlsFailureReason.STARTTLS_NOT_SUPPORTED, "starttls-not-supported|");
        expected.put(TlsFailureReason.HOST_MISMATCH, "certificate-host-mismatch|");
        expected.put(TlsFailureReason.EXPIRED, "certificate-expired|");
        expected.put(TlsFailureReason.PKIX_PATH_BUILDING, "certificate-not-trusted|pkix-path-building-failed");
        expected.put(TlsFailureReason.PKIX_PATH_VALIDATION, "certificate-not-trusted|pkix-path-validation-failed");
        expected.put(TlsFailureReason.NOT_YET_VALID, "certificate-not-trusted|certificate-not-yet-valid");
        expected.put(TlsFailureReason.REVOKED, "certificate-not-trusted|certificate-revoked");
        expected.put(TlsFailureReason.BAD_SUBJECT_ALT_NAME, "validation-failure|bad-subject-alt-name");
        expected.put(TlsFailureReason.MX_NOT_IN_POLICY, "validation-failure|sts-mx-not-in-policy");
        expected.put(TlsFailureReason.HANDSHAKE_FAILURE, "validation-failure|tls-handshake-failure");
        expected.put(TlsFailureReason.PROTOCOL_VERSION, "validation-failure|tls-protocol-version");
        // RFC 8460 §4.3.2 has no type for a TLSA mismatch (DANE-CERT-15); the others are its DANE types.
        expected.put(TlsFailureReason.DANE_NO_MATCH, "validation-failure|dane-no-match");
        expected.put(TlsFailureReason.TLSA_UNUSABLE, "tlsa-invalid|");
        expected.put(TlsFailureReason.DNSSEC_BOGUS, "dnssec-invalid|");
        expected.put(TlsFailureReason.DANE_REQUIRED, "dane-required|");
        for (TlsFailureReason reason : TlsFailureReason.values()) {
            assertThat(reason.resultType().token() + "|" + reason.code().orElse(""))
                    .as(reason.name())
                    .isEqualTo(expected.get(reason));
        }
    }

    // RFC 8460 §4.3: an outcome's type and code come from one reason, so they cannot disagree.
    @Test
    void failure_derivesTypeAndCodeFromItsReason() {
        TlsSessionOutcome.Failed f = new TlsSessionOutcome.Failed(TlsFailureReason.REVOKED, "CRL says so");
        assertThat(f.resultType()).isEqualTo(ResultType.CERTIFICATE_NOT_TRUSTED);
        assertThat(f.reasonCode()).isEqualTo(Optional.of("certificate-revoked"));
        assertThat(f.reportable()).isTrue();
        assertThat(new TlsSessionOutcome.Failed(TlsFailureReason.HOST_MISMATCH, "x").reasonCode())
                .isEmpty();
    }
}
