package dev.mtasts.tlsrpt.mail;

import static dev.mtasts.tlsrpt.mail.Fixtures.bytes;
import static dev.mtasts.tlsrpt.mail.Fixtures.issues;
import static dev.mtasts.tlsrpt.mail.Fixtures.lenientMail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.mtasts.tlsrpt.MailMetadata;
import dev.mtasts.tlsrpt.ReadMode;
import dev.mtasts.tlsrpt.ReportFormatException;
import dev.mtasts.tlsrpt.ReportIssue;
import dev.mtasts.tlsrpt.ReportWarning;
import dev.mtasts.tlsrpt.TlsRptReading;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading whole report e-mails (RFC 8460 §5.3) and the real-world forms RW-14..RW-19. */
final class TlsRptMailReaderTest {

    private static ReportFormatException strictMailError(String fixture) {
        try {
            Fixtures.STRICT.read(bytes(fixture), Fixtures.SIGNED);
        } catch (ReportFormatException e) {
            return e;
        }
        throw new AssertionError("strict mode accepted " + fixture);
    }

    @Test
    void readMail_standard_strictNoWarnings() {
        // RPT-MAIL-1..4: a §5.3 message reads strictly with all metadata.
        MailReadOutcome outcome = Fixtures.STRICT.read(bytes("standard.eml"), Fixtures.SIGNED);
        assertThat(outcome).isInstanceOf(MailReadOutcome.Report.class);
        TlsRptReading reading = ((MailReadOutcome.Report) outcome).reading();
        assertThat(reading.warnings()).isEmpty();
        assertThat(reading.report()).isEqualTo(Fixtures.json("canonical.json").report());
        MailMetadata meta = reading.mail().orElseThrow();
        assertThat(meta.tlsReportDomain()).contains("recv.example");
        assertThat(meta.tlsReportSubmitter()).contains("sender.example");
        assertThat(meta.subjectReportId()).contains("2026-03-01T00:00:00Z_recv.example@sender.example");
        assertThat(meta.filename()).contains("sender.example!recv.example!1772323200!1772409599!a1.json.gz");
        assertThat(meta.mediaType()).isEqualTo("application/tlsrpt+gzip");
        assertThat(meta.reportPart()).isEqualTo("2");
    }

    @Test
    void readMail_stream_sameAsBytes() {
        MailReadOutcome outcome =
                Fixtures.STRICT.read(new ByteArrayInputStream(bytes("standard.eml")), Fixtures.SIGNED);
        assertThat(outcome).isInstanceOf(MailReadOutcome.Report.class);
    }

    @Test
    void readMail_applicationTlsrptPlainJson_sniffed() {
        // RW-14: application/tlsrpt with plain JSON; the media type is only a hint.
        TlsRptReading r = lenientMail("rw14-application-tlsrpt-plain-json.eml");
        assertThat(r.report().reportId()).isEqualTo("2026-03-01T00:00:00Z_recv.example@sender.example");
        assertThat(issues(r)).containsExactly(ReportIssue.NONSTANDARD_MEDIA_TYPE);
        assertThat(strictMailError("rw14-application-tlsrpt-plain-json.eml").location())
                .isEqualTo("mime:2");
    }

    @Test
    void readMail_gzipTypeWithJsonBody_mismatchWarning() {
        // RW-14: content decides, the declared type is a hint.
        TlsRptReading r = lenientMail("rw14-gzip-type-json-body.eml");
        assertThat(issues(r)).containsExactly(ReportIssue.MEDIA_TYPE_MISMATCH);
    }

    @Test
    void readMail_unquotedReportTypeAfterBoundary_warning() {
        // RW-15: Google and Microsoft write report-type=tlsrpt unquoted, after boundary.
        TlsRptReading r = lenientMail("rw15-unquoted-report-type.eml");
        assertThat(r.warnings()).singleElement().satisfies(w -> {
            assertThat(w.issue()).isEqualTo(ReportIssue.REPORT_TYPE_UNQUOTED);
            assertThat(w.location()).isEqualTo("header:Content-Type");
        });
    }

    @Test
    void readMail_htmlFirstAndExtraPart_warnings() {
        // RW-16: Microsoft's text/html first part; Mail.ru's extra part after the report.
        TlsRptReading r = lenientMail("rw16-html-first-extra-part.eml");
        assertThat(r.warnings()).extracting(ReportWarning::location).containsExactly("mime:1", "mime:3");
        assertThat(issues(r)).containsOnly(ReportIssue.UNEXPECTED_PARTS);
    }

