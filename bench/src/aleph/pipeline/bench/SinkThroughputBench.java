package aleph.pipeline.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

import aleph.pipeline.avro.metrics.CrnMetric;
import aleph.pipeline.config.PipelineConfig;
import aleph.pipeline.db.MetricCopy;
import aleph.pipeline.db.Migrations;
import aleph.pipeline.db.SinkRepository;
import aleph.pipeline.db.SinkRepository.ParentRow;
import aleph.pipeline.embedded.EmbeddedKafka;
import aleph.pipeline.embedded.EmbeddedPostgres;
import aleph.pipeline.serde.SerdeFactory;
import aleph.pipeline.sink.JdbcSink;
import aleph.pipeline.topology.Topics;

/**
 * Sink throughput against a raw binary COPY of the same CRN rows into an identical, freshly migrated
 * {@code crn_metrics} (same partitions, indexes, unique key and foreign key), in one run. The sink reads the
 * rows from Kafka (Avro), writes parents, metric rows and offsets in one transaction per batch; the raw COPY
 * only copies the rows, in transactions of the same size, with the parent rows already in place. The two
 * alternate in three rounds; the rates are totals over the rounds.
 *
 * <p>Arguments (optional): rows (default 300000), metrics per parent message (default 100).
 */
public final class SinkThroughputBench {

  private SinkThroughputBench() {
  }

  public static void main(final String[] args) throws Exception {
    final int rows = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
    final int perMessage = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    final int batch = PipelineConfig.defaults().getInt(PipelineConfig.SINK_BATCH_MAX_RECORDS);
    final Path base = Files.createTempDirectory("sink-bench-");
    try (EmbeddedKafka kafka = EmbeddedKafka.start(base.resolve("kafka"));
        EmbeddedPostgres postgres = EmbeddedPostgres.start(base.resolve("postgres"), 0, false)) {
      final String sinkUrl = database(postgres, "sink_bench");
      final String copyUrl = database(postgres, "copy_bench");
      final Map<String, Object> settings = new HashMap<>();
      settings.put(PipelineConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
      settings.put(PipelineConfig.JDBC_URL, sinkUrl);
      settings.put(PipelineConfig.SCHEMA_REGISTRY_URL, "mock://sink-bench");
      settings.put(PipelineConfig.TOPIC_PREFIX, "bench.");
      final PipelineConfig config = new PipelineConfig(settings);
      final Topics topics = Topics.from(config);
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
        admin.createTopics(topics.all().stream().map(t -> new NewTopic(t, 3, (short) 1)).toList()).all().get();
      }

      final List<CrnMetric> warmUp = generate("warm", 5_000, perMessage);
      final Serializer<CrnMetric> serializer =
          new SerdeFactory(config.serdeProperties()).value(CrnMetric.class).serializer();
      // The machine is shared: alternate the two methods round by round so load drift hits both alike.
      final int rounds = 3;
      final int perRound = rows / rounds;
      double copySeconds = 0;
      double sinkSeconds = 0;
      try (SinkRepository copy = new SinkRepository(DriverManager.getConnection(copyUrl));
          JdbcSink sink = new JdbcSink(config)) {
        copy.insertParents(parents(warmUp));
        copy.commit();
        rawCopy(copy, warmUp, batch);
        produce(kafka, topics.crnMetrics(), serializer, warmUp);
        long drained = warmUp.size();
        drain(sink, drained);
        for (int round = 0; round < rounds; round++) {
          final List<CrnMetric> measured = generate("round" + round, perRound, perMessage);
          copy.insertParents(parents(measured));
          copy.commit();
          long start = System.nanoTime();
          rawCopy(copy, measured, batch);
          final double copyRound = seconds(start);
          copySeconds += copyRound;

          produce(kafka, topics.crnMetrics(), serializer, measured);
          drained += measured.size();
          start = System.nanoTime();
          drain(sink, drained);
          final double sinkRound = seconds(start);
          sinkSeconds += sinkRound;
          System.out.printf("round %d: raw COPY %.0f rows/s, sink %.0f rows/s%n", round, perRound / copyRound,
              perRound / sinkRound);
        }
        System.out.println("sink status: " + sink.status());
      }
      final long measuredRows = (long) perRound * rounds;
      final long stored = count(sinkUrl) - warmUp.size();
      final long copied = count(copyUrl) - warmUp.size();
      if (stored != measuredRows || copied != measuredRows) {
        throw new IllegalStateException("row counts differ: sink " + stored + ", copy " + copied);
      }
      final double copyRate = measuredRows / copySeconds;
      final double sinkRate = measuredRows / sinkSeconds;

      final Map<String, String> report = new LinkedHashMap<>();
      report.put("rows", Long.toString(measuredRows));
      report.put("batch (rows per transaction)", Integer.toString(batch));
      report.put("raw COPY rows/s", String.format("%.0f", copyRate));
      report.put("sink rows/s", String.format("%.0f", sinkRate));
      report.put("ratio sink / raw COPY", String.format("%.2f", sinkRate / copyRate));
      report.forEach((k, v) -> System.out.printf("%-30s %s%n", k, v));
    }
  }

