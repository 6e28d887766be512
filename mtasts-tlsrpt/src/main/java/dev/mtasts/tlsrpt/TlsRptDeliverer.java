package dev.mtasts.tlsrpt;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.DoubleSupplier;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.jspecify.annotations.Nullable;

/**
 * Delivers daily reports to every {@code rua} of the policy domain's {@code _smtp._tls} record
 * (RFC 8460 §3, §5): {@code https:} by POST (§5.4) and {@code mailto:} through a {@link
 * MailSender} (§5.3). Delivered once any endpoint accepts; until then failed endpoints are retried
 * with exponential back-off from 1 minute, doubling, capped at 2 hours, with jitter, for up to 24
 * hours after the first attempt (RPT-SEND-1, RPT-SEND-2). An endpoint that can never work (an
 * {@code https:} URI without a host, a malformed {@code mailto:} address, a composer configuration
 * error) is dropped at once and never holds up or aborts the others. The first attempt waits until a
 * random instant in the first hours of the day after the report's day (RPT-DAY-3, {@link
 * Builder#maxInitialDelay}).
 *
 * <p>Thread-safe. Attempts run on the {@link DeliveryScheduler}'s threads, never on the caller's.
 */
public final class TlsRptDeliverer {
    private final HttpClient http;
    private final Duration totalTimeout;
    private final @Nullable TlsRptMailComposer composer;
    private final @Nullable MailSender mailSender;
    private final boolean gzip;
    private final Clock clock;
    private final DeliveryScheduler scheduler;
    private final DoubleSupplier random;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration retryWindow;
    private final Duration maxInitialDelay;
    private final RandomGenerator initialDelayRandom;

    private TlsRptDeliverer(Builder b) {
        HttpClient.Builder hb = HttpClient.newBuilder()
                .connectTimeout(b.connectTimeout)
                // RPT-HTTP-2: a 3xx is not followed; it counts as a failure.
                .followRedirects(HttpClient.Redirect.NEVER);
        if (b.sslContext != null) {
            hb.sslContext(b.sslContext);
        }
        if (b.sslParameters != null) {
            hb.sslParameters(b.sslParameters);
        }
        this.http = hb.build();
        this.totalTimeout = b.totalTimeout;
        this.composer = b.composer;
        this.mailSender = b.mailSender;
        this.gzip = b.gzip;
        this.clock = b.clock;
        this.scheduler = Objects.requireNonNull(b.scheduler, "scheduler is required");
        this.random = b.random;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.retryWindow = b.retryWindow;
        this.maxInitialDelay = b.maxInitialDelay;
        this.initialDelayRandom = b.initialDelayRandom;
    }

    /** A builder; a scheduler is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * How long from now the first attempt for {@code report} waits (RPT-DAY-3): until 00:00 UTC after
     * the report's day plus a random part of {@link Builder#maxInitialDelay}, or zero when that
     * instant has passed, so senders do not all post at midnight (RFC 8460 §4.1).
     */
    Duration initialDelay(TlsRptReportBuilder.DailyReport report) {
        Instant dayEnd = report.day().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        long spread = maxInitialDelay.toMillis();
        Instant target = dayEnd.plusMillis(spread == 0 ? 0 : initialDelayRandom.nextLong(spread));
        Duration d = Duration.between(clock.instant(), target);
        return d.isNegative() ? Duration.ZERO : d;
    }

    /**
     * Starts delivering {@code report} to the deliverable URIs of {@code record}; the first attempt
     * is scheduled after {@link #initialDelay} (RPT-DAY-3). The future completes with the outcome
     * (never exceptionally).
     */
    public CompletableFuture<DeliveryResult> deliver(TlsRptReportBuilder.DailyReport report, TlsRptRecord record) {
        CompletableFuture<DeliveryResult> result = new CompletableFuture<>();
        Job job = new Job(report, result, null);
        if (job.useRecord(record)) {
            scheduler.schedule(initialDelay(report), job::attempt);
        }
        return result;
    }

