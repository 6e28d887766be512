package dev.mtasts.checker.internal;

import dev.mtasts.checker.TxtLookup;
import dev.mtasts.core.StsRecord;
import java.util.Optional;

/**
 * The {@code _mta-sts} TXT checks ({@code sts.txt.*}): lookup, CNAME chain, count, other records,
 * records at wrong names, syntax with the column, extension fields, DNSSEC.
 */
public final class StsRecordCheck {
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
        throw new UnsupportedOperationException("not yet");
    }
}