  private static List<CrnMetric> generate(final String prefix, final int rows, final int perMessage) {
    final Instant monthStart = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).atStartOfDay()
        .toInstant(ZoneOffset.UTC).plusSeconds(3600);
    final List<CrnMetric> out = new ArrayList<>(rows);
    for (int i = 0; i < rows; i++) {
      final String hash = prefix + "-" + (i / perMessage);
      out.add(CrnMetric.newBuilder().setItemHash(hash).setNodeId("node-" + (i % perMessage))
          .setMeasuredAt(monthStart.plusMillis(i * 7L)).setBaseLatency(0.1 + i % 13).setBaseLatencyIpv4(0.2)
          .setFullCheckLatency(i % 5 == 0 ? null : 1.25).setDiagnosticVmLatency(2.5)
          .setMessageTime(monthStart).setSender("0xsender").setChannel("aleph-scoring").setOwner("0xsender")
          .build());
    }
    return out;
  }

  private static List<ParentRow> parents(final List<CrnMetric> rows) {
    final Map<String, ParentRow> out = new LinkedHashMap<>();
    rows.forEach(m -> out.putIfAbsent(m.getItemHash(),
        new ParentRow(m.getItemHash(), m.getMessageTime(), m.getSender(), m.getChannel(), m.getOwner())));
    return new ArrayList<>(out.values());
  }

  private static void rawCopy(final SinkRepository repository, final List<CrnMetric> rows, final int batch)
      throws Exception {
    for (int i = 0; i < rows.size(); i += batch) {
      final List<CrnMetric> slice = rows.subList(i, Math.min(rows.size(), i + batch));
      MetricCopy.copyCrn(repository.connection(), slice);
      repository.commit();
    }
  }

  private static void produce(final EmbeddedKafka kafka, final String topic, final Serializer<CrnMetric> serializer,
      final List<CrnMetric> rows) {
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ProducerConfig.LINGER_MS_CONFIG, 20,
        ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024), new StringSerializer(), new ByteArraySerializer())) {
      rows.forEach(m -> producer.send(new ProducerRecord<>(topic, m.getNodeId(), serializer.serialize(topic, m))));
      producer.flush();
    }
  }

  private static void drain(final JdbcSink sink, final long expectedRows) {
    final long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (sink.status().rowsWritten().getOrDefault("crn_metrics", 0L) < expectedRows) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("sink did not drain: " + sink.status());
      }
      if (sink.runOnce(Duration.ofMillis(50)) == 0) {
        sink.flush();
      }
    }
  }

  private static String database(final EmbeddedPostgres postgres, final String name) throws Exception {
    try (Connection c = DriverManager.getConnection(postgres.jdbcUrl("postgres"))) {
      c.createStatement().execute("CREATE DATABASE " + name);
    }
    final String url = postgres.jdbcUrl(name);
    Migrations.migrate(url, EmbeddedPostgres.SUPERUSER, "");
    return url;
  }

  private static long count(final String url) throws Exception {
    try (Connection c = DriverManager.getConnection(url);
        ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM crn_metrics")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static double seconds(final long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
