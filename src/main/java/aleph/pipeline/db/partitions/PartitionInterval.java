package aleph.pipeline.db.partitions;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * The period of one range-partition child: a UTC calendar month or a UTC calendar day. All arithmetic is on
 * UTC wall time, so neither the JVM's nor the database session's time zone can shift a bound.
 */
public enum PartitionInterval {
  MONTH("yyyy_MM"),
  DAY("yyyy_MM_dd");

  private final DateTimeFormatter suffix;

  PartitionInterval(final String pattern) {
    this.suffix = DateTimeFormatter.ofPattern(pattern, Locale.ROOT).withZone(ZoneOffset.UTC);
  }

  /** Parses a configuration value ({@code month} or {@code day}). */
  public static PartitionInterval parse(final String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "month" -> MONTH;
      case "day" -> DAY;
      default -> throw new IllegalArgumentException("partition interval must be month or day, not '" + value + "'");
    };
  }

  /** The start of the period holding {@code instant}. */
  public Instant floor(final Instant instant) {
    final ZonedDateTime utc = instant.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS);
    return (this == MONTH ? utc.withDayOfMonth(1) : utc).toInstant();
  }

  /** The start of the period {@code periods} away from the one holding {@code instant} (negative: earlier). */
  public Instant plus(final Instant instant, final long periods) {
    final ZonedDateTime start = floor(instant).atZone(ZoneOffset.UTC);
    return (this == MONTH ? start.plusMonths(periods) : start.plusDays(periods)).toInstant();
  }

  /** The range of the period holding {@code instant}. */
  public PartitionRange periodOf(final Instant instant) {
    return new PartitionRange(floor(instant), plus(instant, 1));
  }

  /** {@code <table>_YYYY_MM} or {@code <table>_YYYY_MM_DD}, from the period's start. */
  public String childName(final String table, final Instant periodStart) {
    return table + "_" + suffix.format(periodStart);
  }

  /** True when {@code instant} is the first instant of one of these periods. */
  public boolean isAligned(final Instant instant) {
    return floor(instant).equals(instant);
  }

  /** Parses an operator's period argument: {@code 2026-05} for months, {@code 2026-05-17} for days. */
  public PartitionRange parsePeriod(final String text) {
    try {
      final LocalDate date = this == MONTH
          ? LocalDate.parse(text.trim() + "-01")
          : LocalDate.parse(text.trim());
      return periodOf(date.atStartOfDay(ZoneOffset.UTC).toInstant());
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("period '" + text + "' is not " + (this == MONTH ? "YYYY-MM" : "YYYY-MM-DD"),
          e);
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
