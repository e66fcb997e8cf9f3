package aleph.pipeline.serde;

import java.util.Map;

/**
 * Creates the registry client a {@code schema.registry.url} names: {@code mock://<scope>} → the scope's shared
 * {@link MockSchemaRegistry}; {@code http(s)://...} (comma-separated for fail-over) → a {@link RestSchemaRegistry}
 * configured from the same map with Confluent's key names.
 */
public final class SchemaRegistries {

  public static final String MOCK_PREFIX = "mock://";

  private SchemaRegistries() {
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
      return RestSchemaRegistry.fromConfig(configs);
    }
    throw new IllegalArgumentException(RestSchemaRegistry.URL_CONFIG + " " + first
        + ": expected mock://<scope> or http(s)://host:port");
  }
}
