package dev.mtasts.bench;

import dev.mtasts.core.Policy;
import dev.mtasts.core.StsRecord;
import dev.mtasts.tlsrpt.TlsRptRecord;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/** Parsing throughput on one thread: policy file, {@code _mta-sts} and {@code _smtp._tls} records. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
@Fork(1)
public class ParserBenchmark {
    /** The RFC 8461 §3.2 example policy. */
    private final String policy = "version: STSv1\r\n"
            + "mode: enforce\r\n"
            + "mx: mail.example.com\r\n"
            + "mx: *.example.net\r\n"
            + "mx: backupmx.example.com\r\n"
            + "max_age: 604800\r\n";

    /** The RFC 8461 §3.1 example record. */
    private final String stsRecord = "v=STSv1; id=20160831085700Z;";

    /** The RFC 8460 §3 example record with two URIs. */
    private final String tlsRptRecord =
            "v=TLSRPTv1;rua=mailto:reports@example.com,https://reporting.example.com/v1/tlsrpt";

    @Benchmark
    public Policy policyParse() {
        return Policy.parse(policy);
    }

    @Benchmark
    public StsRecord stsRecordParse() {
        return StsRecord.parse(stsRecord);
    }

    @Benchmark
    public TlsRptRecord tlsRptRecordParse() {
        return TlsRptRecord.parse(tlsRptRecord);
    }
}
