package dev.mtasts.testkit.server;

/**
 * What the {@link FakeDnsServer} does instead of answering from its zone, for one name (and
 * optionally one type). The outcomes an MTA-STS resolver must keep apart (RFC 8461 §3.1,
 * spec STS-TXT-9): "no record" ({@link #NXDOMAIN}, {@link #NODATA}) versus "temporary failure"
 * ({@link #SERVFAIL}, {@link #REFUSED}, {@link #TIMEOUT}).
 */
public enum DnsFault {
    /** Answer with RCODE 2 (SERVFAIL) and no records: a temporary failure. */
    SERVFAIL,
    /** Answer with RCODE 3 (NXDOMAIN) and an SOA in the authority section, even if records exist. */
    NXDOMAIN,
    /** Answer NOERROR with an empty answer section and an SOA in the authority section. */
    NODATA,
    /** Answer with RCODE 5 (REFUSED). */
    REFUSED,
    /** Never answer, over UDP or TCP: the client times out. */
    TIMEOUT,
    /**
     * Over UDP, answer with the TC bit set and no records, which makes a conforming client retry over
     * TCP (RFC 1035 §4.2.1, RFC 7766); over TCP, answer normally.
     */
    TRUNCATE
}
