package dev.mtasts.core.dns;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.lookup.LookupFailedException;
import org.xbill.DNS.lookup.LookupResult;
import org.xbill.DNS.lookup.LookupSession;
import org.xbill.DNS.lookup.NoSuchDomainException;
import org.xbill.DNS.lookup.NoSuchRRSetException;
import org.xbill.DNS.lookup.ServerFailedException;

/**
 * {@link DnsResolver} on a dnsjava {@link LookupSession} built with {@code builder()} (not {@code
 * defaultBuilder()}): no search path, no hosts file, no dnsjava cache (the MTA-STS cache above
 * rate-limits TXT checks itself). Thread-safe: the session is.
 */
final class DnsjavaResolver implements DnsResolver {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final LookupSession session;

    DnsjavaResolver(Resolver resolver) {
        this.session = LookupSession.builder()
                .resolver(requireNonNull(resolver, "resolver"))
                .build();
    }

    static DnsjavaResolver system(Duration timeout) {
        ExtendedResolver resolver = new ExtendedResolver();
        resolver.setTimeout(checkTimeout(timeout));
        return new DnsjavaResolver(resolver);
    }

    static DnsjavaResolver forServer(InetSocketAddress server, Duration timeout) {
        SimpleResolver resolver = new SimpleResolver(requireNonNull(server, "server"));
        resolver.setTimeout(checkTimeout(timeout));
        return new DnsjavaResolver(resolver);
    }

    private static Duration checkTimeout(Duration timeout) {
        requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("DNS timeout must be positive but was " + timeout);
        }
        return timeout;
    }

    @Override
    public CompletionStage<DnsResult<String>> txtAsync(String name) {
        return lookup(name, Type.TXT, r -> {
            if (!(r instanceof TXTRecord txtRecord)) {
                return null;
            }
            List<byte[]> parts = txtRecord.getStringsAsByteArrays();
            int length = 0;
            for (byte[] part : parts) {
                length += part.length;
            }
            byte[] joined = new byte[length];
            int at = 0;
            for (byte[] part : parts) {
                System.arraycopy(part, 0, joined, at, part.length);
                at += part.length;
            }
            return new String(joined, StandardCharsets.ISO_8859_1);
        });
    }

    @Override
    public CompletionStage<DnsResult<MxRecord>> mxAsync(String name) {
        return lookup(name, Type.MX, DnsjavaResolver::mxRecord);
    }

    /** An MX record of an answer as ours, or null for any other record type. */
    static @org.jspecify.annotations.Nullable MxRecord mxRecord(org.xbill.DNS.Record r) {
        if (!(r instanceof MXRecord mx)) {
            return null;
        }
        Name target = mx.getTarget();
        // A null MX (RFC 7505) has the root as exchange: kept as ".", which no pattern matches.
        String exchange = target.equals(Name.root) ? "." : target.toString(true).toLowerCase(Locale.ROOT);
        return new MxRecord(mx.getPriority(), exchange);
    }

    @Override
    public CompletionStage<DnsResult<InetAddress>> addressesAsync(String name) {
        CompletableFuture<DnsResult<InetAddress>> a = lookup(
                        name, Type.A, r -> r instanceof ARecord a4 ? a4.getAddress() : null)
                .toCompletableFuture();
        CompletableFuture<DnsResult<InetAddress>> aaaa = lookup(
                        name, Type.AAAA, r -> r instanceof AAAARecord a6 ? a6.getAddress() : null)
                .toCompletableFuture();
        return a.thenCombine(aaaa, DnsjavaResolver::combine);
    }

    static DnsResult<InetAddress> combine(DnsResult<InetAddress> v4, DnsResult<InetAddress> v6) {
        List<InetAddress> all = new ArrayList<>();
        if (v4 instanceof DnsResult.Records<InetAddress> records) {
            all.addAll(records.values());
        }
        if (v6 instanceof DnsResult.Records<InetAddress> records) {
            all.addAll(records.values());
        }
        if (!all.isEmpty()) {
            return DnsResult.records(all);
        }
        if (v4 instanceof DnsResult.Unavailable) {
            return v4;
        }
        if (v6 instanceof DnsResult.Unavailable) {
            return v6;
        }
        return v4;
    }

    private <T> CompletionStage<DnsResult<T>> lookup(
            String name, int type, Function<org.xbill.DNS.Record, @org.jspecify.annotations.Nullable T> convert) {
        Name absolute;
        try {
            absolute = Name.fromString(requireNonNull(name, "name"), Name.root);
        } catch (TextParseException e) {
            return CompletableFuture.completedFuture(
                    DnsResult.noRecords(DnsResult.NoRecordsKind.NXDOMAIN)); // not a name: nothing can exist there
        }
        CompletionStage<LookupResult> stage;
        try {
            stage = session.lookupAsync(absolute, type, DClass.IN);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(failure(e));
        }
        return stage.handle((result, error) -> {
            if (error != null) {
                return failure(error);
            }
            List<T> values = new ArrayList<>(result.getRecords().size());
            for (org.xbill.DNS.Record r : result.getRecords()) {
                T value = convert.apply(r);
                if (value != null) {
                    values.add(value);
                }
            }
            // A fresh NODATA answer arrives as an empty result (dnsjava note in build-notes.md).
            return values.isEmpty() ? DnsResult.noRecords(DnsResult.NoRecordsKind.NODATA) : DnsResult.records(values);
        });
    }

    static <T> DnsResult<T> failure(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof NoSuchDomainException) {
            return DnsResult.noRecords(DnsResult.NoRecordsKind.NXDOMAIN);
        }
        if (e instanceof NoSuchRRSetException) {
            // From dnsjava's cache, NODATA is an exception rather than an empty result: same case.
            return DnsResult.noRecords(DnsResult.NoRecordsKind.NODATA);
        }
        String detail = e.getClass().getSimpleName() + ": " + e.getMessage();
        if (e instanceof ServerFailedException) {
            return DnsResult.temporaryFailure(DnsResult.FailureKind.SERVFAIL, detail);
        }
        if (e instanceof LookupFailedException) {
            return DnsResult.temporaryFailure(DnsResult.FailureKind.REFUSED, detail);
        }
        if (e instanceof TimeoutException
                || e instanceof SocketTimeoutException
                || e instanceof InterruptedIOException) {
            return DnsResult.temporaryFailure(DnsResult.FailureKind.TIMEOUT, detail);
        }
        if (e instanceof IOException) {
            return DnsResult.temporaryFailure(DnsResult.FailureKind.NETWORK, detail);
        }
        return DnsResult.temporaryFailure(DnsResult.FailureKind.NETWORK, detail);
    }
}
