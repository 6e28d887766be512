package dev.mtasts.checker;

import dev.mtasts.checker.internal.PolicyContentCheck;
import dev.mtasts.checker.internal.StsRecordCheck;
import dev.mtasts.checker.internal.TlsRptCheck;
import java.util.List;

/**
 * The checker's content rules without the network: what a domain check says about a policy body or a
 * TXT record's text, for files that are not published yet ({@code mtasts lint}).
 *
 * <p>The findings are the ones a {@link DomainChecker} run makes for the same input, by the same
 * code: same IDs, severities, messages and lenient flags. Left out is whatever needs DNS, the policy
 * host or a {@link PolicyHistory} (record count and location, DNSSEC, {@code sts.id.drift}). A
 * record's messages name the bare {@code _mta-sts} or {@code _smtp._tls} label, since no domain is
 * known. Pure: no I/O, never throws on any input.
 */
public final class Lint {
    /** The name record messages use in place of {@code _mta-sts.<domain>}. */
    static final String STS_NAME = "_mta-sts";
    /** The name record messages use in place of {@code _smtp._tls.<domain>}. */
    static final String TLSRPT_NAME = "_smtp._tls";

    private Lint() {}

    /**
     * The {@code sts.policy.*} findings for a policy body as fetched (RFC 8461 §3.2), and {@code
     * sts.http.encoding} when the bytes are not UTF-8 without a byte order mark.
     */
    public static List<Finding> policy(byte[] body) {
        return findings(policyLocated(body));
    }

    /** As {@link #policy(byte[])}, with each finding's line and column. */
    public static List<LintFinding> policyLocated(byte[] body) {
        return PolicyContentCheck.lint(body);
    }

    /** The findings for the text of an {@code _mta-sts} TXT record (RFC 8461 §3.1). */
    public static List<Finding> stsRecord(String txt) {
        return findings(stsRecordLocated(txt));
    }

    /** As {@link #stsRecord(String)}, with the column of a syntax error. */
    public static List<LintFinding> stsRecordLocated(String txt) {
        return StsRecordCheck.lint(STS_NAME, txt);
    }

    /** The findings for the text of an {@code _smtp._tls} TXT record (RFC 8460 §3). */
    public static List<Finding> tlsRptRecord(String txt) {
        return findings(tlsRptRecordLocated(txt));
    }

    /** As {@link #tlsRptRecord(String)}, with the column of a syntax error. */
    public static List<LintFinding> tlsRptRecordLocated(String txt) {
        return TlsRptCheck.lint(TLSRPT_NAME, txt);
    }

    private static List<Finding> findings(List<LintFinding> located) {
        return located.stream().map(LintFinding::finding).toList();
    }
}
