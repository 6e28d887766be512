package dev.mtasts.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

final class RecordSelectionTest {

    // STS-TXT-3, RFC 8461 §3.1: only Selected carries a record; every other outcome is "no policy".
    @Test
    void record_onlyWhenSelected() {
        StsRecord r = StsRecord.parse("v=STSv1; id=1");
        SyntaxException error = SyntaxException.whole(SyntaxException.Subject.STS_RECORD, "id", "missing", "x");

        assertThat(new RecordSelection.Selected<>(r).record()).contains(r);
        assertThat(new RecordSelection.NoRecord<StsRecord>().record()).isEmpty();
        assertThat(new RecordSelection.MultipleRecords<StsRecord>(2).record()).isEmpty();
        assertThat(new RecordSelection.InvalidRecord<StsRecord>("v=STSv1", error).record())
                .isEmpty();
    }

    // STS-TXT-8: an invalid record keeps its text and the error.
    @Test
    void invalidRecord_keepsTextAndError() {
        SyntaxException error = SyntaxException.atColumn(SyntaxException.Subject.STS_RECORD, 3, "", "bad", "x");
        RecordSelection.InvalidRecord<StsRecord> s = new RecordSelection.InvalidRecord<>("v=STSv1", error);

        assertThat(s.text()).isEqualTo("v=STSv1");
        assertThat(s.error()).isSameAs(error);
    }

    @Test
    void constructors_rejectNull() {
        assertThatThrownBy(() -> new RecordSelection.Selected<StsRecord>(nullValue()))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new RecordSelection.InvalidRecord<StsRecord>(nullValue(), nullValue()))
                .isInstanceOf(NullPointerException.class);
    }

    @SuppressWarnings({"NullAway", "TypeParameterUnusedInFormals"})
    private static <T> T nullValue() {
        return null;
    }
}
