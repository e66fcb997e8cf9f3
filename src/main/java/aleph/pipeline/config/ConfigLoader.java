package aleph.pipeline.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.apache.kafka.common.config.ConfigException;

/** Builds a {@link PipelineConfig} from file, environment and CLI values, in that order of precedence. */
public final class ConfigLoader {

  public static final String ENV_PREFIX = "ALEPH_PIPELINE_";

  private ConfigLoader() {
  }

  /**
   * @param file a .properties, .yaml or .yml file, or null
   * @param env the process environment (only {@code ALEPH_PIPELINE_*} entries are read)
   * @param cli {@code key=value} overrides from the command line
   * @throws ConfigException with a one-line message naming the offending key or file
   */
  public static PipelineConfig load(final Path file, final Map<String, String> env, final Map<String, String> cli) {
    final Map<String, Object> values = new HashMap<>();
    if (file != null) {
      values.putAll(readFile(file));
    }
    values.putAll(fromEnvironment(env));
    values.putAll(cli);
    return new PipelineConfig(values);
  }

  /** {@code ALEPH_PIPELINE_SCORING_CHANNEL} is {@code scoring.channel}; {@code __} is a literal {@code _}. */
  static Map<String, String> fromEnvironment(final Map<String, String> env) {
    final Map<String, String> out = new HashMap<>();
    env.forEach((name, value) -> {
      if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()) {
        final String key = name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT)
            .replace("__", "\u0000").replace('_', '.').replace('\u0000', '_');
        out.put(key, value);
      }
    });
    return out;
  }

  static Map<String, Object> readFile(final Path file) {
    if (!Files.isReadable(file)) {
      throw new ConfigException("configuration file " + file + " does not exist or is not readable");
    }
    final String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    try {
      if (name.endsWith(".yaml") || name.endsWith(".yml")) {
        final JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        final Map<String, Object> flat = new HashMap<>();
        if (root != null && !root.isNull()) {
          if (!root.isObject()) {
            throw new ConfigException("configuration file " + file + " must hold a mapping of keys to values");
          }
          flatten("", root, flat);
        }
        return flat;
      }
      final Properties props = new Properties();
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        props.load(reader);
      }
      return props.stringPropertyNames().stream().collect(Collectors.toMap(k -> k, props::getProperty));
    } catch (IOException e) {
      throw new ConfigException("configuration file " + file + " is malformed: "
          + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  private static void flatten(final String prefix, final JsonNode node, final Map<String, Object> out) {
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(),
          e.getValue(), out));
    } else if (node.isArray()) {
      final List<String> items = new java.util.ArrayList<>();
      node.forEach(item -> items.add(item.asText()));
      out.put(prefix, String.join(",", items));
    } else {
      out.put(prefix, node.isNull() ? "" : node.asText());
    }
  }
}
