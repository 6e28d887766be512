package dev.mtasts.core;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.internal.Chars;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * An MTA-STS policy as served at {@code https://mta-sts.<domain>/.well-known/mta-sts.txt} (RFC 8461
 * §3.2): its mode, max_age and MX patterns, the verbatim lines it was parsed from, and any warnings.
 *
 * <p>Immutable and thread-safe. Two policies are equal when their lines are equal, so a policy
 * survives {@code Policy.parse(policy.text())} unchanged.
 */
public final class Policy {
    /** The only {@code version} value defined (RFC 8461 §3.2). */
    public static final String VERSION = "STSv1";

    /** The largest {@code max_age} honoured: 31557600 seconds, about one year (RFC 8461 §3.2). */
    public static final Duration MAX_AGE_LIMIT = Duration.ofSeconds(PolicyParser.MAX_AGE_CAP_SECONDS);

    private final Mode mode;
    private final Duration maxAge;
    private final List<MxPattern> mx;
    /**
     * The text as parsed: lines ended by LF or CRLF, the last terminator optional, no bare CR. Kept
     * whole (one string, not one per line) so that parsing copies nothing and a cached policy stays
     * small; {@link #lines()} splits it on demand.
     */
    private final String source;

    private final List<Extension> extensions;
    private final List<PolicyWarning> warnings;

    Policy(
            Mode mode,
            Duration maxAge,
            List<MxPattern> mx,
            String source,
            List<Extension> extensions,
            List<PolicyWarning> warnings) {
        this.mode = mode;
        this.maxAge = maxAge;
        this.mx = mx;
        this.source = source;
        this.extensions = extensions;
        this.warnings = warnings;
    }

    /**
     * Parses a policy body.
     *
     * @throws SyntaxException naming the 1-based line, the field and the rule when the policy is
     *     invalid (RFC 8461 §3.2); never any other exception for any input
     */
    public static Policy parse(String text) {
        return PolicyParser.parse(requireNonNull(text, "text"));
    }

    /**
     * Parses a policy body as received: strict UTF-8, no byte order mark.
     *
     * @throws SyntaxException when the bytes are not UTF-8 or the policy is invalid
     */
    public static Policy parse(byte[] body) {
        return PolicyParser.parse(requireNonNull(body, "body"));
    }

    /** A builder for a policy, for tests, servers and tools that publish policies. */
    public static Builder builder() {
        return new Builder();
    }

    /** The policy mode. */
    public Mode mode() {
        return mode;
    }

    /**
     * How long the policy may be cached: {@code max_age}, capped to {@link #MAX_AGE_LIMIT} (a {@link
     * PolicyWarning.Code#MAX_AGE_CAPPED} warning says when it was).
     */
    public Duration maxAge() {
        return maxAge;
    }

    /** The {@code mx} patterns in document order; empty only in mode {@code none}. */
    public List<MxPattern> mx() {
        return mx;
    }

    /**
     * The policy's lines as received, in order and without terminators: the TLSRPT {@code
     * policy-string} (RFC 8460 §4.4) and Postfix {@code policy_string}. Built on each call: the
     * policy keeps its lines as one string so that a cached policy stays small.
     */
    public List<String> lines() {
        List<String> lines = new ArrayList<>(8);
        int n = source.length();
        int start = 0;
        while (start < n) {
            int lf = source.indexOf('\n', start);
            int end = lf < 0 ? n : lf;
            lines.add(source.substring(start, end > start && source.charAt(end - 1) == '\r' ? end - 1 : end));
            start = lf < 0 ? n : lf + 1;
        }
        return Collections.unmodifiableList(lines);
    }

    /** Fields RFC 8461 does not define, in document order. */
    public List<Extension> extensions() {
        return extensions;
    }

    /** What the parser tolerated (a capped max_age, a repeated field, ...), in line order. */
    public List<PolicyWarning> warnings() {
        return warnings;
    }

    /** Whether any pattern matches the MX host (RFC 8461 §4.1); never throws for a malformed host. */
    public boolean matches(String mxHost) {
        requireNonNull(mxHost, "mxHost");
        for (MxPattern pattern : mx) {
            if (pattern.matches(mxHost)) {
                return true;
            }
        }
        return false;
    }

