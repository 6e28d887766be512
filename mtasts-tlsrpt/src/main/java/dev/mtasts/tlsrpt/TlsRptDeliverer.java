package dev.mtasts.tlsrpt;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.mtasts.core.time.Scheduler;
import dev.mtasts.core.time.Ticker;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.jspecify.annotations.Nullable;

/**
 * Delivers daily reports to every {@code rua} of the policy domain's {@code _smtp._tls} record
 * (RFC 8460 §3, §5): {@code https:} by POST (§5.4) and {@code mailto:} through a {@link
 * ReportMailer} (§5.3). Delivered once any endpoint accepts; until then failed endpoints are retried
 * with exponential back-off from 1 minute, doubling, capped at 2 hours, with jitter, for up to 24
 * hours after the first attempt (RPT-SEND-1, RPT-SEND-2). An endpoint that can never work (an
 * {@code https:} URI without a host, a malformed {@code mailto:} address, a mail configuration
 * error) is dropped at once and never holds up or aborts the others. The first attempt waits until a
 * random instant in the first hours of the day after the report's day (RPT-DAY-3, {@link
 * Builder#maxInitialDelay}).
 *
 * <p>Thread-safe. The {@link Scheduler} only times attempts; their I/O never runs on its threads,
 * so a stalled endpoint of one domain never delays another domain's report: HTTPS uses the JDK
 * {@link HttpClient}'s asynchronous API, DNS look-ups and {@link ReportMailer} calls run on the
 * {@link Builder#executor I/O executor}.
 */
public final class TlsRptDeliverer {
    /** Threads of the default I/O executor: bounds blocking DNS and mail hand-offs in flight. */
    static final int DEFAULT_IO_THREADS = 4;

    private final HttpClient http;
    private final Duration totalTimeout;
    private final @Nullable ReportMailer mailer;
    private final boolean gzip;
    private final Clock clock;
    private final Ticker ticker;
    private final Scheduler scheduler;
    private final Executor io;

