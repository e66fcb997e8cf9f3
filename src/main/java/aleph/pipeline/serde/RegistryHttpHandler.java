package aleph.pipeline.serde;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

/**
 * Serves the Confluent Schema Registry REST subset {@link RestSchemaRegistry} speaks, backed by any
 * {@link SchemaRegistry} (typically the embedded mode's {@link MockSchemaRegistry}), so other processes can share
 * an in-memory registry over HTTP.
 *
 * <p>Mount it with {@link #mount}, or {@code server.createContext(prefix, new RegistryHttpHandler(prefix, registry))};
 * clients then use {@code schema.registry.url=http://host:port<prefix>}. Routes (relative to the prefix):
 * {@code POST /subjects/{s}/versions}, {@code POST /subjects/{s}}, {@code GET /schemas/ids/{id}},
 * {@code GET /subjects/{s}/versions/latest}, {@code POST /compatibility/subjects/{s}/versions/latest}, and for
 * operators {@code GET /subjects} and {@code GET /config} (BACKWARD, the mock's fixed level). Errors
 * answer as the registry does: {@code {"error_code": 40401, "message": "..."}} with the matching HTTP status.
 */
public final class RegistryHttpHandler implements HttpHandler {

  private static final Logger LOG = LoggerFactory.getLogger(RegistryHttpHandler.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern REGISTER = Pattern.compile("/subjects/([^/]+)/versions/?");
  private static final Pattern LOOKUP = Pattern.compile("/subjects/([^/]+)/?");
  private static final Pattern BY_ID = Pattern.compile("/schemas/ids/(-?\\d+)/?");
  private static final Pattern LATEST = Pattern.compile("/subjects/([^/]+)/versions/latest/?");
  private static final Pattern SUBJECTS = Pattern.compile("/subjects/?");
  private static final Pattern CONFIG = Pattern.compile("/config/?");
  private static final Pattern COMPATIBILITY = Pattern.compile("/compatibility/subjects/([^/]+)/versions/latest/?");

  private final String prefix;
  private final SchemaRegistry registry;

  /**
   * @param prefix   the context path it is mounted under ("" or e.g. "/registry"); stripped before routing
   * @param registry the registry that answers
   */
  public RegistryHttpHandler(final String prefix, final SchemaRegistry registry) {
    final String trimmed = prefix == null ? "" : prefix.trim();
    this.prefix = trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    this.registry = registry;
  }

  /**
   * Mounts a handler for {@code registry} on {@code server} under {@code prefix} (e.g. "/registry"); clients then
   * use {@code schema.registry.url=http://<host>:<port><prefix>}.
   */
  public static HttpContext mount(final HttpServer server, final String prefix, final SchemaRegistry registry) {
    return server.createContext(prefix, new RegistryHttpHandler(prefix, registry));
  }

  @Override
  public void handle(final HttpExchange exchange) throws IOException {
    try (exchange) {
      final String method = exchange.getRequestMethod();
      final String path = relativePath(exchange.getRequestURI().getRawPath());
      try {
        route(exchange, method, path);
      } catch (SchemaRegistryException e) {
        final int code = e.errorCode() != 0 ? e.errorCode() : SchemaRegistryException.INTERNAL_ERROR;
        respond(exchange, new SchemaRegistryException("", code).httpStatus(), error(code, e.getMessage()));
      } catch (UnsupportedOperationException e) {
        respond(exchange, 405, error(405, String.valueOf(e.getMessage())));
      } catch (RuntimeException e) {
        LOG.warn("Registry request {} {} failed", method, path, e);
        respond(exchange, 500, error(SchemaRegistryException.INTERNAL_ERROR, String.valueOf(e.getMessage())));
      }
    }
  }

  private void route(final HttpExchange exchange, final String method, final String path) throws IOException {
    Matcher m;
    if ((m = COMPATIBILITY.matcher(path)).matches() && "POST".equals(method)) {
      final ObjectNode body = JSON.createObjectNode();
      body.put("is_compatible", registry.isCompatible(subject(m), schemaOf(exchange)));
      respond(exchange, 200, body);
    } else if ((m = LATEST.matcher(path)).matches() && "GET".equals(method)) {
      respond(exchange, 200, describe(registry.latest(subject(m))));
    } else if ((m = REGISTER.matcher(path)).matches() && "POST".equals(method)) {
      final ObjectNode body = JSON.createObjectNode();
      body.put("id", registry.register(subject(m), schemaOf(exchange)));
      respond(exchange, 200, body);
    } else if ((m = BY_ID.matcher(path)).matches() && "GET".equals(method)) {
      final ObjectNode body = JSON.createObjectNode();
      body.put("schema", registry.byId(Integer.parseInt(m.group(1))).toString());
      respond(exchange, 200, body);
    } else if ((m = LOOKUP.matcher(path)).matches() && "POST".equals(method)) {
      respond(exchange, 200, describe(registry.lookup(subject(m), schemaOf(exchange))));
    } else if (SUBJECTS.matcher(path).matches() && "GET".equals(method)) {
      final ArrayNode body = JSON.createArrayNode();
      registry.subjects().forEach(body::add);
      respond(exchange, 200, body);
    } else if (CONFIG.matcher(path).matches() && "GET".equals(method)) {
      final ObjectNode body = JSON.createObjectNode();
      body.put("compatibilityLevel", "BACKWARD");
      respond(exchange, 200, body);
    } else if (COMPATIBILITY.matcher(path).matches() || LATEST.matcher(path).matches()
        || REGISTER.matcher(path).matches() || BY_ID.matcher(path).matches() || LOOKUP.matcher(path).matches()) {
      respond(exchange, 405, error(405, "HTTP " + method + " not allowed on " + path));
    } else {
      respond(exchange, 404, error(404, "HTTP 404 Not Found: " + path));
    }
  }

  private String relativePath(final String rawPath) {
    final String path = rawPath.startsWith(prefix) ? rawPath.substring(prefix.length()) : rawPath;
    return path.isEmpty() ? "/" : path;
  }

  private static String subject(final Matcher m) {
    return URLDecoder.decode(m.group(1).replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static Schema schemaOf(final HttpExchange exchange) throws IOException {
    final JsonNode request;
    try (InputStream in = exchange.getRequestBody()) {
      request = JSON.readTree(in);
    } catch (IOException e) {
      throw new SchemaRegistryException.InvalidSchemaException("Unrecognized request body: " + e.getMessage(),
          SchemaRegistryException.INVALID_SCHEMA);
    }
    if (request == null || !request.path("schema").isTextual()) {
      throw new SchemaRegistryException.InvalidSchemaException("Request body has no \"schema\" string",
          SchemaRegistryException.INVALID_SCHEMA);
    }
    final String type = request.path("schemaType").asText("AVRO");
    if (!"AVRO".equals(type)) {
      throw new SchemaRegistryException.InvalidSchemaException("Only AVRO schemas are served here, not " + type,
          SchemaRegistryException.INVALID_SCHEMA);
    }
    try {
      return new Schema.Parser().parse(request.path("schema").asText());
    } catch (RuntimeException e) {
      throw new SchemaRegistryException.InvalidSchemaException("Invalid schema: " + e.getMessage(),
          SchemaRegistryException.INVALID_SCHEMA);
    }
  }

  private static ObjectNode describe(final SchemaRegistry.RegisteredSchema registered) {
    final ObjectNode body = JSON.createObjectNode();
    body.put("subject", registered.subject());
    body.put("version", registered.version());
    body.put("id", registered.id());
    body.put("schema", registered.schema().toString());
    return body;
  }

  private static ObjectNode error(final int code, final String message) {
    final ObjectNode body = JSON.createObjectNode();
    body.put("error_code", code);
    body.put("message", message);
    return body;
  }

  private static void respond(final HttpExchange exchange, final int status, final JsonNode body) throws IOException {
    final byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", RestSchemaRegistry.CONTENT_TYPE);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
