package dev.mtasts.testkit.server;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * One SMTP session the {@link FakeSmtpServer} received, recorded when it ended (QUIT or disconnect).
 *
 * <p>Immutable and thread-safe.
 */
public final class SmtpSession {
    private final List<String> commands;
    private final boolean tlsUsed;
    private final Optional<String> sniReceived;
    private final Optional<String> tlsProtocol;
    private final Optional<String> tlsFailure;
    private final Optional<String> ehloName;
    private final List<Transaction> transactions;
    private final boolean quit;

    /**
     * One mail transaction: MAIL, RCPTs and, once DATA completed, the message.
     *
     * @param mailFrom the reverse path without angle brackets (empty string for the null path)
     * @param recipients the forward paths without angle brackets, in order
     * @param message the message as received, dot-unstuffed, CRLF line ends; empty until delivered
     * @param tls whether the transaction ran inside TLS
     */
    public record Transaction(String mailFrom, List<String> recipients, Optional<byte[]> message, boolean tls) {
        /** Copies the list and the message. */
        public Transaction {
            recipients = List.copyOf(recipients);
            message = message.map(byte[]::clone);
        }

        /** A copy of the message as received, if delivered. */
        @Override
        public Optional<byte[]> message() {
            return message.map(byte[]::clone);
        }

        /** The message as UTF-8 text, if delivered. */
        public Optional<String> messageText() {
            return message.map(bytes -> new String(bytes, StandardCharsets.UTF_8));
        }
    }

    SmtpSession(
            List<String> commands,
            boolean tlsUsed,
            Optional<String> sniReceived,
            Optional<String> tlsProtocol,
            Optional<String> tlsFailure,
            Optional<String> ehloName,
            List<Transaction> transactions,
            boolean quit) {
        this.commands = List.copyOf(commands);
        this.tlsUsed = tlsUsed;
        this.sniReceived = sniReceived;
        this.tlsProtocol = tlsProtocol;
        this.tlsFailure = tlsFailure;
        this.ehloName = ehloName;
        this.transactions = List.copyOf(transactions);
        this.quit = quit;
    }

    /** Every command line received, in order (DATA content excluded). */
    public List<String> commands() {
        return commands;
    }

    /** Whether a TLS handshake completed after STARTTLS. */
    public boolean tlsUsed() {
        return tlsUsed;
    }

    /** The SNI host name the client sent in its TLS ClientHello, lower case (RFC 8461 §7.1). */
    public Optional<String> sniReceived() {
        return sniReceived;
    }

    /** The negotiated TLS protocol, e.g. {@code TLSv1.3}. */
    public Optional<String> tlsProtocol() {
        return tlsProtocol;
    }

    /** Why the TLS handshake failed, when it was attempted and failed. */
    public Optional<String> tlsFailure() {
        return tlsFailure;
    }

    /** The name given in the last EHLO or HELO. */
    public Optional<String> ehloName() {
        return ehloName;
    }

    /** The mail transactions, in order, including any not completed. */
    public List<Transaction> transactions() {
        return transactions;
    }

    /** The reverse path of the first transaction. */
    public Optional<String> mailFrom() {
        return transactions.isEmpty()
                ? Optional.empty()
                : Optional.of(transactions.get(0).mailFrom());
    }

    /** The recipients of the first transaction. */
    public List<String> recipients() {
        return transactions.isEmpty() ? List.of() : transactions.get(0).recipients();
    }

    /** The first delivered message's bytes. */
    public Optional<byte[]> message() {
        return transactions.stream()
                .map(Transaction::message)
                .flatMap(Optional::stream)
                .findFirst()
                .map(byte[]::clone);
    }

    /** The first delivered message as UTF-8 text. */
    public Optional<String> messageText() {
        return message().map(bytes -> new String(bytes, StandardCharsets.UTF_8));
    }

    /** Whether the client ended with QUIT (rather than just disconnecting). */
    public boolean quit() {
        return quit;
    }

    @Override
    public String toString() {
        return "SmtpSession{tls=" + tlsUsed + ", sni=" + sniReceived.orElse("-") + ", ehlo=" + ehloName.orElse("-")
                + ", transactions=" + transactions.size() + ", failure=" + tlsFailure.orElse("-") + "}";
    }
}
