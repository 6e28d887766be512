package dev.mtasts.core.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.mtasts.core.ResultType;
import dev.mtasts.core.StsRecord;
import dev.mtasts.core.SyntaxException;
import dev.mtasts.core.dns.DnsResult;
import dev.mtasts.core.fetch.FetchProblem;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class PolicyProblemTest {
    private static final String NAME = "_mta-sts.example.com";

    private static FetchProblem fetchFailure(FetchProblem.Reason reason) {
        return FetchProblem.of(reason, "scripted");
    }

    @Test
    void resultType_derivedFromTheCase() {
        // STS-OUT-3, RFC 8460 §4.3: only fetch and policy problems are reported; STS-HTTP-10
        assertThat(PolicyProblem.ofFetch(fetchFailure(FetchProblem.Reason.CONNECT))
                        .resultType())
                .contains(ResultType.STS_POLICY_FETCH_ERROR);
        assertThat(PolicyProblem.ofFetch(fetchFailure(FetchProblem.Reason.CERTIFICATE))
                        .resultType())
                .contains(ResultType.STS_WEBPKI_INVALID);
        assertThat(PolicyProblem.ofFetch(fetchFailure(FetchProblem.Reason.POLICY_INVALID))
                        .resultType())
                .contains(ResultType.STS_POLICY_INVALID);
        SyntaxException invalid = ((dev.mtasts.core.RecordSelection.InvalidRecord<StsRecord>)
                        StsRecord.selection(List.of("v=STSv1; id=")))
                .error();
        List<PolicyProblem> unreported = List.of(
                new PolicyProblem.NotADomain("bad..domain"),
                new PolicyProblem.AddressLiteral("[192.0.2.1]"),
                new PolicyProblem.NoRecord(NAME, Optional.of(DnsResult.NoRecordsKind.NODATA)),
                new PolicyProblem.MultipleRecords(NAME, 2),
                new PolicyProblem.InvalidRecord(NAME, invalid),
                new PolicyProblem.DnsTemporary(NAME, DnsResult.FailureKind.SERVFAIL, "x"),
                new PolicyProblem.Internal(new IllegalStateException("bug")),
                PolicyProblem.ofFetch(fetchFailure(FetchProblem.Reason.LOCAL_CAPACITY)));
        assertThat(unreported).allSatisfy(p -> assertThat(p.resultType()).isEmpty());
        assertThat(unreported).allSatisfy(p -> assertThat(p.detail()).isNotBlank());
    }

    @Test
    void temporary_onlyDnsInternalAndLocalCapacity() {
        // RFC 8461 §10.2: what may pass by itself defers; the rest is "no policy"
        assertThat(new PolicyProblem.DnsTemporary(NAME, DnsResult.FailureKind.TIMEOUT, "x").temporary())
                .isTrue();
        assertThat(new PolicyProblem.Internal(new IllegalStateException()).temporary())
                .isTrue();
        assertThat(PolicyProblem.ofFetch(fetchFailure(FetchProblem.Reason.LOCAL_CAPACITY)))
                .isInstanceOf(PolicyProblem.LocalCapacity.class)
                .matches(PolicyProblem::temporary);
        assertThat(new PolicyProblem.NoRecord(NAME, Optional.empty()).temporary())
                .isFalse();
        assertThat(PolicyProblem.ofFetch(fetchFailure(FetchProblem.Reason.TIMEOUT))
                        .temporary())
                .isFalse();
    }

    @Test
    void fetchCases_onlyFromAMatchingFetchFailure() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new PolicyProblem.FetchFailed(fetchFailure(FetchProblem.Reason.POLICY_INVALID)));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new PolicyProblem.FetchFailed(fetchFailure(FetchProblem.Reason.LOCAL_CAPACITY)));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new PolicyProblem.PolicyInvalid(fetchFailure(FetchProblem.Reason.CONNECT)));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new PolicyProblem.LocalCapacity(fetchFailure(FetchProblem.Reason.CONNECT)));
        assertThatIllegalArgumentException().isThrownBy(() -> new PolicyProblem.MultipleRecords(NAME, 1));
    }

    @Test
    void results_neverMixTemporaryAndNoPolicy() {
        // RFC 8461 §10.2, STS-TXT-9: a temporary problem is never "no policy", and the reverse
        PolicyProblem dns = new PolicyProblem.DnsTemporary(NAME, DnsResult.FailureKind.SERVFAIL, "x");
        PolicyProblem none = new PolicyProblem.NoRecord(NAME, Optional.empty());
        assertThatIllegalArgumentException().isThrownBy(() -> new PolicyResult.NoPolicy("example.com", dns));
        assertThatIllegalArgumentException().isThrownBy(() -> new PolicyResult.Unavailable("example.com", none));
    }
}
