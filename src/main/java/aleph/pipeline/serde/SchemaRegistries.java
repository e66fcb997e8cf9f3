package aleph.pipeline.serde;

import java.util.Map;

/** Creates the registry client a {@code schema.registry.url} names. */
public final class SchemaRegistries {

  public static final String MOCK_PREFIX = "mock://";

  private SchemaRegistries() {
  }

  public static SchemaRegistry fromConfig(final Map<String, ?> configs) {
    final Object url = configs.get("schema.registry.url");
    if (url == null || url.toString().isBlank()) {
      throw new IllegalArgumentException("schema.registry.url is not set");
    }
    final String first = url.toString().split(",")[0].trim();
    if (first.startsWith(MOCK_PREFIX)) {
      return MockSchemaRegistry.forScope(first.substring(MOCK_PREFIX.length()));
    }
    throw new IllegalArgumentException("schema.registry.url " + first + ": only mock:// registries are supported");
  }
}
