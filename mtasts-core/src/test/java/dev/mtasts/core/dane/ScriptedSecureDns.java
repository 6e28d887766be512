package dev.mtasts.core.dane;

import dev.mtasts.core.dns.DnsResult;
import dev.mtasts.core.dns.DnssecStatus;
import dev.mtasts.core.dns.MxRecord;
import dev.mtasts.core.dns.SecureDnsResolver;
import dev.mtasts.core.dns.TlsaRecord;
import dev.mtasts.core.dns.ValidatedAnswer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link SecureDnsResolver} answering from in-memory maps, for unit tests of what DANE makes of
 * validated answers (the validation itself is tested against signed zones elsewhere). A name not
 * scripted answers SERVFAIL, so a test never passes on an answer it did not write. Queries are
 * recorded in order; a name can be held until the test releases it.
 */
final class ScriptedSecureDns implements SecureDnsResolver {
    private final Map<String, ValidatedAnswer<MxRecord>> mx = new ConcurrentHashMap<>();
    private final Map<String, ValidatedAnswer<InetAddress>> addresses = new ConcurrentHashMap<>();
    private final Map<String, ValidatedAnswer<TlsaRecord>> tlsa = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Void>> gates = new ConcurrentHashMap<>();
    private final List<String> queries = Collections.synchronizedList(new ArrayList<>());

    static final InetAddress ADDRESS = address();

    private static InetAddress address() {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 25});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** Secure records, owned by the last of {@code names} (the query name first, then CNAME targets). */
    static <T> ValidatedAnswer<T> secure(List<T> values, String... names) {
        return new ValidatedAnswer<>(DnsResult.records(values), DnssecStatus.SECURE, List.of(names), "");
    }

    /** Records with the status given. */
    static <T> ValidatedAnswer<T> withStatus(DnssecStatus status, List<T> values, String name) {
        return new ValidatedAnswer<>(DnsResult.records(values), status, List.of(name), status + " by script");
    }

    /** A secure denial. */
    static <T> ValidatedAnswer<T> secureNone(DnsResult.NoRecordsKind kind, String name) {
        return new ValidatedAnswer<>(DnsResult.noRecords(kind), DnssecStatus.SECURE, List.of(name), "");
    }

    /** A temporary failure of the kind given, with an indeterminate status. */
    static <T> ValidatedAnswer<T> failure(DnsResult.FailureKind kind, String name) {
        return new ValidatedAnswer<>(
                DnsResult.temporaryFailure(kind, "scripted " + kind), DnssecStatus.INDETERMINATE, List.of(name), "");
    }

    ScriptedSecureDns mx(String name, ValidatedAnswer<MxRecord> answer) {
        mx.put(name, answer);
        return this;
    }

    ScriptedSecureDns secureMx(String name, MxRecord... records) {
        return mx(name, secure(List.of(records), name));
    }

    ScriptedSecureDns addresses(String name, ValidatedAnswer<InetAddress> answer) {
        addresses.put(name, answer);
        return this;
    }

    ScriptedSecureDns secureAddress(String name) {
        return addresses(name, secure(List.of(ADDRESS), name));
    }

    ScriptedSecureDns tlsa(String name, ValidatedAnswer<TlsaRecord> answer) {
        tlsa.put(name, answer);
        return this;
    }

    ScriptedSecureDns secureTlsa(String name, TlsaRecord... records) {
        return tlsa(name, secure(List.of(records), name));
    }

    /** Answers for {@code name} (any type) wait until {@link #release}. */
    ScriptedSecureDns hold(String name) {
        gates.put(name, new CompletableFuture<>());
        return this;
    }

    void release(String name) {
        CompletableFuture<Void> gate = gates.remove(name);
        if (gate != null) {
            gate.complete(null);
        }
    }

    /** The queries so far, as {@code TYPE name}, in the order asked. */
    List<String> queries() {
        synchronized (queries) {
            return List.copyOf(queries);
        }
    }

    long count(String query) {
        return queries().stream().filter(query::equals).count();
    }

    @Override
    public CompletionStage<ValidatedAnswer<MxRecord>> mxAsync(String name) {
        return answer("MX", name, mx);
    }

    @Override
    public CompletionStage<ValidatedAnswer<InetAddress>> addressesAsync(String name) {
        return answer("A/AAAA", name, addresses);
    }

    @Override
    public CompletionStage<ValidatedAnswer<TlsaRecord>> tlsaAsync(String name) {
        return answer("TLSA", name, tlsa);
    }

    private <T> CompletionStage<ValidatedAnswer<T>> answer(
            String type, String name, Map<String, ValidatedAnswer<T>> answers) {
        queries.add(type + " " + name);
        CompletableFuture<Void> gate = gates.getOrDefault(name, CompletableFuture.completedFuture(null));
        return gate.thenApply(ignored -> {
            ValidatedAnswer<T> answer = answers.get(name);
            return answer != null ? answer : failure(DnsResult.FailureKind.SERVFAIL, name);
        });
    }
}