    /**
     * Starts delivering {@code report}: looks up {@code _smtp._tls.<policy domain>} with {@code
     * lookup} (no single valid record: no report, RPT-TXT-2, RPT-TXT-7; a temporary DNS failure is
     * retried like a failed delivery), then delivers as {@link #deliver(TlsRptReportBuilder.DailyReport,
     * TlsRptRecord)}.
     */
    public CompletableFuture<DeliveryResult> deliver(TlsRptReportBuilder.DailyReport report, TxtLookup lookup) {
        CompletableFuture<DeliveryResult> result = new CompletableFuture<>();
        Job job = new Job(report, result, lookup);
        scheduler.schedule(initialDelay(report), job::attempt);
        return result;
    }

    private final class Job {
        private final TlsRptReportBuilder.DailyReport report;
        private final Map<URI, String> lastErrors = new LinkedHashMap<>();
        /** Endpoints that can never work: not retried (review: one bad rua must not stop the rest). */
        private final Set<URI> dead = new HashSet<>();

        private final CompletableFuture<DeliveryResult> result;
        private final @Nullable TxtLookup lookup;
        private @Nullable List<URI> endpoints;
        private @Nullable String lookupError;
        private @Nullable Instant firstAttempt;
        private int attempts;
        private byte @Nullable [] payload;
        /** One message per mailto address, addressed to it (RPT-SEND-1); reused across retries. */
        private final Map<String, byte[]> mails = new HashMap<>();

        Job(
                TlsRptReportBuilder.DailyReport report,
                CompletableFuture<DeliveryResult> result,
                @Nullable TxtLookup lookup) {
            this.report = report;
            this.result = result;
            this.lookup = lookup;
        }

        /** Takes the endpoints from {@code record}; false (and completed) when there are none. */
        boolean useRecord(TlsRptRecord record) {
            List<URI> usable = new ArrayList<>();
            for (URI uri : record.deliverableRua()) {
                boolean mailto = uri.getScheme().toLowerCase(Locale.ROOT).equals("mailto");
                if (!mailto && uri.getHost() == null) {
                    // e.g. https:opaque, which the record grammar allows but no POST can reach.
                    lastErrors.put(uri, "https URI without a host, skipped");
                    continue;
                }
                if (!mailto || (composer != null && mailSender != null)) {
                    usable.add(uri);
                }
            }
            if (usable.isEmpty()) {
                result.complete(new DeliveryResult.NoEndpoint("no deliverable rua in '" + record.text()
                        + "' (mailto needs a composer and a MailSender; https needs a host)"));
                return false;
            }
            endpoints = usable;
            return true;
        }

        /** Resolves the record; false when the job is finished or must be retried. */
        private boolean resolve(TxtLookup dns) {
            String name = "_smtp._tls." + report.policyDomain();
            try {
                List<String> rrset = dns.txt(name);
                var selection = TlsRptRecord.selection(rrset);
                var record = selection.record();
                if (record.isEmpty()) {
                    result.complete(new DeliveryResult.NoEndpoint("no single valid TLSRPT record at " + name + " ("
                            + selection.getClass().getSimpleName() + ")"));
                    return false;
                }
                lookupError = null;
                return useRecord(record.get());
            } catch (IOException e) {
                lookupError = "DNS " + name + ": " + e.getMessage();
                return false;
            }
        }

