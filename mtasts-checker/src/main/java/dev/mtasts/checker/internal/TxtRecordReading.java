package dev.mtasts.checker.internal;

import dev.mtasts.checker.Check;
import dev.mtasts.checker.Finding;
import dev.mtasts.checker.LintFinding;
import dev.mtasts.checker.Severity;
import dev.mtasts.core.SyntaxException;
import dev.mtasts.core.internal.TxtRecordScanner;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Reads one versioned TXT record's text as its consumers do: the {@code _mta-sts} and the
 * {@code _smtp._tls} checks differ only in the parser, the IDs and who ignores a bad record.
 *
 * @param <R> the parsed record type
 */
final class TxtRecordReading<R> {
    private final String version;
    private final Check syntax;
    private final Function<String, R> parser;
    private final BiFunction<String, R, List<Finding>> parsedFindings;
    private final String nearMissOutcome;
    private final String invalidOutcome;

    /**
     * @param version the version tag a candidate starts with, e.g. {@code v=STSv1}
     * @param syntax the check for syntax errors and near misses
     * @param parser the consumer's strict parser; throws {@link SyntaxException}
     * @param parsedFindings the findings for a record that parsed, given the name it was read at
     * @param nearMissOutcome what a near miss leads to, after "so ", e.g. "reporters ignore it"
     * @param invalidOutcome what an invalid record leads to, e.g. "senders ignore an invalid record"
     */
    TxtRecordReading(
            String version,
            Check syntax,
            Function<String, R> parser,
            BiFunction<String, R, List<Finding>> parsedFindings,
            String nearMissOutcome,
            String invalidOutcome) {
        this.version = version;
        this.syntax = syntax;
        this.parser = parser;
        this.parsedFindings = parsedFindings;
        this.nearMissOutcome = nearMissOutcome;
        this.invalidOutcome = invalidOutcome;
    }

    /**
     * What one record's text gives without DNS.
     *
     * @param record the record a consumer would use, if the text parses
     * @param findings the syntax finding with its column, or the findings of the parsed record
     * @param <R> the parsed record type
     */
    record Reading<R>(Optional<R> record, List<LintFinding> findings) {
        Reading {
            findings = List.copyOf(findings);
        }
    }

    /** Parses {@code txt}, the one candidate at {@code name}, as a consumer does. Pure. */
    Reading<R> read(String name, String txt) {
        try {
            R parsed = parser.apply(txt);
            return new Reading<>(
                    Optional.of(parsed),
                    parsedFindings.apply(name, parsed).stream()
                            .map(LintFinding::of)
                            .toList());
        } catch (SyntaxException e) {
            Finding f = Finding.of(syntax, Severity.ERROR, syntaxMessage(name, e), txt);
            return new Reading<>(
                    Optional.empty(), List.of(new LintFinding(f, 0, e.column().orElse(0))));
        }
    }

    /**
     * The findings for {@code txt} as the only TXT record at {@code name}, minus what needs DNS: a text
     * that is no candidate gets the near-miss error (it cannot be the record a consumer uses). Pure.
     */
    List<LintFinding> lint(String name, String txt) {
        if (TxtRecordScanner.isCandidate(txt, version)) {
            return read(name, txt).findings();
        }
        return List.of(LintFinding.of(nearMiss(name, txt)));
    }

    /** A text consumers do not take for the record although it was probably meant as one. */
    Finding nearMiss(String name, String txt) {
        return Finding.of(
                syntax,
                Severity.ERROR,
                "the TXT record at " + name + " starts with " + TxtNames.describeStart(txt, version)
                        + " instead of exactly '" + version + "' followed by ';', so " + nearMissOutcome,
                txt);
    }

    /** The parser's finding with the column first, as a domain owner looks for it. */
    String syntaxMessage(String name, SyntaxException e) {
        StringBuilder sb = new StringBuilder("the TXT record at ").append(name);
        e.column().ifPresent(c -> sb.append(", column ").append(c));
        e.field().ifPresent(f -> sb.append(" (field '").append(f).append("')"));
        return sb.append(": ")
                .append(e.reason())
                .append("; ")
                .append(invalidOutcome)
                .append(" [")
                .append(e.rule())
                .append(']')
                .toString();
    }
}
