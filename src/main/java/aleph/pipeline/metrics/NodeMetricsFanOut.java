package aleph.pipeline.metrics;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

import com.fasterxml.jackson.databind.JsonNode;

import aleph.pipeline.avro.metrics.CcnMetric;
import aleph.pipeline.avro.metrics.CrnMetric;
import aleph.pipeline.message.ParsedMessage;

/**
 * Turns an accepted scoring post into one {@link CrnMetric} per valid {@code metrics.crn} entry and one
 * {@link CcnMetric} per valid {@code metrics.ccn} entry, with the reference's coercions (DOMAIN 2.4):
 *
 * <ul>
 *   <li>{@code metrics} that is not a non-empty object, or {@code crn}/{@code ccn} that is not an array: nothing;</li>
 *   <li>an entry that is not an object, whose {@code node_id} is falsy, or whose {@code measured_at} is not a
 *       usable timestamp ({@link PyValues#toTimestamp}): skipped;</li>
 *   <li>{@code node_id}: {@code str(v)}; float columns: {@code float(v)}; int columns: {@code int(v)}; a value
 *       Python cannot convert becomes null;</li>
 *   <li>one deliberate difference (DESIGN 5.6): an int outside int32 becomes null instead of failing the message.</li>
 * </ul>
 *
 * <p>Each record carries the parent's item_hash, envelope time, sender, channel and owner. Skips and nulls are
 * counted in {@link PipelineCounters} (see there for names).
 */
public final class NodeMetricsFanOut {

  public static final String CRN = "crn";
  public static final String CCN = "ccn";

  private final PipelineCounters counters;

  public NodeMetricsFanOut(final PipelineCounters counters) {
    this.counters = counters;
  }

  public List<CrnMetric> crn(final ParsedMessage message) {
    return fanOut(message, CRN, (entry, base) -> {
      final Cells cells = new Cells(entry, CRN);
      return CrnMetric.newBuilder()
          .setItemHash(base.itemHash).setNodeId(base.nodeId).setMeasuredAt(base.measuredAt)
          .setBaseLatency(cells.real("base_latency"))
          .setBaseLatencyIpv4(cells.real("base_latency_ipv4"))
          .setFullCheckLatency(cells.real("full_check_latency"))
          .setDiagnosticVmLatency(cells.real("diagnostic_vm_latency"))
          .setMessageTime(base.messageTime).setSender(base.sender).setChannel(base.channel).setOwner(base.owner)
          .build();
    });
  }

  public List<CcnMetric> ccn(final ParsedMessage message) {
    return fanOut(message, CCN, (entry, base) -> {
      final Cells cells = new Cells(entry, CCN);
      return CcnMetric.newBuilder()
          .setItemHash(base.itemHash).setNodeId(base.nodeId).setMeasuredAt(base.measuredAt)
          .setBaseLatency(cells.real("base_latency"))
          .setBaseLatencyIpv4(cells.real("base_latency_ipv4"))
          .setMetricsLatency(cells.real("metrics_latency"))
          .setAggregateLatency(cells.real("aggregate_latency"))
          .setFileDownloadLatency(cells.real("file_download_latency"))
          .setPendingMessages(cells.int32("pending_messages"))
          .setEthHeightRemaining(cells.int32("eth_height_remaining"))
          .setMessageTime(base.messageTime).setSender(base.sender).setChannel(base.channel).setOwner(base.owner)
          .build();
    });
  }

  /** The entries of {@code metrics.<table>} as the reference reads them: an array, or nothing. */
  static List<JsonNode> entries(final JsonNode payload, final String table) {
    final JsonNode metrics = payload == null ? null : payload.get("metrics");
    if (!PyValues.truthy(metrics) || !metrics.isObject()) {
      return List.of();
    }
    final JsonNode list = metrics.get(table);
    if (!PyValues.truthy(list) || !list.isArray()) {
      return List.of();
    }
    final List<JsonNode> out = new ArrayList<>(list.size());
    list.forEach(out::add);
    return out;
  }

  private <T> List<T> fanOut(final ParsedMessage message, final String table,
      final BiFunction<JsonNode, Base, T> build) {
    final List<JsonNode> entries = entries(message.content().get("content"), table);
    final List<T> out = new ArrayList<>(entries.size());
    for (JsonNode entry : entries) {
      if (!entry.isObject()) {
        skipped(table, "not_object");
        continue;
      }
      final JsonNode nodeId = entry.get("node_id");
      if (!PyValues.truthy(nodeId)) {
        skipped(table, "node_id");
        continue;
      }
      final Instant measuredAt = PyValues.toTimestamp(entry.get("measured_at"));
      if (measuredAt == null) {
        skipped(table, "measured_at");
        continue;
      }
      out.add(build.apply(entry, new Base(message, PyValues.str(nodeId), measuredAt)));
    }
    if (!out.isEmpty()) {
      counters.add("metrics.entries.emitted", out.size(), "table", table);
    }
    return out;
  }

  private void skipped(final String table, final String reason) {
    counters.increment("metrics.entries.skipped", "table", table, "reason", reason);
  }

  /** The parent's coordinates plus the entry's key columns. */
  private static final class Base {
    final String itemHash;
    final String nodeId;
    final Instant measuredAt;
    final Instant messageTime;
    final String sender;
    final String channel;
    final String owner;

    Base(final ParsedMessage message, final String nodeId, final Instant measuredAt) {
      this.itemHash = message.envelope().getItemHash();
      this.nodeId = nodeId;
      this.measuredAt = measuredAt;
      this.messageTime = message.envelope().getTime();
      this.sender = message.envelope().getSender();
      this.channel = message.envelope().getChannel();
      this.owner = message.owner();
    }
  }

  /** The value columns of one entry, counting every present value that became null. */
  private final class Cells {
    private static final BigInteger INT32_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
    private static final BigInteger INT32_MAX = BigInteger.valueOf(Integer.MAX_VALUE);

    private final JsonNode entry;
    private final String table;

    Cells(final JsonNode entry, final String table) {
      this.entry = entry;
      this.table = table;
    }

    Double real(final String field) {
      final JsonNode value = entry.get(field);
      final Double out = PyValues.toFloat(value);
      if (out == null && present(value)) {
        nulled(field, "invalid");
      }
      return out;
    }

    Integer int32(final String field) {
      final JsonNode value = entry.get(field);
      final BigInteger out = PyValues.toInt(value);
      if (out == null) {
        if (present(value)) {
          nulled(field, "invalid");
        }
        return null;
      }
      if (out.compareTo(INT32_MIN) < 0 || out.compareTo(INT32_MAX) > 0) {
        nulled(field, "int32_range");
        return null;
      }
      return out.intValueExact();
    }

    private void nulled(final String field, final String reason) {
      counters.increment("metrics.coercions.null", "table", table, "field", field, "reason", reason);
    }

    private boolean present(final JsonNode value) {
      return value != null && !value.isNull();
    }
  }
}
