package aleph.pipeline.ops;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator HTTP endpoint (JDK HttpServer: a framework is not needed for a handful of routes). Routes are
 * added by the runtime before {@link #start()}.
 */
public final class OpsServer implements AutoCloseable {

  public static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private static final Logger LOG = LoggerFactory.getLogger(OpsServer.class);

  private final HttpServer server;

  public OpsServer(final String host, final int port) {
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 64);
    } catch (IOException e) {
      throw new IllegalStateException("could not listen on " + host + ":" + port + " (http.host/http.port): "
          + e.getMessage(), e);
    }
    server.setExecutor(Executors.newFixedThreadPool(4, r -> {
      final Thread t = new Thread(r, "ops-http");
      t.setDaemon(true);
      return t;
    }));
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String baseUrl() {
    return "http://" + server.getAddress().getHostString() + ":" + port();
  }

  public OpsServer route(final String path, final HttpHandler handler) {
    server.createContext(path, exchange -> {
      try {
        handler.handle(exchange);
      } catch (Exception e) {
        LOG.warn("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
        // Answers unless the handler already sent its headers; then the client sees a cut response.
        respond(exchange, 500, "application/json",
            JSON.writeValueAsBytes(java.util.Map.of("error", String.valueOf(e.getMessage()))));
      } finally {
        exchange.close();
      }
    });
    return this;
  }

  /** A GET route answering JSON: 200 with the body, or {@code statusOf} of the body (e.g. 503 when unhealthy). */
  public OpsServer json(final String path, final Supplier<?> body) {
    return route(path, exchange -> {
      final Object value = body.get();
      final int status = value instanceof HttpStatus s ? s.status() : 200;
      respond(exchange, status, "application/json",
          JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(value instanceof HttpStatus s ? s.body() : value));
    });
  }

  public static void respond(final HttpExchange exchange, final int status, final String contentType,
      final byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  public static void respondText(final HttpExchange exchange, final int status, final String text)
      throws IOException {
    respond(exchange, status, "text/plain; version=0.0.4; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
  }

  public void start() {
    server.start();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /** A JSON body with an explicit HTTP status. */
  public record HttpStatus(int status, Object body) {
  }
}
