package aleph.pipeline.db;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/** Applies the packaged Flyway migrations ({@code classpath:db/migration}, from {@code migrations/}). */
public final class Migrations {

  private Migrations() {
  }

  public static MigrateResult migrate(final String jdbcUrl, final String user, final String password) {
    return Flyway.configure()
        .dataSource(jdbcUrl, user, password)
        .locations("classpath:db/migration")
        .load()
        .migrate();
  }
}
