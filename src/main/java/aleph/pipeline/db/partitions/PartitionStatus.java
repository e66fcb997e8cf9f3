package aleph.pipeline.db.partitions;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One partitioned table as an operator needs to see it: its children (bounds, row estimates), the latest child
 * (highest upper bound), how many children there are, its DEFAULT partition and exact row count there,
 * {@code coveredUntil} (children reach contiguously from the current instant up to here; empty: rows of "now"
 * go to DEFAULT) and {@code gaps} between the earliest and the latest child. {@code policy} is empty for a
 * partitioned table the configuration does not maintain.
 */
public record PartitionStatus(String table, String keyColumn, Optional<PartitionPolicy> policy,
    List<ChildPartition> children, Optional<ChildPartition> latestChild, int totalPartitions,
    Optional<String> defaultPartition, long defaultRows, Optional<Instant> coveredUntil, List<PartitionRange> gaps) {

  public PartitionStatus {
    children = List.copyOf(children);
    gaps = List.copyOf(gaps);
  }
}
