package aleph.pipeline.runtime;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import aleph.pipeline.config.PipelineConfig;
import aleph.pipeline.db.MetricsQueries;
import aleph.pipeline.db.partitions.ConnectionSource;
import aleph.pipeline.db.partitions.PartitionMaintainer;
import aleph.pipeline.db.partitions.PartitionStatusService;
import aleph.pipeline.jobs.PartitionMaintenanceScheduler;
import aleph.pipeline.metrics.PipelineCounters;
import aleph.pipeline.errors.DeadLetterCounter;
import aleph.pipeline.db.Migrations;
import aleph.pipeline.ops.CreditBalanceApi;
import aleph.pipeline.ops.MetricsApi;
import aleph.pipeline.serde.MockSchemaRegistry;
import aleph.pipeline.sink.JdbcSink;
import aleph.pipeline.serde.RegistryHttpHandler;
import aleph.pipeline.serde.SchemaRegistries;
import aleph.pipeline.ops.OpsServer;
import aleph.pipeline.topology.StreamsSettings;
import aleph.pipeline.topology.TopicCatalog;
import aleph.pipeline.topology.Topics;
import aleph.pipeline.topology.credit.CreditBalanceQuery;

/**
 * One running pipeline: infrastructure (embedded where not configured), topics, schema, the stream, the sink,
 * the partition maintainer and the HTTP endpoint. {@code run} and {@code demo} start exactly this.
 */
