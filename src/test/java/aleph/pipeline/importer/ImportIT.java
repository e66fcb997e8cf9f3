package aleph.pipeline.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

import aleph.pipeline.avro.message.AcceptedMessage;
import aleph.pipeline.avro.message.ForgottenMessage;
import aleph.pipeline.avro.message.MessageKind;
import aleph.pipeline.avro.metrics.CcnMetric;
import aleph.pipeline.avro.metrics.CrnMetric;
import aleph.pipeline.cli.ImportCommand;
import aleph.pipeline.config.PipelineConfig;
import aleph.pipeline.metrics.PipelineCounters;
import aleph.pipeline.serde.SerdeFactory;
import aleph.pipeline.testing.PipelineInfra;
import aleph.pipeline.testing.PipelineInfra.TestEnv;
import aleph.pipeline.topology.MessageTopology;
import aleph.pipeline.topology.StreamsSettings;
import aleph.pipeline.topology.Topics;

/** {@code import} of an API page of scoring messages into a real broker, through the real message topology. */
@ExtendWith(PipelineInfra.class)
class ImportIT {

  private static final String FIRST = "28d92669200681eac360547bc6061d6a23153cf54a71d8fb9cc3d27438ea4ed5";
  private static final String SECOND = "37c74228b81757ff3ee15e75e0773c618d8a070b0c350313da2efb7ff04381ef";

  @TempDir
  Path dir;

  @Test
  void shouldFindMetricAndAcceptedRecordsWhenApiPageIsImported(final TestEnv env) throws Exception {
    // Given
    env.createTopics(2);
    final Topics topics = env.topics();
    final PipelineCounters counters = new PipelineCounters();
    final Path file = fixture("scoring-api-page.json");

    try (KafkaStreams streams = startTopology(env, counters)) {
      // When
      final StringWriter out = new StringWriter();
      final StringWriter err = new StringWriter();
      final int exit = runImport(env.config(), file, out, err);

      // Then
      assertThat(exit).as(err.toString()).isZero();
      assertThat(out.toString()).contains("produced 3 messages to " + topics.messages(), "skipped 0");
      final List<CrnMetric> crn = readAll(env, topics.crnMetrics(), CrnMetric.class, 3);
      final List<CcnMetric> ccn = readAll(env, topics.ccnMetrics(), CcnMetric.class, 3);
      final List<AcceptedMessage> accepted = readAll(env, topics.accepted(), AcceptedMessage.class, 2);
      assertThat(crn).extracting(CrnMetric::getItemHash).containsExactlyInAnyOrder(FIRST, FIRST, SECOND);
      assertThat(crn).filteredOn(m -> m.getItemHash().equals(FIRST))
          .extracting(CrnMetric::getMeasuredAt)
          .contains(Instant.parse("2023-11-29T12:32:01.356539Z"));
      assertThat(crn).allSatisfy(m -> assertThat(m.getOwner()).isEqualTo("0x4D52380D3191274a04846c89c069E6C3F2Ed94e4"));
      assertThat(ccn).extracting(CcnMetric::getItemHash).containsExactlyInAnyOrder(FIRST, SECOND, SECOND);
      assertThat(accepted).extracting(AcceptedMessage::getItemHash).containsExactlyInAnyOrder(FIRST, SECOND);
      assertThat(accepted).extracting(AcceptedMessage::getKind).containsOnly(MessageKind.SCORING);
      assertThat(counters.count("messages.seen")).isEqualTo(3);
      assertThat(counters.count("messages.ignored", "reason", "channel")).isEqualTo(1);
    } finally {
      env.dropRegistry();
    }
  }

  @Test
  void shouldFindForgottenTargetWhenInlineForgetIsImported(final TestEnv env) throws Exception {
    // Given: the DOMAIN 1.5 post and its FORGET, inline, as NDJSON
    env.createTopics(1);
    final Path file = fixture("forget-flow.ndjson");

    try (KafkaStreams streams = startTopology(env, new PipelineCounters())) {
      // When
      final StringWriter err = new StringWriter();
      final int exit = runImport(env.config(), file, new StringWriter(), err);

      // Then
      assertThat(exit).as(err.toString()).isZero();
      final List<ForgottenMessage> forgotten = readAll(env, env.topics().forgotten(), ForgottenMessage.class, 1);
      assertThat(forgotten).singleElement().satisfies(target -> {
        assertThat(target.getTargetHash()).isEqualTo(
            "fc1e7b1edc2348eb78303fb1342e31e5ad3820249629032d37f8223e754a5f8e");
        assertThat(target.getForgetHash()).isEqualTo(
            "431a0d2f79ecfa859949d2a09f67068ce7ebd4eb777d179ad958be6c79abc66b");
        assertThat(target.getForgottenAt()).isEqualTo(Instant.parse("2022-05-17T11:22:14.113925Z"));
      });
      assertThat(readAll(env, env.topics().accepted(), AcceptedMessage.class, 1))
          .extracting(AcceptedMessage::getKind).containsExactly(MessageKind.FORGET);
    } finally {
      env.dropRegistry();
    }
  }

  /** The message topology alone on the real broker; credit candidates stay unterminated (no ledger here). */
  private static KafkaStreams startTopology(final TestEnv env, final PipelineCounters counters) {
    final PipelineConfig config = env.config();
    final Properties props = new Properties();
    props.putAll(StreamsSettings.properties(config, env.topics()));
    final StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(props)));
    MessageTopology.build(builder, config, env.topics(), new SerdeFactory(config.serdeProperties()), counters);
    final KafkaStreams streams = new KafkaStreams(builder.build(), props);
    streams.start();
    await().alias("streams running").atMost(Duration.ofSeconds(60))
        .until(() -> streams.state() == KafkaStreams.State.RUNNING);
    return streams;
  }

  private int runImport(final PipelineConfig config, final Path file, final StringWriter out,
      final StringWriter err) throws Exception {
    final CommandLine cli = new CommandLine(new ImportCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute("--config", writeConfig(config).toString(), file.toString());
  }

  private Path fixture(final String name) throws Exception {
    final Path file = dir.resolve(name);
    Files.copy(getClass().getResourceAsStream("/messages/" + name), file);
    return file;
  }

  /** Every connection key of the test environment, as a configuration file for the command. */
  private Path writeConfig(final PipelineConfig config) throws Exception {
    final Properties file = new Properties();
    config.originals().forEach((key, value) -> file.setProperty(key, String.valueOf(value)));
    file.setProperty(PipelineConfig.DATA_DIR, dir.resolve("data").toString());
    final Path path = dir.resolve("pipeline.properties");
    try (Writer writer = Files.newBufferedWriter(path)) {
      file.store(writer, null);
    }
    return path;
  }

  private static <T extends SpecificRecord> List<T> readAll(final TestEnv env, final String topic,
      final Class<T> type, final int expected) {
    final SerdeFactory serdes = new SerdeFactory(env.config().serdeProperties());
    final List<T> records = new ArrayList<>();
    try (KafkaConsumer<String, T> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, env.name() + "-" + topic,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
        serdes.key().deserializer(), serdes.value(type).deserializer())) {
      consumer.subscribe(List.of(topic));
      await().alias(expected + " records on " + topic).atMost(Duration.ofSeconds(60)).until(() -> {
        for (ConsumerRecord<String, T> record : consumer.poll(Duration.ofMillis(200))) {
          records.add(record.value());
        }
        return records.size() >= expected;
      });
      // A short extra poll would reveal duplicates or strays beyond the expected count.
      consumer.poll(Duration.ofMillis(500)).forEach(record -> records.add(record.value()));
    }
    return records;
  }
}
