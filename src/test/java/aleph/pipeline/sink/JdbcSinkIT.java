package aleph.pipeline.sink;

import static aleph.pipeline.sink.SinkFixtures.BASE_TIME;
import static aleph.pipeline.sink.SinkFixtures.MONTH_START;
import static aleph.pipeline.sink.SinkFixtures.SCORING_SENDER;
import static aleph.pipeline.sink.SinkFixtures.accepted;
import static aleph.pipeline.sink.SinkFixtures.balance;
import static aleph.pipeline.sink.SinkFixtures.ccn;
import static aleph.pipeline.sink.SinkFixtures.crn;
import static aleph.pipeline.sink.SinkFixtures.forget;
import static aleph.pipeline.sink.SinkFixtures.history;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import aleph.pipeline.avro.credit.CreditBucket;
import aleph.pipeline.avro.metrics.CrnMetric;
import aleph.pipeline.testing.PipelineInfra;
import aleph.pipeline.testing.PipelineInfra.TestEnv;
import aleph.pipeline.topology.Topics;

@ExtendWith(PipelineInfra.class)
class JdbcSinkIT {

  private static final Duration SETTLE = Duration.ofSeconds(60);

  @Test
  void shouldLandEveryRecordExactlyOnceWhenStreamMixesMetricsCreditsAndForgets(final TestEnv env)
      throws Exception {
    // Given
    env.createTopics(2);
    final Topics topics = env.topics();
    final Set<String> expectedCrn = new HashSet<>();
    final Set<String> expectedCcn = new HashSet<>();
    final Map<String, Integer> produced = new HashMap<>();
    try (SinkFixtures fixtures = new SinkFixtures(env.config())) {
      for (int m = 0; m < 20; m++) {
        final String hash = "msg" + m;
        if (m < 15) {
          fixtures.send(topics.accepted(), hash, accepted(hash, SCORING_SENDER));
          count(produced, topics.accepted());
        }
        for (int n = 0; n < 12; n++) {
          final Instant at = BASE_TIME.plusSeconds(m * 100L + n);
          fixtures.send(topics.crnMetrics(), "crn" + n, crn(hash, "crn" + n, at));
          count(produced, topics.crnMetrics());
          if (m != 0) {
            expectedCrn.add(hash + "|crn" + n + "|" + at);
          }
          if (n < 5) {
            fixtures.send(topics.ccnMetrics(), "ccn" + n, ccn(hash, "ccn" + n, at));
            count(produced, topics.ccnMetrics());
            if (m != 0) {
              expectedCcn.add(hash + "|ccn" + n + "|" + at);
            }
          }
        }
      }
      for (int i = 0; i < 30; i++) {
        fixtures.send(topics.creditHistory(), "addr" + (i % 3), history("addr" + (i % 3), "ref" + (i / 4), i % 4,
            100 + i));
        count(produced, topics.creditHistory());
      }
      fixtures.send(topics.creditBalances(), "addr0", balance("addr0", List.of(new CreditBucket(null, 5L))));
      fixtures.send(topics.creditBalances(), "addr0", balance("addr0",
          List.of(new CreditBucket(null, 7L), new CreditBucket(BASE_TIME.plusSeconds(3600), 9L))));
      fixtures.send(topics.creditBalances(), "addr1", balance("addr1", List.of(new CreditBucket(null, 1L))));
      fixtures.send(topics.creditBalances(), "addr1", null);
      // msg0: authorised (sender, other case); msg1: someone else's; ghost: not seen yet.
      fixtures.send(topics.forgotten(), "msg0", forget("msg0", "forget-a", SCORING_SENDER.toUpperCase()));
      fixtures.send(topics.forgotten(), "msg1", forget("msg1", "forget-b", "0xstranger"));
      fixtures.send(topics.forgotten(), "ghost", forget("ghost", "forget-c", SCORING_SENDER));
      fixtures.send(topics.forgotten(), "msg0", forget("msg0", "forget-d", SCORING_SENDER));
      fixtures.flush();
    }
    final JdbcSink sink = new JdbcSink(env.config());

    // When
    drain(sink, env);

    // Then
    try (Connection c = env.connect()) {
      assertThat(metricKeys(c, "crn_metrics")).as("crn rows, msg0 forgotten").isEqualTo(expectedCrn);
      assertThat(metricKeys(c, "ccn_metrics")).as("ccn rows, msg0 forgotten").isEqualTo(expectedCcn);
      assertThat(rows(c, "SELECT base_latency, base_latency_ipv4, full_check_latency, diagnostic_vm_latency "
          + "FROM crn_metrics GROUP BY 1, 2, 3, 4")).containsExactly(List.of("0.25", "null", "1.5", "2.75"));
      assertThat(rows(c, "SELECT pending_messages, eth_height_remaining, metrics_latency FROM ccn_metrics "
          + "GROUP BY 1, 2, 3")).containsExactly(List.of("7", "null", "null"));
      final String month = DateTimeFormatter.ofPattern("yyyy_MM").format(MONTH_START.atOffset(ZoneOffset.UTC));
      assertThat(rows(c, "SELECT tableoid::regclass::text, count(*) FROM crn_metrics GROUP BY 1"))
          .containsExactly(List.of("crn_metrics_" + month, String.valueOf(expectedCrn.size())));
      assertThat(rows(c, "SELECT tableoid::regclass::text, count(*) FROM ccn_metrics GROUP BY 1"))
          .containsExactly(List.of("ccn_metrics_" + month, String.valueOf(expectedCcn.size())));
      assertThat(single(c, "SELECT count(*) FROM crn_metrics_default")).isEqualTo("0");
      assertThat(single(c, "SELECT count(*) FROM credit_history_default")).isEqualTo("0");

      assertThat(single(c, "SELECT count(*) FROM messages WHERE content IS NOT NULL")).isEqualTo("14");
      assertThat(rows(c, "SELECT item_hash, chain, content IS NULL FROM messages WHERE content IS NULL "
          + "ORDER BY 1")).extracting(r -> r.get(0))
          .containsExactly("msg15", "msg16", "msg17", "msg18", "msg19");
      assertThat(single(c, "SELECT content->>'hash' FROM messages WHERE item_hash = 'msg7'")).isEqualTo("msg7");
      assertThat(rows(c, "SELECT item_hash, forgotten_by::text, applied FROM forgotten_messages ORDER BY 1"))
          .containsExactly(
              List.of("ghost", "{forget-c}", "t"),
              List.of("msg0", "{forget-a,forget-d}", "t"),
              List.of("msg1", "{forget-b}", "f"));

      assertThat(single(c, "SELECT count(*) FROM credit_history")).isEqualTo(String.valueOf(30));
      assertThat(single(c, "SELECT sum(amount) FROM credit_history")).isEqualTo(String.valueOf(
          java.util.stream.IntStream.range(0, 30).map(i -> 100 + i).sum()));
      assertThat(rows(c, "SELECT address, CASE WHEN expiration_date = 'infinity' THEN 'infinity' "
          + "ELSE extract(epoch FROM expiration_date)::bigint::text END, amount FROM credit_balances ORDER BY 1, 2"))
          .containsExactlyInAnyOrder(
              List.of("addr0", "infinity", "7"),
              List.of("addr0", String.valueOf(BASE_TIME.plusSeconds(3600).getEpochSecond()), "9"));
      assertThat(offsets(c)).isEqualTo(endOffsets(env, topics));
    }

    // When: a late row and parent of the forgotten "ghost" arrive
    try (SinkFixtures fixtures = new SinkFixtures(env.config())) {
      fixtures.send(topics.accepted(), "ghost", accepted("ghost", SCORING_SENDER));
      fixtures.send(topics.crnMetrics(), "late", crn("ghost", "late", BASE_TIME));
      fixtures.send(topics.crnMetrics(), "late", crn("msg0", "late", BASE_TIME));
      fixtures.flush();
    }
    drain(sink, env);

    // Then
    try (Connection c = env.connect()) {
      assertThat(single(c, "SELECT count(*) FROM crn_metrics WHERE item_hash IN ('ghost', 'msg0')")).isEqualTo("0");
      assertThat(single(c, "SELECT count(*) FROM messages WHERE item_hash IN ('ghost', 'msg0')")).isEqualTo("0");
    }

    // When: everything is replayed from offset 0 into the same database
    final Map<String, List<List<String>>> before = snapshot(env);
    sink.close();
    try (Connection c = env.connect()) {
      c.createStatement().execute("DELETE FROM sink_offsets");
    }
    try (JdbcSink replay = new JdbcSink(env.config())) {
      drain(replay, env);
      assertThat(replay.status().rowsWritten().get("crn_metrics")).as("nothing new on replay").isZero();
    }

    // Then
    assertThat(snapshot(env)).isEqualTo(before);
  }

