package dev.mtasts.checker.internal;

import dev.mtasts.checker.Check;
import dev.mtasts.checker.Finding;
import dev.mtasts.checker.LintFinding;
import dev.mtasts.checker.LookupStatus;
import dev.mtasts.checker.Severity;
import dev.mtasts.checker.TxtLookup;
import dev.mtasts.core.Extension;
import dev.mtasts.core.StsRecord;
import dev.mtasts.core.internal.TxtRecordScanner;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code _mta-sts} TXT checks ({@code sts.txt.*}): lookup, CNAME chain, count, other records,
 * records at wrong names, syntax with the column, extension fields, DNSSEC.
 *
 * <p>A temporary DNS failure at {@code _mta-sts} ends the run's MTA-STS part: nothing about the
 * record can be known, so {@link Result#candidatePresent()} is false and the error finding says so.
 * (A sender in that state keeps any cached policy and tries again later, RFC 8461 §3.1, §10.2.)
 */
public final class StsRecordCheck {
    // RFC 8461 §3.1: the version is case-sensitive and must come first; a record that breaks the
    // grammar, or is no candidate at all, is ignored.
    private static final TxtRecordReading<StsRecord> READING = new TxtRecordReading<>(
            StsRecord.VERSION,
            Check.STS_TXT_SYNTAX,
            StsRecord::parse,
            (name, parsed) -> extensions(name, parsed).stream().toList(),
            "senders do not see it as an MTA-STS record",
            "senders ignore an invalid record");

    private StsRecordCheck() {}

    /**
     * What the lookup found.
     *
     * @param lookup the TXT lookup as received
     * @param record the record a sender would use
     * @param candidatePresent whether any {@code v=STSv1} candidate exists at {@code _mta-sts}, valid
     *     or not (the later checks go on when one does)
     */
    public record Result(TxtLookup lookup, Optional<StsRecord> record, boolean candidatePresent) {}

    /** Runs the checks, emitting findings into {@code ctx}. */
    public static Result run(CheckContext ctx) {
        String name = "_mta-sts." + ctx.domain();
        TxtLookup lookup = ctx.rawDns().txt(name);
        if (!lookup.cnameChain().isEmpty()) {
            ctx.emit(Finding.of(
                    Check.STS_TXT_CNAME,
                    Severity.INFO,
                    name + " is a CNAME; the TXT record was read at the end of the chain "
                            + String.join(" -> ", lookup.cnameChain()),
                    lookup.cnameChain().toArray(String[]::new)));
        }
        if (lookup.status() == LookupStatus.FAILED) {
            String failure = lookup.failure().orElse("no answer");
            ctx.emit(Finding.of(
                    Check.STS_TXT_LOOKUP,
                    Severity.ERROR,
                    "the TXT lookup at " + name + " failed temporarily (" + failure
                            + "), so nothing about MTA-STS could be checked; senders keep a cached policy"
                            + " and try again, but cannot discover a new one",
                    failure));
            return new Result(lookup, Optional.empty(), false);
        }
        List<String> candidates = new ArrayList<>();
        List<String> miscased = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (String txt : lookup.records()) {
            if (TxtRecordScanner.isCandidate(txt, StsRecord.VERSION)) {
                candidates.add(txt);
            } else if (TxtNames.looksLike(txt, StsRecord.VERSION)) {
                miscased.add(txt);
            } else {
                others.add(txt);
            }
        }
        for (String txt : miscased) {
            ctx.emit(READING.nearMiss(name, txt));
        }
        if (!others.isEmpty()) {
            ctx.emit(new Finding(
                    Check.STS_TXT_OTHER,
                    Severity.INFO,
                    others.size() + " TXT record(s) at " + name + " do not start with '" + StsRecord.VERSION
                            + "'; senders ignore them",
                    others,
                    false));
        }
        Optional<StsRecord> record = Optional.empty();
        if (candidates.isEmpty()) {
            ctx.emit(Finding.of(
                    Check.STS_TXT_LOOKUP,
                    Severity.INFO,
                    noRecordMessage(lookup, name),
                    lookup.status().name()));
        } else if (candidates.size() > 1) {
            ctx.emit(new Finding(
                    Check.STS_TXT_COUNT,
                    Severity.ERROR,
                    candidates.size() + " TXT records at " + name + " start with '" + StsRecord.VERSION
                            + "'; exactly one is allowed, so senders treat the domain as having no MTA-STS"
                            + " (remove all but one)",
                    candidates,
                    false));
        } else {
            TxtRecordReading.Reading<StsRecord> reading = READING.read(name, candidates.get(0));
            record = reading.record();
            reading.findings().forEach(f -> ctx.emit(f.finding()));
        }
        if (lookup.status() == LookupStatus.FOUND) {
            ctx.emit(Finding.of(
                    Check.STS_TXT_DNSSEC,
                    Severity.INFO,
                    lookup.authenticated()
                            ? "the resolver validated the answer for " + name + " with DNSSEC (AD bit set)"
                            : "the answer for " + name + " was not DNSSEC-validated (no AD bit); the record"
                                    + " is only as safe as the DNS path to it",
                    lookup.authenticated() ? "AD=1" : "AD=0"));
        }
        boolean candidatePresent = !candidates.isEmpty();
        checkLocation(
                ctx,
                candidatePresent,
                StsRecord.VERSION,
                Check.STS_TXT_LOCATION,
                name,
                List.of(ctx.domain(), "mta-sts." + ctx.domain()));
        return new Result(lookup, record, candidatePresent);
    }

    private static String noRecordMessage(TxtLookup lookup, String name) {
        List<String> chain = lookup.cnameChain();
        if (lookup.status() == LookupStatus.NXDOMAIN && !chain.isEmpty()) {
            return name + " is a CNAME to " + chain.get(chain.size() - 1)
                    + ", which does not exist: the domain does not publish MTA-STS";
        }
        return switch (lookup.status()) {
            case NXDOMAIN -> name + " does not exist: the domain does not publish MTA-STS";
            case NODATA -> name + " has no TXT record: the domain does not publish MTA-STS";
            default ->
                "no TXT record at " + name + " starts with '" + StsRecord.VERSION
                        + "': the domain does not publish MTA-STS";
        };
    }

    /**
     * The findings for {@code txt} as the only TXT record at {@code name}, minus what needs DNS: a text
     * that is no candidate gets the near-miss error (it cannot be the record a sender uses). Pure.
     */
    public static List<LintFinding> lint(String name, String txt) {
        return READING.lint(name, txt);
    }

    private static Optional<Finding> extensions(String name, StsRecord parsed) {
        List<Extension> extensions = parsed.extensions();
        if (extensions.isEmpty()) {
            return Optional.empty();
        }
        List<String> evidence = new ArrayList<>();
        List<String> named = new ArrayList<>();
        for (Extension e : extensions) {
            evidence.add(e.name() + "=" + e.value());
            named.add(
                    e.name().equals("id")
                            ? "a repeated 'id' (the first, id=" + parsed.id() + ", governs)"
                            : "'" + e.name() + "'");
        }
        return Optional.of(new Finding(
                Check.STS_TXT_UNKNOWN_FIELD,
                Severity.INFO,
                "the record at " + name + " has field(s) RFC 8461 does not define, which senders ignore: "
                        + String.join(", ", named),
                evidence,
                false));
    }

    /**
     * Looks for records of {@code version} at names where senders never look: E when the right name
     * has no candidate (the owner probably published at the wrong place), else W (a leftover).
     */
    static void checkLocation(
            CheckContext ctx,
            boolean candidatePresent,
            String version,
            Check check,
            String rightName,
            List<String> wrongNames) {
        for (String wrong : wrongNames) {
            TxtLookup there = ctx.rawDns().txt(wrong);
            List<String> found = there.records().stream()
                    .filter(txt -> TxtRecordScanner.isCandidate(txt, version) || TxtNames.looksLike(txt, version))
                    .toList();
            if (found.isEmpty()) {
                continue;
            }
            if (candidatePresent) {
                ctx.emit(new Finding(
                        check,
                        Severity.WARNING,
                        "a '" + version + "' record is also published at " + wrong + ", where senders never look"
                                + " (only " + rightName + " counts); remove it to avoid confusion",
                        found,
                        false));
            } else {
                ctx.emit(new Finding(
                        check,
                        Severity.ERROR,
                        "a '" + version + "' record is published at " + wrong + " but none at " + rightName
                                + ", the only name senders look at: move it there",
                        found,
                        false));
            }
        }
    }
}
