package aleph.pipeline.db.partitions;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import aleph.pipeline.config.PipelineConfig;

/** Opens a new PostgreSQL connection; the maintainer owns and closes what it gets. */
@FunctionalInterface
public interface ConnectionSource {

  Connection open() throws SQLException;

  /** {@code jdbc.url}, {@code jdbc.user}, {@code jdbc.password} of {@code config}; the URL must be set. */
  static ConnectionSource fromConfig(final PipelineConfig config) {
    final String url = config.getString(PipelineConfig.JDBC_URL);
    if (url.isBlank()) {
      throw new IllegalArgumentException("jdbc.url is empty: start the pipeline (its embedded database is then "
          + "found through instance.json) or set jdbc.url");
    }
    final String user = config.getString(PipelineConfig.JDBC_USER);
    final String password = config.password(PipelineConfig.JDBC_PASSWORD);
    return () -> DriverManager.getConnection(url, user, password);
  }
}
