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

import org.apache.kafka.common.config.ConfigException;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

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
        final Object root;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          root = verbatimYaml().load(reader);
        } catch (YAMLException e) {
          throw new ConfigException("configuration file " + file + " is malformed: "
              + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        final Map<String, Object> flat = new HashMap<>();
        if (root != null) {
          if (!(root instanceof Map<?, ?> mapping)) {
            throw new ConfigException("configuration file " + file + " must hold a mapping of keys to values");
          }
          flatten("", mapping, flat);
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

  /**
   * YAML with no implicit typing: every scalar stays the text it was written as. Plain YAML would read an
   * address such as 0x4D52... as a hexadecimal number.
   */
  private static Yaml verbatimYaml() {
    final LoaderOptions options = new LoaderOptions();
    return new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()), new DumperOptions(),
        options, new Resolver() {
          @Override
          protected void addImplicitResolvers() {
          }
        });
  }

  private static void flatten(final String prefix, final Object node, final Map<String, Object> out) {
    if (node instanceof Map<?, ?> mapping) {
      mapping.forEach((key, value) -> flatten(prefix.isEmpty() ? String.valueOf(key) : prefix + "." + key, value,
          out));
    } else if (node instanceof List<?> items) {
      out.put(prefix, String.join(",", items.stream().map(String::valueOf).toList()));
    } else {
      out.put(prefix, node == null ? "" : node.toString());
    }
  }
}