    @Test
    void readMail_foldedSubjectBareId_bodyWins() {
        // RW-17, RPT-READ-3: folded Subject, Report-ID without <@>, different from the JSON.
        TlsRptReading r = lenientMail("rw17-folded-subject-bare-id.eml");
        assertThat(r.mail().orElseThrow().subjectReportId()).contains("133198585438131172+recv.example");
        assertThat(r.report().reportId()).isEqualTo("2026-03-01T00:00:00Z_recv.example@sender.example");
        assertThat(issues(r)).containsExactly(ReportIssue.SUBJECT_FORM, ReportIssue.METADATA_MISMATCH);
        assertThat(strictMailError("rw17-folded-subject-bare-id.eml").location())
                .isEqualTo("header:Subject");
    }

    @Test
    void readMail_submitterMismatch_warning() {
        // RW-18, RPT-MAIL-3: Mail.ru's submitter differs from the contact-info domain.
        TlsRptReading r = lenientMail("rw18-submitter-mismatch.eml");
        assertThat(r.warnings()).singleElement().satisfies(w -> {
            assertThat(w.issue()).isEqualTo(ReportIssue.SUBMITTER_MISMATCH);
            assertThat(w.location()).isEqualTo("header:TLS-Report-Submitter");
        });
    }

    @Test
    void readMail_filenameWithoutUniqueId_accepted() {
        // RW-19, §5.1: the unique-id is optional.
        MailReadOutcome outcome = Fixtures.STRICT.read(bytes("rw19-filename-without-unique-id.eml"), Fixtures.SIGNED);
        assertThat(outcome)
                .isInstanceOfSatisfying(
                        MailReadOutcome.Report.class,
                        rep -> assertThat(rep.reading().warnings()).isEmpty());
    }

    @Test
    void readMail_freeFormFilename_warning() {
        // RW-19: a name not of the §5.1 form is only a warning; it is never used as a path (§7).
        TlsRptReading r = lenientMail("rw19-filename-free-form.eml");
        assertThat(issues(r)).containsExactly(ReportIssue.FILENAME_FORM);
    }

    @Test
    void readMail_notAReport_cleanOutcome() {
        MailReadOutcome outcome = Fixtures.STRICT.read(bytes("not-a-report.eml"), Fixtures.SIGNED);
        assertThat(outcome)
                .isInstanceOfSatisfying(
                        MailReadOutcome.NotAReport.class,
                        n -> assertThat(n.reason()).contains("no application/tlsrpt"));
    }

    @Test
    void readMail_tooLarge_rejected() {
        TlsRptMailReader reader =
                TlsRptMailReader.builder().maxMessageBytes(100).build();
        assertThatThrownBy(() -> reader.read(bytes("standard.eml"), Fixtures.SIGNED))
                .isInstanceOfSatisfying(
                        ReportFormatException.class, e -> assertThat(e.issue()).isEqualTo(ReportIssue.TOO_LARGE));
        assertThatThrownBy(() -> reader.read(new ByteArrayInputStream(bytes("standard.eml")), Fixtures.SIGNED))
                .isInstanceOf(ReportFormatException.class);
    }

    @Test
    void readMail_singlePartJsonMessage_warnsNotMultipartReport() {
        // RPT-MAIL-1: a bare application/tlsrpt+json message is read, with warnings.
        String msg = "From: a@sender.example\r\nSubject: hi\r\nContent-Type: application/tlsrpt+json\r\n\r\n"
                + new String(bytes("canonical.json"), StandardCharsets.UTF_8);
        MailReadOutcome outcome = Fixtures.LENIENT.read(msg.getBytes(StandardCharsets.UTF_8), Fixtures.SIGNED);
        TlsRptReading r = ((MailReadOutcome.Report) outcome).reading();
        assertThat(issues(r))
                .contains(ReportIssue.NOT_MULTIPART_REPORT, ReportIssue.SUBJECT_FORM, ReportIssue.MISSING_HEADER);
    }

    @Test
    void readMail_unsigned_ignoredInEveryMode() {
        // RPT-READ-2, §3: unsigned reports must be ignored; l= does not count as signed.
        for (DkimVerdict verdict : java.util.List.of(
                DkimVerdict.unsigned(), new DkimVerdict(java.util.Optional.of("sender.example"), true))) {
            assertThatThrownBy(() -> Fixtures.LENIENT.read(bytes("standard.eml"), verdict))
                    .isInstanceOfSatisfying(ReportFormatException.class, e -> {
                        assertThat(e.issue()).isEqualTo(ReportIssue.UNSIGNED);
                        assertThat(e.location()).isEqualTo("header:DKIM-Signature");
                    });
        }
        assertThatThrownBy(() -> Fixtures.LENIENT.read(bytes("standard.eml")))
                .isInstanceOf(ReportFormatException.class);
    }

