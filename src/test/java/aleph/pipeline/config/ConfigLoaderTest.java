package aleph.pipeline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @TempDir
  Path dir;

  @Test
  void shouldApplyReferenceDefaultsWhenNothingIsConfigured() {
    // When
    final PipelineConfig config = ConfigLoader.load(null, Map.of(), Map.of());

    // Then
    assertThat(config.getList(PipelineConfig.SCORING_ADDRESSES))
        .containsExactly("0x4D52380D3191274a04846c89c069E6C3F2Ed94e4");
    assertThat(config.getString(PipelineConfig.SCORING_CHANNEL)).isEqualTo("aleph-scoring");
    assertThat(config.getList(PipelineConfig.CREDIT_CHANNELS)).containsExactly("ALEPH_CREDIT");
    assertThat(config.getLong(PipelineConfig.CREDIT_PRECISION_CUTOFF)).isEqualTo(1769990400L);
    assertThat(config.embeddedKafka()).isTrue();
    assertThat(config.embeddedDatabase()).isTrue();
    assertThat(config.registryUrl()).startsWith("mock://");
  }

  @Test
  void shouldLetEnvironmentWinOverFileAndFlagsWinOverEnvironment() throws Exception {
    // Given
    final Path file = dir.resolve("pipeline.properties");
    Files.writeString(file, "scoring.channel=from-file\nhttp.port=9000\ncredit.drain.policy=emission-order\n");
    final Map<String, String> env = Map.of("ALEPH_PIPELINE_SCORING_CHANNEL", "from-env",
        "ALEPH_PIPELINE_HTTP_PORT", "9001", "UNRELATED", "x");

    // When
    final PipelineConfig config = ConfigLoader.load(file, env, Map.of("http.port", "9002"));

    // Then
    assertThat(config.getString(PipelineConfig.SCORING_CHANNEL)).isEqualTo("from-env");
    assertThat(config.getInt(PipelineConfig.HTTP_PORT)).isEqualTo(9002);
    assertThat(config.getString(PipelineConfig.CREDIT_DRAIN_POLICY)).isEqualTo("emission-order");
  }

  @Test
  void shouldFlattenYamlAndPassKafkaPropertiesThroughUnderPrefixes() throws Exception {
    // Given
    final Path file = dir.resolve("pipeline.yaml");
    Files.writeString(file, """
        scoring:
          addresses: [0xA, 0xB]
        kafka:
          security.protocol: SSL
        streams:
          num.stream.threads: 4
        """);

    // When
    final PipelineConfig config = ConfigLoader.load(file, Map.of(), Map.of());

    // Then
    assertThat(config.getList(PipelineConfig.SCORING_ADDRESSES)).containsExactly("0xA", "0xB");
    assertThat(config.clientProperties("streams"))
        .containsEntry("security.protocol", "SSL")
        .containsEntry("num.stream.threads", "4");
    assertThat(config.clientProperties("consumer")).containsOnlyKeys("security.protocol");
  }

  @Test
  void shouldMapDoubleUnderscoreInEnvironmentNamesToALiteralUnderscore() {
    // When
    final Map<String, String> keys = ConfigLoader.fromEnvironment(
        Map.of("ALEPH_PIPELINE_PARTITIONS_CRN__METRICS_RETENTION", "6"));

    // Then
    assertThat(keys).containsExactly(Map.entry("partitions.crn_metrics.retention", "6"));
  }

  @Test
  void shouldNameTheKeyWhenItIsUnknown() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("scoring.chanel", "x")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("unknown configuration key 'scoring.chanel' (see README.md, Configuration)");
  }

  @Test
  void shouldNameTheKeyWhenItsValueIsMalformed() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("ALEPH_PIPELINE_HTTP_PORT", "eighty"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("http.port")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("credit.drain.policy", "lifo")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("credit.drain.policy");
  }

  @Test
  void shouldReportAMissingConfigurationFileInOneLine() {
    assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("absent.yaml"), Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("absent.yaml");
  }

  @Test
  void shouldDefaultLookaheadByInterval() {
    // When
    final PipelineConfig config = ConfigLoader.load(null, Map.of(),
        Map.of("partitions.ccn_metrics.interval", "day", "partitions.credit_history.lookahead", "3"));

    // Then
    assertThat(config.partitionLookahead("crn_metrics")).isEqualTo(1);
    assertThat(config.partitionLookahead("ccn_metrics")).isEqualTo(7);
    assertThat(config.partitionLookahead("credit_history")).isEqualTo(3);
  }
}
