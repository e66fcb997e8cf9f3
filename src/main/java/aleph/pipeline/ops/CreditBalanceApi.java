package aleph.pipeline.ops;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;

import aleph.pipeline.credit.Balance;
import aleph.pipeline.topology.credit.CreditBalanceQuery;

/**
 * {@code GET /api/v0/addresses/{address}/credit_balance}: an address's credits valid now, straight from the
 * ledger's state store (Interactive Queries). When another instance owns the address the request is forwarded to
 * it ({@code streams.application.server} names each instance's HTTP endpoint); while the store is not queryable
 * (rebalancing, restoring) the answer is 503.
 */
public final class CreditBalanceApi implements HttpHandler {

  private static final HttpClient FORWARD = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Supplier<KafkaStreams> streams;
  private final HostInfo self;
  private final Clock clock;

  public CreditBalanceApi(final Supplier<KafkaStreams> streams, final HostInfo self, final Clock clock) {
    this.streams = streams;
    this.self = self;
    this.clock = clock;
  }

  @Override
  public void handle(final HttpExchange exchange) throws IOException {
    final String[] path = exchange.getRequestURI().getPath().split("/");
    // ["", "api", "v0", "addresses", address, "credit_balance"]
    if (!"GET".equals(exchange.getRequestMethod()) || path.length != 6 || !"credit_balance".equals(path[5])) {
      json(exchange, 404, Map.of("detail", "Not Found"));
      return;
    }
    final String address = URLDecoder.decode(path[4], StandardCharsets.UTF_8);
    final CreditBalanceQuery.Answer answer = CreditBalanceQuery.balance(streams.get(), self, address, clock.instant());
    if (answer instanceof CreditBalanceQuery.Local local) {
      json(exchange, 200, body(address, local.balance()));
    } else if (answer instanceof CreditBalanceQuery.Remote remote) {
      forward(exchange, remote.host());
    } else {
      json(exchange, 503, Map.of("detail", ((CreditBalanceQuery.Unavailable) answer).reason()));
    }
  }

  static Map<String, Object> body(final String address, final Balance balance) {
    final List<Map<String, Object>> details = new ArrayList<>();
    for (Balance.Bucket bucket : balance.buckets()) {
      final Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("expiration_date", bucket.expiration() == null ? null
          : Instant.EPOCH.plus(bucket.expiration(), ChronoUnit.MICROS).toString());
      detail.put("amount", bucket.amount());
      details.add(detail);
    }
    final Map<String, Object> body = new LinkedHashMap<>();
    body.put("address", address);
    body.put("credit_balance", balance.total());
    body.put("credit_balance_details", details);
    return body;
  }

  private static void forward(final HttpExchange exchange, final HostInfo owner) throws IOException {
    final URI target = URI.create("http://" + owner.host() + ":" + owner.port() + exchange.getRequestURI());
    try {
      final HttpResponse<byte[]> response = FORWARD.send(HttpRequest.newBuilder(target)
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
      OpsServer.respond(exchange, response.statusCode(), "application/json", response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      json(exchange, 503, Map.of("detail", "interrupted while asking " + owner));
    } catch (IOException e) {
      json(exchange, 503, Map.of("detail", "the owning instance " + owner + " did not answer: " + e.getMessage()));
    }
  }

  private static void json(final HttpExchange exchange, final int status, final Object body) throws IOException {
    OpsServer.respond(exchange, status, "application/json", OpsServer.JSON.writeValueAsBytes(body));
  }
}
