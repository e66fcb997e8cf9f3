package aleph.pipeline.cli;

import java.util.List;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import aleph.pipeline.config.PipelineConfig;
import aleph.pipeline.runtime.TopicAdmin;
import aleph.pipeline.topology.TopicCatalog;

/** {@code topics create|describe}: the catalog's topics on the configured (or running embedded) broker. */
@Command(name = "topics", mixinStandardHelpOptions = true,
    description = "Create or describe the topics of the catalog (topology/topics.yaml).")
public final class TopicsCommand {

  @Mixin
  ConfigOptions config;

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create the catalog topics that are missing.")
  int create() {
    try (TopicAdmin admin = new TopicAdmin(brokerConfig())) {
      final List<String> created = admin.createMissing(TopicCatalog.load());
      System.out.println(created.isEmpty() ? "all catalog topics exist" : "created " + String.join(", ", created));
    }
    return 0;
  }

  @Command(name = "describe", mixinStandardHelpOptions = true,
      description = "Show each catalog topic: partitions, cleanup policy, retention, key and value.")
  int describe() {
    final PipelineConfig cfg = brokerConfig();
    final TopicCatalog catalog = TopicCatalog.load();
    final String prefix = cfg.getString(PipelineConfig.TOPIC_PREFIX);
    try (TopicAdmin admin = new TopicAdmin(cfg)) {
      final var described = admin.describe(catalog.entries().stream().map(e -> prefix + e.name()).toList());
      System.out.printf("%-36s %-8s %-8s %-12s %s%n", "TOPIC", "PARTS", "CLEANUP", "RETENTION", "VALUE");
      for (TopicCatalog.Entry e : catalog.entries()) {
        final var d = described.get(prefix + e.name());
        System.out.printf("%-36s %-8s %-8s %-12s %s%n", prefix + e.name(),
            d == null ? "missing" : Integer.toString(d.partitions().size()), e.cleanupPolicy(),
            e.retentionMs() < 0 ? "forever" : (e.retentionMs() / 86_400_000L) + "d", e.value());
      }
    }
    return 0;
  }

  private PipelineConfig brokerConfig() {
    final PipelineConfig cfg = config.loadForClient();
    if (cfg.embeddedKafka()) {
      throw new IllegalArgumentException(
          "no broker: set bootstrap.servers, or start `aleph-pipeline run` on this data.dir");
    }
    return cfg;
  }
}