    @GuardedBy("random")
    private final RandomGenerator random;

    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration retryWindow;
    private final Duration maxInitialDelay;

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
        this.mailer = b.mailer;
        this.gzip = b.gzip;
        this.clock = b.clock;
        // A test that sets a fake clock moves the retry window with it unless it sets a ticker.
        this.ticker = b.ticker != null ? b.ticker : b.clockSet ? Ticker.of(b.clock) : Ticker.systemTicker();
        this.scheduler = Objects.requireNonNull(b.scheduler, "scheduler is required");
        this.io = b.executor != null ? b.executor : defaultIoExecutor();
        this.random = b.random;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.retryWindow = b.retryWindow;
        this.maxInitialDelay = b.maxInitialDelay;
    }

    /**
     * Bounded daemon threads that time out when idle, so a deliverer needs no {@code close()}: the
     * pool empties itself between the daily deliveries.
     */
    private static Executor defaultIoExecutor() {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(
                DEFAULT_IO_THREADS, DEFAULT_IO_THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
                    Thread t = new Thread(task, "tlsrpt-delivery-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
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
    Duration initialDelay(DailyReport report) {
        Instant dayEnd = report.day().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        long spread = maxInitialDelay.toMillis();
        long offset = 0;
        if (spread > 0) {
            synchronized (random) {
                offset = random.nextLong(spread);
            }
        }
        Duration d = Duration.between(clock.instant(), dayEnd.plusMillis(offset));
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** A fraction in [0.5, 1.0) to scale a back-off by, so many senders do not retry in step. */
    private double jitter() {
        synchronized (random) {
            return 0.5 + random.nextDouble() / 2;
        }
    }

    /**
     * Starts delivering {@code report} to the deliverable URIs of {@code record}; the first attempt
     * is scheduled after {@link #initialDelay} (RPT-DAY-3). The future completes with the outcome
     * (never exceptionally).
     */
    public CompletableFuture<DeliveryResult> deliver(DailyReport report, TlsRptRecord record) {
        CompletableFuture<DeliveryResult> result = new CompletableFuture<>();
        Job job = new Job(report, result, null);
        if (job.useRecord(record)) {
            Scheduler.Cancellable unused = scheduler.schedule(initialDelay(report), job::attempt);
        }
        return result;
    }

    /**
     * Starts delivering {@code report}: looks up {@code _smtp._tls.<policy domain>} with {@code
     * lookup} (no single valid record: no report, RPT-TXT-2, RPT-TXT-7; a temporary DNS failure is
     * retried like a failed delivery), then delivers as {@link #deliver(DailyReport,
     * TlsRptRecord)}. The look-up runs on the I/O executor.
     */
    public CompletableFuture<DeliveryResult> deliver(DailyReport report, TxtLookup lookup) {
        CompletableFuture<DeliveryResult> result = new CompletableFuture<>();
        Job job = new Job(report, result, lookup);
        Scheduler.Cancellable unused = scheduler.schedule(initialDelay(report), job::attempt);
        return result;
    }

    /** One endpoint's answer in one attempt round: empty error means it accepted the report. */
    private record Outcome(URI endpoint, Optional<String> error) {}

    /**
     * One report's delivery. Rounds never overlap (the next is scheduled only when the last has
     * finished), but each runs on several threads, hence the lock.
     */
    private final class Job {
        private final DailyReport report;
        private final CompletableFuture<DeliveryResult> result;
        private final @Nullable TxtLookup lookup;

        @GuardedBy("this")
        private final Map<URI, String> lastErrors = new LinkedHashMap<>();
        /** Endpoints that can never work: not retried (one bad rua must not stop the rest). */
        @GuardedBy("this")
        private final Set<URI> dead = new HashSet<>();

        @GuardedBy("this")
        private @Nullable List<URI> endpoints;

        @GuardedBy("this")
        private @Nullable String lookupError;

        /** Ticker reading of the first attempt: the start of the RPT-SEND-2 window. */
        @GuardedBy("this")
        private long firstAttempt;

        @GuardedBy("this")
        private int attempts;

        @GuardedBy("this")
        private byte @Nullable [] payload;

        Job(DailyReport report, CompletableFuture<DeliveryResult> result, @Nullable TxtLookup lookup) {
            this.report = report;
            this.result = result;
            this.lookup = lookup;
        }

        /** Takes the endpoints from {@code record}; false (and completed) when there are none. */
        synchronized boolean useRecord(TlsRptRecord record) {
            List<URI> usable = new ArrayList<>();
            for (URI uri : record.deliverableRua()) {
                boolean mailto = uri.getScheme().toLowerCase(Locale.ROOT).equals("mailto");
                if (!mailto && uri.getHost() == null) {
                    // e.g. https:opaque, which the record grammar allows but no POST can reach.
                    lastErrors.put(uri, "https URI without a host, skipped");
                    continue;
                }
                if (!mailto || mailer != null) {
                    usable.add(uri);
                }
            }
            if (usable.isEmpty()) {
                result.complete(new DeliveryResult.NoEndpoint("no deliverable rua in '" + record.text()
                        + "' (mailto needs a ReportMailer; https needs a host)"));
                return false;
            }
            endpoints = usable;
            return true;
        }

        /** Resolves the record on the I/O executor; false when the job is finished or must be retried. */
        private boolean resolve(TxtLookup dns) {
            String name = "_smtp._tls." + report.policyDomain();
            List<String> rrset;
            try {
                rrset = dns.txt(name);
            } catch (IOException e) {
                synchronized (this) {
                    lookupError = "DNS " + name + ": " + e.getMessage();
                }
                return false;
            }
            var selection = TlsRptRecord.selection(rrset);
            var record = selection.record();
            if (record.isEmpty()) {
                result.complete(new DeliveryResult.NoEndpoint("no single valid TLSRPT record at " + name + " ("
                        + selection.getClass().getSimpleName() + ")"));
                return false;
            }
            synchronized (this) {
                lookupError = null;
            }
            return useRecord(record.get());
        }

        /** Runs on the scheduler's thread: starts one round and returns at once. */
        void attempt() {
            long started = ticker.read();
            synchronized (this) {
                if (attempts++ == 0) {
                    firstAttempt = started;
                }
            }
            try {
                // The outcome travels through finish() into the delivery's own future.
                CompletableFuture<List<Outcome>> unused = CompletableFuture.supplyAsync(this::startRound, io)
                        .thenCompose(round -> round)
                        .whenComplete((outcomes, error) -> finish(started, outcomes, error));
            } catch (RuntimeException rejected) {
                // e.g. the caller's executor was shut down: end the delivery instead of leaving it open.
                finish(started, null, rejected);
            }
        }

        /** On the I/O executor: resolves if needed and starts every endpoint's exchange (RPT-SEND-1). */
        private CompletableFuture<List<Outcome>> startRound() {
            List<URI> targets;
            synchronized (this) {
                targets = endpoints;
            }
            if (targets == null && lookup != null && resolve(lookup)) {
                synchronized (this) {
                    targets = endpoints;
                }
            }
            if (targets == null || result.isDone()) {
                return CompletableFuture.completedFuture(List.of());
            }
            List<CompletableFuture<Outcome>> sends = new ArrayList<>();
            for (URI endpoint : targets) {
                boolean skip;
                synchronized (this) {
                    skip = dead.contains(endpoint);
                }
                if (!skip) {
                    sends.add(send(endpoint).thenApply(error -> new Outcome(endpoint, error)));
                }
            }
            return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
                    .thenApply(
                            done -> sends.stream().map(CompletableFuture::join).toList());
        }

        /** Decides the round: delivered, given up, or retried later on the scheduler. */
        private synchronized void finish(long started, @Nullable List<Outcome> outcomes, @Nullable Throwable error) {
            try {
                if (result.isDone()) {
                    return;
                }
                if (error != null) {
                    Throwable cause =
                            error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                    result.complete(new DeliveryResult.GaveUp(attempts, List.of("internal error: " + cause)));
                    return;
                }
                List<URI> accepted = new ArrayList<>();
                for (Outcome o : Objects.requireNonNull(outcomes)) {
                    if (o.error().isEmpty()) {
                        accepted.add(o.endpoint());
                        lastErrors.remove(o.endpoint());
                    } else {
                        lastErrors.put(o.endpoint(), o.error().get());
                    }
                }
                if (!accepted.isEmpty()) {
                    result.complete(new DeliveryResult.Delivered(accepted, attempts, errors()));
                    return;
                }
                if (endpoints != null && dead.containsAll(endpoints)) {
                    // Nothing left that a retry could change (RPT-MAIL-3: configuration errors).
                    result.complete(new DeliveryResult.GaveUp(attempts, errors()));
                    return;
                }
                long base = initialBackoff.toMillis() << Math.min(attempts - 1, 30);
                long capped = Math.min(base, maxBackoff.toMillis());
                Duration delay = Duration.ofMillis((long) (capped * jitter()));
                // RPT-SEND-2: the window counts from the first attempt's start, on the monotonic ticker.
                long nextStart = started + delay.toNanos();
                if (nextStart - firstAttempt > retryWindow.toNanos()) {
                    result.complete(new DeliveryResult.GaveUp(attempts, errors()));
                    return;
                }
                Scheduler.Cancellable unused = scheduler.schedule(delay, this::attempt);
            } catch (RuntimeException e) {
                result.complete(new DeliveryResult.GaveUp(attempts, List.of("internal error: " + e)));
            }
        }

        @GuardedBy("this")
        private List<String> errors() {
            List<String> errors = new ArrayList<>();
            if (lookupError != null) {
                errors.add(lookupError);
            }
            lastErrors.forEach((uri, e) -> errors.add(uri + ": " + e));
            return errors;
        }

        private CompletableFuture<Optional<String>> send(URI endpoint) {
            String scheme = endpoint.getScheme().toLowerCase(Locale.ROOT);
            return scheme.equals("https") ? post(endpoint) : CompletableFuture.supplyAsync(() -> mail(endpoint), io);
        }

        private synchronized byte[] payload() {
            if (payload == null) {
                payload = gzip ? report.report().toGzip() : report.report().toJson();
            }
            return payload;
        }

        private CompletableFuture<Optional<String>> post(URI endpoint) {
            HttpRequest request;
            try {
                request = HttpRequest.newBuilder(endpoint)
                        .timeout(totalTimeout)
                        .header("Content-Type", gzip ? "application/tlsrpt+gzip" : "application/tlsrpt+json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(payload()))
                        .build();
            } catch (IllegalArgumentException e) {
                // A URI the HTTP client refuses never becomes valid: drop this endpoint only (RPT-SEND-1).
                synchronized (this) {
                    dead.add(endpoint);
                }
                return CompletableFuture.completedFuture(Optional.of("unusable https URI: " + e.getMessage()));
            }
            CompletableFuture<HttpResponse<Void>> exchange =
                    http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
            // The request timeout stops at the headers; bound the whole exchange too, and cancel it
            // so a stalled server does not keep the connection (RPT-HTTP-4). The JDK's delayed
            // executor times it, not our scheduler, which a test may drive by a fake clock.
            Executor deadline = CompletableFuture.delayedExecutor(totalTimeout.toMillis(), TimeUnit.MILLISECONDS);
            // Our own flag says why it ended: the client may complete the exchange with its own
            // "Request cancelled" before cancel() marks the future cancelled.
            AtomicBoolean timedOut = new AtomicBoolean();
            deadline.execute(() -> {
                timedOut.set(true);
                exchange.cancel(true);
            });
            return exchange.handle((response, error) -> {
                if (error == null) {
                    int status = response.statusCode();
                    // RPT-HTTP-2: any 2xx is success; everything else, 3xx included, is a failure.
                    return status >= 200 && status < 300 ? Optional.<String>empty() : Optional.of("HTTP " + status);
                }
                if (timedOut.get() || error instanceof java.net.http.HttpTimeoutException) {
                    return Optional.of("timed out after " + totalTimeout);
                }
                Throwable cause =
                        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                return Optional.of(String.valueOf(cause));
            });
        }

        /** On the I/O executor: a {@link ReportMailer} may block. */
        private Optional<String> mail(URI endpoint) {
            ReportMailer m = Objects.requireNonNull(mailer);
            String ssp = endpoint.getSchemeSpecificPart();
            int q = ssp.indexOf('?');
            // RPT-TXT-5: mailto hfields are ignored. One message per address, addressed to it (RPT-SEND-1).
            String address = q < 0 ? ssp : ssp.substring(0, q);
            try {
                m.mail(report, List.of(address), gzip);
                return Optional.empty();
            } catch (IllegalArgumentException e) {
                // A malformed address or a submitter/contact-info mismatch (RPT-MAIL-3) is a
                // configuration error: retrying for 24 h cannot fix it.
                synchronized (this) {
                    dead.add(endpoint);
                }
                return Optional.of("cannot compose: " + e.getMessage());
            } catch (IOException | RuntimeException e) {
                return Optional.of(String.valueOf(e));
            }
        }
    }

    /** Configures a {@link TlsRptDeliverer}; not thread-safe. */
    public static final class Builder {
        private Duration connectTimeout = Duration.ofSeconds(30);
        private Duration totalTimeout = Duration.ofMinutes(2);
        private @Nullable SSLContext sslContext;
        private @Nullable SSLParameters sslParameters;
        private @Nullable ReportMailer mailer;
        private boolean gzip = true;
        private Clock clock = Clock.systemUTC();
        private boolean clockSet;
        private @Nullable Ticker ticker;
        private @Nullable Scheduler scheduler;
        private @Nullable Executor executor;
        private RandomGenerator random = new SecureRandom();
        private Duration initialBackoff = Duration.ofMinutes(1);
        private Duration maxBackoff = Duration.ofHours(2);
        private Duration retryWindow = Duration.ofHours(24);
        private Duration maxInitialDelay = Duration.ofHours(4);

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

        /**
         * Enables {@code mailto:} delivery (RFC 8460 §5.3) through {@code mailer}, e.g. {@code
         * MailtoReportMailer.of(composer, sender)} from {@code mtasts-tlsrpt-mail}. Without one, a
         * record whose only rua are {@code mailto:} ends as {@link DeliveryResult.NoEndpoint}.
         */
        public Builder mailer(ReportMailer mailer) {
            this.mailer = Objects.requireNonNull(mailer, "mailer");
            return this;
        }

        /**
         * POST {@code application/tlsrpt+gzip} (default true) or {@code +json} (RPT-HTTP-1); passed
         * to the {@link ReportMailer} too, for the attachment's type (RPT-MAIL-1).
         */
        public Builder gzip(boolean gzip) {
            this.gzip = gzip;
            return this;
        }

        /**
         * The clock that dates the first attempt (00:00 UTC after the report's day, RPT-DAY-3). Unless
         * {@link #ticker} is set, the retry window is measured with {@link Ticker#of(Clock)} of it.
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            this.clockSet = true;
            return this;
        }

        /**
         * The monotonic time source of the 24 h retry window (RPT-SEND-2); default {@link
         * Ticker#systemTicker()}, or one that follows {@link #clock} when a clock was set.
         */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /** Times the attempts (required); attempts never run their I/O on its threads. */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Where DNS look-ups ({@link TxtLookup} blocks) and {@link ReportMailer} calls run; the caller
         * owns it. Default: a pool of four daemon threads that end when
         * idle. HTTPS needs no thread while it waits: the JDK {@link HttpClient} is asynchronous.
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * The one source of randomness: the RPT-DAY-3 initial delay and the retry jitter (default a
         * {@link SecureRandom}). Draws are serialised, so any generator works, even one that is not
         * thread-safe (e.g. a seeded {@link java.util.SplittableRandom} in tests).
         */
        public Builder random(RandomGenerator random) {
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

        private static Duration positive(String name, Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive but was " + d);
            }
            return d;
        }

        /** The deliverer. */
        public TlsRptDeliverer build() {
            if (scheduler == null) {
                throw new IllegalStateException("a Scheduler is required");
            }
            return new TlsRptDeliverer(this);
        }
    }
}
