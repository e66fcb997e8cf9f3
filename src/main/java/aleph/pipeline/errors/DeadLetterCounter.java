package aleph.pipeline.errors;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the records sent to the dead-letter topic, per Kafka Streams {@code application.id} and source topic.
 * {@link DeadLetterExceptionHandler} increments it; the runtime reads it (e.g. for {@code /status} and
 * {@code /metrics}) with {@code DeadLetterCounter.forApplication(appId).total()} or {@link #byTopic()}. Counts
 * live for the JVM: they restart at zero with the process.
 */
public final class DeadLetterCounter {

  private static final Map<String, DeadLetterCounter> APPLICATIONS = new ConcurrentHashMap<>();

  private final LongAdder total = new LongAdder();
  private final Map<String, LongAdder> byTopic = new ConcurrentHashMap<>();

  private DeadLetterCounter() {
  }

  /** The counter of {@code applicationId}, created at zero on first use. */
  public static DeadLetterCounter forApplication(final String applicationId) {
    return APPLICATIONS.computeIfAbsent(applicationId, id -> new DeadLetterCounter());
  }

  /** Total dead letters per application id, sorted by id (for a status page showing every application). */
  public static Map<String, Long> totals() {
    final Map<String, Long> totals = new TreeMap<>();
    APPLICATIONS.forEach((id, counter) -> totals.put(id, counter.total()));
    return totals;
  }

  void record(final String sourceTopic) {
    total.increment();
    byTopic.computeIfAbsent(sourceTopic, t -> new LongAdder()).increment();
  }

  /** Dead letters written since the process started. */
  public long total() {
    return total.sum();
  }

  /** Dead letters per source topic, sorted by topic. */
  public Map<String, Long> byTopic() {
    final Map<String, Long> counts = new TreeMap<>();
    byTopic.forEach((topic, count) -> counts.put(topic, count.sum()));
    return counts;
  }
}
