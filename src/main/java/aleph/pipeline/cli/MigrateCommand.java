package aleph.pipeline.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import aleph.pipeline.config.PipelineConfig;
import aleph.pipeline.db.Migrations;

/** {@code migrate}: apply the Flyway migrations to the configured (or running embedded) database. */
@Command(name = "migrate", mixinStandardHelpOptions = true,
    description = "Apply the database migrations (the pipeline also does this at start-up).")
public final class MigrateCommand implements Callable<Integer> {

  @Mixin
  ConfigOptions config;

  @Override
  public Integer call() {
    final PipelineConfig cfg = config.loadForClient();
    if (cfg.embeddedDatabase()) {
      throw new IllegalArgumentException("no database: set jdbc.url, or start `aleph-pipeline run` on this data.dir");
    }
    final var result = Migrations.migrate(cfg);
    System.out.printf("applied %d migration(s); schema at version %s%n", result.migrationsExecuted,
        result.targetSchemaVersion == null ? result.initialSchemaVersion : result.targetSchemaVersion);
    return 0;
  }
}