    /** The first pattern in document order that matches the MX host. */
    public Optional<MxPattern> matchingPattern(String mxHost) {
        requireNonNull(mxHost, "mxHost");
        for (MxPattern pattern : mx) {
            if (pattern.matches(mxHost)) {
                return Optional.of(pattern);
            }
        }
        return Optional.empty();
    }

    /** The policy as a file body: its lines, each ended by CRLF. */
    public String text() {
        return String.join("\r\n", lines()) + "\r\n";
    }

    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof Policy other && other.lines().equals(lines()));
    }

    @Override
    public int hashCode() {
        return lines().hashCode();
    }

    @Override
    public String toString() {
        return "Policy{mode=" + mode.token() + ", max_age=" + maxAge.toSeconds() + ", mx=" + mx + "}";
    }

    /**
     * Builds a policy in canonical form ({@code version}, {@code mode}, each {@code mx}, {@code
     * max_age}, then extensions), validated by the same parser that reads served policies. Not
     * thread-safe.
     */
    public static final class Builder {
        private static final long MAX_DECLARABLE_SECONDS = 9_999_999_999L;

        private Mode mode = Mode.ENFORCE;
        private long maxAgeSeconds = Duration.ofDays(7).toSeconds();
        private final List<MxPattern> mx = new ArrayList<>();
        private final List<Extension> extensions = new ArrayList<>();

        private Builder() {}

        /** The mode; {@link Mode#ENFORCE} unless set. */
        public Builder mode(Mode mode) {
            this.mode = requireNonNull(mode, "mode");
            return this;
        }

        /**
         * The declared {@code max_age}, in whole seconds from 0 to 9999999999 (ten digits); one week
         * unless set. Values above {@link #MAX_AGE_LIMIT} are written as given and capped on parse.
         */
        public Builder maxAge(Duration maxAge) {
            requireNonNull(maxAge, "maxAge");
            if (maxAge.isNegative() || maxAge.getSeconds() > MAX_DECLARABLE_SECONDS || maxAge.getNano() != 0) {
                throw new IllegalArgumentException("max_age must be whole seconds from 0 to 9999999999, was " + maxAge);
            }
            this.maxAgeSeconds = maxAge.getSeconds();
            return this;
        }

        /**
         * Adds an {@code mx} pattern.
         *
         * @throws SyntaxException if it is not a valid pattern
         */
        public Builder addMx(String pattern) {
            mx.add(MxPattern.parse(pattern));
            return this;
        }

        /**
         * Adds an extension field.
         *
         * @throws IllegalArgumentException if the name is one RFC 8461 defines, or the name or value
         *     breaks the §3.2 extension grammar (a line break in a value would smuggle in another field)
         */
        public Builder addExtension(String name, String value) {
            requireNonNull(name, "name");
            requireNonNull(value, "value");
            if (name.equals("version") || name.equals("mode") || name.equals("max_age") || name.equals("mx")) {
                throw new IllegalArgumentException("'" + name + "' is a defined field, not an extension");
            }
            if (!Chars.isExtensionName(name)) {
                throw new IllegalArgumentException("extension name must be a letter or digit then up to 31 of"
                        + " letters, digits, '_', '-', '.', was '" + name + "'");
            }
            if (value.isEmpty()
                    || value.charAt(0) == ' '
                    || value.charAt(value.length() - 1) == ' '
                    || Chars.badPolicyValueChar(value) >= 0) {
                throw new IllegalArgumentException("extension value must be non-empty, without control characters"
                        + " or edge spaces, was '" + value + "'");
            }
            extensions.add(new Extension(name, value));
            return this;
        }

        /**
         * Builds the policy.
         *
         * @throws SyntaxException if the result would not be a valid policy (no {@code mx} outside mode
         *     {@code none})
         */
        public Policy build() {
            StringBuilder sb = new StringBuilder();
            sb.append("version: ").append(VERSION).append("\r\n");
            sb.append("mode: ").append(mode.token()).append("\r\n");
            for (MxPattern pattern : mx) {
                sb.append("mx: ").append(pattern).append("\r\n");
            }
            sb.append("max_age: ").append(maxAgeSeconds).append("\r\n");
            for (Extension extension : extensions) {
                sb.append(extension.name())
                        .append(": ")
                        .append(extension.value())
                        .append("\r\n");
            }
            return PolicyParser.parse(sb.toString());
        }
    }
}
