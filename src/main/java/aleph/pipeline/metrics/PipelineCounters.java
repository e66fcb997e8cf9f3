package aleph.pipeline.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;

/**
 * Named, tagged, monotonic counters of what the pipeline saw, accepted, emitted and skipped; thread-safe and
 * cheap enough for the per-record path.
 *
 * <p>Names and tags used by the message gate and the metrics fan-out (tags in braces):
 * <ul>
 *   <li>{@code messages.seen}: every input record;</li>
 *   <li>{@code messages.ignored} {reason}: dropped by the gate (not a candidate; reasons {@code type},
 *       {@code channel}, {@code post_type}, {@code address}, {@code payload});</li>
 *   <li>{@code messages.invalid} {reason}: candidates whose content could not be used;</li>
 *   <li>{@code messages.duplicate}: candidates whose item_hash was seen within the dedup window;</li>
 *   <li>{@code messages.accepted} {kind = scoring, credit, forget};</li>
 *   <li>{@code metrics.entries.emitted} {table = crn, ccn};</li>
 *   <li>{@code metrics.entries.skipped} {table, reason = not_object, node_id, measured_at};</li>
 *   <li>{@code metrics.coercions.null} {table, field, reason = invalid, int32_range}: a value was present but
 *       became null;</li>
 *   <li>{@code forget.targets.emitted}, {@code forget.aggregates.ignored}.</li>
 * </ul>
 *
 * <p>Counts are process-local and not part of the exactly-once state: records reprocessed after a crash are
 * counted again. The runtime exposes them on {@code /metrics} with {@link #bindTo(MeterRegistry)} (every
 * counter, including ones first incremented later, becomes {@code aleph.pipeline.<name>} with its tags; in
 * Prometheus {@code aleph_pipeline_messages_seen_total}) or reads {@link #snapshot()}.
 */
public final class PipelineCounters {

  private static final PipelineCounters GLOBAL = new PipelineCounters();

  public static final String METER_PREFIX = "aleph.pipeline.";

  private final Map<Key, LongAdder> counters = new ConcurrentHashMap<>();
  private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

  /** The process-wide registry the runtime topology uses unless it is given another one. */
  public static PipelineCounters global() {
    return GLOBAL;
  }

  /** Adds one to {@code name} with the given tags ({@code key1, value1, key2, value2, ...}). */
  public void increment(final String name, final String... tags) {
    add(name, 1, tags);
  }

  /** Adds {@code amount} to {@code name} with the given tags ({@code key1, value1, ...}). */
  public void add(final String name, final long amount, final String... tags) {
    final Key key = Key.of(name, tags);
    LongAdder adder = counters.get(key);
    if (adder == null) {
      final LongAdder fresh = new LongAdder();
      adder = counters.putIfAbsent(key, fresh);
      if (adder == null) {
        adder = fresh;
        for (MeterRegistry registry : registries) {
          register(registry, key, fresh);
        }
      }
    }
    adder.add(amount);
  }

  /** Publishes every counter, present and future, as a Micrometer function counter in {@code registry}. */
  public void bindTo(final MeterRegistry registry) {
    registries.add(registry);
    counters.forEach((key, adder) -> register(registry, key, adder));
  }

  private static void register(final MeterRegistry registry, final Key key, final LongAdder adder) {
    final List<Tag> tags = new ArrayList<>();
    key.tags().forEach((tag, value) -> tags.add(Tag.of(tag, value)));
    FunctionCounter.builder(METER_PREFIX + key.name(), adder, LongAdder::doubleValue).tags(tags)
        .register(registry);
  }

  /** The current value of one counter, 0 when it was never incremented. */
  public long count(final String name, final String... tags) {
    final LongAdder adder = counters.get(Key.of(name, tags));
    return adder == null ? 0 : adder.sum();
  }

  /** The sum of every counter called {@code name}, whatever its tags. */
  public long total(final String name) {
    return counters.entrySet().stream()
        .filter(e -> e.getKey().name().equals(name))
        .mapToLong(e -> e.getValue().sum())
        .sum();
  }

  /** A consistent-enough copy of every counter, sorted by name then tags. */
  public SortedMap<Key, Long> snapshot() {
    final SortedMap<Key, Long> copy = new TreeMap<>();
    counters.forEach((key, adder) -> copy.put(key, adder.sum()));
    return Collections.unmodifiableSortedMap(copy);
  }

  /**
   * One counter's identity: a name and its tags, sorted by tag key.
   *
   * @param name dotted counter name, e.g. {@code metrics.entries.skipped}
   * @param tags tag key to value, sorted
   */
  public record Key(String name, SortedMap<String, String> tags) implements Comparable<Key> {

    public Key {
      Objects.requireNonNull(name, "name");
      tags = Collections.unmodifiableSortedMap(new TreeMap<>(tags));
    }

    static Key of(final String name, final String... tags) {
      if (tags.length % 2 != 0) {
        throw new IllegalArgumentException("tags come in key/value pairs: " + Arrays.toString(tags));
      }
      final SortedMap<String, String> map = new TreeMap<>();
      for (int i = 0; i < tags.length; i += 2) {
        map.put(tags[i], tags[i + 1]);
      }
      return new Key(name, map);
    }

    @Override
    public int compareTo(final Key other) {
      final int byName = name.compareTo(other.name);
      return byName != 0 ? byName : tags.toString().compareTo(other.tags.toString());
    }

    @Override
    public String toString() {
      return tags.isEmpty() ? name : name + tags;
    }
  }
}
