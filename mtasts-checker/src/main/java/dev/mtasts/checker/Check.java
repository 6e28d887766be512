package dev.mtasts.checker;

/**
 * Every check the checker runs, with its stable finding ID (the catalogue in {@code
 * docs/checker.md}) and the RFC section it rests on. The IDs never change meaning; new checks get
 * new IDs.
 */
public enum Check {
    /** NXDOMAIN/NODATA at {@code _mta-sts} (no MTA-STS), or a temporary DNS failure. */
    STS_TXT_LOOKUP("sts.txt.lookup", "RFC 8461 §3.1"),
    /** A CNAME chain was followed to the record. */
    STS_TXT_CNAME("sts.txt.cname", "RFC 8461 §3.1, §8.2"),
    /** Two or more {@code v=STSv1} candidates: senders use no policy. */
    STS_TXT_COUNT("sts.txt.count", "RFC 8461 §3.1"),
    /** Other TXT records beside the STS record, which senders ignore. */
    STS_TXT_OTHER("sts.txt.other", "RFC 8461 §3.1"),
    /** A {@code v=STSv1} record at the apex or another wrong name. */
    STS_TXT_LOCATION("sts.txt.location", "RFC 8461 §3.1"),
    /** The STS record breaks the grammar. */
    STS_TXT_SYNTAX("sts.txt.syntax", "RFC 8461 §3.1"),
    /** Extension fields in the STS record, which senders ignore. */
    STS_TXT_UNKNOWN_FIELD("sts.txt.unknown-field", "RFC 8461 §3.1"),
    /** Whether the answer was DNSSEC-validated (the AD bit). */
    STS_TXT_DNSSEC("sts.txt.dnssec", "RFC 8461 §10.2"),

    /** The policy host has no address, or a loopback, private or link-local one. */
    STS_HOST_RESOLVE("sts.host.resolve", "RFC 8461 §3.3"),
    /** The policy host cannot be connected to, the TLS handshake fails, or it negotiates less than TLS 1.2. */
    STS_HOST_TLS("sts.host.tls", "RFC 8461 §3.3, §7.2"),
    /** The policy host certificate is untrusted, expired, expiring, or does not name the host. */
    STS_HOST_CERT("sts.host.cert", "RFC 8461 §3.3"),
    /** The policy answer is not 200 (redirects are reported, never followed). */
    STS_HTTP_STATUS("sts.http.status", "RFC 8461 §3.3"),
    /** The policy answer's media type is missing or not {@code text/plain}. */
    STS_HTTP_CTYPE("sts.http.ctype", "RFC 8461 §3.2"),
    /** The policy body is over 64 KiB. */
    STS_HTTP_SIZE("sts.http.size", "RFC 8461 §3.3"),
    /** The policy body is not valid UTF-8, or starts with a byte order mark. */
    STS_HTTP_ENCODING("sts.http.encoding", "RFC 8461 §3.2"),
    /** No complete policy answer within the time limit. */
    STS_HTTP_TIMEOUT("sts.http.timeout", "RFC 8461 §3.3"),

    /** A policy line breaks the grammar. */
    STS_POLICY_SYNTAX("sts.policy.syntax", "RFC 8461 §3.2"),
    /** {@code version: STSv1} missing or wrong. */
    STS_POLICY_VERSION("sts.policy.version", "RFC 8461 §3.2"),
    /** The mode: missing or invalid, or (information) which one. */
    STS_POLICY_MODE("sts.policy.mode", "RFC 8461 §3.2, §5"),
    /** {@code max_age} missing, invalid, too large or risky. */
    STS_POLICY_MAX_AGE("sts.policy.max_age", "RFC 8461 §3.2, §10.2"),
    /** {@code mx} patterns missing or invalid. */
    STS_POLICY_MX("sts.policy.mx", "RFC 8461 §3.2, §4.1"),
    /** A repeated field. */
    STS_POLICY_DUP_KEY("sts.policy.dup-key", "RFC 8461 §3.2"),
    /** Unknown or wrongly cased field names. */
    STS_POLICY_UNKNOWN_KEY("sts.policy.unknown-key", "RFC 8461 §3.2"),
    /** Mixed LF and CRLF line ends. */
    STS_POLICY_LINE_ENDINGS("sts.policy.line-endings", "RFC 8461 §3.2"),

