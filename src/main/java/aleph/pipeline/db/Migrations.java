package aleph.pipeline.db;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

import aleph.pipeline.config.PipelineConfig;

/** Applies the packaged Flyway migrations ({@code classpath:db/migration}, from {@code migrations/}). */
public final class Migrations {

  private Migrations() {
  }

  /** Migrates the database {@code config} names ({@code jdbc.url}, {@code jdbc.user}, {@code jdbc.password}). */
  public static MigrateResult migrate(final PipelineConfig config) {
    return migrate(config.getString(PipelineConfig.JDBC_URL), config.getString(PipelineConfig.JDBC_USER),
        config.password(PipelineConfig.JDBC_PASSWORD));
  }

  public static MigrateResult migrate(final String jdbcUrl, final String user, final String password) {
    return Flyway.configure()
        .dataSource(jdbcUrl, user, password)
        .locations("classpath:db/migration")
        .load()
        .migrate();
  }
}
