package aleph.pipeline.topology;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/** The topic catalog, {@code topology/topics.yaml} (packaged as the resource {@code /topology/topics.yaml}). */
public record TopicCatalog(List<Entry> entries) {

  public static final String RESOURCE = "/topology/topics.yaml";

  /** One catalog topic. */
  public record Entry(String name, int partitions, String cleanupPolicy, long retentionMs, String key, String value,
      String description) {

    /** The topic to create, with {@code prefix} applied and at most {@code maxPartitions} partitions if > 0. */
    public NewTopic toNewTopic(final String prefix, final short replicationFactor, final int partitionOverride) {
      final Map<String, String> configs = new HashMap<>();
      configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy);
      configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retentionMs));
      return new NewTopic(prefix + name, partitionOverride > 0 ? partitionOverride : partitions, replicationFactor)
          .configs(configs);
    }
  }

  public static TopicCatalog load() {
    try (InputStream in = TopicCatalog.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("topic catalog " + RESOURCE + " is missing from the classpath");
      }
      return parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static TopicCatalog parse(final InputStream in) throws IOException {
    final JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(in);
    final List<Entry> entries = new ArrayList<>();
    for (JsonNode t : root.path("topics")) {
      entries.add(new Entry(t.path("name").asText(), t.path("partitions").asInt(1),
          t.path("cleanup.policy").asText("delete"), t.path("retention.ms").asLong(-1),
          t.path("key").asText(), t.path("value").asText(), t.path("description").asText()));
    }
    return new TopicCatalog(List.copyOf(entries));
  }

  public Optional<Entry> find(final String name) {
    return entries.stream().filter(e -> e.name().equals(name)).findFirst();
  }
}
