package dev.mtasts.checker.internal;

import dev.mtasts.checker.Check;
import dev.mtasts.checker.Finding;
import dev.mtasts.checker.LintFinding;
import dev.mtasts.checker.LookupStatus;
import dev.mtasts.checker.PolicyFacts;
import dev.mtasts.checker.Severity;
import dev.mtasts.checker.TlsRptFacts;
import dev.mtasts.checker.TxtLookup;
import dev.mtasts.core.Mode;
import dev.mtasts.core.internal.TxtRecordScanner;
import dev.mtasts.tlsrpt.TlsRptRecord;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code _smtp._tls} checks ({@code rpt.*}) and the cross-checks that need the policy
 * ({@code cross.no-tlsrpt}, {@code rpt.rua.same-domain}) and the optional active rua probes.
 */
public final class TlsRptCheck {
    /** The name early drafts of RFC 8460 used; reporters never look there. */
    static final String DRAFT_PREFIX = "_smtp-tlsrpt.";

    // RFC 8460 §3: the version is case-sensitive and comes first; reporters ignore a record that breaks
    // the grammar, or is no candidate at all.
    private static final TxtRecordReading<TlsRptRecord> READING = new TxtRecordReading<>(
            TlsRptRecord.VERSION,
            Check.RPT_TXT_SYNTAX,
            TlsRptRecord::parse,
            TlsRptCheck::schemes,
            "reporters ignore it",
            "reporters ignore an invalid record, so no reports are sent");

    private TlsRptCheck() {}

    /** The record checks, emitting findings into {@code ctx}. */
    public static TlsRptFacts run(CheckContext ctx) {
        String name = "_smtp._tls." + ctx.domain();
        TxtLookup lookup = ctx.rawDns().txt(name);
        if (lookup.status() == LookupStatus.FAILED) {
            String failure = lookup.failure().orElse("no answer");
            ctx.emit(Finding.of(
                    Check.RPT_TXT_LOOKUP,
                    Severity.ERROR,
                    "the TXT lookup at " + name + " failed temporarily (" + failure
                            + "); reporters cannot find where to send TLS reports",
                    failure));
            return new TlsRptFacts(lookup, Optional.empty(), List.of());
        }
        List<String> candidates = new ArrayList<>();
        for (String txt : lookup.records()) {
            if (TxtRecordScanner.isCandidate(txt, TlsRptRecord.VERSION)) {
                candidates.add(txt);
            } else if (TxtNames.looksLike(txt, TlsRptRecord.VERSION)) {
                ctx.emit(READING.nearMiss(name, txt));
            }
        }
        Optional<TlsRptRecord> record = Optional.empty();
        if (candidates.isEmpty()) {
            ctx.emit(Finding.of(
                    Check.RPT_TXT_LOOKUP,
                    Severity.INFO,
                    "no TLSRPT record at " + name + " (" + lookup.status().name()
                            + "): nobody sends this domain reports about failed TLS deliveries",
                    lookup.status().name()));
        } else if (candidates.size() > 1) {
            ctx.emit(new Finding(
                    Check.RPT_TXT_COUNT,
                    Severity.ERROR,
                    candidates.size() + " TXT records at " + name + " start with '" + TlsRptRecord.VERSION
                            + "'; exactly one is allowed, so reporters send no reports (merge the rua"
                            + " URIs into one record)",
                    candidates,
                    false));
        } else {
            TxtRecordReading.Reading<TlsRptRecord> reading = READING.read(name, candidates.get(0));
            record = reading.record();
            reading.findings().forEach(f -> ctx.emit(f.finding()));
        }
        StsRecordCheck.checkLocation(
                ctx,
                !candidates.isEmpty(),
                TlsRptRecord.VERSION,
                Check.RPT_TXT_LOCATION,
                name,
                List.of(ctx.domain(), DRAFT_PREFIX + ctx.domain()));
        List<String> endpoints =
                record.map(r -> r.rua().stream().map(URI::toString).toList()).orElse(List.of());
        return new TlsRptFacts(lookup, record, endpoints);
    }

