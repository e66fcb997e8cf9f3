package aleph.pipeline.serde;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.kafka.common.config.types.Password;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import aleph.pipeline.serde.SchemaRegistryException.RegistryUnavailableException;
import aleph.pipeline.serde.SchemaRegistryException.SubjectNotFoundException;

/**
 * A Confluent Schema Registry REST client over the JDK HTTP client.
 *
 * <p>Endpoints: register ({@code POST /subjects/{s}/versions}), look up ({@code POST /subjects/{s}}), get by id
 * ({@code GET /schemas/ids/{id}}), latest ({@code GET /subjects/{s}/versions/latest}), compatibility
 * ({@code POST /compatibility/subjects/{s}/versions/latest}). Subject→schema→id and id→schema are cached for the
 * life of the client, so a serde in steady state makes no HTTP call; latest versions are cached for
 * {@code latest.cache.ttl.sec}.
 *
 * <p>Failures: 4xx answers are mapped to {@link SchemaRegistryException} subclasses at once; IO errors and 5xx
 * answers fail over to the next URL of {@code schema.registry.url} and, when every URL failed, are retried with
 * exponential backoff ({@code max.retries}, {@code retries.wait.ms}, {@code retries.max.wait.ms}), then surface
 * as {@link RegistryUnavailableException}.
 *
 * <p>Auth: {@code bearer.auth.token} (sent as {@code Authorization: Bearer}), else basic auth from
 * {@code basic.auth.user.info} ({@code basic.auth.credentials.source=USER_INFO}) or from {@code user:pass@} in the
 * URL ({@code URL}). Every key may also carry Confluent's {@code schema.registry.} prefix.
 */
public final class RestSchemaRegistry implements SchemaRegistry {

  public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

  public static final String URL_CONFIG = "schema.registry.url";
  public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
  public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
  public static final String BEARER_AUTH_CREDENTIALS_SOURCE = "bearer.auth.credentials.source";
  public static final String BEARER_AUTH_TOKEN = "bearer.auth.token";
  public static final String BEARER_AUTH_LOGICAL_CLUSTER = "bearer.auth.logical.cluster";
  public static final String BEARER_AUTH_IDENTITY_POOL_ID = "bearer.auth.identity.pool.id";
  public static final String MAX_RETRIES = "max.retries";
  public static final String RETRIES_WAIT_MS = "retries.wait.ms";
  public static final String RETRIES_MAX_WAIT_MS = "retries.max.wait.ms";
  public static final String CONNECT_TIMEOUT_MS = "http.connect.timeout.ms";
  public static final String READ_TIMEOUT_MS = "http.read.timeout.ms";
  public static final String LATEST_CACHE_TTL_SEC = "latest.cache.ttl.sec";

