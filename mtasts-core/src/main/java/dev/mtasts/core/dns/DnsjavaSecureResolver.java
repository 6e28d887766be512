package dev.mtasts.core.dns;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * {@link SecureDnsResolver} on dnsjava's {@link ValidatingResolver} in front of one server. Queries
 * are sent as whole messages (not through dnsjava's lookup API, which drops the AD bit), and each
 * response is mapped as follows:
 *
 * <ul>
 *   <li>AD bit set (the validator proved the answer, denial of existence included): {@link
 *       DnssecStatus#SECURE};
 *   <li>SERVFAIL carrying the validator's reason (a TXT record of class {@link
 *       ValidatingResolver#VALIDATION_REASON_QCLASS} at the root in the additional section): {@link
 *       DnssecStatus#BOGUS}, a {@link DnsResult.FailureKind#BOGUS} failure that is never "no
 *       records". dnsjava also gives an upstream SERVFAIL such a reason ("Response subtype is
 *       UNKNOWN"), so that reason alone is read as the server's failure, not as bogus data;
 *   <li>SERVFAIL without such a reason, REFUSED or another error RCODE, a timeout or an I/O error:
 *       the matching {@link DnsResult.Unavailable} kind, with status {@link
 *       DnssecStatus#INDETERMINATE} (nothing was validated);
 *   <li>NOERROR or NXDOMAIN without AD: {@link DnssecStatus#INSECURE} when a trust anchor covers
 *       the name (the validator proved the zone unsigned), otherwise {@link
 *       DnssecStatus#INDETERMINATE} (dnsjava answers names outside every anchor without AD and
 *       without an error).
 * </ul>
 *
 * <p>CNAMEs are followed inside each answer; a chain that ends without the type asked for is asked
 * again at its target; at most {@value #MAX_CNAMES} CNAMEs are followed, and a loop or a longer chain is
 * a {@link DnsResult.FailureKind#NETWORK} failure. The answer's status is the
 * weakest of all queries' statuses. Names are always absolute (no search path).
 *
 * <p>The server's own AD bit is never trusted: dnsjava clears it and validates from the anchors
 * (queries go out with DO and CD). dnsjava also reads extra anchors from the file named by the system
 * property {@value ValidatingResolver#TRUST_ANCHOR_FILE_PROPERTY}, if set.
 *
 * <p>Thread-safe: the validator, its key cache and the head resolver are.
 */
final class DnsjavaSecureResolver implements SecureDnsResolver {
    /** CNAMEs one lookup follows before giving up (a loop or an absurd chain). */
    static final int MAX_CNAMES = 8;

    /** The reason dnsjava gives when the server itself failed (it cannot classify the response). */
    private static final String UNVALIDATABLE_RESPONSE = "Response subtype is ";

    private final ValidatingResolver validator;
    private final TrustAnchors anchors;

    DnsjavaSecureResolver(Resolver head, TrustAnchors anchors, Duration timeout, Clock clock) {
        this.anchors = requireNonNull(anchors, "anchors");
        requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("DNS timeout must be positive but was " + timeout);
        }
        head.setTimeout(timeout);
        this.validator = new ValidatingResolver(head, requireNonNull(clock, "clock"));
        String text = String.join("\n", anchors.records()) + "\n";
        try {
            validator.loadTrustAnchors(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("trust anchors cannot be loaded: " + e.getMessage(), e);
        }
    }

    /** The resolver the builder makes: {@code server}, or the system's first name server. */
    static DnsjavaSecureResolver create(
            @Nullable InetSocketAddress server, TrustAnchors anchors, Duration timeout, Clock clock) {
        InetSocketAddress target = server;
        if (target == null) {
            List<InetSocketAddress> servers = ResolverConfig.getCurrentConfig().servers();
            if (servers.isEmpty()) {
                throw new IllegalStateException(
                        "no name server in the system configuration; give one with SecureDnsResolver.Builder.server");
            }
            target = servers.get(0);
        }
        return new DnsjavaSecureResolver(new SimpleResolver(target), anchors, timeout, clock);
    }

    @Override
    public CompletionStage<ValidatedAnswer<MxRecord>> mxAsync(String name) {
        return lookup(name, Type.MX, DnsjavaResolver::mxRecord);
    }

    @Override
    public CompletionStage<ValidatedAnswer<InetAddress>> addressesAsync(String name) {
        CompletableFuture<ValidatedAnswer<InetAddress>> a = lookup(
                        name, Type.A, r -> r instanceof ARecord a4 ? a4.getAddress() : null)
                .toCompletableFuture();
        CompletableFuture<ValidatedAnswer<InetAddress>> aaaa = lookup(
                        name, Type.AAAA, r -> r instanceof AAAARecord a6 ? a6.getAddress() : null)
                .toCompletableFuture();
        return a.thenCombine(aaaa, DnsjavaSecureResolver::combine);
    }

    /**
     * A and AAAA as one answer: the records as {@link DnsjavaResolver#combine} joins them, the weaker
     * status of the two (SECURE only if both are), and a bogus half makes the whole answer bogus. A
     * half that failed beside a secure half makes the whole answer that failure: otherwise dropping
     * AAAA queries would make every host of a signed zone "not secure" and so strip its DANE (RFC 7672
     * §2.1.1: a failed lookup is never insecure). Beside an insecure half the zone is unsigned anyway,
     * and the working half's records are kept, as without DNSSEC.
     */
    static ValidatedAnswer<InetAddress> combine(ValidatedAnswer<InetAddress> v4, ValidatedAnswer<InetAddress> v6) {
        if (v4.status() == DnssecStatus.BOGUS) {
            return v4;
        }
        if (v6.status() == DnssecStatus.BOGUS) {
            return v6;
        }
        if (v4.result() instanceof DnsResult.Unavailable && v6.secure()) {
            return v4;
        }
        if (v6.result() instanceof DnsResult.Unavailable && v4.secure()) {
            return v6;
        }
        ValidatedAnswer<InetAddress> weaker = rank(v6.status()) > rank(v4.status()) ? v6 : v4;
        List<String> names = v4.result() instanceof DnsResult.Records
                ? v4.names()
                : v6.result() instanceof DnsResult.Records ? v6.names() : v4.names();
        return new ValidatedAnswer<>(
                DnsjavaResolver.combine(v4.result(), v6.result()), weaker.status(), names, weaker.detail());
    }

    @Override
    public CompletionStage<ValidatedAnswer<TlsaRecord>> tlsaAsync(String name) {
        return lookup(
                name,
                Type.TLSA,
                r -> r instanceof TLSARecord tlsa
                        ? TlsaRecord.of(
                                tlsa.getCertificateUsage(),
                                tlsa.getSelector(),
                                tlsa.getMatchingType(),
                                tlsa.getCertificateAssociationData())
                        : null);
    }

    /** Higher is weaker: SECURE, INSECURE, INDETERMINATE, BOGUS. */
    private static int rank(DnssecStatus status) {
        return switch (status) {
            case SECURE -> 0;
            case INSECURE -> 1;
            case INDETERMINATE -> 2;
            case BOGUS -> 3;
        };
    }

    /** The state of one lookup along its CNAME chain. */
    private static final class Chain {
        final List<String> names = new ArrayList<>();
        DnssecStatus status = DnssecStatus.SECURE;
        String detail = "";

        Chain(String first) {
            names.add(first);
        }

        void weaken(DnssecStatus hop, String why) {
            if (rank(hop) > rank(status)) {
                status = hop;
                detail = why;
            }
        }

        /** Adds a CNAME target, or says why the chain must stop there. */
        @Nullable
        String follow(Name target) {
            String next = display(target);
            if (names.contains(next)) {
                return "CNAME loop at " + next + " from " + names.get(0);
            }
            if (names.size() > MAX_CNAMES) {
                return "CNAME chain from " + names.get(0) + " longer than " + MAX_CNAMES;
            }
            names.add(next);
            return null;
        }

        <T> ValidatedAnswer<T> answer(DnsResult<T> result) {
            return new ValidatedAnswer<>(result, status, names, detail);
        }

        <T> ValidatedAnswer<T> failed(DnsResult<T> failure) {
            weaken(DnssecStatus.INDETERMINATE, failure instanceof DnsResult.Unavailable<T> u ? u.detail() : "");
            return answer(failure);
        }
    }

    private <T> CompletionStage<ValidatedAnswer<T>> lookup(
            String name, int type, Function<org.xbill.DNS.Record, @Nullable T> convert) {
        requireNonNull(name, "name");
        Name absolute;
        try {
            absolute = Name.fromString(name, Name.root);
        } catch (TextParseException e) {
            // Not a name: nothing can exist there, and nothing was validated.
            return CompletableFuture.completedFuture(new ValidatedAnswer<>(
                    DnsResult.noRecords(DnsResult.NoRecordsKind.NXDOMAIN),
                    DnssecStatus.INDETERMINATE,
                    List.of(name),
                    "not a domain name: " + e.getMessage()));
        }
        Chain chain = new Chain(display(absolute));
        return step(absolute, type, convert, chain);
    }

    private <T> CompletionStage<ValidatedAnswer<T>> step(
            Name qname, int type, Function<org.xbill.DNS.Record, @Nullable T> convert, Chain chain) {
        Message query = Message.newQuery(org.xbill.DNS.Record.newRecord(qname, type, DClass.IN));
        CompletionStage<Message> sent;
        try {
            sent = validator.sendAsync(query);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(chain.failed(DnsjavaResolver.failure(e)));
        }
        return sent.<CompletionStage<ValidatedAnswer<T>>>handle((response, error) -> {
                    if (error != null) {
                        return CompletableFuture.completedFuture(chain.<T>failed(DnsjavaResolver.failure(error)));
                    }
                    return onResponse(qname, type, convert, chain, response);
                })
                .thenCompose(Function.identity());
    }

    private <T> CompletionStage<ValidatedAnswer<T>> onResponse(
            Name qname, int type, Function<org.xbill.DNS.Record, @Nullable T> convert, Chain chain, Message response) {
        int rcode = response.getRcode();
        String reason = validationReason(response);
        if (rcode == Rcode.SERVFAIL) {
            if (reason.isEmpty() || reason.startsWith(UNVALIDATABLE_RESPONSE)) {
                return done(chain.failed(DnsResult.temporaryFailure(
                        DnsResult.FailureKind.SERVFAIL, "SERVFAIL from the server for " + display(qname))));
            }
            if (type != Type.CNAME) {
                return retryThroughCname(qname, type, convert, chain, reason);
            }
            return bogus(chain, reason);
        }
        if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
            return done(chain.failed(DnsResult.temporaryFailure(
                    DnsResult.FailureKind.REFUSED, Rcode.string(rcode) + " from the server for " + display(qname))));
        }
        if (response.getHeader().getFlag(Flags.AD)) {
            chain.weaken(DnssecStatus.SECURE, "");
        } else if (anchors.covers(display(qname))) {
            chain.weaken(DnssecStatus.INSECURE, reason.isEmpty() ? "unsigned: " + display(qname) : reason);
        } else {
            chain.weaken(DnssecStatus.INDETERMINATE, "no trust anchor covers " + display(qname));
        }

        List<org.xbill.DNS.Record> answers = response.getSection(Section.ANSWER);
        Name owner = qname;
        boolean followed = false;
        for (int guard = 0; guard <= answers.size(); guard++) {
            List<T> values = new ArrayList<>();
            @Nullable Name next = null;
            for (org.xbill.DNS.Record r : answers) {
                if (!r.getName().equals(owner)) {
                    continue;
                }
                if (r.getType() == type) {
                    T value = convert.apply(r);
                    if (value != null) {
                        values.add(value);
                    }
                } else if (r instanceof CNAMERecord cname) {
                    next = cname.getTarget();
                }
            }
            if (!values.isEmpty()) {
                return done(chain.answer(DnsResult.records(values)));
            }
            if (next == null || type == Type.CNAME) {
                break;
            }
            String stop = chain.follow(next);
            if (stop != null) {
                return done(chain.failed(DnsResult.temporaryFailure(DnsResult.FailureKind.NETWORK, stop)));
            }
            owner = next;
            followed = true;
        }
        if (rcode == Rcode.NXDOMAIN) {
            // The RCODE speaks of the last name of the chain (RFC 6604 §2.1).
            return done(chain.answer(DnsResult.noRecords(DnsResult.NoRecordsKind.NXDOMAIN)));
        }
        if (followed) {
            // The server had no data for the target (another zone): ask for it by name.
            return step(owner, type, convert, chain);
        }
        return done(chain.answer(DnsResult.noRecords(DnsResult.NoRecordsKind.NODATA)));
    }

    private static <T> CompletionStage<ValidatedAnswer<T>> bogus(Chain chain, String reason) {
        chain.weaken(DnssecStatus.BOGUS, reason);
        return done(chain.answer(DnsResult.temporaryFailure(DnsResult.FailureKind.BOGUS, reason)));
    }

    /**
     * A bogus answer may come from a server that follows a CNAME into data it cannot prove in the
     * same response (unbound's auth-zone answers a CNAME to a name without the type with no NSEC
     * for the target). The CNAME and the target are then validated one at a time: a validated
     * CNAME is followed and the target asked for on its own; anything else keeps the bogus verdict.
     */
    private <T> CompletionStage<ValidatedAnswer<T>> retryThroughCname(
            Name qname, int type, Function<org.xbill.DNS.Record, @Nullable T> convert, Chain chain, String reason) {
        Message query = Message.newQuery(org.xbill.DNS.Record.newRecord(qname, Type.CNAME, DClass.IN));
        CompletionStage<Message> sent;
        try {
            sent = validator.sendAsync(query);
        } catch (RuntimeException e) {
            return bogus(chain, reason);
        }
        return sent.<CompletionStage<ValidatedAnswer<T>>>handle((response, error) -> {
                    if (error != null
                            || response.getRcode() != Rcode.NOERROR
                            || !response.getHeader().getFlag(Flags.AD)) {
                        return bogus(chain, reason);
                    }
                    for (org.xbill.DNS.Record r : response.getSection(Section.ANSWER)) {
                        if (r instanceof CNAMERecord cname && r.getName().equals(qname)) {
                            String stop = chain.follow(cname.getTarget());
                            if (stop != null) {
                                return bogus(chain, reason);
                            }
                            return step(cname.getTarget(), type, convert, chain);
                        }
                    }
                    return bogus(chain, reason);
                })
                .thenCompose(Function.identity());
    }

    private static <T> CompletionStage<ValidatedAnswer<T>> done(ValidatedAnswer<T> answer) {
        return CompletableFuture.completedFuture(answer);
    }

    /** The validator's reason for its verdict, or empty when it gave none. */
    static String validationReason(Message response) {
        StringBuilder reason = new StringBuilder();
        for (org.xbill.DNS.Record r : response.getSection(Section.ADDITIONAL)) {
            if (r instanceof TXTRecord txt
                    && r.getDClass() == ValidatingResolver.VALIDATION_REASON_QCLASS
                    && r.getName().equals(Name.root)) {
                for (String part : txt.getStrings()) {
                    reason.append(part);
                }
            }
        }
        return reason.toString();
    }

    private static String display(Name name) {
        return name.equals(Name.root) ? "." : name.toString(true).toLowerCase(Locale.ROOT);
    }
}
