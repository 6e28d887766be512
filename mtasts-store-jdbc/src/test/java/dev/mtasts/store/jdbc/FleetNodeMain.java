package dev.mtasts.store.jdbc;

import dev.mtasts.core.time.Scheduler;
import dev.mtasts.tlsrpt.TlsRptDeliverer;
import dev.mtasts.tlsrpt.TlsRptRecorder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * A fleet node in its own JVM, for the multi-process tests; says what it did on stdout.
 *
 * <ul>
 *   <li>{@code count URL NODE N}: records sessions 0..N-1 of the pattern, flushing every 20 ms,
 *       closes (final flush), prints {@code done}.
 *   <li>{@code crash URL NODE}: records 1000 sessions at a time, flushes after each thousand and
 *       prints {@code flushed <sessions recorded so far>}, until it is killed.
 *   <li>{@code report URL NODE RECORD}: runs the due reports with a 2 s lease, the record text as
 *       the only TXT record, and the build pause of {@link FleetReports#PAUSE_AFTER_BUILD}.
 * </ul>
 */
final class FleetNodeMain {
    private FleetNodeMain() {}

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        FleetDatabase db = FleetDatabase.builder(CountsFixture.dataSource(args[1]))
                .nodeId(args[2])
                .build();
        switch (mode) {
            case "count" -> {
                TlsRptRecorder recorder = TlsRptRecorder.builder().build();
                try (FleetRecorder fleet = FleetRecorder.builder(db, recorder)
                        .flushInterval(Duration.ofMillis(20))
                        .build()) {
                    long n = Long.parseLong(args[3]);
                    for (long i = 0; i < n; i++) {
                        CountsFixture.record(recorder, i);
                    }
                }
                System.out.println("done");
            }
            case "crash" -> {
                TlsRptRecorder recorder = TlsRptRecorder.builder().build();
                FleetRecorder fleet = FleetRecorder.builder(db, recorder)
                        .flushInterval(Duration.ofHours(1))
                        .build();
                for (long i = 0; ; ) {
                    for (int k = 0; k < 1000; k++, i++) {
                        CountsFixture.record(recorder, i);
                    }
                    if (!fleet.flush()) {
                        throw new IllegalStateException("flush failed");
                    }
                    System.out.println("flushed " + i);
                    System.out.flush();
                }
            }
            case "report" -> {
                System.setProperty(FleetReports.PAUSE_AFTER_BUILD, "600000");
                TlsRptDeliverer deliverer = TlsRptDeliverer.builder()
                        .scheduler(Scheduler.of(Executors.newSingleThreadScheduledExecutor()))
                        .maxInitialDelay(Duration.ZERO)
                        .build();
                try (FleetReports reports = FleetReports.builder(
                                db, FleetReportsTest.ASSEMBLER, deliverer, name -> List.of(args[3]))
                        .lease(Duration.ofSeconds(2))
                        .closeDelay(Duration.ZERO)
                        .build()) {
                    reports.runDue();
                }
                System.out.println("done");
            }
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        }
        db.close();
        System.exit(0);
    }
}
