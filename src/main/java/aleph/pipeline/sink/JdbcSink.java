package aleph.pipeline.sink;

import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.jooq.exception.DataAccessException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import aleph.pipeline.avro.credit.CreditBalance;
import aleph.pipeline.avro.credit.CreditHistoryEntry;
import aleph.pipeline.avro.message.AcceptedMessage;
import aleph.pipeline.avro.message.ForgottenMessage;
import aleph.pipeline.avro.metrics.CcnMetric;
import aleph.pipeline.avro.metrics.CrnMetric;
import aleph.pipeline.config.PipelineConfig;
import aleph.pipeline.db.SinkRepository;
import aleph.pipeline.db.SinkRepository.ForgetOutcome;
import aleph.pipeline.serde.SerdeFactory;
import aleph.pipeline.topology.Topics;

/**
 * The transactional PostgreSQL sink.
 *
 * <p>Inputs: {@link Topics#sinkInputs()} (String keys; Avro {@code AcceptedMessage}, {@code CrnMetric},
 * {@code CcnMetric}, {@code ForgottenMessage}, {@code CreditHistoryEntry}, {@code CreditBalance}). Outputs: the
 * tables {@code messages}, {@code crn_metrics}, {@code ccn_metrics}, {@code forgotten_messages},
 * {@code credit_history}, {@code credit_balances}, {@code sink_offsets}; records the database cannot hold go to
 * {@link Topics#deadLetters()} with {@code __sink.errors.*} headers.
 *
 * <p>Exactly once: every transaction writes its rows and the next offsets of the partitions it consumed into
 * {@code sink_offsets}, and commits both together; offsets are never committed to Kafka. On assignment and
 * after any failure the consumer seeks to the stored offsets. The offset update is conditional on the
 * offset this instance last saw, so a member that lost its partitions cannot overwrite a newer position.
 *
 * <p>Dead letters are produced and flushed before the transaction that moves past them commits: a crash in
 * between repeats the dead letter (never loses it) and the sink never waits on a bad record.
 *
 * <p>Threads: the caller's thread polls and decodes; one writer thread runs the transactions, one at a time
 * and in poll order, so the next batch is fetched while the previous one is written. Rebalance callbacks wait
 * for the transaction in flight before partitions move.
 *
 * <p>Use: {@code new JdbcSink(config)} then {@link #run()} on a thread and {@link #close()} to stop, or
 * {@link #runOnce(Duration)} and {@link #flush()} from a test; {@link #status()} at any time.
 */
public final class JdbcSink implements Runnable, AutoCloseable {

  public static final String HEADER_REASON = "__sink.errors.reason";
  public static final String HEADER_TOPIC = "__sink.errors.topic";
  public static final String HEADER_PARTITION = "__sink.errors.partition";
  public static final String HEADER_OFFSET = "__sink.errors.offset";