  @Test
  void shouldDeadLetterUnstorableRecordsAndKeepGoingWhenValuesDoNotFitTheSchema(final TestEnv env)
      throws Exception {
    // Given
    env.createTopics(1);
    final Topics topics = env.topics();
    try (SinkFixtures fixtures = new SinkFixtures(env.config())) {
      fixtures.send(topics.crnMetrics(), "a", crn("p1", "good-1", BASE_TIME));
      fixtures.send(topics.crnMetrics(), "b", crn("p1", "ancient", Instant.parse("-9000-01-01T00:00:00Z")));
      fixtures.send(topics.crnMetrics(), "c", crn("p1", "nul\u0000node", BASE_TIME));
      fixtures.sendRaw(topics.crnMetrics(), "d", "not avro".getBytes(StandardCharsets.UTF_8));
      fixtures.send(topics.accepted(), "p2", acceptedWithContent("p2", "{\"broken\": "));
      fixtures.send(topics.crnMetrics(), "e", crn("p1", "good-2", BASE_TIME));
      fixtures.flush();
    }

    // When
    try (JdbcSink sink = new JdbcSink(env.config())) {
      drain(sink, env);

      // Then
      assertThat(sink.status().deadLettered()).isEqualTo(4);
    }
    try (Connection c = env.connect()) {
      assertThat(rows(c, "SELECT node_id FROM crn_metrics ORDER BY 1"))
          .containsExactly(List.of("good-1"), List.of("good-2"));
      assertThat(single(c, "SELECT count(*) FROM messages WHERE item_hash = 'p2'")).isEqualTo("0");
    }
    final List<ConsumerRecord<byte[], byte[]>> letters = readAll(env, topics.deadLetters(), 4);
    assertThat(letters).extracting(r -> header(r, JdbcSink.HEADER_REASON))
        .anyMatch(reason -> reason.contains("outside the storable timestamptz range"))
        .anyMatch(reason -> reason.contains("NUL"))
        .anyMatch(reason -> reason.startsWith("undecodable"))
        .anyMatch(reason -> reason.contains("not valid JSON"));
    assertThat(letters).extracting(r -> header(r, JdbcSink.HEADER_TOPIC)).containsOnly(topics.crnMetrics(),
        topics.accepted());
    assertThat(letters).extracting(r -> header(r, JdbcSink.HEADER_OFFSET)).containsExactlyInAnyOrder("1", "2", "3",
        "0");
  }

