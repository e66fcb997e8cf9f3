package aleph.pipeline.config;

import static org.apache.kafka.common.config.ConfigDef.Importance.HIGH;
import static org.apache.kafka.common.config.ConfigDef.Importance.LOW;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;

/**
 * The pipeline's one typed configuration.
 *
 * <p>Precedence, lowest to highest: the defaults below, then the configuration file ({@code --config}, a
 * {@code .properties} or {@code .yaml} file), then environment variables ({@code ALEPH_PIPELINE_FOO_BAR} is
 * {@code foo.bar}; a double underscore stands for a literal {@code _}), then CLI flags ({@code --set key=value}).
 *
 * <p>Kafka client properties pass through untouched under prefixes: {@code kafka.} (every client),
 * {@code streams.}, {@code consumer.}, {@code producer.}, {@code admin.}; registry client settings under
 * {@code schema.registry.} (e.g. {@code schema.registry.max.retries}). Any other key that is not defined here
 * fails start-up, naming the key.
 */
public final class PipelineConfig extends AbstractConfig {

  public static final List<String> PASSTHROUGH_PREFIXES =
      List.of("kafka.", "streams.", "consumer.", "producer.", "admin.", "schema.registry.");

  // ---- connections: empty means "start the embedded one" ----
  public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
  public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
  public static final String JDBC_URL = "jdbc.url";
  public static final String JDBC_USER = "jdbc.user";
  public static final String JDBC_PASSWORD = "jdbc.password";
  public static final String DATA_DIR = "data.dir";
  public static final String APPLICATION_ID = "application.id";
  public static final String TOPIC_PREFIX = "topic.prefix";

  // ---- schema registry client (Confluent's key names, so their serde can be swapped in) ----
  public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
  public static final String USE_LATEST_VERSION = "use.latest.version";
  public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
  public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
  public static final String BEARER_AUTH_TOKEN = "bearer.auth.token";

  // ---- gate and scoring (reference defaults: DOMAIN 2.1) ----
  public static final String SCORING_ADDRESSES = "scoring.addresses";
  public static final String SCORING_CHANNEL = "scoring.channel";
  public static final String SCORING_METRICS_POST_TYPE = "scoring.metrics.post.type";
  public static final String DEDUP_WINDOW_MS = "dedup.window.ms";

  // ---- credit ledger (reference defaults: DOMAIN 3.1, 3.3) ----
  public static final String CREDIT_ADDRESSES = "credit.addresses";
  public static final String CREDIT_POST_TYPES = "credit.post.types";
  public static final String CREDIT_CHANNELS = "credit.channels";
  public static final String CREDIT_DRAIN_POLICY = "credit.drain.policy";
  public static final String CREDIT_PRECISION_CUTOFF = "credit.precision.cutoff.epoch.seconds";
  public static final String CREDIT_PRECISION_MULTIPLIER = "credit.precision.multiplier";
  public static final String CREDIT_EXPIRY_INTERVAL_MS = "credit.expiry.punctuate.interval.ms";
  public static final String CREDIT_APPLIED_REFS = "credit.applied.refs.per.address";

  // ---- sink ----
  public static final String SINK_GROUP_ID = "sink.group.id";
  public static final String SINK_BATCH_MAX_RECORDS = "sink.batch.max.records";
  public static final String SINK_BATCH_MAX_BYTES = "sink.batch.max.bytes";
  public static final String SINK_RETRY_BACKOFF_MS = "sink.retry.backoff.ms";
  public static final String SINK_RETRY_BACKOFF_MAX_MS = "sink.retry.backoff.max.ms";

  // ---- partition maintenance ----
  public static final String PARTITIONS_MAINTENANCE_INTERVAL_MS = "partitions.maintenance.interval.ms";
  public static final String PARTITIONS_SPLIT_DEFAULT = "partitions.split.default";
  public static final List<String> PARTITIONED_TABLES = List.of("crn_metrics", "ccn_metrics", "credit_history");

  // ---- operator surface ----
  public static final String HTTP_HOST = "http.host";
  public static final String HTTP_PORT = "http.port";

