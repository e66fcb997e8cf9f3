package aleph.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import aleph.pipeline.cli.Main;
import aleph.pipeline.config.PipelineConfig;
import aleph.pipeline.topology.TopicCatalog;

/** README.md stays true: it names every configuration key, topic and command the code has. */
class ReadmeTest {

  private static String readme() throws Exception {
    return Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
  }

  @Test
  void shouldDocumentEveryConfigurationKey() throws Exception {
    final String readme = readme();
    assertThat(PipelineConfig.DEFINITION.names()).allSatisfy(key -> assertThat(readme).contains("`" + key + "`"));
  }

  @Test
  void shouldDocumentEveryCatalogTopic() throws Exception {
    final String readme = readme();
    assertThat(TopicCatalog.load().entries()).allSatisfy(e -> assertThat(readme).contains("`" + e.name() + "`"));
  }

  @Test
  void shouldDocumentEveryCommand() throws Exception {
    final String readme = readme();
    assertThat(new CommandLine(new Main()).getSubcommands().keySet()).filteredOn(name -> !name.equals("help"))
        .allSatisfy(command -> assertThat(readme).contains("aleph-pipeline " + command));
  }

  @Test
  void shouldOpenWithTheTwoCommandsThatCiRuns() throws Exception {
    final String readme = readme();
    assertThat(readme).contains("./aleph-pipeline demo", "mvn -B verify");
    assertThat(Files.readString(Path.of(".ci", "run"))).contains("mvn -B verify");
  }
}
