package dev.mtasts.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.tlsrpt.DailyAggregate;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The buffer's rows and its cap (FLEET-DOWN-2), without a database. */
final class CountRowsTest {
    private static final LocalDate DAY = LocalDate.of(2026, 3, 1);

    @Test
    void aggregate_needsTotalsRowAndOneRowPerDetail_droppedWholeWhenItDoesNotFit() {
        DailyAggregate a = new DailyAggregate(
                DAY,
                CountsFixture.A,
                3,
                2,
                Map.of(CountsFixture.DETAILS.get(0), 2L, CountsFixture.DETAILS.get(1), 1L),
                0);
        CountRows rows = new CountRows();
        assertThat(rows.add(a, 2, null)).as("3 rows needed, 2 free").isEqualTo(-1);
        assertThat(rows.isEmpty()).isTrue();
        assertThat(rows.add(a, 3, null)).isEqualTo(3);
        // The same keys again take no new row, whatever the room.
        assertThat(rows.add(a, 0, null)).isZero();
        assertThat(rows.size()).isEqualTo(3);
        assertThat(rows.sessions()).isEqualTo(10);
        CountRows.Row totals = rows.sorted().stream()
                .filter(r -> r.key.detailKey().isEmpty())
                .findFirst()
                .orElseThrow();
        assertThat(totals.successful).isEqualTo(6);
        assertThat(totals.failed).isEqualTo(4);
    }

    @Test
    void rowsHeldInThePendingBatch_takeNoNewRoom_andMergeWithPlus() {
        DailyAggregate a = new DailyAggregate(DAY, CountsFixture.B, 1, 0, Map.of(), 0);
        CountRows pending = new CountRows();
        pending.add(a, 1, null);
        CountRows buffer = new CountRows();
        assertThat(buffer.add(a, 0, pending)).isZero();
        assertThat(buffer.countNotIn(pending)).isZero();
        CountRows merged = pending.plus(buffer);
        assertThat(merged.size()).isEqualTo(1);
        assertThat(merged.sessions()).isEqualTo(2);
        assertThat(merged.rows().iterator().next().successful).isEqualTo(2);
        assertThat(pending.rows().iterator().next().successful)
                .as("plus copies")
                .isEqualTo(1);
    }

    @Test
    void keys_areHashesOfTheJson() {
        CountRows.Row totals = CountRows.rowsOf(new DailyAggregate(DAY, CountsFixture.A, 1, 0, Map.of(), 0))
                .get(0);
        assertThat(totals.key.policyKey()).hasSize(64).isEqualTo(CountRows.sha256(totals.policyJson));
        assertThat(totals.key.policyDomain()).isEqualTo("a.example");
        assertThat(CountRows.sha256("")).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
}
