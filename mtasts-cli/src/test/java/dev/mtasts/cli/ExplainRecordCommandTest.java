package dev.mtasts.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.core.RecordSelection;
import dev.mtasts.core.SyntaxException;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

final class ExplainRecordCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    // STS-TXT-3, RFC 8461 §3.1 example record among an SPF record.
    @Test
    void txt_oneStsRecord() {
        assertThat(run("txt", "v=spf1 -all", "v=STSv1; id=20160831085700Z;")).isZero();
        assertThat(out.toString()).contains("_mta-sts: one valid record").contains("id 20160831085700Z");
    }

    // STS-TXT-3: two candidates: none.
    @Test
    void txt_twoStsRecords() {
        assertThat(run("txt", "v=STSv1; id=1", "v=STSv1; id=2")).isEqualTo(1);
        assertThat(out.toString()).contains("2 candidate records: the domain is treated as having none");
    }

    // STS-TXT-8: an invalid record is explained with its column.
    @Test
    void txt_invalidStsRecord() {
        assertThat(run("txt", "v=STSv1; id=2016-08-31")).isEqualTo(1);
        assertThat(out.toString()).contains("invalid record, treated as none").contains("column 17");
    }

    @Test
    void txt_noRecord() {
        assertThat(run("txt", "v=spf1 -all")).isEqualTo(1);
        assertThat(out.toString()).contains("_mta-sts: no record");
    }

    // RPT-TXT-4, RFC 8460 §3 example.
    @Test
    void txt_tlsRptRecord() {
        assertThat(run("txt", "v=TLSRPTv1;rua=mailto:reports@example.com")).isZero();
        assertThat(out.toString()).contains("_smtp._tls: one valid record").contains("rua mailto:reports@example.com");
    }

    @Test
    void txt_invalidTlsRptRecord() {
        assertThat(run("txt", "v=TLSRPTv1;rua=mailto:a@example.com!10m")).isEqualTo(1);
        assertThat(out.toString()).contains("_smtp._tls: invalid record").contains("'!'");
    }

    @Test
    void describe_everyOutcome() {
        SyntaxException e =
                SyntaxException.atColumn(SyntaxException.Subject.STS_RECORD, 4, "id", "bad", "RFC 8461 §3.1");

        assertThat(ExplainRecordCommand.describe(new RecordSelection.Selected<>("x")))
                .isEqualTo("one valid record");
        assertThat(ExplainRecordCommand.describe(new RecordSelection.NoRecord<String>()))
                .isEqualTo("no record");
        assertThat(ExplainRecordCommand.describe(new RecordSelection.MultipleRecords<String>(3)))
                .startsWith("3 candidate records");
        assertThat(ExplainRecordCommand.describe(new RecordSelection.InvalidRecord<String>("t", e)))
                .contains("column 4");
    }
}
