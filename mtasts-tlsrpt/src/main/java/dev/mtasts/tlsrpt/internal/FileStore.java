package dev.mtasts.tlsrpt.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mtasts.core.ResultType;
import dev.mtasts.tlsrpt.DailyAggregate;
import dev.mtasts.tlsrpt.PolicyType;
import dev.mtasts.tlsrpt.ReportPolicy;
import dev.mtasts.tlsrpt.ReportingPolicy;
import dev.mtasts.tlsrpt.SessionFailure;
import dev.mtasts.tlsrpt.TlsRptStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link TlsRptStore} in one JSON file, replaced atomically. Thread-safe (synchronized). */
public final class FileStore implements TlsRptStore {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final Path file;

    /** A store at {@code file}; its directory must exist. */
    public FileStore(Path file) {
        this.file = file.toAbsolutePath();
    }

    @Override
    public synchronized void save(List<DailyAggregate> aggregates) {
        ArrayNode root = MAPPER.createArrayNode();
        for (DailyAggregate a : aggregates) {
            ObjectNode n = root.addObject();
            n.put("day", a.day().toString());
            ObjectNode p = n.putObject("policy");
            p.put("policy-type", a.policy().type().token());
            p.put("policy-domain", a.policy().policyDomain());
            a.policy().policyString().forEach(p.putArray("policy-string")::add);
            a.policy().mxHost().forEach(p.putArray("mx-host")::add);
            n.put("successful", a.successfulSessions());
            n.put("failed", a.failedSessions());
            n.put("overflow", a.overflowFailures());
            ArrayNode failures = n.putArray("failures");
            for (Map.Entry<SessionFailure, Long> e : a.failures().entrySet()) {
                SessionFailure f = e.getKey();
                ObjectNode fn = failures.addObject();
                fn.put("result-type", f.resultType().token());
                f.sendingMtaIp().ifPresent(v -> fn.put("sending-mta-ip", v));
                f.receivingMxHostname().ifPresent(v -> fn.put("receiving-mx-hostname", v));
                f.receivingMxHelo().ifPresent(v -> fn.put("receiving-mx-helo", v));
                f.receivingIp().ifPresent(v -> fn.put("receiving-ip", v));
                f.failureReasonCode().ifPresent(v -> fn.put("failure-reason-code", v));
                fn.put("count", e.getValue());
            }
        }
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, MAPPER.writeValueAsBytes(root));
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save TLSRPT counts to " + file, e);
        }
    }

    @Override
    public synchronized List<DailyAggregate> load() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            JsonNode root = MAPPER.readTree(file.toFile());
            List<DailyAggregate> out = new ArrayList<>();
            for (JsonNode n : root) {
                JsonNode p = n.get("policy");
                ReportPolicy rp = new ReportPolicy(
                        PolicyType.of(p.get("policy-type").asText()),
                        strings(p.get("policy-string")),
                        Optional.of(p.get("policy-domain").asText()),
                        strings(p.get("mx-host")),
                        Map.of());
                Map<SessionFailure, Long> failures = new LinkedHashMap<>();
                for (JsonNode fn : n.get("failures")) {
                    ResultType type = ResultType.fromToken(fn.get("result-type").asText())
                            .orElseThrow(() -> new IOException("unknown result-type in " + file));
                    failures.put(
                            new SessionFailure(
                                    type,
                                    text(fn, "sending-mta-ip"),
                                    text(fn, "receiving-mx-hostname"),
                                    text(fn, "receiving-mx-helo"),
                                    text(fn, "receiving-ip"),
                                    text(fn, "failure-reason-code")),
                            fn.get("count").asLong());
                }
                out.add(new DailyAggregate(
                        LocalDate.parse(n.get("day").asText()),
                        ReportingPolicy.fromReportPolicy(rp),
                        n.get("successful").asLong(),
                        n.get("failed").asLong(),
                        failures,
                        n.get("overflow").asLong()));
            }
            return out;
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("corrupt TLSRPT store " + file + ": " + e.getMessage(), e);
        }
    }

    private static Optional<String> text(JsonNode n, String name) {
        JsonNode v = n.get(name);
        return v == null ? Optional.empty() : Optional.of(v.asText());
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode s : array) {
            out.add(s.asText());
        }
        return out;
    }
}
