package aleph.pipeline.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class PipelineCountersTest {

  private final PipelineCounters counters = new PipelineCounters();

  @Test
  void shouldKeepSeparateCountsWhenTagsDiffer() {
    // When
    counters.increment("messages.accepted", "kind", "scoring");
    counters.add("messages.accepted", 2, "kind", "credit");
    counters.increment("messages.accepted", "kind", "scoring");

    // Then
    assertThat(counters.count("messages.accepted", "kind", "scoring")).isEqualTo(2);
    assertThat(counters.count("messages.accepted", "kind", "credit")).isEqualTo(2);
    assertThat(counters.count("messages.accepted", "kind", "forget")).isZero();
    assertThat(counters.total("messages.accepted")).isEqualTo(4);
    assertThat(counters.snapshot()).hasSize(2).containsEntry(
        new PipelineCounters.Key("messages.accepted", new TreeMap<>(Map.of("kind", "credit"))), 2L);
  }

  @Test
  void shouldTreatTagOrderAsIrrelevantWhenCounting() {
    // When
    counters.increment("metrics.entries.skipped", "table", "crn", "reason", "node_id");
    counters.increment("metrics.entries.skipped", "reason", "node_id", "table", "crn");

    // Then
    assertThat(counters.count("metrics.entries.skipped", "table", "crn", "reason", "node_id")).isEqualTo(2);
  }

  @Test
  void shouldRejectOddTagListWhenIncrementing() {
    // When / Then
    assertThatThrownBy(() -> counters.increment("x", "lonely")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldCountEveryIncrementWhenThreadsRace() throws Exception {
    // Given
    final ExecutorService pool = Executors.newFixedThreadPool(4);
    final List<Future<?>> done = new ArrayList<>();

    // When
    for (int t = 0; t < 4; t++) {
      done.add(pool.submit(() -> {
        for (int i = 0; i < 10_000; i++) {
          counters.increment("messages.seen");
          counters.increment("messages.ignored", "reason", i % 2 == 0 ? "type" : "channel");
        }
      }));
    }
    for (Future<?> future : done) {
      future.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();

    // Then
    assertThat(counters.count("messages.seen")).isEqualTo(40_000);
    assertThat(counters.total("messages.ignored")).isEqualTo(40_000);
  }

  @Test
  void shouldPublishPresentAndFutureCountersWhenBoundToMeterRegistry() {
    // Given
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    counters.add("messages.seen", 5);

    // When
    counters.bindTo(registry);
    counters.increment("messages.accepted", "kind", "forget");
    counters.increment("messages.seen");

    // Then
    assertThat(registry.get("aleph.pipeline.messages.seen").functionCounter().count()).isEqualTo(6.0);
    assertThat(registry.get("aleph.pipeline.messages.accepted").tag("kind", "forget").functionCounter().count())
        .isEqualTo(1.0);
  }
}
