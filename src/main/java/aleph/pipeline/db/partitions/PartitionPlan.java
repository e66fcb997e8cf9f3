package aleph.pipeline.db.partitions;

import java.util.List;

/**
 * What one maintenance run intends for one table: children to create (in time order), children to drop
 * (retention), and notes on what was deliberately left alone (overlaps with children of another interval).
 */
public record PartitionPlan(String table, List<PlannedChild> creates, List<ChildPartition> drops, List<String> notes) {

  public boolean isNoOp() {
    return creates.isEmpty() && drops.isEmpty();
  }

  /** A child to create as {@code name} with {@code range}. */
  public record PlannedChild(String name, PartitionRange range) {
  }
}
