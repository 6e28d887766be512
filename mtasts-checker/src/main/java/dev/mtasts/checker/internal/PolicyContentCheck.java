package dev.mtasts.checker.internal;

import dev.mtasts.checker.Check;
import dev.mtasts.checker.Finding;
import dev.mtasts.checker.LintFinding;
import dev.mtasts.checker.PolicyFacts;
import dev.mtasts.checker.PolicyHistory;
import dev.mtasts.checker.Severity;
import dev.mtasts.core.MxPattern;
import dev.mtasts.core.Policy;
import dev.mtasts.core.StsRecord;
import dev.mtasts.core.SyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy content checks ({@code sts.policy.*}) and {@code sts.id.drift}: a strict parse gives
 * the findings, a lenient re-reading lets the MX checks go on.
 *
 * <p>The strict parse is the sender's own ({@link Policy#parse(byte[])}); it stops at the first
 * error, so the {@link LenientPolicyReader} reads every line to report every problem. When the
 * strict parse fails, the finding for the error it stopped at is a strict one and every other finding
 * is {@linkplain Finding#asLenient() lenient} (CHK-API-4): a sender never got that far.
 */
public final class PolicyContentCheck {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyContentCheck.class);

    private PolicyContentCheck() {}

    /** Reads {@code body}, emitting findings into {@code ctx}; {@code record} gives the id for drift. */
    public static PolicyFacts run(CheckContext ctx, byte[] body, Optional<StsRecord> record) {
        Evaluation evaluation = evaluate(body);
        Optional<String> encoding = evaluation.encodingProblem();
        if (encoding.isPresent() && !alreadyReported(ctx, Check.STS_HTTP_ENCODING)) {
            // RFC 8461 §3.2: the fetch checks report this; said here too if they did not, since a
            // sender refuses the body.
            ctx.emit(encodingFinding(encoding.get()));
        }
        evaluation.findings().forEach(ctx::emit);
        drift(ctx, body, record);
        return evaluation.facts();
    }

    /**
     * The findings {@link #run} makes for {@code body} when no fetch check reported the encoding and
     * there is no history: {@code sts.http.encoding} first if the bytes need it, then the content
     * findings, each with its line and the column the strict parser gave. Pure.
     */
    public static List<LintFinding> lint(byte[] body) {
        Evaluation evaluation = evaluate(body);
        List<LintFinding> out = new ArrayList<>(evaluation.located().size() + 1);
        evaluation.encodingProblem().ifPresent(p -> out.add(LintFinding.of(encodingFinding(p))));
        out.addAll(evaluation.located());
        return List.copyOf(out);
    }

    private static Finding encodingFinding(String problem) {
        return Finding.of(
                Check.STS_HTTP_ENCODING,
                Severity.ERROR,
                "The policy body " + problem + "; senders refuse it. Serve it as UTF-8 without a byte order mark.");
    }

    /**
     * What {@code body} gives, without emitting anything.
     *
     * @param located the {@code sts.policy.*} findings, in line order, then the file-wide ones, each
     *     with its line (0 for none) and column (0 when unknown)
     * @param facts the policy as received and as read
     * @param encodingProblem why the bytes are not UTF-8 without a byte order mark, if they are not
     *     (that is {@code sts.http.encoding}, not among the findings)
     */
    record Evaluation(List<LintFinding> located, PolicyFacts facts, Optional<String> encodingProblem) {
        Evaluation {
            located = List.copyOf(located);
        }

        /** The findings without their places. */
        List<Finding> findings() {
            return located.stream().map(LintFinding::finding).toList();
        }
    }

    /** Reads {@code body} strictly and leniently and turns the result into findings and facts. */
    static Evaluation evaluate(byte[] body) {
        Optional<Policy> strict;
        @Nullable SyntaxException failure = null;
        try {
            strict = Optional.of(Policy.parse(body));
        } catch (SyntaxException e) {
            strict = Optional.empty();
            failure = e;
        }
        Optional<String> encodingProblem = encodingProblem(body);
        LenientPolicyReader.Reading reading = LenientPolicyReader.read(decodeLeniently(body));
        List<LintFinding> findings = findings(reading.problems(), failure, encodingProblem.isPresent());
        PolicyFacts facts;
        if (strict.isPresent()) {
            Policy p = strict.get();
            facts = new PolicyFacts(
                    p.lines(),
                    strict,
                    Optional.of(p.mode()),
                    p.mx().stream().map(MxPattern::toString).toList(),
                    Optional.of(p.maxAge()),
                    false);
        } else {
            facts = new PolicyFacts(
                    reading.lines(), Optional.empty(), reading.mode(), reading.mx(), reading.maxAge(), true);
        }
        return new Evaluation(findings, facts, encodingProblem);
    }

    /**
     * The reader's problems as findings. After a strict failure the one matching the parser's error is
     * strict and the rest lenient; if none matches (the reader and the parser disagree), the parser's
     * own error is emitted, so a refused policy always has an error.
     */
    private static List<LintFinding> findings(
            List<LenientPolicyReader.Problem> problems, @Nullable SyntaxException failure, boolean encodingFailed) {
        int strictIndex = -1;
        if (failure != null && !encodingFailed) {
            strictIndex = matching(problems, failure);
        }
        List<LintFinding> findings = new ArrayList<>(problems.size() + 1);
        for (int i = 0; i < problems.size(); i++) {
            LenientPolicyReader.Problem p = problems.get(i);
            Finding f = new Finding(p.check(), p.severity(), p.message(), p.evidence(), false);
            boolean strict = failure == null || i == strictIndex;
            // The parser's column belongs to the error it stopped at; the reader knows lines only.
            int column = failure != null && i == strictIndex ? failure.column().orElse(0) : 0;
            findings.add(new LintFinding(strict ? f : f.asLenient(), p.line(), column));
        }
        if (failure != null && !encodingFailed && strictIndex < 0) {
            Finding f = Finding.of(Check.STS_POLICY_SYNTAX, Severity.ERROR, String.valueOf(failure.getMessage()));
            findings.add(
                    0,
                    new LintFinding(
                            f, failure.line().orElse(0), failure.column().orElse(0)));
        }
        return findings;
    }

    /** The index of the reader's error that is the parser's {@code failure}, or -1. */
    private static int matching(List<LenientPolicyReader.Problem> problems, SyntaxException failure) {
        int line = failure.line().orElse(0);
        String field = failure.field().orElse("");
        for (int i = 0; i < problems.size(); i++) {
            LenientPolicyReader.Problem p = problems.get(i);
            if (p.severity() == Severity.ERROR
                    && !p.senderAccepts()
                    && p.line() == line
                    && (line > 0 || p.field().equals(field))) {
                return i;
            }
        }
        return -1;
    }

    /** Why the bytes are not what RFC 8461 §3.2 allows (UTF-8, no byte order mark), if they are not. */
    private static Optional<String> encodingProblem(byte[] body) {
        if (body.length >= 3 && (body[0] & 0xff) == 0xef && (body[1] & 0xff) == 0xbb && (body[2] & 0xff) == 0xbf) {
            return Optional.of("starts with a byte order mark (EF BB BF)");
        }
        ByteBuffer in = ByteBuffer.wrap(body);
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(in);
            return Optional.empty();
        } catch (CharacterCodingException e) {
            return Optional.of("is not valid UTF-8 (at byte offset " + in.position() + ")");
        }
    }

    /** UTF-8 with bad sequences replaced and a leading byte order mark dropped: for the lenient reading. */
    private static String decodeLeniently(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    private static boolean alreadyReported(CheckContext ctx, Check check) {
        return ctx.findings().stream().anyMatch(f -> f.check() == check);
    }

    /** {@code sts.id.drift}: the body changed while the record's id stayed the same (RFC 8461 §3.1). */
    private static void drift(CheckContext ctx, byte[] body, Optional<StsRecord> record) {
        Optional<PolicyHistory> history = ctx.options().history();
        if (history.isEmpty() || record.isEmpty()) {
            return;
        }
        String id = record.get().id();
        String hash = sha256(body);
        try {
            Optional<String> before = history.get().bodyHash(ctx.domain(), id);
            if (before.isPresent() && !before.get().equalsIgnoreCase(hash)) {
                ctx.emit(Finding.of(
                        Check.STS_ID_DRIFT,
                        Severity.WARNING,
                        "The policy changed while the _mta-sts id stayed '" + id + "': senders that cached the"
                                + " earlier policy do not fetch this one until its max_age runs out. Publish a new"
                                + " id whenever the policy changes.",
                        "id: " + id,
                        "earlier body sha256: " + before.get(),
                        "current body sha256: " + hash));
            }
            history.get().remember(ctx.domain(), id, hash);
        } catch (RuntimeException e) {
            // A local history that cannot be read or written is no fault of the domain: no finding.
            LOG.warn("policy history unusable, sts.id.drift skipped for {}: {}", ctx.domain(), e.toString());
        }
    }

    static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
