package aleph.pipeline.db.partitions;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code pg_get_expr(relpartbound, oid)} of a range child, e.g.
 * {@code FOR VALUES FROM ('2026-05-01 00:00:00+00') TO ('2026-06-01 00:00:00+00')}, with or without a
 * {@code ::timestamp with time zone} cast. {@code DEFAULT} (and anything that is not a one-column range) gives
 * empty. A value without an offset is taken as UTC; {@code MINVALUE}/{@code MAXVALUE} and infinite timestamps
 * become an open end.
 */
public final class PartitionBoundParser {

  private static final Pattern RANGE = Pattern.compile(
      "^\\s*FOR\\s+VALUES\\s+FROM\\s+\\((.+?)\\)\\s+TO\\s+\\((.+)\\)\\s*$", Pattern.CASE_INSENSITIVE);
  private static final Pattern QUOTED = Pattern.compile("^'([^']*)'(?:::[a-z ]+)?$", Pattern.CASE_INSENSITIVE);
  private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
      .parseCaseInsensitive()
      .appendPattern("uuuu-MM-dd")
      .optionalStart().appendLiteral(' ').optionalEnd()
      .optionalStart().appendLiteral('T').optionalEnd()
      .appendPattern("HH:mm:ss")
      .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
      .optionalStart().appendOffset("+HH:mm", "Z").optionalEnd()
      .optionalStart().appendOffset("+HH", "Z").optionalEnd()
      .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
      .toFormatter(Locale.ROOT);

  private PartitionBoundParser() {
  }

  /** The child's range, or empty for {@code DEFAULT} and for bounds this parser does not understand. */
  public static Optional<PartitionRange> parse(final String expression) {
    if (expression == null) {
      return Optional.empty();
    }
    final Matcher range = RANGE.matcher(expression);
    if (!range.matches()) {
      return Optional.empty();
    }
    try {
      final Optional<Instant> lower = value(range.group(1).trim());
      final Optional<Instant> upper = value(range.group(2).trim());
      return Optional.of(new PartitionRange(lower.orElse(null), upper.orElse(null)));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  // Empty for an open end; throws for what is neither a timestamp nor an open end.
  private static Optional<Instant> value(final String text) {
    if (text.equalsIgnoreCase("MINVALUE") || text.equalsIgnoreCase("MAXVALUE")) {
      return Optional.empty();
    }
    final Matcher quoted = QUOTED.matcher(text);
    if (!quoted.matches()) {
      throw new IllegalArgumentException("not a timestamp bound: " + text);
    }
    final String literal = quoted.group(1).trim();
    if (literal.equalsIgnoreCase("infinity") || literal.equalsIgnoreCase("-infinity")) {
      return Optional.empty();
    }
    final var parsed = TIMESTAMP.parseBest(literal, OffsetDateTime::from, LocalDateTime::from);
    if (parsed instanceof OffsetDateTime offset) {
      return Optional.of(offset.toInstant());
    }
    return Optional.of(((LocalDateTime) parsed).toInstant(ZoneOffset.UTC));
  }
}
