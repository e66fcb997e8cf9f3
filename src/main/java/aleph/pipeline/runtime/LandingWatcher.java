package aleph.pipeline.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import aleph.pipeline.config.PipelineConfig;
import aleph.pipeline.db.DatabaseSummary;
import aleph.pipeline.topology.Topics;

/**
 * Tells when everything published so far has landed: no committed record remains beyond the stream
 * application's committed offsets (input and repartition topics) nor beyond the sink's offsets in
 * {@code sink_offsets}. Positions, not offsets, are compared, so transaction markers do not count as records.
 */
public final class LandingWatcher implements AutoCloseable {

  private final PipelineConfig config;
  private final Admin admin;
  private final KafkaConsumer<byte[], byte[]> probe;
  private final Topics topics;
  private final DatabaseSummary db;

  public LandingWatcher(final PipelineConfig config, final Admin admin) {
    this.config = config;
    this.admin = admin;
    this.topics = Topics.from(config);
    // One connection for every poll of await(), not one per poll.
    this.db = new DatabaseSummary(config);
    final Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.getString(PipelineConfig.BOOTSTRAP_SERVERS));
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    this.probe = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** Records still to be processed by the stream or written by the sink (0 = landed). */
  public long pending() {
    final Map<TopicPartition, Long> committed = new HashMap<>();
    try {
      final Map<TopicPartition, OffsetAndMetadata> streamOffsets = admin
          .listConsumerGroupOffsets(config.getString(PipelineConfig.APPLICATION_ID))
          .partitionsToOffsetAndMetadata().get(20, TimeUnit.SECONDS);
      streamOffsets.forEach((tp, om) -> committed.put(tp, om == null ? 0L : om.offset()));
      // Partitions the application has not committed on yet start at 0: its input and its repartition topics.
      final String internalPrefix = config.getString(PipelineConfig.APPLICATION_ID) + "-";
      final List<String> streamInputs = new ArrayList<>(List.of(topics.messages()));
      admin.listTopics().names().get(20, TimeUnit.SECONDS).stream()
          .filter(name -> name.startsWith(internalPrefix) && name.endsWith("-repartition"))
          .forEach(streamInputs::add);
      for (String topic : streamInputs) {
        for (var p : probe.partitionsFor(topic)) {
          committed.putIfAbsent(new TopicPartition(p.topic(), p.partition()), 0L);
        }
      }
      final Map<TopicPartition, Long> sink = db.sinkOffsets(config.getString(PipelineConfig.SINK_GROUP_ID));
      for (String topic : topics.sinkInputs()) {
        for (var p : probe.partitionsFor(topic)) {
          final TopicPartition tp = new TopicPartition(p.topic(), p.partition());
          committed.put(tp, sink.getOrDefault(tp, 0L));
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException("could not read progress: " + e.getMessage(), e);
    }
    return recordsBeyond(committed);
  }

  /** Committed records in {@code topic} (offsets would also count transaction markers). */
  public long records(final String topic) {
    final List<TopicPartition> partitions = probe.partitionsFor(topic).stream()
        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    probe.assign(partitions);
    probe.seekToBeginning(partitions);
    return countUntil(probe.endOffsets(partitions));
  }

  /** Waits until {@link #pending()} is 0, reporting progress; false on timeout. */
  public boolean await(final Duration timeout, final Consumer<Long> progress) throws InterruptedException {
    final long deadline = System.nanoTime() + timeout.toNanos();
    long pending;
    while ((pending = pending()) > 0) {
      progress.accept(pending);
      if (System.nanoTime() > deadline) {
        return false;
      }
      TimeUnit.MILLISECONDS.sleep(250);
    }
    return true;
  }

  /** Records (not markers) between each partition's committed offset and its end, all probed at once. */
  private long recordsBeyond(final Map<TopicPartition, Long> committed) {
    final List<TopicPartition> partitions = List.copyOf(committed.keySet());
    probe.assign(partitions);
    final Map<TopicPartition, Long> end = probe.endOffsets(partitions);
    final Map<TopicPartition, Long> open = new HashMap<>();
    for (TopicPartition tp : partitions) {
      final long from = committed.get(tp);
      final long to = end.getOrDefault(tp, 0L);
      if (from < to) {
        probe.seek(tp, from);
        open.put(tp, to);
      }
    }
    return countUntil(open);
  }

  /** Polls the partitions until each position reaches its end offset; records seen, plus 1 per partition short. */
  private long countUntil(final Map<TopicPartition, Long> ends) {
    probe.pause(probe.assignment());
    probe.resume(ends.keySet());
    long records = 0;
    final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline && ends.entrySet().stream().anyMatch(e -> probe.position(e.getKey()) < e.getValue())) {
      for (var record : probe.poll(Duration.ofMillis(100))) {
        final Long end = ends.get(new TopicPartition(record.topic(), record.partition()));
        if (end != null && record.offset() < end) {
          records++;
        }
      }
    }
    // Not all the way to the end yet: something is still there.
    return records + ends.entrySet().stream().filter(e -> probe.position(e.getKey()) < e.getValue()).count();
  }

  @Override
  public void close() {
    probe.close();
    db.close();
  }
}