  public static final String DRAIN_EXPIRATION_FIRST = "expiration-first";
  public static final String DRAIN_EMISSION_ORDER = "emission-order";

  public static final ConfigDef DEFINITION = new ConfigDef()
      .define(BOOTSTRAP_SERVERS, Type.STRING, "", HIGH,
          "Kafka bootstrap servers. Empty: start an in-process single-node KRaft broker under data.dir.")
      .define(SCHEMA_REGISTRY_URL, Type.STRING, "", HIGH,
          "Schema Registry URL (http(s)://..., or mock://<scope> for an in-memory registry). "
              + "Empty: mock://aleph-pipeline.")
      .define(JDBC_URL, Type.STRING, "", HIGH,
          "PostgreSQL JDBC URL. Empty: start an embedded PostgreSQL 17 under data.dir.")
      .define(JDBC_USER, Type.STRING, "postgres", MEDIUM, "PostgreSQL user.")
      .define(JDBC_PASSWORD, Type.PASSWORD, "", MEDIUM, "PostgreSQL password (prefer the environment).")
      .define(DATA_DIR, Type.STRING, "data", MEDIUM,
          "Directory for the embedded broker and database and for instance.json (where a running instance "
              + "listens).")
      .define(APPLICATION_ID, Type.STRING, "aleph-pipeline-v1", HIGH,
          "Kafka Streams application.id; prefix of internal topics. Bump only for a deliberate full reprocess.")
      .define(TOPIC_PREFIX, Type.STRING, "", LOW,
          "Prefix added to every catalog topic name (for sharing one cluster between environments).")

      .define(AUTO_REGISTER_SCHEMAS, Type.BOOLEAN, true, MEDIUM,
          "Register the writer schema under the subject when it is not there yet.")
      .define(USE_LATEST_VERSION, Type.BOOLEAN, false, LOW,
          "Serialize with the subject's latest registered schema instead of the record's own.")
      .define(BASIC_AUTH_CREDENTIALS_SOURCE, Type.STRING, "USER_INFO", ValidString.in("USER_INFO", "URL"), LOW,
          "Where registry basic-auth credentials come from: USER_INFO (basic.auth.user.info) or URL "
              + "(user:password@ in schema.registry.url).")
      .define(BASIC_AUTH_USER_INFO, Type.PASSWORD, "", LOW, "Registry basic auth as user:password.")
      .define(BEARER_AUTH_TOKEN, Type.PASSWORD, "", LOW, "Registry bearer token (wins over basic auth).")

      .define(SCORING_ADDRESSES, Type.LIST, List.of("0x4D52380D3191274a04846c89c069E6C3F2Ed94e4"), HIGH,
          "Allowlist of POST content.address values whose scoring posts produce metrics (exact match).")
      .define(SCORING_CHANNEL, Type.STRING, "aleph-scoring", HIGH, "Envelope channel of scoring posts.")
      .define(SCORING_METRICS_POST_TYPE, Type.STRING, "aleph-network-metrics", HIGH,
          "POST content.type of scoring posts.")
      .define(DEDUP_WINDOW_MS, Type.LONG, 7L * 24 * 3600 * 1000, Range.atLeast(1), MEDIUM,
          "How long an item_hash is remembered so a re-broadcast produces no second output. Beyond it the "
              + "database's unique keys keep the tables idempotent.")

