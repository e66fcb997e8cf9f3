package aleph.pipeline.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import aleph.pipeline.config.PipelineConfig;
import aleph.pipeline.embedded.EmbeddedKafka;
import aleph.pipeline.embedded.EmbeddedPostgres;

/**
 * The broker and database a command talks to: the configured ones, or embedded ones started under
 * {@code data.dir} for every connection left empty. {@link #config()} is the configuration with the actual
 * addresses filled in.
 */
public final class Infrastructure implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Infrastructure.class);
  public static final String EMBEDDED_DATABASE = "aleph";

  private final PipelineConfig config;
  private final List<AutoCloseable> started;
  private final boolean embeddedRegistry;

  private Infrastructure(final PipelineConfig config, final List<AutoCloseable> started,
      final boolean embeddedRegistry) {
    this.config = config;
    this.started = started;
    this.embeddedRegistry = embeddedRegistry;
  }

  public static Infrastructure start(final PipelineConfig given) {
    final Path dataDir = Path.of(given.getString(PipelineConfig.DATA_DIR)).toAbsolutePath();
    final List<AutoCloseable> started = new ArrayList<>();
    final Map<String, Object> resolved = new HashMap<>();
    try {
      if (given.embeddedKafka()) {
        LOG.info("starting the embedded Kafka broker (KRaft, one node) under {}", dataDir.resolve("kafka"));
        final EmbeddedKafka kafka = EmbeddedKafka.start(dataDir.resolve("kafka"));
        started.add(kafka);
        resolved.put(PipelineConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
      }
      if (given.embeddedDatabase()) {
        LOG.info("starting the embedded PostgreSQL 17 under {}", dataDir.resolve("postgres"));
        final EmbeddedPostgres postgres = EmbeddedPostgres.start(dataDir.resolve("postgres"), 0, true);
        started.add(postgres);
        postgres.createDatabase(EMBEDDED_DATABASE);
        resolved.put(PipelineConfig.JDBC_URL, postgres.jdbcUrl(EMBEDDED_DATABASE));
        resolved.put(PipelineConfig.JDBC_USER, EmbeddedPostgres.SUPERUSER);
      }
      final boolean embeddedRegistry = given.getString(PipelineConfig.SCHEMA_REGISTRY_URL).isBlank();
      if (embeddedRegistry) {
        resolved.put(PipelineConfig.SCHEMA_REGISTRY_URL, given.registryUrl());
      }
      return new Infrastructure(given.with(resolved), started, embeddedRegistry);
    } catch (RuntimeException e) {
      closeAll(started);
      throw e;
    }
  }

  public PipelineConfig config() {
    return config;
  }

  public boolean anyEmbedded() {
    return !started.isEmpty() || embeddedRegistry;
  }

  /** Whether the schema registry is the in-process one this pipeline owns (no schema.registry.url configured). */
  public boolean embeddedRegistry() {
    return embeddedRegistry;
  }

  @Override
  public void close() {
    closeAll(started);
  }

  /** Closes {@code resources} in reverse order, logging (not throwing) what fails to stop. */
  static void closeAll(final List<AutoCloseable> resources) {
    final List<AutoCloseable> reversed = new ArrayList<>(resources);
    Collections.reverse(reversed);
    for (AutoCloseable resource : reversed) {
      try {
        resource.close();
      } catch (Exception e) {
        LOG.warn("could not stop {}: {}", resource.getClass().getSimpleName(), e.getMessage());
      }
    }
  }
}
