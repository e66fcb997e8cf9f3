package aleph.pipeline.sink;

import java.time.Instant;
import java.util.Map;

/**
 * A point-in-time view of the sink for the status endpoint and the CLI.
 *
 * @param running          whether the consume loop is active
 * @param committedOffsets next offset per {@code topic-partition}, as committed in PostgreSQL by this instance
 * @param rowsWritten      rows inserted, updated or deleted per table since start
 * @param batches          committed transactions
 * @param failures         rolled-back transactions (then retried)
 * @param deadLettered     records sent to the dead-letter topic
 * @param lastError        message of the last failure, or null
 * @param lastCommitAt     wall-clock time of the last commit, or null
 */
public record SinkStatus(
    boolean running,
    Map<String, Long> committedOffsets,
    Map<String, Long> rowsWritten,
    long batches,
    long failures,
    long deadLettered,
    String lastError,
    Instant lastCommitAt) {
}
