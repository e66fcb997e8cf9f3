package aleph.pipeline.db.partitions;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

import aleph.pipeline.config.PipelineConfig;

/**
 * How one partitioned table is maintained: its period, how many periods ahead of the current one exist, and
 * how many whole periods before the current one are kept ({@code retention} empty: forever).
 */
public record PartitionPolicy(String table, PartitionInterval interval, int lookahead, OptionalInt retention) {

  /** Longest lookahead accepted: about a year ahead either way, so a typo can't create thousands of tables. */
  public static final int MAX_LOOKAHEAD_MONTHS = 24;
  public static final int MAX_LOOKAHEAD_DAYS = 400;

  public PartitionPolicy {
    if (!table.matches("[a-z_][a-z0-9_]{0,40}")) {
      throw new IllegalArgumentException("not a plain lower-case table name: '" + table + "'");
    }
    final int max = interval == PartitionInterval.MONTH ? MAX_LOOKAHEAD_MONTHS : MAX_LOOKAHEAD_DAYS;
    if (lookahead < 0 || lookahead > max) {
      throw new IllegalArgumentException(PipelineConfig.partitionKey(table, "lookahead") + " must be between 0 and "
          + max + " for " + interval + " partitions, not " + lookahead);
    }
    if (retention.isPresent() && retention.getAsInt() < 0) {
      throw new IllegalArgumentException(PipelineConfig.partitionKey(table, "retention") + " must be >= 0 or none");
    }
  }

  /** Every table of {@link PipelineConfig#PARTITIONED_TABLES} with its configured knobs. */
  public static List<PartitionPolicy> fromConfig(final PipelineConfig config) {
    return PipelineConfig.PARTITIONED_TABLES.stream().map(table -> fromConfig(config, table)).toList();
  }

  public static PartitionPolicy fromConfig(final PipelineConfig config, final String table) {
    final PartitionInterval interval =
        PartitionInterval.parse(config.getString(PipelineConfig.partitionKey(table, "interval")));
    return new PartitionPolicy(table, interval, config.partitionLookahead(table),
        parseRetention(table, config.getString(PipelineConfig.partitionKey(table, "retention"))));
  }

  static OptionalInt parseRetention(final String table, final String value) {
    final String text = value.trim().toLowerCase(Locale.ROOT);
    if (text.equals("none") || text.isEmpty()) {
      return OptionalInt.empty();
    }
    try {
      return OptionalInt.of(Integer.parseInt(text));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(PipelineConfig.partitionKey(table, "retention")
          + " must be a number of periods or none, not '" + value + "'", e);
    }
  }

  /** Start of the current period. */
  public Instant currentPeriod(final Instant now) {
    return interval.floor(now);
  }

  /** End (exclusive) of the last period that must exist: the current one plus {@code lookahead}. */
  public Instant horizon(final Instant now) {
    return interval.plus(now, lookahead + 1L);
  }

  /** Children whose upper bound is at or before this are dropped; empty when retention is {@code none}. */
  public java.util.Optional<Instant> cutoff(final Instant now) {
    return retention.isPresent()
        ? java.util.Optional.of(interval.plus(now, -(long) retention.getAsInt()))
        : java.util.Optional.empty();
  }

  public String retentionText() {
    return retention.isPresent() ? Integer.toString(retention.getAsInt()) : "none";
  }
}