public final class PipelineRuntime implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PipelineRuntime.class);
  private static final String REGISTRY_PATH = "/registry";

  /** Which halves run in this process ({@code run --only stream|sink}). */
  public enum Part { STREAM, SINK }

  private final Infrastructure infrastructure;
  private final PipelineConfig config;
  private final OpsServer http;
  private final PrometheusMeterRegistry meters;
  private final StreamsService streams;
  private final JdbcSink sink;
  private final PartitionMaintenanceScheduler maintenance;
  private final PartitionStatusService partitionStatus;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Path dataDir;

  private PipelineRuntime(final Infrastructure infrastructure, final Set<Part> parts) {
    this.infrastructure = infrastructure;
    this.config = infrastructure.config();
    this.dataDir = Path.of(config.getString(PipelineConfig.DATA_DIR)).toAbsolutePath();
    if (infrastructure.embeddedRegistry()) {
      // Schema ids must outlive the process, or records written before a restart could not be read back.
      MockSchemaRegistry.forScope(config.registryUrl().substring(SchemaRegistries.MOCK_PREFIX.length()))
          .persistTo(dataDir.resolve("registry").resolve("schemas.jsonl"));
    }
    try (TopicAdmin admin = new TopicAdmin(config)) {
      final List<String> created = admin.createMissing(TopicCatalog.load());
      if (!created.isEmpty()) {
        LOG.info("created topics {}", created);
      }
    }
    final var migration = Migrations.migrate(config);
    LOG.info("database schema at version {}", migration.targetSchemaVersion == null
        ? "current" : migration.targetSchemaVersion);
    this.meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // RocksDB state meters come with differing tag keys per store type, which Prometheus cannot hold under one name.
    meters.config().meterFilter(MeterFilter.denyNameStartsWith("kafka.stream.state"));
    PipelineCounters.global().bindTo(meters);
    this.http = new OpsServer(config.getString(PipelineConfig.HTTP_HOST), config.getInt(PipelineConfig.HTTP_PORT));
    closeables.add(http);
    final PartitionMaintainer maintainer = PartitionMaintainer.fromConfig(config, Clock.systemUTC());
    this.partitionStatus = PartitionStatusService.of(maintainer, ConnectionSource.fromConfig(config));
    this.maintenance = new PartitionMaintenanceScheduler(maintainer, config);
    closeables.add(maintenance);
    this.sink = parts.contains(Part.SINK) ? new JdbcSink(config) : null;
    if (sink != null) {
      closeables.add(sink);
    }
    this.streams = parts.contains(Part.STREAM) ? new StreamsService(config) : null;
    if (streams != null) {
      closeables.add(streams);
      closeables.add(new KafkaStreamsMetrics(streams.streams()));
      ((KafkaStreamsMetrics) closeables.get(closeables.size() - 1)).bindTo(meters);
    }
    routes();
  }

  /** Starts everything; the caller closes it (shutdown hook or try-with-resources). */
  public static PipelineRuntime start(final PipelineConfig given, final Set<Part> parts) {
    final Infrastructure infrastructure = Infrastructure.start(given);
    final PipelineRuntime runtime;
    try {
      runtime = new PipelineRuntime(infrastructure, parts);
    } catch (RuntimeException e) {
      infrastructure.close();
      throw e;
    }
    try {
      runtime.startServices();
      return runtime;
    } catch (RuntimeException e) {
      // Whatever started (HTTP, maintenance, sink) must not outlive the failed start.
      runtime.close();
      throw e;
    }
  }

  public static PipelineRuntime start(final PipelineConfig given) {
    return start(given, EnumSet.allOf(Part.class));
  }

  private void startServices() {
    maintenance.start();
    http.start();
    if (sink != null) {
      final Thread sinkThread = new Thread(sink, "jdbc-sink");
      sinkThread.setDaemon(true);
      sinkThread.start();
    }
    if (streams != null) {
      streams.start();
    }
    if (infrastructure.anyEmbedded()) {
      InstanceFile.write(dataDir, endpoints());
    }
  }

  private void routes() {
    http.json("/healthz", () -> {
      final Map<String, Object> body = new LinkedHashMap<>();
      final boolean streamsOk = streams == null || streams.healthy();
      final boolean sinkOk = sink == null || sink.status().running();
      body.put("status", streamsOk && sinkOk ? "UP" : "DOWN");
      if (streams != null) {
        body.put("streams", streams.state().name());
      }
      if (sink != null) {
        body.put("sink", sinkOk ? "RUNNING" : "STOPPED");
      }
      return new OpsServer.HttpStatus(streamsOk && sinkOk ? 200 : 503, body);
    });
    http.json("/status", this::status);
    http.json("/status/database", () -> {
      final var node = partitionStatus.statusNode();
      return new OpsServer.HttpStatus(node.path("database_reachable").asBoolean(false) ? 200 : 503, node);
    });
    http.route("/metrics", exchange -> OpsServer.respondText(exchange, 200, meters.scrape()));
    http.route("/api/v0/", new MetricsApi(new MetricsQueries(dataSource()), Clock.systemUTC()));
    if (streams != null) {
      http.route("/api/v0/addresses/", new CreditBalanceApi(streams::streams,
          CreditBalanceQuery.self(StreamsSettings.properties(config, Topics.from(config))), Clock.systemUTC()));
    }
    final String registryUrl = config.registryUrl();
    if (registryUrl.startsWith(SchemaRegistries.MOCK_PREFIX)) {
      // The in-memory registry lives in this process; other processes (import, a second instance) use it over HTTP.
      http.route(REGISTRY_PATH, new RegistryHttpHandler(REGISTRY_PATH,
          MockSchemaRegistry.forScope(registryUrl.substring(SchemaRegistries.MOCK_PREFIX.length()))));
    }
  }

  private DataSource dataSource() {
    final PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setURL(config.getString(PipelineConfig.JDBC_URL));
    dataSource.setUser(config.getString(PipelineConfig.JDBC_USER));
    dataSource.setPassword(config.password(PipelineConfig.JDBC_PASSWORD));
    return dataSource;
  }

  /** Where this instance's broker, database, registry and HTTP endpoint are (configuration keys to values). */
  public Map<String, String> endpoints() {
    final Map<String, String> endpoints = new LinkedHashMap<>();
    endpoints.put(PipelineConfig.BOOTSTRAP_SERVERS, config.getString(PipelineConfig.BOOTSTRAP_SERVERS));
    endpoints.put(PipelineConfig.JDBC_URL, config.getString(PipelineConfig.JDBC_URL));
    endpoints.put(PipelineConfig.JDBC_USER, config.getString(PipelineConfig.JDBC_USER));
    endpoints.put(PipelineConfig.SCHEMA_REGISTRY_URL, config.registryUrl().startsWith(SchemaRegistries.MOCK_PREFIX)
        ? http.baseUrl() + REGISTRY_PATH : config.registryUrl());
    endpoints.put("http", http.baseUrl());
    return endpoints;
  }

  public Map<String, Object> status() {
    final Map<String, Object> status = new LinkedHashMap<>();
    status.put("applicationId", config.getString(PipelineConfig.APPLICATION_ID));
    status.put("endpoints", endpoints());
    if (streams != null) {
      status.put("streams", streams.state().name());
    }
    if (sink != null) {
      status.put("sink", sink.status());
    }
    status.put("deadLetters", DeadLetterCounter.forApplication(config.getString(PipelineConfig.APPLICATION_ID))
        .byTopic());
    return status;
  }

  public PipelineConfig config() {
    return config;
  }

  public StreamsService streams() {
    return streams;
  }

  public OpsServer http() {
    return http;
  }

  /** Stops everything in reverse order; safe to call more than once (a shutdown hook and a finally block). */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    Infrastructure.closeAll(closeables);
    if (infrastructure.anyEmbedded()) {
      InstanceFile.delete(dataDir);
    }
    infrastructure.close();
  }
}