      .define(CREDIT_ADDRESSES, Type.LIST, List.of("0x2E4454fAD1906c0Ce6e45cBFA05cE898Ac3AC1dC"), HIGH,
          "Whitelisted credit issuers: may distribute and expense, and transfer without a balance check.")
      .define(CREDIT_POST_TYPES, Type.LIST,
          List.of("aleph_credit_distribution", "aleph_credit_transfer", "aleph_credit_expense"), MEDIUM,
          "POST content.type values of credit messages.")
      .define(CREDIT_CHANNELS, Type.LIST, List.of("ALEPH_CREDIT"), MEDIUM,
          "Envelope channels of credit messages; empty accepts any channel.")
      .define(CREDIT_DRAIN_POLICY, Type.STRING, DRAIN_EXPIRATION_FIRST,
          ValidString.in(DRAIN_EXPIRATION_FIRST, DRAIN_EMISSION_ORDER), HIGH,
          "Which credits a debit consumes first: expiration-first (soonest-expiring first, non-expiring last) "
              + "or emission-order (the reference node's FIFO by grant time).")
      .define(CREDIT_PRECISION_CUTOFF, Type.LONG, 1769990400L, MEDIUM,
          "Credit amounts of messages dated strictly before this instant (epoch seconds; 2026-02-02T00:00Z) "
              + "are multiplied by credit.precision.multiplier.")
      .define(CREDIT_PRECISION_MULTIPLIER, Type.LONG, 10_000L, Range.atLeast(1), MEDIUM,
          "Multiplier for pre-cutoff credit amounts (1 USD went from 100 to 1,000,000 credits).")
      .define(CREDIT_EXPIRY_INTERVAL_MS, Type.LONG, 60_000L, Range.atLeast(100), LOW,
          "How often (wall clock) expired credit buckets are dropped and the lower balance published.")
      .define(CREDIT_APPLIED_REFS, Type.INT, 1_000, Range.atLeast(1), LOW,
          "How many credit message hashes each address remembers, so a replayed message changes nothing. "
              + "Older ones are forgotten; the gate's dedup.window.ms is the first line against replays.")

      .define(SINK_GROUP_ID, Type.STRING, "aleph-pipeline-sink", MEDIUM,
          "Consumer group of the PostgreSQL sink. Its offsets live in sink_offsets, never in Kafka.")
      .define(SINK_BATCH_MAX_RECORDS, Type.INT, 10_000, Range.atLeast(1), MEDIUM,
          "Most records written in one PostgreSQL transaction.")
      .define(SINK_BATCH_MAX_BYTES, Type.INT, 32 * 1024 * 1024, Range.atLeast(1024), MEDIUM,
          "Most record bytes written in one PostgreSQL transaction.")
      .define(SINK_RETRY_BACKOFF_MS, Type.LONG, 500L, Range.atLeast(0), LOW,
          "First back-off after a failed sink transaction; doubles up to sink.retry.backoff.max.ms.")
      .define(SINK_RETRY_BACKOFF_MAX_MS, Type.LONG, 30_000L, Range.atLeast(0), LOW,
          "Longest back-off between sink retries.")

      .define(PARTITIONS_MAINTENANCE_INTERVAL_MS, Type.LONG, 3_600_000L, Range.atLeast(1000), MEDIUM,
          "How often the partition maintainer runs (it also runs at start-up and from the CLI).")
      .define(PARTITIONS_SPLIT_DEFAULT, Type.BOOLEAN, false, MEDIUM,
          "Let the maintainer move DEFAULT-partition rows into a new child when they block creating it.")

      .define(HTTP_HOST, Type.STRING, "127.0.0.1", LOW, "Address the HTTP endpoint binds to.")
      .define(HTTP_PORT, Type.INT, 8080, Range.between(0, 65535), MEDIUM,
          "Port of the HTTP endpoint (status, metrics, read API); 0 picks a free port.");

  static {
    for (String table : PARTITIONED_TABLES) {
      final boolean metrics = !table.equals("credit_history");
      DEFINITION
          .define(partitionKey(table, "interval"), Type.STRING, "month", ValidString.in("month", "day"), MEDIUM,
              "Partition period of " + table + ": month (" + table + "_YYYY_MM) or day (" + table
                  + "_YYYY_MM_DD), UTC. Switching keeps existing children; new ones never overlap them.")
          .define(partitionKey(table, "lookahead"), Type.INT, null, LOW,
              "Periods of " + table + " created ahead of the current one (at most 24 months or 400 days). "
                  + "Default: 1 for months, 7 for days.")
          .define(partitionKey(table, "retention"), Type.STRING, metrics ? "12" : "none", MEDIUM,
              "Periods of " + table + " kept before the current one: a child whose upper bound is at or before "
                  + "the current period's start minus this many periods is detached and dropped; none keeps "
                  + "forever.");
    }
  }

  public static String partitionKey(final String table, final String knob) {
    return "partitions." + table + "." + knob;
  }

  private final Map<String, Object> raw;
  private final Map<String, String> passthrough;

