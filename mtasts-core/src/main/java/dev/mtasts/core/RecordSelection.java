package dev.mtasts.core;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * What a TXT RRset yields once the "exactly one candidate record" rule of RFC 8461 §3.1 (and RFC
 * 8460 §3) is applied: the record, or why the domain has none.
 *
 * @param <R> the record type ({@link StsRecord}, or the TLSRPT record)
 */
public sealed interface RecordSelection<R>
        permits RecordSelection.Selected,
                RecordSelection.NoRecord,
                RecordSelection.MultipleRecords,
                RecordSelection.InvalidRecord {

    /** The record when exactly one valid candidate was found. */
    Optional<R> record();

    /** Exactly one candidate, and it parsed. */
    record Selected<R>(R value) implements RecordSelection<R> {
        /** Checks for null. */
        public Selected {
            requireNonNull(value, "value");
        }

        @Override
        public Optional<R> record() {
            return Optional.of(value);
        }
    }

    /** No TXT string started with the version tag. */
    record NoRecord<R>() implements RecordSelection<R> {
        @Override
        public Optional<R> record() {
            return Optional.empty();
        }
    }

    /**
     * More than one candidate: the domain is treated as having none, even if only one would parse.
     *
     * @param count how many candidates there were
     */
    record MultipleRecords<R>(int count) implements RecordSelection<R> {
        @Override
        public Optional<R> record() {
            return Optional.empty();
        }
    }

    /**
     * Exactly one candidate, but it broke the grammar.
     *
     * @param text the candidate as given
     * @param error why it was refused, with its column
     */
    record InvalidRecord<R>(String text, SyntaxException error) implements RecordSelection<R> {
        /** Checks for null. */
        public InvalidRecord {
            requireNonNull(text, "text");
            requireNonNull(error, "error");
        }

        @Override
        public Optional<R> record() {
            return Optional.empty();
        }
    }
}
