package aleph.pipeline.db.partitions;

import java.util.Optional;

/**
 * One attached child of a partitioned table as the catalog shows it. {@code range} is empty for the DEFAULT
 * partition (and for bounds that could not be read). {@code rowEstimate} is {@code pg_class.reltuples}
 * (negative: never analysed).
 * {@code detachPending} marks a child left half-detached by an interrupted {@code DETACH ... CONCURRENTLY}.
 */
public record ChildPartition(String name, Optional<PartitionRange> range, String boundExpression, long rowEstimate,
    boolean detachPending) {

  public boolean isDefault() {
    return boundExpression.trim().equalsIgnoreCase("DEFAULT");
  }

  /** A non-DEFAULT child whose bounds could not be read: nothing can be decided about its table's ranges. */
  public boolean isUnreadable() {
    return range.isEmpty() && !isDefault();
  }
}