        synchronized void attempt() {
            try {
                Instant now = clock.instant();
                if (firstAttempt == null) {
                    firstAttempt = now;
                }
                attempts++;
                List<URI> targets = endpoints;
                if (targets == null && lookup != null && resolve(lookup)) {
                    targets = endpoints;
                }
                if (result.isDone()) {
                    return;
                }
                if (targets != null) {
                    // RPT-SEND-1: try every endpoint; delivered once any accepts.
                    List<URI> accepted = new ArrayList<>();
                    for (URI endpoint : targets) {
                        if (dead.contains(endpoint)) {
                            continue;
                        }
                        String error = send(endpoint);
                        if (error == null) {
                            accepted.add(endpoint);
                            lastErrors.remove(endpoint);
                        } else {
                            lastErrors.put(endpoint, error);
                        }
                    }
                    if (!accepted.isEmpty()) {
                        result.complete(new DeliveryResult.Delivered(accepted, attempts, errors()));
                        return;
                    }
                    if (dead.containsAll(targets)) {
                        // Nothing left that a retry could change (RPT-MAIL-3: configuration errors).
                        result.complete(new DeliveryResult.GaveUp(attempts, errors()));
                        return;
                    }
                }
                long base = initialBackoff.toMillis() << Math.min(attempts - 1, 30);
                long capped = Math.min(base, maxBackoff.toMillis());
                // Jitter in [0.5, 1.0] of the back-off so many senders do not retry in step.
                Duration delay = Duration.ofMillis((long) (capped * (0.5 + random.getAsDouble() / 2)));
                if (now.plus(delay).isAfter(firstAttempt.plus(retryWindow))) {
                    result.complete(new DeliveryResult.GaveUp(attempts, errors()));
                    return;
                }
                scheduler.schedule(delay, this::attempt);
            } catch (RuntimeException e) {
                result.complete(new DeliveryResult.GaveUp(attempts, List.of("internal error: " + e)));
            }
        }

        private List<String> errors() {
            List<String> errors = new ArrayList<>();
            if (lookupError != null) {
                errors.add(lookupError);
            }
            lastErrors.forEach((uri, e) -> errors.add(uri + ": " + e));
            return errors;
        }

        private @Nullable String send(URI endpoint) {
            String scheme = endpoint.getScheme().toLowerCase(Locale.ROOT);
            return scheme.equals("https") ? post(endpoint) : mail(endpoint);
        }

