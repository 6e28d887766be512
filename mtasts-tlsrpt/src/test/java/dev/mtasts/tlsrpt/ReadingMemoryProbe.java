package dev.mtasts.tlsrpt;

import dev.mtasts.core.ResultType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * A gzip report of many failure details, about 512 KiB compressed, and a reader run for measuring
 * its memory: {@code java -Xmx<N>m -cp <test class path> dev.mtasts.tlsrpt.ReadingMemoryProbe FILE}
 * prints the bytes one read allocated, or dies of {@link OutOfMemoryError} when N is too small;
 * {@code --write FILE} writes the report (5 entries of 7,800 details, 508 KB of gzip).
 */
final class ReadingMemoryProbe {
    /** Distinct failure details per policy entry (below the default cap of 10,000). */
    static final int DETAILS_PER_ENTRY = 7_800;

    private ReadingMemoryProbe() {}

    /**
     * Writes report JSON directly (the model would hold everything the test wants to measure) and
     * gzips it: {@code entries} policies of {@link #DETAILS_PER_ENTRY} details each, seeded.
     */
    static byte[] gzipReport(int entries) throws IOException {
        Random r = new Random(8460);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            StringBuilder sb = new StringBuilder(1 << 16);
            sb.append("{\"organization-name\":\"Big Sender\",\"date-range\":{\"start-datetime\":")
                    .append("\"2026-03-01T00:00:00Z\",\"end-datetime\":\"2026-03-01T23:59:59Z\"},")
                    .append("\"contact-info\":\"tlsrpt@big.example\",\"report-id\":\"big-1\",\"policies\":[");
            ResultType[] types = {
                ResultType.CERTIFICATE_EXPIRED,
                ResultType.STARTTLS_NOT_SUPPORTED,
                ResultType.CERTIFICATE_HOST_MISMATCH,
                ResultType.VALIDATION_FAILURE
            };
            for (int e = 0; e < entries; e++) {
                sb.append(e == 0 ? "" : ",")
                        .append("{\"policy\":{\"policy-type\":\"no-policy-found\",\"policy-domain\":\"d")
                        .append(e)
                        .append(".example\"},\"summary\":{\"total-successful-session-count\":1,")
                        .append("\"total-failure-session-count\":")
                        .append(DETAILS_PER_ENTRY)
                        .append("},\"failure-details\":[");
                for (int i = 0; i < DETAILS_PER_ENTRY; i++) {
                    ResultType t = types[r.nextInt(types.length)];
                    sb.append(i == 0 ? "" : ",")
                            .append("{\"result-type\":\"")
                            .append(t.token())
                            .append("\",\"sending-mta-ip\":\"198.51.")
                            .append(r.nextInt(256))
                            .append('.')
                            .append(r.nextInt(256))
                            .append("\",\"receiving-mx-hostname\":\"mx")
                            .append(r.nextInt(100_000))
                            .append(".d")
                            .append(e)
                            .append(".example\",\"receiving-ip\":\"203.0.113.")
                            .append(r.nextInt(256))
                            .append("\",\"failed-session-count\":1")
                            .append(t == ResultType.VALIDATION_FAILURE ? ",\"failure-reason-code\":\"X509_V_ERR\"" : "")
                            .append('}');
                    if (sb.length() > 60_000) {
                        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
                        sb.setLength(0);
                    }
                }
                sb.append("]}");
            }
            sb.append("]}");
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
        return gz.toByteArray();
    }

    /** Bytes allocated by this thread so far (HotSpot). */
    static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    public static void main(String[] args) throws IOException {
        if (args[0].equals("--write")) {
            Files.write(Path.of(args[1]), gzipReport(5));
            return;
        }
        byte[] gz = Files.readAllBytes(Path.of(args[0]));
        TlsRptReportReader reader = TlsRptReportReader.builder().build();
        long before = allocated();
        TlsRptReading reading = reader.read(gz);
        long used = allocated() - before;
        long details = reading.report().policies().stream()
                .mapToLong(p -> p.failureDetails().size())
                .sum();
        System.out.println("ok details=" + details + " allocated=" + used);
    }
}