    /** MX lookup failure, null MX, or implicit MX. */
    STS_MX_LOOKUP("sts.mx.lookup", "RFC 5321 §5.1"),
    /** An MX host that no policy pattern matches. */
    STS_MX_COVERAGE("sts.mx.coverage", "RFC 8461 §4.1"),
    /** A policy pattern that matches no current MX host. */
    STS_MX_STALE_PATTERN("sts.mx.stale-pattern", "RFC 8461 §4.1"),
    /** An MX host with no address. */
    STS_MX_RESOLVE("sts.mx.resolve", "RFC 5321 §5.1"),
    /** An MX address that does not offer or refuses STARTTLS on port 25, or whose TLS handshake fails. */
    STS_MX_STARTTLS("sts.mx.starttls", "RFC 8461 §4, §5"),
    /** An MX certificate that fails PKIX, has expired or will soon, or does not name the MX host. */
    STS_MX_CERT("sts.mx.cert", "RFC 8461 §4.2, §7.1"),
    /** An MX address that negotiates less than TLS 1.2. */
    STS_MX_TLS_VERSION("sts.mx.tls-version", "RFC 8461 §7.2"),
    /** An MX address this machine cannot reach: result unknown, not a server fault. */
    STS_MX_PROBE("sts.mx.probe", "-"),

    /** The policy body changed while the {@code id} stayed the same. */
    STS_ID_DRIFT("sts.id.drift", "RFC 8461 §3.1"),
    /** TLSA records at an MX host: DANE takes precedence. */
    STS_DANE_OVERLAP("sts.dane.overlap", "RFC 8461 §2"),
    /** The policy host's addresses answer differently. */
    STS_HOST_CONSISTENCY("sts.host.consistency", "RFC 8461 §3.3"),
    /** {@code max_age} outlives the policy host certificate. */
    STS_MAX_AGE_CERT("sts.max_age.cert", "RFC 8461 §3.3, §10.2"),
    /** An MX host Postfix 3.10.5+ would skip under its {@code mx_host_pattern} check. */
    STS_MX_POSTFIX_SKIP("sts.mx.postfix-skip", "RFC 8461 §4.1"),
    /** An {@code https:} rua that does not accept a POST of a real report. */
    RPT_RUA_POST("rpt.rua.post", "RFC 8460 §5.3"),
    /** {@code testing} or {@code enforce} without a usable TLSRPT record. */
    CROSS_NO_TLSRPT("cross.no-tlsrpt", "RFC 8461 §5, RFC 8460"),

    /** No {@code _smtp._tls} record, or a temporary DNS failure. */
    RPT_TXT_LOOKUP("rpt.txt.lookup", "RFC 8460 §3"),
    /** Two or more {@code v=TLSRPTv1} candidates: no reports are sent. */
    RPT_TXT_COUNT("rpt.txt.count", "RFC 8460 §3"),
    /** A TLSRPT record at the apex or at the draft name {@code _smtp-tlsrpt}. */
    RPT_TXT_LOCATION("rpt.txt.location", "RFC 8460 §3"),
    /** The TLSRPT record breaks the grammar. */
    RPT_TXT_SYNTAX("rpt.txt.syntax", "RFC 8460 §3"),
    /** A rua that is neither {@code mailto:} nor {@code https:}, or no usable rua. */
    RPT_RUA_SCHEME("rpt.rua.scheme", "RFC 8460 §3"),
    /** An {@code https:} rua whose host does not resolve or whose certificate is invalid. */
    RPT_RUA_HTTPS("rpt.rua.https", "RFC 8460 §3, §5.4"),
    /** A {@code mailto:} rua inside the checked domain while the domain enforces. */
    RPT_RUA_SAME_DOMAIN("rpt.rua.same-domain", "-");

    private final String id;
    private final String rfc;

    Check(String id, String rfc) {
        this.id = id;
        this.rfc = rfc;
    }

    /** The stable finding ID, for example {@code sts.txt.syntax}. */
    public String id() {
        return id;
    }

    /** The RFC section the check rests on, for example {@code RFC 8461 §3.1}; {@code -} for none. */
    public String rfc() {
        return rfc;
    }

    /** The check with this ID. */
    public static java.util.Optional<Check> byId(String id) {
        for (Check check : values()) {
            if (check.id.equals(id)) {
                return java.util.Optional.of(check);
            }
        }
        return java.util.Optional.empty();
    }
}
