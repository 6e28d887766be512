package dev.mtasts.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

final class ExplainPolicyCommandTest {

    // The bundled example is the RFC 8461 §3.2 policy, CRLF-terminated.
    @Test
    void example_isRfcPolicy() {
        String text = new String(ExplainPolicyCommand.example(), StandardCharsets.UTF_8);

        assertThat(text)
                .isEqualTo("version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\n"
                        + "mx: backupmx.example.com\r\nmax_age: 604800\r\n");
    }

    // STS-POL-1: bytes that are not UTF-8 are INVALID, with the line.
    @Test
    void explain_malformedUtf8() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        byte[] body = {
            'v', 'e', 'r', 's', 'i', 'o', 'n', ':', ' ', 'S', 'T', 'S', 'v', '1', '\n', 'x', ':', ' ', (byte) 0xff
        };

        int status = ExplainPolicyCommand.explain(
                "test", body, List.of(), new PrintWriter(out, true), new PrintWriter(err, true));

        assertThat(status).isEqualTo(1);
        assertThat(err.toString())
                .contains("INVALID policy (test)")
                .contains("line 2")
                .contains("UTF-8");
    }
}