    /**
     * The findings for {@code txt} as the only TXT record at {@code name}, minus what needs DNS: a text
     * that is no candidate gets the near-miss error (reporters cannot use it). Pure.
     */
    public static List<LintFinding> lint(String name, String txt) {
        return READING.lint(name, txt);
    }

    private static List<Finding> schemes(String name, TlsRptRecord parsed) {
        List<Finding> findings = new ArrayList<>();
        for (URI uri : parsed.rua()) {
            String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
            if (!scheme.equals("mailto") && !scheme.equals("https")) {
                findings.add(Finding.of(
                        Check.RPT_RUA_SCHEME,
                        Severity.WARNING,
                        "rua " + uri + " at " + name + " uses the scheme '" + uri.getScheme()
                                + "'; RFC 8460 defines only mailto: and https:, so reporters skip it",
                        uri.toString()));
            }
        }
        if (parsed.deliverableRua().isEmpty()) {
            findings.add(new Finding(
                    Check.RPT_RUA_SCHEME,
                    Severity.ERROR,
                    "no rua at " + name + " is a mailto: or https: URI, so reports can go nowhere",
                    parsed.rua().stream().map(URI::toString).toList(),
                    false));
        }
        return findings;
    }

    /** The checks that need the policy (empty when the domain has none a sender would use). */
    public static void crossCheck(CheckContext ctx, Optional<PolicyFacts> policy, TlsRptFacts tlsRpt) {
        Optional<Mode> mode = policy.flatMap(PolicyFacts::mode);
        List<URI> usable = tlsRpt.record().map(TlsRptRecord::deliverableRua).orElse(List.of());
        if (mode.isPresent() && mode.get() != Mode.NONE && usable.isEmpty()) {
            ctx.emit(Finding.of(
                    Check.CROSS_NO_TLSRPT,
                    Severity.WARNING,
                    "the policy is in mode " + modeName(mode.get()) + " but _smtp._tls." + ctx.domain()
                            + " has no usable TLSRPT record, so failed TLS deliveries stay invisible to you",
                    "mode: " + modeName(mode.get())));
        }
        if (mode.isPresent() && mode.get() == Mode.ENFORCE) {
            for (URI uri : usable) {
                mailtoDomain(uri)
                        .filter(d -> d.equals(ctx.domain()) || d.endsWith("." + ctx.domain()))
                        .ifPresent(d -> ctx.emit(Finding.of(
                                Check.RPT_RUA_SAME_DOMAIN,
                                Severity.INFO,
                                "rua " + uri + " delivers to " + d + ", inside the domain it reports on: when"
                                        + " TLS to your MX fails under enforce, the report about it cannot be"
                                        + " delivered either; consider an address at another domain",
                                uri.toString())));
            }
        }
        List<URI> https = usable.stream()
                .filter(u -> "https".equalsIgnoreCase(u.getScheme()))
                .toList();
        if (ctx.options().probeRuaHttps()) {
            https.forEach(u -> RuaProbe.checkHttps(ctx, u));
        }
        if (ctx.options().probeRuaPost()) {
            https.forEach(u -> RuaProbe.checkPost(ctx, u));
        }
    }

    private static String modeName(Mode mode) {
        return mode.token();
    }

    /** The domain of a {@code mailto:} URI's (first) address, lower case. */
    static Optional<String> mailtoDomain(URI uri) {
        if (!"mailto".equalsIgnoreCase(uri.getScheme())) {
            return Optional.empty();
        }
        String part = uri.getSchemeSpecificPart();
        if (part == null) {
            return Optional.empty();
        }
        int query = part.indexOf('?');
        String to = query < 0 ? part : part.substring(0, query);
        int comma = to.indexOf(',');
        if (comma >= 0) {
            to = to.substring(0, comma);
        }
        int at = to.lastIndexOf('@');
        if (at < 0 || at == to.length() - 1) {
            return Optional.empty();
        }
        String domain = to.substring(at + 1).toLowerCase(Locale.ROOT);
        return Optional.of(domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain);
    }
}
