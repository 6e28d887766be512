package dev.mtasts.tlsrpt;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Objects;

/**
 * A report's {@code date-range} (RFC 8460 §4.4): the instants the report covers, both inclusive as
 * written by the sender.
 *
 * @param start {@code start-datetime}
 * @param end {@code end-datetime}
 * @param extensions unknown members kept raw: name to JSON text (RPT-JSON-3)
 */
public record DateRange(Instant start, Instant end, Map<String, String> extensions) {
    /** Copies the extensions. */
    public DateRange {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        extensions = Extensions.copy(extensions);
    }

    /** The range {@code D T00:00:00Z} to {@code D T23:59:59Z} we emit for one UTC day (RPT-DAY-2). */
    public static DateRange ofDay(LocalDate day) {
        Instant start = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        return new DateRange(start, start.plusSeconds(86_399), Map.of());
    }

    /** The UTC date of the start: the report's day (RPT-DAY-4). */
    public LocalDate day() {
        return LocalDate.ofInstant(start, ZoneOffset.UTC);
    }

    /**
     * Whether the range covers exactly one UTC day, ending either at its last second or at the
     * next midnight (RPT-DAY-4, RW-3).
     */
    public boolean isOneUtcDay() {
        Instant dayStart = day().atStartOfDay(ZoneOffset.UTC).toInstant();
        if (!start.equals(dayStart)) {
            return false;
        }
        long seconds = end.getEpochSecond() - start.getEpochSecond();
        return seconds == 86_399 || (seconds == 86_400 && end.getNano() == 0);
    }
}
