package dev.mtasts.core.dane;

import dev.mtasts.core.dns.DnsResult;
import dev.mtasts.core.dns.DnssecStatus;
import dev.mtasts.core.dns.MxRecord;
import dev.mtasts.core.dns.SecureDnsResolver;
import dev.mtasts.core.dns.TlsaRecord;
import dev.mtasts.core.dns.ValidatedAnswer;
import dev.mtasts.core.internal.DomainNameForm;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The queries of one DANE discovery (RFC 7672 §2.2) and what their answers mean; no cache. Every
 * stage it returns completes normally: a resolver that throws or fails a stage counts as a temporary
 * DNS failure, never as "no records" (RFC 7672 §2.1.1). Thread-safe.
 */
final class Discovery {
    private final SecureDnsResolver resolver;

    Discovery(SecureDnsResolver resolver) {
        this.resolver = resolver;
    }

    /** Whether a result is reused only for the failure TTL: unavailable, or a host failed. */
    static boolean isFailure(DaneResult result) {
        if (result instanceof DaneResult.Unavailable) {
            return true;
        }
        if (result instanceof DaneResult.Found found) {
            for (MxDane host : found.hosts().values()) {
                if (host instanceof MxDane.Failed) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The DANE state of a normal-form domain. */
    CompletionStage<DaneResult> domain(String domain) {
        return ask(() -> resolver.mxAsync(domain))
                .thenCompose(answer -> fromMx(domain, answer))
                .handle((value, error) -> value != null
                        ? value
                        : new DaneResult.Unavailable(
                                domain, DnssecStatus.INDETERMINATE, "DANE discovery failed: " + cause(error)));
    }

    private CompletionStage<DaneResult> fromMx(String domain, @Nullable ValidatedAnswer<MxRecord> answer) {
        if (answer == null) {
            return done(new DaneResult.Unavailable(
                    domain, DnssecStatus.INDETERMINATE, "the MX lookup of " + domain + " failed: no answer"));
        }
        DnsResult<MxRecord> records = answer.result();
        if (answer.status() == DnssecStatus.BOGUS || records instanceof DnsResult.Unavailable) {
            // RFC 7672 §2.1.1: which hosts are genuine cannot be known; wait rather than guess.
            return done(new DaneResult.Unavailable(
                    domain, answer.status(), "the MX lookup of " + domain + " failed: " + failure(answer)));
        }
        if (!answer.secure()) {
            return done(new DaneResult.NotApplicable(
                    domain,
                    answer.status(),
                    "the MX RRset of " + domain + " is " + answer.status() + detailSuffix(answer)));
        }
        List<MxRecord> mx;
        if (records instanceof DnsResult.NoRecords<MxRecord> none) {
            if (none.kind() == DnsResult.NoRecordsKind.NXDOMAIN) {
                return done(new DaneResult.NotApplicable(
                        domain, DnssecStatus.SECURE, domain + " securely does not exist: nothing to deliver to"));
            }
            // RFC 5321 §5.1: no MX records, so the domain itself is the one implicit MX host.
            mx = List.of(new MxRecord(0, domain));
        } else {
            mx = realMx(((DnsResult.Records<MxRecord>) records).values());
            if (mx.isEmpty()) {
                return done(new DaneResult.NotApplicable(
                        domain, DnssecStatus.SECURE, domain + " has a null MX (RFC 7505): it accepts no mail"));
            }
        }
        return hosts(domain, mx);
    }

    /**
     * The MX records that name a host, by preference (stable, so ties keep the answer order),
     * exchange names normalised; a null MX ({@code .}) is dropped (RFC 7505 §3 forbids it beside
     * other records; the others are still usable).
     */
    private static List<MxRecord> realMx(List<MxRecord> records) {
        List<MxRecord> mx = new ArrayList<>(records.size());
        for (MxRecord record : records) {
            String exchange = record.exchange();
            if (exchange.isEmpty() || exchange.equals(".")) {
                continue;
            }
            String normal = DomainNameForm.normalize(exchange);
            mx.add(normal == null || normal.equals(exchange) ? record : new MxRecord(record.preference(), normal));
        }
        mx.sort(Comparator.comparingInt(MxRecord::preference));
        return List.copyOf(mx);
    }

    private CompletionStage<DaneResult> hosts(String domain, List<MxRecord> mx) {
        Map<String, CompletableFuture<MxDane>> pending = new LinkedHashMap<>();
        for (MxRecord record : mx) {
            // Each host once, all in parallel: a host listed twice has one DANE state.
            pending.computeIfAbsent(
                    record.exchange(), host -> host(domain, host).toCompletableFuture());
        }
        return CompletableFuture.allOf(pending.values().toArray(CompletableFuture<?>[]::new))
                .handle((ignored, error) -> {
                    Map<String, MxDane> hosts = new LinkedHashMap<>();
                    pending.forEach((host, future) -> hosts.put(host, future.join()));
                    return new DaneResult.Found(domain, mx, hosts);
                });
    }

    /** The DANE state of one MX host of a secure MX RRset; completes normally. */
    CompletionStage<MxDane> host(String domain, String host) {
        return ask(() -> resolver.addressesAsync(host))
                .thenCompose(addresses -> fromAddresses(domain, host, addresses))
                .handle((value, error) -> value != null
                        ? value
                        : new MxDane.Failed(
                                host,
                                DnssecStatus.INDETERMINATE,
                                "DANE lookup of " + host + " failed: " + cause(error)));
    }

    private CompletionStage<MxDane> fromAddresses(
            String domain, String host, @Nullable ValidatedAnswer<InetAddress> answer) {
        if (answer == null) {
            return done(
                    new MxDane.Failed(host, DnssecStatus.INDETERMINATE, "no answer to the address lookup of " + host));
        }
        DnsResult<InetAddress> result = answer.result();
        if (answer.status() == DnssecStatus.BOGUS || result instanceof DnsResult.Unavailable) {
            return done(new MxDane.Failed(
                    host, answer.status(), "the address lookup of " + host + " failed: " + failure(answer)));
        }
        if (!answer.secure()) {
            return done(new MxDane.NotApplicable(
                    host,
                    MxDane.NotApplicable.Reason.ADDRESSES_INSECURE,
                    "the addresses of " + host + " are " + answer.status() + detailSuffix(answer)));
        }
        if (result instanceof DnsResult.NoRecords<InetAddress> none) {
            // Securely no address: the host cannot be reached, and must not be read as "no DANE".
            return done(new MxDane.Failed(
                    host, DnssecStatus.SECURE, host + " securely has no address records (" + none.kind() + ")"));
        }
        String canonical = answer.canonicalName();
        if (canonical.equals(host)) {
            return tlsa(domain, host, host, null);
        }
        // RFC 7672 §2.2.2: a secure CNAME chain makes its target the first TLSA base domain.
        return tlsa(domain, host, canonical, canonical);
    }

    /**
     * The TLSA records at {@code _25._tcp.<base>}; {@code canonical} is the host's secure CNAME
     * expansion, or null without one. A secure denial at the expanded name sends the lookup on to the
     * host's own name.
     */
    private CompletionStage<MxDane> tlsa(String domain, String host, String base, @Nullable String canonical) {
        return ask(() -> resolver.tlsaAsync("_25._tcp." + base)).thenCompose(answer -> {
            if (answer == null) {
                return done(new MxDane.Failed(host, DnssecStatus.INDETERMINATE, "no answer to the TLSA lookup"));
            }
            DnsResult<TlsaRecord> result = answer.result();
            if (answer.status() == DnssecStatus.BOGUS || result instanceof DnsResult.Unavailable) {
                return done(new MxDane.Failed(
                        host, answer.status(), "the TLSA lookup of _25._tcp." + base + " failed: " + failure(answer)));
            }
            if (!answer.secure()) {
                return done(new MxDane.NotApplicable(
                        host,
                        MxDane.NotApplicable.Reason.TLSA_INSECURE,
                        "the TLSA records of _25._tcp." + base + " are " + answer.status() + detailSuffix(answer)));
            }
            if (result instanceof DnsResult.NoRecords<TlsaRecord> none) {
                if (canonical != null && base.equals(canonical)) {
                    // RFC 7672 §2.2.2: nothing at the expanded name, so the host's own name is tried.
                    return tlsa(domain, host, host, canonical);
                }
                return done(new MxDane.NotApplicable(
                        host,
                        MxDane.NotApplicable.Reason.NO_TLSA,
                        "no TLSA records at _25._tcp." + base + " (" + none.kind() + ")"));
            }
            List<TlsaRecord> records = ((DnsResult.Records<TlsaRecord>) result).values();
            List<TlsaRecord> usable = new ArrayList<>(records.size());
            for (TlsaRecord record : records) {
                if (record.usable()) {
                    usable.add(record);
                }
            }
            if (usable.isEmpty()) {
                return done(new MxDane.Unusable(host, base, records));
            }
            return done(new MxDane.Usable(host, base, records, usable, referenceNames(domain, host, canonical)));
        });
    }

    /**
     * RFC 7672 §3.2.2: the MX host, its secure CNAME expansion, and the next-hop domain (only reached
     * with a secure MX RRset), in that order, without repeats.
     */
    private static Set<String> referenceNames(String domain, String host, @Nullable String canonical) {
        Set<String> names = new LinkedHashSet<>();
        names.add(host);
        if (canonical != null) {
            names.add(canonical);
        }
        names.add(domain);
        return names;
    }

    /** The resolver's stage, or a failed one when the resolver throws instead of answering. */
    private static <T> CompletionStage<T> ask(Supplier<CompletionStage<T>> query) {
        try {
            return query.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static @Nullable Throwable cause(@Nullable Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private static <T> CompletionStage<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    private static String failure(ValidatedAnswer<?> answer) {
        if (answer.result() instanceof DnsResult.Unavailable<?> failed) {
            return failed.kind() + " " + failed.detail();
        }
        return answer.status() + detailSuffix(answer);
    }

    private static String detailSuffix(ValidatedAnswer<?> answer) {
        return answer.detail().isEmpty() ? "" : " (" + answer.detail() + ")";
    }
}
