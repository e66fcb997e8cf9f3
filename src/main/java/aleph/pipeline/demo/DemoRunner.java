package aleph.pipeline.demo;

import java.io.PrintStream;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import aleph.pipeline.avro.message.AlephMessage;
import aleph.pipeline.config.PipelineConfig;
import aleph.pipeline.db.DatabaseSummary;
import aleph.pipeline.runtime.LandingWatcher;
import aleph.pipeline.runtime.PipelineRuntime;
import aleph.pipeline.runtime.TopicAdmin;
import aleph.pipeline.serde.AvroSerializer;
import aleph.pipeline.topology.Topics;

/** Publishes messages through a running pipeline, waits until they have landed and prints what they became. */
public final class DemoRunner {

  private final PipelineRuntime runtime;
  private final PrintStream out;

  public DemoRunner(final PipelineRuntime runtime, final PrintStream out) {
    this.runtime = runtime;
    this.out = out;
  }

  /**
   * Publishes {@code messages} (and, when asked, one undecodable record) to the input topic and waits for every
   * acknowledgement; a send that fails stops the demo rather than leave it waiting for data that never came.
   * One request in flight keeps the order without the idempotent producer, which can stall on topics created a
   * moment ago; a duplicate from a retry is dropped by the gate's item_hash dedup.
   */
  public void publish(final List<AlephMessage> messages, final boolean withGarbage) {
    final PipelineConfig config = runtime.config();
    final Topics topics = Topics.from(config);
    final Map<String, Object> props = new HashMap<>(config.clientProperties("producer"));
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.getString(PipelineConfig.BOOTSTRAP_SERVERS));
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
    final AvroSerializer<AlephMessage> values = new AvroSerializer<>();
    values.configure(config.serdeProperties(), false);
    final List<Future<RecordMetadata>> sent = new ArrayList<>();
    try (KafkaProducer<String, AlephMessage> producer = new KafkaProducer<>(props, new StringSerializer(), values)) {
      for (AlephMessage message : messages) {
        sent.add(producer.send(new ProducerRecord<>(topics.messages(), message.getItemHash(), message)));
      }
      producer.flush();
    }
    if (withGarbage) {
      try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(props, new ByteArraySerializer(),
          new ByteArraySerializer())) {
        sent.add(raw.send(new ProducerRecord<>(topics.messages(), "not-avro".getBytes(StandardCharsets.UTF_8),
            "{\"oops\": true}".getBytes(StandardCharsets.UTF_8))));
      }
    }
    for (Future<RecordMetadata> send : sent) {
      try {
        send.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while publishing", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("could not publish to " + topics.messages() + ": "
            + e.getCause().getMessage(), e.getCause());
      }
    }
    out.printf("published %d message(s)%s to %s%n", messages.size(), withGarbage ? " and 1 undecodable record" : "",
        topics.messages());
  }

  /** Waits until everything published has been processed and written; false on timeout. */
  public boolean awaitLanded(final Duration timeout) throws InterruptedException {
    final long started = System.nanoTime();
    try (TopicAdmin admin = new TopicAdmin(runtime.config());
        LandingWatcher watcher = new LandingWatcher(runtime.config(), admin.admin())) {
      final boolean landed = watcher.await(timeout, pending -> { });
      out.printf("%s after %.1f s%n", landed ? "landed" : "NOT landed (timed out)",
          (System.nanoTime() - started) / 1e9);
      return landed;
    }
  }

  public void printSummary() {
    final PipelineConfig config = runtime.config();
    out.println();
    out.println("PostgreSQL rows");
    try (DatabaseSummary db = new DatabaseSummary(config)) {
      db.rowsPerTableAndPartition().forEach((table, children) -> {
        final long total = children.values().stream().mapToLong(Long::longValue).sum();
        out.printf("  %-20s %8d%n", table, total);
        if (children.size() > 1 || !children.containsKey(table)) {
          children.forEach((child, rows) -> out.printf("    %-30s %8d%n", child, rows));
        }
      });
      out.println();
      out.println("Credit balances (largest first)");
      final var balances = db.topBalances(5);
      if (balances.isEmpty()) {
        out.println("  (none)");
      }
      balances.forEach(e -> out.printf("  %-44s %,14d credits%n", e.getKey(), e.getValue()));
    }
    out.println();
    final Topics topics = Topics.from(config);
    out.printf("Dead letters: %d   Credit rejections: %d%n", recordCount(topics.deadLetters()),
        recordCount(topics.creditRejections()));
  }

  private long recordCount(final String topic) {
    try (TopicAdmin admin = new TopicAdmin(runtime.config());
        LandingWatcher watcher = new LandingWatcher(runtime.config(), admin.admin())) {
      return watcher.records(topic);
    }
  }

  /** Publishes each phase and waits until it has landed before the next; false if one timed out. */
  public boolean publishInPhases(final List<List<AlephMessage>> phases, final boolean withGarbage,
      final Duration timeout) throws InterruptedException {
    for (int i = 0; i < phases.size(); i++) {
      publish(phases.get(i), withGarbage && i == 0);
      if (!awaitLanded(timeout)) {
        return false;
      }
    }
    return true;
  }

  public static List<List<AlephMessage>> sample(final PipelineConfig config) {
    return new SampleStream(config, Instant.now(), 42L).phases(20);
  }
}