  public PipelineConfig(final Map<String, ?> values) {
    super(DEFINITION, definedOnly(values), false);
    this.raw = Map.copyOf(values);
    this.passthrough = passthroughOnly(values);
  }

  /** Defaults only: what a test or the embedded runtime starts from. */
  public static PipelineConfig defaults() {
    return new PipelineConfig(Map.of());
  }

  /** A copy with {@code overrides} on top (same validation). */
  public PipelineConfig with(final Map<String, ?> overrides) {
    final Map<String, Object> merged = new HashMap<>(raw);
    merged.putAll(overrides);
    return new PipelineConfig(merged);
  }

  public boolean embeddedKafka() {
    return getString(BOOTSTRAP_SERVERS).isBlank();
  }

  public boolean embeddedDatabase() {
    return getString(JDBC_URL).isBlank();
  }

  public String registryUrl() {
    final String url = getString(SCHEMA_REGISTRY_URL);
    return url.isBlank() ? "mock://aleph-pipeline" : url;
  }

  public String password(final String key) {
    return getPassword(key).value();
  }

  /** Client properties for the given client kind: {@code kafka.*} then {@code <kind>.*}, prefixes stripped. */
  public Map<String, Object> clientProperties(final String kind) {
    final Map<String, Object> props = new TreeMap<>();
    passthrough.forEach((key, value) -> {
      if (key.startsWith("kafka.")) {
        props.put(key.substring("kafka.".length()), value);
      }
    });
    passthrough.forEach((key, value) -> {
      if (key.startsWith(kind + ".")) {
        props.put(key.substring(kind.length() + 1), value);
      }
    });
    return props;
  }

  /** The registry/serde settings under Confluent's names, for our serde or theirs. */
  public Map<String, Object> serdeProperties() {
    final Map<String, Object> props = new HashMap<>();
    props.put(SCHEMA_REGISTRY_URL, registryUrl());
    props.put(AUTO_REGISTER_SCHEMAS, getBoolean(AUTO_REGISTER_SCHEMAS));
    props.put(USE_LATEST_VERSION, getBoolean(USE_LATEST_VERSION));
    props.put(BASIC_AUTH_CREDENTIALS_SOURCE, getString(BASIC_AUTH_CREDENTIALS_SOURCE));
    if (!password(BASIC_AUTH_USER_INFO).isEmpty()) {
      props.put(BASIC_AUTH_USER_INFO, password(BASIC_AUTH_USER_INFO));
    }
    if (!password(BEARER_AUTH_TOKEN).isEmpty()) {
      props.put("bearer.auth.credentials.source", "STATIC_TOKEN");
      props.put(BEARER_AUTH_TOKEN, password(BEARER_AUTH_TOKEN));
    }
    passthrough.forEach((key, value) -> {
      if (key.startsWith("schema.registry.")) {
        props.put(key, value);
      }
    });
    return props;
  }

  public String topicName(final String catalogName) {
    return getString(TOPIC_PREFIX) + catalogName;
  }

  /** Lookahead periods for {@code table}, with the interval-dependent default. */
  public int partitionLookahead(final String table) {
    final Integer configured = getInt(partitionKey(table, "lookahead"));
    if (configured != null) {
      return configured;
    }
    return "day".equals(getString(partitionKey(table, "interval"))) ? 7 : 1;
  }

  private static Map<String, Object> definedOnly(final Map<String, ?> values) {
    final Map<String, Object> defined = new HashMap<>();
    values.forEach((key, value) -> {
      if (DEFINITION.names().contains(key)) {
        defined.put(key, value);
      } else if (PASSTHROUGH_PREFIXES.stream().noneMatch(key::startsWith)) {
        throw new ConfigException("unknown configuration key '" + key + "' (see README.md, Configuration)");
      }
    });
    return defined;
  }

  private static Map<String, String> passthroughOnly(final Map<String, ?> values) {
    final Map<String, String> out = new HashMap<>();
    values.forEach((key, value) -> {
      if (PASSTHROUGH_PREFIXES.stream().anyMatch(key::startsWith)) {
        out.put(key, String.valueOf(value));
      }
    });
    return out;
  }
}
