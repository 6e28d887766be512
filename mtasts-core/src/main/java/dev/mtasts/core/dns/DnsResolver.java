package dev.mtasts.core.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The DNS lookups MTA-STS needs. Names are domain names without a trailing dot and are always
 * looked up as absolute names: no search path, no hosts file (a search path could turn {@code
 * _mta-sts.example.com} into {@code _mta-sts.example.com.corp.local}).
 *
 * <p>Implementations must be thread-safe and must complete every stage: with {@link
 * DnsResult.Unavailable} rather than exceptionally when the lookup fails.
 */
public interface DnsResolver {

    /**
     * The TXT records at {@code name}, following CNAME chains (RFC 8461 §3.1, STS-TXT-1). Each value
     * is one record's character-strings joined with nothing between them on their raw bytes, one
     * {@code char} per byte (ISO-8859-1), so a non-ASCII byte stays visible to the parser
     * (STS-TXT-2).
     */
    CompletionStage<DnsResult<String>> txtAsync(String name);

    /** The MX records at {@code name}, in answer order. */
    CompletionStage<DnsResult<MxRecord>> mxAsync(String name);

    /**
     * The A and AAAA addresses of {@code name}, following CNAME chains: records when either type has
     * some, a temporary failure when neither has and one of them failed, otherwise no records.
     */
    CompletionStage<DnsResult<InetAddress>> addressesAsync(String name);

    /** Blocking {@link #txtAsync}. */
    default DnsResult<String> txt(String name) {
        return await(txtAsync(name));
    }

    /** Blocking {@link #mxAsync}. */
    default DnsResult<MxRecord> mx(String name) {
        return await(mxAsync(name));
    }

    /** Blocking {@link #addressesAsync}. */
    default DnsResult<InetAddress> addresses(String name) {
        return await(addressesAsync(name));
    }

    /**
     * A dnsjava resolver using the system's configured name servers (as dnsjava's {@code
     * ResolverConfig} finds them) and a 10 second timeout per query.
     */
    static DnsResolver system() {
        return DnsjavaResolver.system(DnsjavaResolver.DEFAULT_TIMEOUT);
    }

    /** A dnsjava resolver asking only {@code server} (for example a local validating resolver). */
    static DnsResolver dnsjava(InetSocketAddress server) {
        return dnsjava(server, DnsjavaResolver.DEFAULT_TIMEOUT);
    }

    /** A dnsjava resolver asking only {@code server}, giving up on a query after {@code timeout}. */
    static DnsResolver dnsjava(InetSocketAddress server, Duration timeout) {
        return DnsjavaResolver.forServer(server, timeout);
    }

    private static <T> DnsResult<T> await(CompletionStage<DnsResult<T>> stage) {
        try {
            return stage.toCompletableFuture().join();
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            // A misbehaving implementation must still not turn into "no records".
            return DnsResult.temporaryFailure(DnsResult.FailureKind.NETWORK, String.valueOf(e.getCause()));
        }
    }
}