  private static final Logger LOG = LoggerFactory.getLogger(RestSchemaRegistry.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONFIG_PREFIX = "schema.registry.";

  private final List<URI> baseUrls;
  private final Map<String, String> authHeaders;
  private final int maxRetries;
  private final long retryWaitMs;
  private final long retryMaxWaitMs;
  private final Duration readTimeout;
  private final long latestTtlMs;
  private final HttpClient http;
  private volatile int preferredUrl;

  private final Map<String, Map<Schema, RegisteredSchema>> bySubject = new ConcurrentHashMap<>();
  private final Map<Integer, Schema> byId = new ConcurrentHashMap<>();
  private final Map<String, CachedLatest> latest = new ConcurrentHashMap<>();

  private RestSchemaRegistry(final Map<String, ?> configs) {
    final String urls = string(configs, URL_CONFIG, "");
    final List<URI> parsed = new ArrayList<>();
    String urlUserInfo = null;
    for (final String raw : urls.split(",")) {
      if (raw.isBlank()) {
        continue;
      }
      final URI uri = URI.create(raw.trim());
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
        throw new IllegalArgumentException(URL_CONFIG + " " + raw.trim() + ": only http(s) URLs are REST registries");
      }
      if (uri.getUserInfo() != null && urlUserInfo == null) {
        urlUserInfo = uri.getRawUserInfo();
      }
      parsed.add(withoutUserInfo(uri));
    }
    if (parsed.isEmpty()) {
      throw new IllegalArgumentException(URL_CONFIG + " is not set");
    }
    this.baseUrls = List.copyOf(parsed);
    this.authHeaders = authHeaders(configs, urlUserInfo);
    this.maxRetries = (int) number(configs, MAX_RETRIES, 3);
    this.retryWaitMs = number(configs, RETRIES_WAIT_MS, 1000);
    this.retryMaxWaitMs = number(configs, RETRIES_MAX_WAIT_MS, 20_000);
    this.readTimeout = Duration.ofMillis(number(configs, READ_TIMEOUT_MS, 60_000));
    final long ttlSec = number(configs, LATEST_CACHE_TTL_SEC, -1);
    this.latestTtlMs = ttlSec < 0 ? Long.MAX_VALUE : ttlSec * 1000;
    this.http = HttpClient.newBuilder()
        .connectTimeout(Duration.ofMillis(number(configs, CONNECT_TIMEOUT_MS, 60_000)))
        .build();
  }

  /** A client for the http(s) URL(s) in {@code schema.registry.url}, configured with Confluent's keys. */
  public static RestSchemaRegistry fromConfig(final Map<String, ?> configs) {
    return new RestSchemaRegistry(configs);
  }