  private static final Logger LOG = LoggerFactory.getLogger(JdbcSink.class);
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);

  private final PipelineConfig config;
  private final Topics topics;
  private final String group;
  private final int maxRecords;
  private final long maxBytes;
  private final long backoffMs;
  private final long backoffMaxMs;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final KafkaProducer<byte[], byte[]> deadLetterProducer;
  private final Map<String, Deserializer<? extends SpecificRecord>> decoders = new HashMap<>();

  /** Next offset per partition as last committed by this instance (null: none stored yet). */
  private final Map<TopicPartition, Long> expected = new HashMap<>();
  private volatile SinkRepository repository;
  private volatile boolean reseekNeeded;
  private long nextBackoffMs;
  private volatile boolean lastAttemptFailed;
  /** One transaction at a time runs here while the consume thread polls and decodes the next batch. */
  private final ExecutorService writer;
  private Future<Integer> inFlight;

  private final Map<String, Long> committedOffsets = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> rowsWritten = new ConcurrentHashMap<>();
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private volatile String lastError;
  private volatile Instant lastCommitAt;
  private volatile boolean running;
  private volatile boolean closed;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Object sleeper = new Object();

  /** A sink for {@code config}; {@code bootstrap.servers} and {@code jdbc.url} must name real servers. */
  public JdbcSink(final PipelineConfig config) {
    if (config.embeddedKafka() || config.embeddedDatabase()) {
      throw new IllegalArgumentException("the sink needs resolved bootstrap.servers and jdbc.url "
          + "(start the embedded servers first)");
    }
    this.config = config;
    this.topics = Topics.from(config);
    this.group = config.getString(PipelineConfig.SINK_GROUP_ID);
    this.maxRecords = config.getInt(PipelineConfig.SINK_BATCH_MAX_RECORDS);
    this.maxBytes = config.getInt(PipelineConfig.SINK_BATCH_MAX_BYTES);
    this.backoffMs = config.getLong(PipelineConfig.SINK_RETRY_BACKOFF_MS);
    this.backoffMaxMs = Math.max(backoffMs, config.getLong(PipelineConfig.SINK_RETRY_BACKOFF_MAX_MS));
    this.nextBackoffMs = backoffMs;

    final SerdeFactory serdes = new SerdeFactory(config.serdeProperties());
    decoders.put(topics.accepted(), serdes.value(AcceptedMessage.class).deserializer());
    decoders.put(topics.crnMetrics(), serdes.value(CrnMetric.class).deserializer());
    decoders.put(topics.ccnMetrics(), serdes.value(CcnMetric.class).deserializer());
    decoders.put(topics.forgotten(), serdes.value(ForgottenMessage.class).deserializer());
    decoders.put(topics.creditHistory(), serdes.value(CreditHistoryEntry.class).deserializer());
    decoders.put(topics.creditBalances(), serdes.value(CreditBalance.class).deserializer());

    final Map<String, Object> consumerProps = new HashMap<>(config.clientProperties("consumer"));
    consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.getString(PipelineConfig.BOOTSTRAP_SERVERS));
    consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    // The offsets live in PostgreSQL, committed with the rows; Kafka's copy would only be a second truth.
    consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // Aborted stream transactions must never reach the tables.
    consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxRecords);
    consumerProps.putIfAbsent(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, (int) maxBytes);
    // Let one fetch fill a whole batch even when the records come from one partition.
    consumerProps.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, (int) maxBytes);
    consumerProps.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumerProps.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, group + "-consumer");
    this.consumer = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());

    final Map<String, Object> producerProps = new HashMap<>(config.clientProperties("producer"));
    producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.getString(PipelineConfig.BOOTSTRAP_SERVERS));
    producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
    producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producerProps.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, group + "-dead-letters");
    this.deadLetterProducer = new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer());

    this.writer = Executors.newSingleThreadExecutor(task -> {
      final Thread thread = new Thread(task, group + "-writer");
      thread.setDaemon(true);
      return thread;
    });
    consumer.subscribe(topics.sinkInputs(), new Rebalance());
  }

  /** Consumes until {@link #close()}, backing off after failures. */
  @Override
  public void run() {
    running = true;
    LOG.info("sink {} consuming {}", group, topics.sinkInputs());
    try {
      while (!closed) {
        try {
          runOnce(POLL_TIMEOUT);
        } catch (KafkaException e) {
          if (e instanceof WakeupException && closed) {
            throw e;
          }
          // The broker or the group misbehaved: keep the loop (and the status endpoint) alive and retry.
          awaitInFlight();
          fail("consumer failed", e);
        }
        if (lastAttemptFailed && !closed) {
          pause(nextBackoffMs);
          nextBackoffMs = Math.min(backoffMaxMs, Math.max(1, nextBackoffMs * 2));
        } else if (!lastAttemptFailed) {
          nextBackoffMs = backoffMs;
        }
      }
    } catch (WakeupException e) {
      if (!closed) {
        throw e;
      }
    } finally {
      running = false;
      releaseResources();
      stopped.countDown();
    }
  }

  /**
   * One poll: decodes it and hands its transactions to the writer one at a time, so the next poll and decode
   * overlap the database work of this one. Failures are recorded in {@link #status()} and prepare a re-seek from
   * the stored offsets; they are not thrown. Returns the number of records handed to the writer.
   */
  public int runOnce(final Duration pollTimeout) {
    lastAttemptFailed = false;
    if (reseekNeeded || repository == null) {
      if (!awaitInFlight()) {
        return 0;
      }
      try {
        connectIfNeeded();
        if (reseekNeeded) {
          reseek(consumer.assignment());
        }
      } catch (SQLException | DataAccessException e) {
        fail("database unavailable", e);
        return 0;
      }
    }
    final ConsumerRecords<byte[], byte[]> polled = consumer.poll(pollTimeout);
    if (reseekNeeded) {
      // A rebalance inside poll() could not read sink_offsets: drop what came and re-seek everything.
      lastAttemptFailed = true;
      return 0;
    }
    if (polled.isEmpty()) {
      return 0;
    }
    final List<List<ConsumerRecord<byte[], byte[]>>> chunks = chunks(polled);
    final List<SinkBatch> decoded = new ArrayList<>(chunks.size());
    chunks.forEach(chunk -> decoded.add(SinkBatch.decode(chunk, topics, decoders)));
    int submitted = 0;
    for (int i = 0; i < chunks.size(); i++) {
      if (!awaitInFlight()) {
        // The rest of this poll must not commit past the failed write: re-read it all from sink_offsets.
        return submitted;
      }
      final List<ConsumerRecord<byte[], byte[]>> chunk = chunks.get(i);
      final SinkBatch batch = decoded.get(i);
      inFlight = writer.submit(() -> writeIsolatingBadRecords(chunk, batch));
      submitted += chunk.size();
    }
    return submitted;
  }

  /** Waits until the write in flight (if any) has committed; true when it did. */
  public boolean flush() {
    return awaitInFlight();
  }

  public SinkStatus status() {
    final Map<String, Long> rows = new TreeMap<>();
    rowsWritten.forEach((table, count) -> rows.put(table, count.get()));
    return new SinkStatus(running, new TreeMap<>(committedOffsets), rows, batches.get(), failures.get(),
        deadLettered.get(), lastError, lastCommitAt);
  }

  /** Stops the loop (from any thread) and releases the consumer, producer and connection. */
  @Override
  public void close() {
    closed = true;
    synchronized (sleeper) {
      sleeper.notifyAll();
    }
    if (running) {
      consumer.wakeup();
      try {
        if (!stopped.await(30, TimeUnit.SECONDS)) {
          LOG.warn("sink loop did not stop within 30 s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } else {
      releaseResources();
    }
  }

  /** Writes a chunk; on a data error, writes its records one by one so only the bad one is dead-lettered. */
  private int writeIsolatingBadRecords(final List<ConsumerRecord<byte[], byte[]>> chunk,
      final SinkBatch prepared) {
    final SinkBatch batch = prepared != null ? prepared : SinkBatch.decode(chunk, topics, decoders);
    try {
      return write(batch);
    } catch (Exception e) {
      rollbackQuietly();
      if (!batch.mergeMetrics && SinkRepository.isUniqueViolation(e)) {
        // Rows stored before under other offsets (an upstream re-emission): merge instead of COPY this once.
        batch.mergeMetrics = true;
        return writeIsolatingBadRecords(chunk, batch);
      }
      if (!isDataError(e)) {
        fail("batch of " + chunk.size() + " records rolled back", e);
        return -1;
      }
      if (chunk.size() > 1) {
        LOG.warn("batch of {} records holds a value PostgreSQL refuses ({}); retrying record by record",
            chunk.size(), e.getMessage());
        int total = 0;
        for (ConsumerRecord<byte[], byte[]> record : chunk) {
          final int written = writeIsolatingBadRecords(List.of(record), null);
          if (written < 0) {
            return -1;
          }
          total += written;
        }
        return total;
      }
      try {
        return write(SinkBatch.allDead(chunk, "rejected by PostgreSQL: " + rootMessage(e)));
      } catch (Exception again) {
        rollbackQuietly();
        fail("dead-lettering a refused record failed", again);
        return -1;
      }
    }
  }

  private int write(final SinkBatch batch) throws SQLException {
    final Map<String, Long> counts = new HashMap<>();
    if (!repository.advanceOffsets(group, expected, batch.nextOffsets)) {
      throw new FencedException(batch.nextOffsets.keySet());
    }
    final Set<String> unauthorised = batch.dropForgotten(repository.appliedForgets(batch.writtenHashes()));
    repository.markForgetsUnauthorised(unauthorised);
    counts.merge("messages", (long) repository.upsertMessages(batch.accepted.values()), Long::sum);
    counts.merge("messages", (long) repository.insertParents(batch.metricParents()), Long::sum);
    counts.put("crn_metrics", repository.writeCrn(batch.crn, batch.mergeMetrics));
    counts.put("ccn_metrics", repository.writeCcn(batch.ccn, batch.mergeMetrics));
    counts.put("credit_history", (long) repository.insertHistory(batch.history));
    counts.put("credit_balances", (long) repository.replaceBalances(batch.balances));
    long forgotten = 0;
    for (ForgottenMessage forget : batch.forgets) {
      if (repository.applyForget(forget) == ForgetOutcome.DELETED) {
        forgotten++;
      }
    }
    counts.put("forgotten_messages", (long) batch.forgets.size());
    counts.put("messages_deleted", forgotten);
    sendDeadLetters(batch.deadLetters);
    repository.commit();

    expected.putAll(batch.nextOffsets);
    batch.nextOffsets.forEach((tp, next) -> committedOffsets.put(tp.topic() + "-" + tp.partition(), next));
    counts.forEach((table, n) -> rowsWritten.computeIfAbsent(table, t -> new AtomicLong()).addAndGet(n));
    batches.incrementAndGet();
    deadLettered.addAndGet(batch.deadLetters.size());
    lastCommitAt = Instant.now();
    return batch.records;
  }

  /** Dead letters are durable in Kafka before the offsets move past them. */
  private void sendDeadLetters(final List<DeadLetter> letters) {
    if (letters.isEmpty()) {
      return;
    }
    final List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
    for (DeadLetter letter : letters) {
      final ConsumerRecord<byte[], byte[]> source = letter.record();
      final RecordHeaders headers = new RecordHeaders(source.headers().toArray());
      headers.add(HEADER_REASON, letter.reason().getBytes(StandardCharsets.UTF_8));
      headers.add(HEADER_TOPIC, source.topic().getBytes(StandardCharsets.UTF_8));
      headers.add(HEADER_PARTITION, Integer.toString(source.partition()).getBytes(StandardCharsets.UTF_8));
      headers.add(HEADER_OFFSET, Long.toString(source.offset()).getBytes(StandardCharsets.UTF_8));
      LOG.warn("dead-lettering {}-{}@{}: {}", source.topic(), source.partition(), source.offset(), letter.reason());
      sent.add(deadLetterProducer.send(new ProducerRecord<>(topics.deadLetters(), null, source.key(),
          source.value(), headers)));
    }
    deadLetterProducer.flush();
    for (java.util.concurrent.Future<?> future : sent) {
      try {
        future.get();
      } catch (Exception e) {
        throw new IllegalStateException("dead-letter topic unavailable: " + e.getMessage(), e);
      }
    }
  }

  private List<List<ConsumerRecord<byte[], byte[]>>> chunks(final ConsumerRecords<byte[], byte[]> polled) {
    final List<List<ConsumerRecord<byte[], byte[]>>> chunks = new ArrayList<>();
    List<ConsumerRecord<byte[], byte[]>> current = new ArrayList<>();
    long bytes = 0;
    for (ConsumerRecord<byte[], byte[]> record : polled) {
      final long size = Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
      if (!current.isEmpty() && (current.size() >= maxRecords || bytes + size > maxBytes)) {
        chunks.add(current);
        current = new ArrayList<>();
        bytes = 0;
      }
      current.add(record);
      bytes += size;
    }
    chunks.add(current);
    return chunks;
  }

  private void connectIfNeeded() throws SQLException {
    if (repository != null) {
      return;
    }
    final var connection = DriverManager.getConnection(config.getString(PipelineConfig.JDBC_URL),
        config.getString(PipelineConfig.JDBC_USER), config.password(PipelineConfig.JDBC_PASSWORD));
    connection.setClientInfo("ApplicationName", group);
    repository = new SinkRepository(connection);
  }

  /** Positions {@code partitions} at their stored offsets (or the beginning); pauses them when it cannot. */
  private void reseek(final Collection<TopicPartition> partitions) {
    if (partitions.isEmpty()) {
      // Nothing to position; a re-seek still owed to partitions kept through a rebalance stays owed.
      reseekNeeded = reseekNeeded && !consumer.assignment().isEmpty();
      return;
    }
    try {
      connectIfNeeded();
      final Map<TopicPartition, Long> stored = repository.offsets(group, partitions);
      repository.commit();
      LOG.info("seeking {} partitions to sink_offsets ({} stored)", partitions.size(), stored.size());
      final List<TopicPartition> fresh = new ArrayList<>();
      for (TopicPartition tp : partitions) {
        final Long offset = stored.get(tp);
        expected.put(tp, offset);
        if (offset == null) {
          fresh.add(tp);
        } else {
          consumer.seek(tp, offset);
          committedOffsets.put(tp.topic() + "-" + tp.partition(), offset);
        }
      }
      if (!fresh.isEmpty()) {
        consumer.seekToBeginning(fresh);
      }
      consumer.resume(partitions);
      // Positioning only the newly assigned partitions does not settle a re-seek owed to the ones kept.
      final boolean coveredAll = partitions.containsAll(consumer.assignment());
      reseekNeeded = (reseekNeeded && !coveredAll)
          || consumer.assignment().stream().anyMatch(consumer.paused()::contains);
    } catch (SQLException | DataAccessException e) {
      // Reading on from Kafka's own position could skip or repeat rows: hold the partitions until seeked.
      consumer.pause(partitions);
      reseekNeeded = true;
      dropConnection();
      throw e instanceof DataAccessException d ? d : new DataAccessException(e.getMessage(), e);
    }
  }

  private boolean awaitInFlight() {
    if (inFlight == null) {
      return true;
    }
    try {
      if (inFlight.get() >= 0) {
        return true;
      }
    } catch (ExecutionException e) {
      fail("write failed", e.getCause() instanceof Exception cause ? cause : e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reseekNeeded = true;
    } finally {
      inFlight = null;
    }
    lastAttemptFailed = true;
    return false;
  }

  private void fail(final String what, final Exception e) {
    failures.incrementAndGet();
    lastError = what + ": " + rootMessage(e);
    lastAttemptFailed = true;
    LOG.warn("{}; retrying from the stored offsets", lastError);
    if (!(e instanceof FencedException)) {
      dropConnection();
    }
    reseekNeeded = true;
  }

  private void rollbackQuietly() {
    final SinkRepository current = repository;
    if (current != null) {
      current.rollback();
    }
  }

  private void dropConnection() {
    if (repository != null) {
      repository.rollback();
      repository.close();
      repository = null;
    }
  }

  private void pause(final long millis) {
    synchronized (sleeper) {
      final long until = System.currentTimeMillis() + millis;
      long left = millis;
      while (!closed && left > 0) {
        try {
          sleeper.wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        left = until - System.currentTimeMillis();
      }
    }
  }

  private void releaseResources() {
    awaitInFlight();
    writer.shutdown();
    dropConnection();
    try {
      consumer.close(Duration.ofSeconds(5));
    } catch (RuntimeException e) {
      LOG.debug("consumer close: {}", e.getMessage());
    }
    deadLetterProducer.close(Duration.ofSeconds(5));
  }

  /** SQLSTATE class 22 (data exception) or 23 (integrity): the values, not the connection, are at fault. */
  private static boolean isDataError(final Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null
          && (sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("23"))) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(final Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  /** Another member committed this partition after us: our view of it is stale. */
  static final class FencedException extends RuntimeException {
    FencedException(final Collection<TopicPartition> partitions) {
      super("sink_offsets of " + partitions + " moved under this member; re-reading from the stored offsets");
    }
  }

  /** Seeks newly assigned partitions to their stored offsets; revocation needs no work (see below). */
  private final class Rebalance implements ConsumerRebalanceListener {

    @Override
    public void onPartitionsRevoked(final Collection<TopicPartition> partitions) {
      // Called inside poll(): let the transaction in flight finish (it commits with its offsets, or rolls back
      // entirely) before the partitions go. A member that lost them without this callback is refused by the
      // conditional offset update instead.
      awaitInFlight();
      partitions.forEach(expected::remove);
    }

    @Override
    public void onPartitionsLost(final Collection<TopicPartition> partitions) {
      awaitInFlight();
      partitions.forEach(expected::remove);
    }

    @Override
    public void onPartitionsAssigned(final Collection<TopicPartition> partitions) {
      if (!awaitInFlight()) {
        return;
      }
      try {
        // After a failed write every partition still held must go back to its stored offset, not only new ones.
        reseek(reseekNeeded ? consumer.assignment() : partitions);
      } catch (DataAccessException e) {
        LOG.warn("cannot read sink_offsets for {} yet: {}", partitions, e.getMessage());
      }
    }
  }
}