  @Test
  void shouldRollBackReconnectAndRetryWhenTheConnectionIsCut(final TestEnv env) throws Exception {
    // Given
    env.createTopics(1);
    final Topics topics = env.topics();
    final List<CrnMetric> sent = new ArrayList<>();
    try (SinkFixtures fixtures = new SinkFixtures(env.config());
        JdbcSink sink = new JdbcSink(env.config())) {
      for (int i = 0; i < 500; i++) {
        sent.add(crn("p" + (i / 50), "node" + i, BASE_TIME.plusSeconds(i)));
      }
      sent.subList(0, 250).forEach(m -> fixtures.send(topics.crnMetrics(), m.getNodeId(), m));
      fixtures.flush();
      drain(sink, env);

      // When
      try (Connection c = env.connect()) {
        c.createStatement().execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            + "WHERE application_name = '" + env.config().getString("sink.group.id") + "'");
      }
      sent.subList(250, 500).forEach(m -> fixtures.send(topics.crnMetrics(), m.getNodeId(), m));
      fixtures.flush();
      drain(sink, env);

      // Then
      assertThat(sink.status().failures()).isGreaterThanOrEqualTo(1);
      assertThat(sink.status().lastError()).isNotNull();
    }
    try (Connection c = env.connect()) {
      assertThat(single(c, "SELECT count(*) FROM crn_metrics")).isEqualTo("500");
      assertThat(single(c, "SELECT count(DISTINCT node_id) FROM crn_metrics")).isEqualTo("500");
      assertThat(offsets(c)).isEqualTo(endOffsets(env, topics));
    }
  }

  @Test
  void shouldRefuseTheBatchWhenAnotherMemberMovedTheStoredOffsets(final TestEnv env) throws Exception {
    // Given
    env.createTopics(1);
    final Topics topics = env.topics();
    try (SinkFixtures fixtures = new SinkFixtures(env.config());
        JdbcSink sink = new JdbcSink(env.config())) {
      for (int i = 0; i < 100; i++) {
        fixtures.send(topics.crnMetrics(), "n" + i, crn("p", "n" + i, BASE_TIME.plusSeconds(i)));
      }
      fixtures.flush();
      drain(sink, env);
      try (Connection c = env.connect()) {
        // Another member (a zombie's successor) rewound the partition behind this one's back.
        c.createStatement().execute("UPDATE sink_offsets SET next_offset = 40");
      }

      // When
      for (int i = 100; i < 150; i++) {
        fixtures.send(topics.crnMetrics(), "n" + i, crn("p", "n" + i, BASE_TIME.plusSeconds(i)));
      }
      fixtures.flush();
      drain(sink, env);

      // Then
      assertThat(sink.status().failures()).isEqualTo(1);
      assertThat(sink.status().lastError()).contains("moved under this member");
    }
    try (Connection c = env.connect()) {
      assertThat(single(c, "SELECT count(*) FROM crn_metrics")).isEqualTo("150");
      assertThat(offsets(c)).isEqualTo(endOffsets(env, topics));
    }
  }

  @Test
  void shouldKeepRowsExactWhenASecondMemberJoinsAndPartitionsMoveMidStream(final TestEnv env) throws Exception {
    // Given
    env.createTopics(4);
    final Topics topics = env.topics();
    final int rows = 20_000;
    final JdbcSink first = new JdbcSink(env.config().with(java.util.Map.of("sink.batch.max.records", 500)));
    final Thread firstThread = new Thread(first, "sink-first");
    firstThread.start();
    JdbcSink second = null;
    Thread secondThread = null;
    try (SinkFixtures fixtures = new SinkFixtures(env.config())) {
      for (int i = 0; i < rows / 2; i++) {
        fixtures.send(topics.crnMetrics(), "n" + (i % 97), crn("p" + (i / 100), "n" + i, BASE_TIME.plusSeconds(i)));
      }
      fixtures.flush();
      await().atMost(SETTLE).until(() -> first.status().batches() > 0);

      // When: a second member joins while rows are being written, then the first leaves
      second = new JdbcSink(env.config().with(java.util.Map.of("sink.batch.max.records", 500)));
      secondThread = new Thread(second, "sink-second");
      secondThread.start();
      final JdbcSink joining = second;
      await().alias("second member assigned").atMost(SETTLE)
          .until(() -> !joining.status().committedOffsets().isEmpty());
      for (int i = rows / 2; i < rows; i++) {
        fixtures.send(topics.crnMetrics(), "n" + (i % 97), crn("p" + (i / 100), "n" + i, BASE_TIME.plusSeconds(i)));
      }
      fixtures.flush();
      final JdbcSink secondSink = second;
      await().atMost(SETTLE).until(() -> secondSink.status().batches() > 0);
      first.close();

      // Then
      final Map<String, Long> end = endOffsets(env, topics);
      await().alias("second member finished the stream").atMost(SETTLE).until(() -> {
        try (Connection c = env.connect()) {
          return offsets(c).equals(end);
        }
      });
    } finally {
      first.close();
      if (second != null) {
        second.close();
      }
    }
    assertThat(firstThread.isAlive()).isFalse();
    try (Connection c = env.connect()) {
      assertThat(single(c, "SELECT count(*) FROM crn_metrics")).isEqualTo(String.valueOf(rows));
      assertThat(single(c, "SELECT count(DISTINCT node_id) FROM crn_metrics")).isEqualTo(String.valueOf(rows));
    }
  }

  // ---- helpers ----

  /** Runs the sink until sink_offsets equal the end offsets of every input partition. */
  static void drain(final JdbcSink sink, final TestEnv env) {
    final Map<String, Long> end = endOffsets(env, env.topics());
    await().alias("sink caught up").atMost(SETTLE).pollInterval(Duration.ofMillis(1)).until(() -> {
      sink.runOnce(Duration.ofMillis(200));
      sink.flush();
      try (Connection c = env.connect()) {
        return offsets(c).equals(end);
      }
    });
  }

  static Map<String, Long> endOffsets(final TestEnv env, final Topics topics) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers(),
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      final List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : topics.sinkInputs()) {
        consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      }
      final Map<String, Long> out = new HashMap<>();
      consumer.endOffsets(partitions).forEach((tp, offset) -> {
        if (offset > 0) {
          out.put(tp.topic() + "-" + tp.partition(), offset);
        }
      });
      return out;
    }
  }

  static Map<String, Long> offsets(final Connection c) throws SQLException {
    final Map<String, Long> out = new HashMap<>();
    try (ResultSet rs = c.createStatement().executeQuery("SELECT topic, partition, next_offset FROM sink_offsets")) {
      while (rs.next()) {
        out.put(rs.getString(1) + "-" + rs.getInt(2), rs.getLong(3));
      }
    }
    return out;
  }

  private static Set<String> metricKeys(final Connection c, final String table) throws SQLException {
    final Set<String> out = new HashSet<>();
    try (ResultSet rs = c.createStatement().executeQuery(
        "SELECT item_hash, node_id, measured_at FROM " + table)) {
      while (rs.next()) {
        out.add(rs.getString(1) + "|" + rs.getString(2) + "|"
            + rs.getObject(3, java.time.OffsetDateTime.class).toInstant());
      }
    }
    return out;
  }

  static List<List<String>> rows(final Connection c, final String sql) throws SQLException {
    final List<List<String>> out = new ArrayList<>();
    try (ResultSet rs = c.createStatement().executeQuery(sql)) {
      final ResultSetMetaData meta = rs.getMetaData();
      while (rs.next()) {
        final List<String> row = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          row.add(String.valueOf(rs.getString(i)));
        }
        out.add(row);
      }
    }
    return out;
  }

  static String single(final Connection c, final String sql) throws SQLException {
    return rows(c, sql).get(0).get(0);
  }

  private static Map<String, List<List<String>>> snapshot(final TestEnv env) throws SQLException {
    final Map<String, List<List<String>>> out = new HashMap<>();
    try (Connection c = env.connect()) {
      out.put("messages", rows(c, "SELECT item_hash, type, chain, sender, channel, time, owner, content_type, "
          + "content, size, kind FROM messages ORDER BY item_hash"));
      out.put("crn", rows(c, "SELECT measured_at, item_hash, node_id, base_latency FROM crn_metrics ORDER BY 1, 2, 3"));
      out.put("ccn", rows(c, "SELECT measured_at, item_hash, node_id, pending_messages FROM ccn_metrics "
          + "ORDER BY 1, 2, 3"));
      out.put("history", rows(c, "SELECT credit_ref, credit_index, message_timestamp, address, amount, price "
          + "FROM credit_history ORDER BY 1, 2, 3"));
      out.put("balances", rows(c, "SELECT address, expiration_date, amount FROM credit_balances ORDER BY 1, 2"));
      out.put("forgotten", rows(c, "SELECT item_hash, forgotten_by, forgotten_at, forget_sender, applied "
          + "FROM forgotten_messages ORDER BY 1"));
    }
    return out;
  }

  private static void count(final Map<String, Integer> produced, final String topic) {
    produced.merge(topic, 1, Integer::sum);
  }

  private static aleph.pipeline.avro.message.AcceptedMessage acceptedWithContent(final String hash,
      final String content) {
    final var message = accepted(hash, SCORING_SENDER);
    message.setContent(content);
    return message;
  }

  private static List<ConsumerRecord<byte[], byte[]>> readAll(final TestEnv env, final String topic,
      final int expected) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers(),
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      final List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      final List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
      await().atMost(SETTLE).until(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
        return out.size() >= expected;
      });
      return out;
    }
  }

  private static String header(final ConsumerRecord<byte[], byte[]> record, final String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
