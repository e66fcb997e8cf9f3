package aleph.pipeline.db.partitions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class PartitionBoundParserTest {

  @Test
  void shouldParseUtcBoundsWhenRangeExpression() {
    // Given
    final String expression = "FOR VALUES FROM ('2026-05-01 00:00:00+00') TO ('2026-06-01 00:00:00+00')";

    // When
    final var range = PartitionBoundParser.parse(expression);

    // Then
    assertThat(range).contains(new PartitionRange(Instant.parse("2026-05-01T00:00:00Z"),
        Instant.parse("2026-06-01T00:00:00Z")));
  }

  @Test
  void shouldReturnEmptyWhenDefault() {
    // Given / When / Then
    assertThat(PartitionBoundParser.parse("DEFAULT")).isEmpty();
    assertThat(PartitionBoundParser.parse("FOR VALUES IN ('a')")).isEmpty();
    assertThat(PartitionBoundParser.parse(null)).isEmpty();
  }

  @Test
  void shouldParseBoundsWhenTypeCastAndOffsets() {
    // Given
    final String cast = "FOR VALUES FROM ('2026-05-01 00:00:00+00'::timestamp with time zone) "
        + "TO ('2026-06-01 00:00:00+00'::timestamp with time zone)";
    final String kolkata = "FOR VALUES FROM ('2026-11-01 05:30:00+05:30') TO ('2026-12-01 05:30:00.5+05:30')";
    final String naive = "FOR VALUES FROM ('2026-05-01 00:00:00') TO (MAXVALUE)";

    // When / Then
    assertThat(PartitionBoundParser.parse(cast)).contains(new PartitionRange(Instant.parse("2026-05-01T00:00:00Z"),
        Instant.parse("2026-06-01T00:00:00Z")));
    assertThat(PartitionBoundParser.parse(kolkata)).contains(new PartitionRange(
        Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00.5Z")));
    assertThat(PartitionBoundParser.parse(naive)).contains(new PartitionRange(
        Instant.parse("2026-05-01T00:00:00Z"), null));
  }

  @Test
  void shouldReturnEmptyWhenValueIsNotATimestamp() {
    // Given / When / Then
    assertThat(PartitionBoundParser.parse("FOR VALUES FROM ('yesterday') TO ('2026-06-01 00:00:00+00')")).isEmpty();
  }
}
