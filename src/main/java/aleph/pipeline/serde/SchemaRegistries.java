package aleph.pipeline.serde;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.common.config.types.Password;

/**
 * Creates the registry client a {@code schema.registry.url} names: {@code mock://<scope>} → the scope's shared
 * {@link MockSchemaRegistry}; {@code http(s)://...} (comma-separated for fail-over) → a {@link RestSchemaRegistry}
 * configured from the same map with Confluent's key names.
 */
public final class SchemaRegistries {

  public static final String MOCK_PREFIX = "mock://";

  private static final Map<Map<String, String>, RestSchemaRegistry> REST_CLIENTS = new ConcurrentHashMap<>();

  private SchemaRegistries() {
  }

  /** The settings a REST client depends on: the URL, auth, retry, timeout and cache keys (with or without prefix). */
  private static Map<String, String> clientKey(final Map<String, ?> configs) {
    final Map<String, String> key = new TreeMap<>();
    configs.forEach((name, value) -> {
      final String bare = name.startsWith("schema.registry.") && !name.equals(RestSchemaRegistry.URL_CONFIG)
          ? name.substring("schema.registry.".length()) : name;
      if (name.equals(RestSchemaRegistry.URL_CONFIG) || bare.startsWith("basic.auth.")
          || bare.startsWith("bearer.auth.") || bare.startsWith("retries.") || bare.equals("max.retries")
          || bare.startsWith("http.") || bare.equals("latest.cache.ttl.sec")) {
        key.put(name, String.valueOf(value instanceof Password password
            ? password.value() : value));
      }
    });
    return key;
  }

  public static SchemaRegistry fromConfig(final Map<String, ?> configs) {
    final Object url = configs.get(RestSchemaRegistry.URL_CONFIG);
    if (url == null || url.toString().isBlank()) {
      throw new IllegalArgumentException(RestSchemaRegistry.URL_CONFIG + " is not set");
    }
    final String first = url.toString().split(",")[0].trim();
    if (first.startsWith(MOCK_PREFIX)) {
      return MockSchemaRegistry.forScope(first.substring(MOCK_PREFIX.length()));
    }
    if (first.startsWith("http://") || first.startsWith("https://")) {
      // Serdes built from the same settings share one client, so each schema is fetched once per process.
      return REST_CLIENTS.computeIfAbsent(clientKey(configs), key -> RestSchemaRegistry.fromConfig(configs));
    }
    throw new IllegalArgumentException(RestSchemaRegistry.URL_CONFIG + " " + first
        + ": expected mock://<scope> or http(s)://host:port");
  }
}
