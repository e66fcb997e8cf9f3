package aleph.pipeline.db.partitions;

import java.time.Instant;
import java.util.Objects;

/**
 * A range partition's bounds: {@code [lower, upper)}. A null bound stands for {@code MINVALUE}/{@code MAXVALUE}
 * (or an infinite timestamp), so a range always answers overlap questions.
 */
public record PartitionRange(Instant lower, Instant upper) {

  public PartitionRange {
    if (lower != null && upper != null && !lower.isBefore(upper)) {
      throw new IllegalArgumentException("empty range [" + lower + ", " + upper + ")");
    }
  }

  public boolean overlaps(final PartitionRange other) {
    return before(lower, other.upper) && before(other.lower, upper);
  }

  /** True when every instant of {@code other} is inside this range. */
  public boolean covers(final PartitionRange other) {
    return (lower == null || (other.lower != null && !other.lower.isBefore(lower)))
        && (upper == null || (other.upper != null && !other.upper.isAfter(upper)));
  }

  public boolean contains(final Instant instant) {
    return (lower == null || !instant.isBefore(lower)) && (upper == null || instant.isBefore(upper));
  }

  /** True when the range ends at or before {@code cutoff}, i.e. retention may drop it. */
  public boolean endsAtOrBefore(final Instant cutoff) {
    return upper != null && !upper.isAfter(cutoff);
  }

  @Override
  public String toString() {
    return "[" + Objects.toString(lower, "MINVALUE") + ", " + Objects.toString(upper, "MAXVALUE") + ")";
  }

  // lower-bound-style comparison where null means "unbounded"
  private static boolean before(final Instant a, final Instant b) {
    return a == null || b == null || a.isBefore(b);
  }
}