    @Test
    void readMail_acceptUnsigned_analysisWarning() {
        // RPT-READ-2: unsigned input only with an explicit analysis flag, and flagged.
        TlsRptMailReader analysis =
                TlsRptMailReader.builder().acceptUnsigned(true).build();
        MailReadOutcome outcome = analysis.read(bytes("standard.eml"));
        assertThat(outcome)
                .isInstanceOfSatisfying(
                        MailReadOutcome.Report.class,
                        r -> assertThat(issues(r.reading())).containsExactly(ReportIssue.UNSIGNED));
        TlsRptMailReader strictAnalysis = TlsRptMailReader.builder()
                .mode(ReadMode.STRICT)
                .acceptUnsigned(true)
                .build();
        assertThatThrownBy(() -> strictAnalysis.read(bytes("standard.eml"))).isInstanceOf(ReportFormatException.class);
    }

    @Test
    void readMail_signerDomain_alignment() {
        // §3: signed by the reporting domain; RW-18: a parent or subdomain (corp.mail.ru for mail.ru) is fine.
        TlsRptReading sub = ((MailReadOutcome.Report)
                        Fixtures.STRICT.read(bytes("standard.eml"), DkimVerdict.signedBy("Corp.Sender.Example")))
                .reading();
        assertThat(sub.warnings()).isEmpty();
        TlsRptReading other = ((MailReadOutcome.Report)
                        Fixtures.LENIENT.read(bytes("standard.eml"), DkimVerdict.signedBy("evil.example")))
                .reading();
        assertThat(other.warnings()).singleElement().satisfies(w -> {
            assertThat(w.issue()).isEqualTo(ReportIssue.SIGNER_MISMATCH);
            assertThat(w.message()).contains("evil.example");
        });
        assertThat(DkimVerdict.signedBy("sender.example").alignedWith("notsender.example"))
                .isFalse();
    }

    @Test
    void readMailStream_failingStream_uncheckedIoException() {
        // As documented on readMail(InputStream, DkimVerdict): I/O failures are not report errors.
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("disk gone");
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                throw new IOException("disk gone");
            }
        };
        assertThatThrownBy(() -> Fixtures.LENIENT.read(broken, Fixtures.SIGNED))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("disk gone");
    }

    @Test
    void readMailStream_oversized_tooLarge() {
        // RPT-JSON-6: the stream is cut at maxMessageBytes.
        TlsRptMailReader reader =
                TlsRptMailReader.builder().maxMessageBytes(1000).build();
        assertThatThrownBy(() -> reader.read(new ByteArrayInputStream(new byte[100_000]), Fixtures.SIGNED))
                .isInstanceOfSatisfying(
                        ReportFormatException.class, e -> assertThat(e.issue()).isEqualTo(ReportIssue.TOO_LARGE));
    }

    @Test
    void readMail_neverCrashes_onMutatedMessages() {
        // §7: a mangled e-mail yields an outcome or a ReportFormatException, never anything else.
        byte[] eml = bytes("standard.eml");
        qt().withExamples(1000).forAll(longs().all()).checkAssert(seed -> {
            java.util.Random r = new java.util.Random(seed);
            byte[] input = eml.clone();
            int flips = 1 + r.nextInt(8);
            for (int i = 0; i < flips; i++) {
                input[r.nextInt(input.length)] = (byte) r.nextInt(256);
            }
            if (r.nextInt(4) == 0) {
                input = java.util.Arrays.copyOf(input, r.nextInt(input.length));
            }
            for (TlsRptMailReader reader : List.of(Fixtures.LENIENT, Fixtures.STRICT)) {
                try {
                    assertThat(reader.read(input, Fixtures.SIGNED)).isNotNull();
                } catch (ReportFormatException expected) {
                    assertThat(expected.location()).isNotNull();
                }
            }
        });
    }

    @Test
    void read_neverCrashes_onArbitraryBytes() {
        // §7, RPT-READ-4: any bytes give an outcome or a ReportFormatException.
        qt().withExamples(1000)
                .forAll(org.quicktheories.generators.Generate.byteArrays(
                        org.quicktheories.generators.SourceDSL.integers().between(0, 64),
                        org.quicktheories.generators.Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) '{')))
                .checkAssert(input -> {
                    try {
                        assertThat(Fixtures.LENIENT.read(input, Fixtures.SIGNED))
                                .isNotNull();
                    } catch (ReportFormatException expected) {
                        assertThat(expected.issue()).isNotNull();
                    }
                });
    }
}