        private @Nullable String post(URI endpoint) {
            if (payload == null) {
                payload = gzip ? report.report().toGzip() : report.report().toJson();
            }
            HttpRequest request;
            try {
                request = HttpRequest.newBuilder(endpoint)
                        .timeout(totalTimeout)
                        .header("Content-Type", gzip ? "application/tlsrpt+gzip" : "application/tlsrpt+json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(payload))
                        .build();
            } catch (IllegalArgumentException e) {
                // A URI the HTTP client refuses never becomes valid: drop this endpoint only (RPT-SEND-1).
                dead.add(endpoint);
                return "unusable https URI: " + e.getMessage();
            }
            CompletableFuture<HttpResponse<Void>> exchange =
                    http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
            try {
                // The request timeout stops at the headers; bound the whole exchange too (RPT-HTTP-4).
                HttpResponse<Void> response = exchange.get(totalTimeout.toMillis(), TimeUnit.MILLISECONDS);
                int status = response.statusCode();
                // RPT-HTTP-2: any 2xx is success; everything else, 3xx included, is a failure.
                return status >= 200 && status < 300 ? null : "HTTP " + status;
            } catch (ExecutionException e) {
                return String.valueOf(e.getCause());
            } catch (TimeoutException e) {
                // Abort the exchange so a stalled server does not keep the connection (RPT-HTTP-4).
                exchange.cancel(true);
                return "timed out after " + totalTimeout;
            } catch (InterruptedException e) {
                exchange.cancel(true);
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }

        private @Nullable String mail(URI endpoint) {
            TlsRptMailComposer c = Objects.requireNonNull(composer);
            MailSender s = Objects.requireNonNull(mailSender);
            String ssp = endpoint.getSchemeSpecificPart();
            int q = ssp.indexOf('?');
            // RPT-TXT-5: mailto hfields are ignored.
            String address = q < 0 ? ssp : ssp.substring(0, q);
            byte[] message = mails.get(address);
            if (message == null) {
                try {
                    message = c.compose(report, List.of(address));
                } catch (IllegalArgumentException e) {
                    // A malformed address or a submitter/contact-info mismatch (RPT-MAIL-3) is a
                    // configuration error: retrying for 24 h cannot fix it.
                    dead.add(endpoint);
                    return "cannot compose: " + e.getMessage();
                }
                mails.put(address, message);
            }
            try {
                s.send(c.envelopeFrom(), List.of(address), message);
                return null;
            } catch (IOException | RuntimeException e) {
                return String.valueOf(e);
            }
        }
    }

    /** Configures a {@link TlsRptDeliverer}; not thread-safe. */
    public static final class Builder {
        private Duration connectTimeout = Duration.ofSeconds(30);
        private Duration totalTimeout = Duration.ofMinutes(2);
        private @Nullable SSLContext sslContext;
        private @Nullable SSLParameters sslParameters;
        private @Nullable TlsRptMailComposer composer;
        private @Nullable MailSender mailSender;
        private boolean gzip = true;
        private Clock clock = Clock.systemUTC();
        private @Nullable DeliveryScheduler scheduler;
        private DoubleSupplier random = Math::random;
        private Duration initialBackoff = Duration.ofMinutes(1);
        private Duration maxBackoff = Duration.ofHours(2);
        private Duration retryWindow = Duration.ofHours(24);
        private Duration maxInitialDelay = Duration.ofHours(4);
        private RandomGenerator initialDelayRandom = new SecureRandom();

        private Builder() {}

        /** TCP connect timeout for https (default 30 s, RPT-HTTP-4). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive("connectTimeout", timeout);
            return this;
        }

        /** Whole-exchange timeout for https (default 120 s, RPT-HTTP-4). */
        public Builder totalTimeout(Duration timeout) {
            this.totalTimeout = positive("totalTimeout", timeout);
            return this;
        }

        /**
         * The TLS context for https; the default validates certificates against the JDK trust store
         * (RPT-HTTP-3 DECISION).
         */
        public Builder sslContext(SSLContext context) {
            this.sslContext = Objects.requireNonNull(context, "context");
            return this;
        }

        /**
         * TLS parameters for https (protocols, cipher suites); the default is the JDK's. Tests that
         * dial a loopback address use it to send the endpoint's name as SNI.
         */
        public Builder sslParameters(SSLParameters parameters) {
            this.sslParameters = Objects.requireNonNull(parameters, "parameters");
            return this;
        }

        /** Enables {@code mailto:} delivery with this composer and sender. */
        public Builder mail(TlsRptMailComposer composer, MailSender sender) {
            this.composer = Objects.requireNonNull(composer, "composer");
            this.mailSender = Objects.requireNonNull(sender, "sender");
            return this;
        }

        /** POST {@code application/tlsrpt+gzip} (default true) or {@code +json} (RPT-HTTP-1). */
        public Builder gzip(boolean gzip) {
            this.gzip = gzip;
            return this;
        }

        /** The clock the retry window is measured with. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Where attempts run (required). */
        public Builder scheduler(DeliveryScheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** Source of jitter in [0, 1) (default {@link Math#random()}). */
        public Builder random(DoubleSupplier random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** First retry delay (default 1 minute), doubling up to {@code max} (default 2 hours). */
        public Builder backoff(Duration initial, Duration max) {
            this.initialBackoff = positive("initial backoff", initial);
            this.maxBackoff = positive("max backoff", max);
            if (max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("max backoff " + max + " is below initial " + initial);
            }
            return this;
        }

        /** How long after the first attempt retries stop (default 24 hours, RPT-SEND-2). */
        public Builder retryWindow(Duration window) {
            this.retryWindow = positive("retryWindow", window);
            return this;
        }

        /**
         * The first attempt waits until 00:00 UTC after the report's day plus a random part of {@code
         * max} (default 4 hours, RPT-DAY-3 DECISION); {@link Duration#ZERO} sends at once.
         */
        public Builder maxInitialDelay(Duration max) {
            if (max.isNegative()) {
                throw new IllegalArgumentException("maxInitialDelay must not be negative but was " + max);
            }
            this.maxInitialDelay = max;
            return this;
        }

        /** Source of the RPT-DAY-3 random delay (default a {@link SecureRandom}); for tests. */
        public Builder initialDelayRandom(RandomGenerator random) {
            this.initialDelayRandom = Objects.requireNonNull(random, "random");
            return this;
        }

        private static Duration positive(String name, Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive but was " + d);
            }
            return d;
        }

        /** The deliverer. */
        public TlsRptDeliverer build() {
            if (scheduler == null) {
                throw new IllegalStateException("a DeliveryScheduler is required");
            }
            return new TlsRptDeliverer(this);
        }
    }
}
