package aleph.pipeline.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import aleph.pipeline.cli.TopologyCommand;
import aleph.pipeline.config.PipelineConfig;

/**
 * topology/ is the reviewed contract of the stream graph. When a change to the topology is intended,
 * regenerate the golden file with {@code mvn test -Dtest=TopologyContractTest -Dtopology.update=true} and
 * review the diff: a renamed store or repartition topic loses state.
 */
class TopologyContractTest {

  private static final Path GOLDEN = Path.of("topology", "topology.txt");
  private static final Pattern TOPICS = Pattern.compile("(?:topics|topic): \\[?([^\\]\\n)]+)");

  @Test
  void shouldMatchTheGoldenDescription() throws Exception {
    // Given
    final String actual = TopologyCommand.describe(PipelineConfig.defaults());
    if (Boolean.getBoolean("topology.update")) {
      Files.writeString(GOLDEN, actual, StandardCharsets.UTF_8);
    }

    // Then
    assertThat(actual)
        .as("topology differs from %s; if intended, rerun with -Dtopology.update=true and review the diff", GOLDEN)
        .isEqualTo(Files.readString(GOLDEN, StandardCharsets.UTF_8));
  }

  @Test
  void shouldUseOnlyCatalogTopicsBesidesItsOwnRepartitionTopics() {
    // Given
    final String description = TopologyCommand.describe(PipelineConfig.defaults());
    final TopicCatalog catalog = TopicCatalog.load();

    // When
    final Set<String> used = new TreeSet<>();
    final Matcher m = TOPICS.matcher(description);
    while (m.find()) {
      for (String topic : m.group(1).split(",")) {
        used.add(topic.trim());
      }
    }

    // Then
    assertThat(used).isNotEmpty();
    assertThat(used).allSatisfy(topic -> assertThat(catalog.find(topic).isPresent() || topic.endsWith("-repartition"))
        .as("topic %s is neither in topology/topics.yaml nor an internal repartition topic", topic).isTrue());
    assertThat(used).contains(Topics.MESSAGES, Topics.CRN_METRICS, Topics.CCN_METRICS, Topics.CREDIT_BALANCES);
  }
}
