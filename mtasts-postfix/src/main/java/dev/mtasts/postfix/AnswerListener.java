package dev.mtasts.postfix;

/**
 * Told of every answer a {@link PostfixPolicyAnswerer} gives, for metrics and logs. No-op defaults;
 * must be fast and must not throw.
 */
public interface AnswerListener {

    /**
     * One request answered.
     *
     * @param zone the zone whose settings applied
     * @param kind what the answer was
     * @param nanos time from the request to the answer
     */
    default void answered(String zone, AnswerKind kind, long nanos) {}

    /** The classes of answer, for metrics labels. */
    enum AnswerKind {
        /** {@code OK secure ...}: enforce, or testing under {@code strict_testing}. */
        SECURE,
        /** {@code NOTFOUND }: testing mode without {@code strict_testing}. */
        NOTFOUND_TESTING,
        /** {@code NOTFOUND }: mode {@code none}. */
        NOTFOUND_NONE,
        /** {@code NOTFOUND }: no policy (no TXT record, or the fetch failed or was invalid). */
        NOTFOUND_NO_POLICY,
        /** {@code NOTFOUND } at once: a key that never has a policy (leading dot, IP literal, invalid). */
        NOTFOUND_KEY,
        /**
         * {@code TEMP ...}: DNS failed temporarily and nothing is cached, the zone's timeout passed, or
         * (zones with {@code dane}) the DNSSEC lookups DANE needs were bogus or failed.
         */
        TEMP,
        /** {@code OK dane-only}: every MX host of the next hop has usable TLSA records (PF-DANE-4). */
        DANE_ONLY,
        /** {@code OK dane}: some MX hosts of the next hop have TLSA records, not all usable (PF-DANE-5). */
        DANE
    }
}
