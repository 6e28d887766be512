package dev.mtasts.core.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import org.junit.jupiter.api.Test;

final class DnsResultTest {

    @Test
    void records_refusesEmpty() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DnsResult.records(List.of()))
                .withMessageContaining("NoRecords");
    }

    @Test
    void records_copies() {
        java.util.ArrayList<String> values = new java.util.ArrayList<>(List.of("a"));
        DnsResult.Records<String> records = (DnsResult.Records<String>) DnsResult.records(values);
        values.add("b");
        assertThat(records.values()).containsExactly("a");
    }

    @Test
    void mxRecord_preferenceRange() {
        assertThat(new MxRecord(65535, "mx.example").preference()).isEqualTo(65535);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new MxRecord(-1, "mx"))
                .withMessageContaining("-1");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new MxRecord(65536, "mx"))
                .withMessageContaining("65536");
    }
}
