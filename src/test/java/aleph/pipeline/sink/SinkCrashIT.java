package aleph.pipeline.sink;

import static aleph.pipeline.sink.JdbcSinkIT.endOffsets;
import static aleph.pipeline.sink.JdbcSinkIT.offsets;
import static aleph.pipeline.sink.JdbcSinkIT.single;
import static aleph.pipeline.sink.SinkFixtures.BASE_TIME;
import static aleph.pipeline.sink.SinkFixtures.SCORING_SENDER;
import static aleph.pipeline.sink.SinkFixtures.accepted;
import static aleph.pipeline.sink.SinkFixtures.ccn;
import static aleph.pipeline.sink.SinkFixtures.crn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import aleph.pipeline.config.PipelineConfig;
import aleph.pipeline.testing.PipelineInfra;
import aleph.pipeline.testing.PipelineInfra.TestEnv;
import aleph.pipeline.topology.Topics;

/**
 * The sink in a child JVM, killed hard (SIGKILL) or cut from PostgreSQL at random instants while more than
 * 100,000 metric rows flow; once it settles every row is stored exactly once and the offsets are at the end.
 */
@ExtendWith(PipelineInfra.class)
class SinkCrashIT {

  private static final int MESSAGES = 1_000;
  private static final int CRN_PER_MESSAGE = 80;
  private static final int CCN_PER_MESSAGE = 25;
  private static final int CYCLES = 10;

  @Test
  void shouldStoreEveryRowExactlyOnceWhenTheSinkIsKilledRepeatedlyMidStream(final TestEnv env) throws Exception {
    // Given
    env.createTopics(3);
    final Topics topics = env.topics();
    final Path settings = childSettings(env);
    final Random random = new Random(Long.getLong("crash.seed", System.nanoTime()));
    final Path logs = Files.createDirectories(Path.of("target", "sink-crash-logs", env.name()));
    int kills = 0;
    int cuts = 0;
    Process child = null;

    // When
    try (SinkFixtures fixtures = new SinkFixtures(env.config())) {
      for (int cycle = 0; cycle < CYCLES; cycle++) {
        produceSlice(fixtures, topics, cycle);
        if (child == null || !child.isAlive()) {
          child = startChild(settings, logs.resolve("child-" + cycle + ".log"));
        }
        final long runFor = 3_500 + random.nextInt(3_500);
        assertThat(child.waitFor(runFor, TimeUnit.MILLISECONDS)).as("child exited by itself").isFalse();
        if (cycle % 3 == 2) {
          cuts += cutConnections(env);
        } else {
          child.destroyForcibly().waitFor();
          kills++;
        }
      }
      if (child.isAlive()) {
        child.destroyForcibly().waitFor();
        kills++;
      }
    }
    final long storedBeforeFinalRun;
    try (Connection c = env.connect()) {
      storedBeforeFinalRun = Long.parseLong(single(c, "SELECT count(*) FROM crn_metrics"));
    }
    final Process last = startChild(settings, logs.resolve("child-final.log"));
    try {
      final Map<String, Long> end = endOffsets(env, topics);
      await().alias("sink settled").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
          .until(() -> {
            try (Connection c = env.connect()) {
              return offsets(c).equals(end);
            }
          });
    } finally {
      last.destroyForcibly().waitFor();
    }

    // Then
    assertThat(kills).isGreaterThanOrEqualTo(6);
    assertThat(cuts).as("backends terminated").isGreaterThanOrEqualTo(1);
    assertThat(storedBeforeFinalRun).as("the killed sinks made progress").isPositive();
    try (Connection c = env.connect()) {
      assertThat(single(c, "SELECT count(*) FROM crn_metrics"))
          .isEqualTo(String.valueOf(MESSAGES * CRN_PER_MESSAGE));
      assertThat(single(c, "SELECT count(*) FROM ccn_metrics"))
          .isEqualTo(String.valueOf(MESSAGES * CCN_PER_MESSAGE));
      assertThat(single(c, "SELECT count(*) FROM (SELECT item_hash FROM crn_metrics GROUP BY item_hash "
          + "HAVING count(*) = " + CRN_PER_MESSAGE + " AND count(DISTINCT node_id) = " + CRN_PER_MESSAGE + ") x"))
          .as("every message has each of its CRN rows once").isEqualTo(String.valueOf(MESSAGES));
      assertThat(single(c, "SELECT count(*) FROM (SELECT item_hash FROM ccn_metrics GROUP BY item_hash "
          + "HAVING count(*) = " + CCN_PER_MESSAGE + " AND count(DISTINCT node_id) = " + CCN_PER_MESSAGE + ") x"))
          .as("every message has each of its CCN rows once").isEqualTo(String.valueOf(MESSAGES));
      assertThat(single(c, "SELECT count(*) FROM messages")).isEqualTo(String.valueOf(MESSAGES));
      assertThat(single(c, "SELECT count(*) FROM messages WHERE content IS NOT NULL"))
          .isEqualTo(String.valueOf(MESSAGES / 2));
      assertThat(offsets(c)).isEqualTo(endOffsets(env, topics));
    }
  }

