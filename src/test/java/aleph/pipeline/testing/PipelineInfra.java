package aleph.pipeline.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import aleph.pipeline.config.PipelineConfig;
import aleph.pipeline.db.Migrations;
import aleph.pipeline.embedded.EmbeddedKafka;
import aleph.pipeline.embedded.EmbeddedPostgres;
import aleph.pipeline.serde.MockSchemaRegistry;
import aleph.pipeline.topology.Topics;

/**
 * JUnit 5 extension for integration tests: one real KRaft broker and one real PostgreSQL per JVM, started on
 * first use and shared; every test gets its own names ({@link TestEnv}): topic prefix, application id,
 * registry scope and a freshly migrated database.
 *
 * <p>PostgreSQL is the embedded one unless {@code PIPELINE_TEST_JDBC_URL} names an external server (its
 * user must be allowed to create databases; {@code PIPELINE_TEST_JDBC_USER}/{@code _PASSWORD}) or
 * {@code PIPELINE_TEST_POSTGRES=testcontainers} asks for a container (needs a Docker engine). Usage: {@code @ExtendWith(PipelineInfra.class)} and a
 * {@code TestEnv} parameter.
 */
public final class PipelineInfra implements ParameterResolver {

  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  private static EmbeddedKafka kafka;
  private static String adminJdbcUrl;

  @Override
  public boolean supportsParameter(final ParameterContext parameter, final ExtensionContext context) {
    return parameter.getParameter().getType() == TestEnv.class;
  }

  @Override
  public Object resolveParameter(final ParameterContext parameter, final ExtensionContext context) {
    final String base = context.getRequiredTestClass().getSimpleName() + "-"
        + context.getTestMethod().map(m -> m.getName()).orElse("all");
    return newEnv(base);
  }

  /** A fresh, isolated environment on the shared infrastructure. */
  public static synchronized TestEnv newEnv(final String testName) {
    final String cleaned = testName.replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT);
    final String unique = "x" + cleaned.substring(0, Math.min(40, cleaned.length())) + SEQUENCE.incrementAndGet();
    final String bootstrap = kafka().bootstrapServers();
    final String jdbcUrl = createDatabase("t_" + unique);
    Migrations.migrate(jdbcUrl, user(), password());
    final Map<String, Object> settings = new HashMap<>();
    settings.put(PipelineConfig.BOOTSTRAP_SERVERS, bootstrap);
    settings.put(PipelineConfig.JDBC_URL, jdbcUrl);
    settings.put(PipelineConfig.JDBC_USER, user());
    settings.put(PipelineConfig.JDBC_PASSWORD, password());
    settings.put(PipelineConfig.SCHEMA_REGISTRY_URL, "mock://" + unique);
    settings.put(PipelineConfig.APPLICATION_ID, "app-" + unique);
    settings.put(PipelineConfig.TOPIC_PREFIX, unique + ".");
    settings.put(PipelineConfig.SINK_GROUP_ID, "sink-" + unique);
    settings.put(PipelineConfig.HTTP_PORT, 0);
    settings.put("streams.state.dir", tempDir("streams-" + unique).toString());
    // Tests want results quickly, not large batches.
    settings.put("streams.commit.interval.ms", "100");
    return new TestEnv(unique, new PipelineConfig(settings));
  }

  /** Creates every catalog topic of {@code config} (its prefix applied). */
  public static void createTopics(final PipelineConfig config, final int partitions) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka().bootstrapServers()))) {
      admin.createTopics(Topics.from(config).all().stream()
          .map(name -> new NewTopic(name, partitions, (short) 1)).toList()).all().get();
    } catch (Exception e) {
      throw new IllegalStateException("could not create topics: " + e.getMessage(), e);
    }
  }

  public static synchronized EmbeddedKafka kafka() {
    if (kafka == null) {
      kafka = EmbeddedKafka.start(tempDir("kafka"));
      Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "embedded-kafka-stop"));
    }
    return kafka;
  }

  private static synchronized String adminJdbcUrl() {
    if (adminJdbcUrl == null) {
      final String external = System.getenv("PIPELINE_TEST_JDBC_URL");
      if (external != null && !external.isBlank()) {
        adminJdbcUrl = external;
      } else if ("testcontainers".equalsIgnoreCase(System.getenv("PIPELINE_TEST_POSTGRES"))) {
        adminJdbcUrl = ContainerPostgres.start();
      } else {
        // A fresh cluster per JVM: test databases never collide with an earlier run's.
        final EmbeddedPostgres postgres = EmbeddedPostgres.start(tempDir("postgres"), 0, false);
        Runtime.getRuntime().addShutdownHook(new Thread(postgres::close, "embedded-postgres-stop"));
        adminJdbcUrl = postgres.jdbcUrl("postgres");
      }
    }
    return adminJdbcUrl;
  }

  private static String user() {
    return ContainerPostgres.user().orElse(System.getenv().getOrDefault("PIPELINE_TEST_JDBC_USER",
        EmbeddedPostgres.SUPERUSER));
  }

  private static String password() {
    return ContainerPostgres.password().orElse(System.getenv().getOrDefault("PIPELINE_TEST_JDBC_PASSWORD", ""));
  }

  private static String createDatabase(final String name) {
    final String admin = adminJdbcUrl();
    try (Connection c = DriverManager.getConnection(admin, user(), password()); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE \"" + name + "\"");
    } catch (SQLException e) {
      throw new IllegalStateException("could not create test database " + name + ": " + e.getMessage(), e);
    }
    return withDatabase(admin, name);
  }

  /** The same server URL, naming another database. */
  static String withDatabase(final String url, final String database) {
    final int query = url.indexOf('?');
    final String path = query < 0 ? url : url.substring(0, query);
    final String params = query < 0 ? "" : url.substring(query);
    return path.substring(0, path.lastIndexOf('/') + 1) + database + params;
  }

  private static Path tempDir(final String name) {
    try {
      Files.createDirectories(Path.of("target", "test-data"));
      return Files.createTempDirectory(Path.of("target", "test-data").toAbsolutePath(), name + "-");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** One test's isolated view of the shared infrastructure. */
  public record TestEnv(String name, PipelineConfig config) {

    public Topics topics() {
      return Topics.from(config);
    }

    public String bootstrapServers() {
      return config.getString(PipelineConfig.BOOTSTRAP_SERVERS);
    }

    public String jdbcUrl() {
      return config.getString(PipelineConfig.JDBC_URL);
    }

    public Connection connect() throws SQLException {
      return DriverManager.getConnection(jdbcUrl(), user(), password());
    }

    public void createTopics(final int partitions) {
      PipelineInfra.createTopics(config, partitions);
    }

    public void dropRegistry() {
      MockSchemaRegistry.dropScope(name);
    }
  }
}
