package aleph.pipeline.ops;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import aleph.pipeline.db.MetricsQueries;
import aleph.pipeline.db.MetricsQueries.NodeKind;

/**
 * {@code GET /api/v0/compute/{node_id}/metrics} (CRN) and {@code GET /api/v0/core/{node_id}/metrics} (CCN), the
 * reference node's contract (DOMAIN 2.8): {@code start_date}/{@code end_date} epoch seconds (0 or absent: the
 * last 14 days before end, or before now), {@code sort} asc/desc/1/-1, bounds inclusive, 404 when no row, 422
 * for a malformed parameter. One deliberate difference: a non-finite date is a 422, not the reference's 500.
 */
public final class MetricsApi implements HttpHandler {

  private static final Duration DEFAULT_WINDOW = Duration.ofDays(14);

  private final MetricsQueries queries;
  private final Clock clock;

  public MetricsApi(final MetricsQueries queries, final Clock clock) {
    this.queries = queries;
    this.clock = clock;
  }

  @Override
  public void handle(final HttpExchange exchange) throws IOException {
    final String[] path = exchange.getRequestURI().getPath().split("/");
    // ["", "api", "v0", "compute"|"core", node_id, "metrics"]
    if (!"GET".equals(exchange.getRequestMethod()) || path.length != 6 || !"metrics".equals(path[5])
        || !(path[3].equals("compute") || path[3].equals("core"))) {
      json(exchange, 404, Map.of("detail", "Not Found"));
      return;
    }
    final NodeKind kind = path[3].equals("compute") ? NodeKind.CRN : NodeKind.CCN;
    final String nodeId = URLDecoder.decode(path[4], StandardCharsets.UTF_8);
    final Map<String, String> params = query(exchange.getRequestURI());
    final Double start;
    final Double end;
    final Boolean ascending;
    try {
      start = epoch(params, "start_date");
      end = epoch(params, "end_date");
      ascending = sort(params.get("sort"));
    } catch (InvalidParameter e) {
      json(exchange, 422, Map.of("detail", List.of(Map.of("loc", List.of("query", e.name), "msg", e.getMessage(),
          "type", "value_error"))));
      return;
    }
    final boolean hasStart = start != null && start != 0;
    final boolean hasEnd = end != null && end != 0;
    final Instant to = hasEnd ? instant(end) : null;
    final Instant from = hasStart ? instant(start) : (hasEnd ? to : clock.instant()).minus(DEFAULT_WINDOW);
    final Map<String, List<Object>> columns = queries.columns(kind, nodeId, from, to, ascending);
    if (columns.isEmpty() || columns.get("item_hash").isEmpty()) {
      json(exchange, 404, Map.of("detail", "No metric found for this node"));
      return;
    }
    json(exchange, 200, columns);
  }

  private static Double epoch(final Map<String, String> params, final String name) throws InvalidParameter {
    final String raw = params.get(name);
    if (raw == null) {
      return null;
    }
    try {
      final double value = Double.parseDouble(raw.strip());
      if (!Double.isFinite(value)) {
        throw new InvalidParameter(name, "Input should be a finite number");
      }
      return value;
    } catch (NumberFormatException e) {
      throw new InvalidParameter(name, "Input should be a valid number, unable to parse string as a number");
    }
  }

  private static boolean sort(final String raw) throws InvalidParameter {
    if (raw == null) {
      return true;
    }
    switch (raw.strip().toLowerCase(Locale.ROOT)) {
      case "asc", "ascending", "1":
        return true;
      case "desc", "descending", "-1":
        return false;
      default:
        throw new InvalidParameter("sort", "sort must be asc, ascending, desc, descending, 1 or -1");
    }
  }

  private static Instant instant(final double epochSeconds) {
    final long micros = Math.round(epochSeconds * 1_000_000d);
    return Instant.EPOCH.plus(Duration.ofNanos(Math.floorMod(micros, 1_000_000L) * 1000L))
        .plusSeconds(Math.floorDiv(micros, 1_000_000L));
  }

  private static Map<String, String> query(final URI uri) {
    final Map<String, String> params = new HashMap<>();
    final String raw = uri.getRawQuery();
    if (raw == null) {
      return params;
    }
    for (String pair : raw.split("&")) {
      final int eq = pair.indexOf('=');
      final String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      params.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return params;
  }

  private static void json(final HttpExchange exchange, final int status, final Object body) throws IOException {
    OpsServer.respond(exchange, status, "application/json", OpsServer.JSON.writeValueAsBytes(body));
  }

  private static final class InvalidParameter extends Exception {
    private final String name;

    InvalidParameter(final String name, final String message) {
      super(message);
      this.name = name;
    }
  }
}
