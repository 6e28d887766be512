package dev.mtasts.tlsrpt;

import dev.mtasts.core.ResultType;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/** Builds arbitrary canonical reports from a seed, for property tests (RPT-JSON-7). */
final class ReportGen {
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789-. \"\\/é€\u0001😀:;,";

    private ReportGen() {}

    static TlsRptReport report(long seed) {
        Random r = new Random(seed);
        LocalDate day = LocalDate.of(2000 + r.nextInt(60), 1 + r.nextInt(12), 1 + r.nextInt(28));
        DateRange range = r.nextBoolean()
                ? DateRange.ofDay(day)
                : new DateRange(
                        Instant.ofEpochSecond(
                                r.nextInt(2_000_000_000), r.nextInt(3) == 0 ? r.nextInt(1_000_000_000) : 0),
                        Instant.ofEpochSecond(2_000_000_000L + r.nextInt(1000)),
                        Map.of());
        List<PolicyEntry> entries = new ArrayList<>();
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            entries.add(entry(r));
        }
        return TlsRptReport.of(text(r, 1, 30), range, text(r, 1, 10) + "@" + text(r, 1, 10), text(r, 1, 40), entries);
    }

    private static PolicyEntry entry(Random r) {
        ReportedPolicy policy = switch (r.nextInt(3)) {
            case 0 -> ReportedPolicy.sts(text(r, 1, 20), texts(r, 4), texts(r, 3));
            case 1 -> ReportedPolicy.tlsa(text(r, 1, 20), texts(r, 3));
            default -> ReportedPolicy.noPolicyFound(text(r, 1, 20));
        };
        List<FailureDetail> details = new ArrayList<>();
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            details.add(detail(r));
        }
        return PolicyEntry.of(policy, PolicySummary.of(count(r), count(r)), details);
    }

    private static FailureDetail detail(Random r) {
        ResultType[] types = ResultType.values();
        FailureDetail.Builder b = FailureDetail.builder(types[r.nextInt(types.length)], count(r));
        if (r.nextBoolean()) {
            b.sendingMtaIp(
                    r.nextBoolean()
                            ? "192.0.2." + r.nextInt(256)
                            : "2001:db8::" + Integer.toHexString(r.nextInt(65536)));
        }
        optional(r).ifPresent(b::receivingMxHostname);
        optional(r).ifPresent(b::receivingMxHelo);
        optional(r).ifPresent(b::receivingIp);
        optional(r).ifPresent(b::additionalInformation);
        optional(r).ifPresent(b::failureReasonCode);
        return b.build();
    }

    private static long count(Random r) {
        return switch (r.nextInt(3)) {
            case 0 -> 0;
            case 1 -> r.nextInt(1000);
            default -> (r.nextLong() >>> 11); // up to 2^53
        };
    }

    private static Optional<String> optional(Random r) {
        return r.nextBoolean() ? Optional.of(text(r, 1, 30)) : Optional.empty();
    }

    private static List<String> texts(Random r, int max) {
        List<String> out = new ArrayList<>();
        int n = r.nextInt(max + 1);
        for (int i = 0; i < n; i++) {
            out.add(text(r, 0, 25));
        }
        return out;
    }

    static String text(Random r, int min, int max) {
        int len = min + r.nextInt(max - min + 1);
        StringBuilder sb = new StringBuilder(len);
        while (sb.length() < len) {
            int cp = ALPHABET.codePointAt(r.nextInt(ALPHABET.length()));
            if (Character.isLowSurrogate((char) cp)) {
                continue;
            }
            sb.appendCodePoint(cp);
        }
        return sb.toString();
    }
}
