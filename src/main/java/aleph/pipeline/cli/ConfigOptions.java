package aleph.pipeline.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import aleph.pipeline.config.ConfigLoader;
import aleph.pipeline.config.PipelineConfig;
import aleph.pipeline.runtime.InstanceFile;

/** Configuration options shared by every command: {@code --config FILE} and {@code --set key=value}. */
public final class ConfigOptions {

  @Option(names = {"-c", "--config"}, paramLabel = "FILE", scope = ScopeType.INHERIT,
      description = "Configuration file (.properties or .yaml). Environment ALEPH_PIPELINE_* and --set win over it.")
  Path configFile;

  @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE", mapFallbackValue = "", scope = ScopeType.INHERIT,
      description = "Set one configuration key (repeatable); wins over file and environment.")
  Map<String, String> overrides = new LinkedHashMap<>();

  /** The configuration as given: defaults, file, environment, flags. */
  public PipelineConfig load() {
    return ConfigLoader.load(configFile, System.getenv(), overrides);
  }

  /**
   * The configuration pointed at the running instance on the same data directory for every connection the user
   * did not configure (broker, database, registry): what client commands such as {@code import} use.
   */
  public PipelineConfig loadForClient() {
    final PipelineConfig given = load();
    final var running = InstanceFile.read(Path.of(given.getString(PipelineConfig.DATA_DIR)));
    if (running.isEmpty()) {
      return given;
    }
    final Map<String, Object> fill = new HashMap<>();
    running.get().forEach((key, value) -> {
      if (PipelineConfig.DEFINITION.names().contains(key) && given.originals().get(key) == null) {
        fill.put(key, value);
      }
    });
    return given.with(fill);
  }
}