  /** Each cycle produces its share of the messages, so rows keep arriving between kills. */
  private static void produceSlice(final SinkFixtures fixtures, final Topics topics, final int cycle) {
    final int per = MESSAGES / CYCLES;
    for (int m = cycle * per; m < (cycle + 1) * per; m++) {
      final String hash = "crash" + m;
      if (m % 2 == 0) {
        fixtures.send(topics.accepted(), hash, accepted(hash, SCORING_SENDER));
      }
      for (int n = 0; n < CRN_PER_MESSAGE; n++) {
        fixtures.send(topics.crnMetrics(), "crn" + n, crn(hash, "crn" + n, BASE_TIME.plusSeconds(m)));
      }
      for (int n = 0; n < CCN_PER_MESSAGE; n++) {
        fixtures.send(topics.ccnMetrics(), "ccn" + n, ccn(hash, "ccn" + n, BASE_TIME.plusSeconds(m)));
      }
    }
    fixtures.flush();
  }

  private static Path childSettings(final TestEnv env) throws Exception {
    final PipelineConfig config = env.config();
    final Properties properties = new Properties();
    for (String key : List.of(PipelineConfig.BOOTSTRAP_SERVERS, PipelineConfig.JDBC_URL, PipelineConfig.JDBC_USER,
        PipelineConfig.SCHEMA_REGISTRY_URL, PipelineConfig.TOPIC_PREFIX, PipelineConfig.SINK_GROUP_ID)) {
      properties.setProperty(key, config.getString(key));
    }
    properties.setProperty(PipelineConfig.JDBC_PASSWORD, config.password(PipelineConfig.JDBC_PASSWORD));
    properties.setProperty(PipelineConfig.SINK_BATCH_MAX_RECORDS, "3000");
    properties.setProperty(PipelineConfig.SINK_RETRY_BACKOFF_MS, "50");
    properties.setProperty(PipelineConfig.SINK_RETRY_BACKOFF_MAX_MS, "500");
    // A restarted member takes over its predecessor's partitions at once instead of waiting out its session.
    properties.setProperty("consumer.group.instance.id", env.name() + "-sink");
    properties.setProperty("consumer.session.timeout.ms", "10000");
    final Path file = Files.createTempFile(Path.of("target").toAbsolutePath(), "sink-crash-", ".properties");
    try (OutputStream out = Files.newOutputStream(file)) {
      properties.store(out, "crash-test sink");
    }
    return file;
  }

  private static Process startChild(final Path settings, final Path log) throws Exception {
    final List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(SinkProcessMain.class.getName());
    command.add(settings.toString());
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
        .directory(new File(".").getAbsoluteFile()).start();
  }

  private static int cutConnections(final TestEnv env) throws Exception {
    try (Connection c = env.connect()) {
      return Integer.parseInt(single(c, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
          + "WHERE application_name = '" + env.config().getString(PipelineConfig.SINK_GROUP_ID) + "'"));
    }
  }
}
