package aleph.pipeline.serde;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A JDK HttpServer playing the Schema Registry: records every request exactly as received and answers from a
 * script (status + body, or a dropped connection), then with a default answer.
 */
final class FakeRegistryServer implements AutoCloseable {

  /** A request as the server saw it; header names lower-cased. */
  record Request(String method, String path, Map<String, String> headers, String body) {
  }

  /** A scripted answer; {@code status < 0} closes the connection without answering (an IO error). */
  record Answer(int status, String body) {
    static Answer ok(final String body) {
      return new Answer(200, body);
    }

    static Answer error(final int status, final int errorCode, final String message) {
      return new Answer(status, "{\"error_code\":" + errorCode + ",\"message\":\"" + message + "\"}");
    }

    static Answer drop() {
      return new Answer(-1, "");
    }
  }

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Deque<Answer> script = new ArrayDeque<>();
  private Answer fallback = Answer.error(500, 50001, "no answer scripted");

  FakeRegistryServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  int port() {
    return server.getAddress().getPort();
  }

  synchronized FakeRegistryServer then(final Answer answer) {
    script.add(answer);
    return this;
  }

  synchronized FakeRegistryServer always(final Answer answer) {
    fallback = answer;
    return this;
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  private void handle(final HttpExchange exchange) throws IOException {
    final String body;
    try (InputStream in = exchange.getRequestBody()) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    final Map<String, String> headers = new TreeMap<>();
    exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT),
        String.join(",", values)));
    requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), headers, body));
    final Answer answer;
    synchronized (this) {
      answer = script.isEmpty() ? fallback : script.poll();
    }
    if (answer.status() < 0) {
      exchange.close();
      return;
    }
    final byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", RestSchemaRegistry.CONTENT_TYPE);
    exchange.sendResponseHeaders(answer.status(), bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