  @Override
  public int register(final String subject, final Schema schema) {
    final RegisteredSchema cached = cachedUnder(subject, schema);
    if (cached != null) {
      return cached.id();
    }
    final JsonNode answer = call("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
    final int id = answer.path("id").asInt();
    remember(new RegisteredSchema(subject, answer.path("version").asInt(0), id, schema));
    return id;
  }

  @Override
  public int idOf(final String subject, final Schema schema) {
    final RegisteredSchema cached = cachedUnder(subject, schema);
    return cached != null ? cached.id() : lookup(subject, schema).id();
  }

  @Override
  public RegisteredSchema lookup(final String subject, final Schema schema) {
    final RegisteredSchema cached = cachedUnder(subject, schema);
    if (cached != null && cached.version() > 0) {
      return cached;
    }
    final JsonNode answer = call("POST", "/subjects/" + encode(subject), schemaBody(schema));
    final RegisteredSchema found = new RegisteredSchema(subject, answer.path("version").asInt(),
        answer.path("id").asInt(), schema);
    remember(found);
    return found;
  }

  @Override
  public Schema byId(final int id) {
    final Schema cached = byId.get(id);
    if (cached != null) {
      return cached;
    }
    final JsonNode answer = call("GET", "/schemas/ids/" + id, null);
    final Schema schema = parse(answer.path("schema").asText(), "schema " + id);
    final Schema previous = byId.putIfAbsent(id, schema);
    return previous != null ? previous : schema;
  }

  @Override
  public RegisteredSchema latest(final String subject) {
    final CachedLatest cached = latest.get(subject);
    if (cached != null && System.currentTimeMillis() - cached.fetchedAtMs() < latestTtlMs) {
      return cached.schema();
    }
    final JsonNode answer = call("GET", "/subjects/" + encode(subject) + "/versions/latest", null);
    final int id = answer.path("id").asInt();
    final Schema schema = parse(answer.path("schema").asText(), "latest of " + subject);
    final RegisteredSchema found = new RegisteredSchema(answer.path("subject").asText(subject),
        answer.path("version").asInt(), id, schema);
    byId.putIfAbsent(id, schema);
    latest.put(subject, new CachedLatest(found, System.currentTimeMillis()));
    return found;
  }

  @Override
  public boolean isCompatible(final String subject, final Schema schema) {
    try {
      final JsonNode answer = call("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest",
          schemaBody(schema));
      return answer.path("is_compatible").asBoolean(false);
    } catch (SubjectNotFoundException e) {
      // Nothing registered yet: any schema may become the first version.
      return true;
    }
  }

  /** The base URLs, credentials stripped, in configured order. */
  public List<URI> baseUrls() {
    return baseUrls;
  }

  private RegisteredSchema cachedUnder(final String subject, final Schema schema) {
    final Map<Schema, RegisteredSchema> schemas = bySubject.get(subject);
    return schemas == null ? null : schemas.get(schema);
  }

  private void remember(final RegisteredSchema registered) {
    bySubject.computeIfAbsent(registered.subject(), s -> new ConcurrentHashMap<>())
        .merge(registered.schema(), registered, (old, fresh) -> fresh.version() > 0 ? fresh : old);
    byId.putIfAbsent(registered.id(), registered.schema());
  }

  private static String schemaBody(final Schema schema) {
    final ObjectNode body = JSON.createObjectNode();
    body.put("schema", schema.toString());
    return body.toString();
  }

  private static Schema parse(final String text, final String what) {
    try {
      return new Schema.Parser().parse(text);
    } catch (RuntimeException e) {
      throw new SchemaRegistryException("The registry returned an unparseable Avro schema for " + what + ": "
          + e.getMessage(), 0, e);
    }
  }

  /**
   * One logical call: each attempt tries every URL, starting with the last one that answered; an IO error or a
   * 5xx moves on to the next URL; when all failed, it waits (doubling, capped) and tries again.
   */
  private JsonNode call(final String method, final String path, final String body) {
    Exception lastFailure = null;
    int lastCode = 0;
    for (int attempt = 0; attempt <= maxRetries; attempt++) {
      if (attempt > 0) {
        backoff(attempt);
      }
      final int start = preferredUrl;
      for (int i = 0; i < baseUrls.size(); i++) {
        final int index = (start + i) % baseUrls.size();
        final URI uri = resolve(baseUrls.get(index), path);
        try {
          final HttpResponse<String> response = http.send(request(method, uri, body),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
          final int status = response.statusCode();
          if (status >= 200 && status < 300) {
            preferredUrl = index;
            return JSON.readTree(response.body().isEmpty() ? "{}" : response.body());
          }
          final SchemaRegistryException error = errorOf(method, uri, status, response.body());
          if (status < 500) {
            throw error;
          }
          LOG.warn("Schema registry {} {} answered {} (attempt {} of {})", method, uri, status, attempt + 1,
              maxRetries + 1);
          lastFailure = error;
          lastCode = error.errorCode();
        } catch (IOException e) {
          LOG.warn("Schema registry {} {} failed: {} (attempt {} of {})", method, uri, e.toString(), attempt + 1,
              maxRetries + 1);
          lastFailure = e;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new RegistryUnavailableException("Interrupted calling the schema registry " + method + " " + uri,
              0, e);
        }
      }
    }
    throw new RegistryUnavailableException("Schema registry " + method + " " + path + " failed on " + baseUrls
        + " after " + (maxRetries + 1) + " attempt(s): " + (lastFailure == null ? "" : lastFailure.getMessage()),
        lastCode, lastFailure);
  }

  private HttpRequest request(final String method, final URI uri, final String body) {
    final HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
        .timeout(readTimeout)
        .header("Accept", CONTENT_TYPE);
    authHeaders.forEach(builder::header);
    if (body == null) {
      builder.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      builder.header("Content-Type", CONTENT_TYPE)
          .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    }
    return builder.build();
  }

  private void backoff(final int attempt) {
    final long wait = Math.min(retryMaxWaitMs, retryWaitMs * (1L << Math.min(attempt - 1, 30)));
    try {
      Thread.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryUnavailableException("Interrupted while backing off from the schema registry", 0, e);
    }
  }

  private static SchemaRegistryException errorOf(final String method, final URI uri, final int status,
      final String body) {
    int code = 0;
    String message = body;
    try {
      final JsonNode json = JSON.readTree(body);
      if (json != null && json.isObject()) {
        code = json.path("error_code").asInt(0);
        message = json.path("message").asText(body);
      }
    } catch (IOException | RuntimeException e) {
      // Not JSON (a proxy's error page, say): keep the raw text as the message.
    }
    return SchemaRegistryException.of(code, status,
        message + " (" + method + " " + uri + " → HTTP " + status + (code != 0 ? ", error code " + code : "") + ")");
  }

  private static Map<String, String> authHeaders(final Map<String, ?> configs, final String urlUserInfo) {
    final Map<String, String> headers = new LinkedHashMap<>();
    final String token = string(configs, BEARER_AUTH_TOKEN, "");
    final String bearerSource = string(configs, BEARER_AUTH_CREDENTIALS_SOURCE, "STATIC_TOKEN");
    if (!token.isEmpty()) {
      if (!"STATIC_TOKEN".equalsIgnoreCase(bearerSource)) {
        throw new IllegalArgumentException(BEARER_AUTH_CREDENTIALS_SOURCE + "=" + bearerSource
            + " is not supported (only STATIC_TOKEN)");
      }
      headers.put("Authorization", "Bearer " + token);
      final String cluster = string(configs, BEARER_AUTH_LOGICAL_CLUSTER, "");
      if (!cluster.isEmpty()) {
        headers.put("target-sr-cluster", cluster);
      }
      final String pool = string(configs, BEARER_AUTH_IDENTITY_POOL_ID, "");
      if (!pool.isEmpty()) {
        headers.put("Confluent-Identity-Pool-Id", pool);
      }
      return headers;
    }
    final String source = string(configs, BASIC_AUTH_CREDENTIALS_SOURCE, "").toUpperCase(Locale.ROOT);
    final String userInfo = string(configs, BASIC_AUTH_USER_INFO, "");
    final String credentials;
    switch (source) {
      case "USER_INFO" -> credentials = !userInfo.isEmpty() ? userInfo : decoded(urlUserInfo);
      case "URL" -> credentials = decoded(urlUserInfo);
      case "" -> credentials = !userInfo.isEmpty() ? userInfo : decoded(urlUserInfo);
      default -> throw new IllegalArgumentException(BASIC_AUTH_CREDENTIALS_SOURCE + "=" + source
          + " is not supported (USER_INFO or URL)");
    }
    if (credentials != null && !credentials.isEmpty()) {
      headers.put("Authorization", "Basic "
          + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }
    return headers;
  }

  private static String decoded(final String rawUserInfo) {
    return rawUserInfo == null ? null : URLDecoder.decode(rawUserInfo.replace("+", "%2B"),
        StandardCharsets.UTF_8);
  }

  private static URI withoutUserInfo(final URI uri) {
    final String text = uri.toString();
    final String stripped = uri.getRawUserInfo() == null ? text : text.replace(uri.getRawUserInfo() + "@", "");
    return URI.create(stripped.endsWith("/") ? stripped.substring(0, stripped.length() - 1) : stripped);
  }

  private static URI resolve(final URI base, final String path) {
    return URI.create(base + path);
  }

  /** A subject as one path segment: URL-encoded, spaces as %20 (not '+'). */
  static String encode(final String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String string(final Map<String, ?> configs, final String key, final String fallback) {
    Object value = configs.get(key);
    if (value == null) {
      value = configs.get(CONFIG_PREFIX + key);
    }
    if (value instanceof Password password) {
      return password.value();
    }
    return value == null ? fallback : value.toString().trim();
  }

  private static long number(final Map<String, ?> configs, final String key, final long fallback) {
    final String value = string(configs, key, "");
    return value.isEmpty() ? fallback : Long.parseLong(value);
  }

  private record CachedLatest(RegisteredSchema schema, long fetchedAtMs) {
    CachedLatest {
      Objects.requireNonNull(schema);
    }
  }
}
