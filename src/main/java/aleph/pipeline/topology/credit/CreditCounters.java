package aleph.pipeline.topology.credit;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.StreamsMetrics;

/**
 * Rate/total counters of one ledger processor, as Kafka Streams metrics in group
 * {@code stream-credit-ledger-metrics} (e.g. {@code rejected-not-whitelisted-total}), so they show up
 * wherever the Streams metrics are exported.
 */
final class CreditCounters {

  private final StreamsMetrics metrics;
  private final String entity;
  private final Map<String, Sensor> sensors = new HashMap<>();

  CreditCounters(final StreamsMetrics metrics, final String entity) {
    this.metrics = metrics;
    this.entity = entity;
  }

  void rejected(final Enum<?> code) {
    count("rejected-" + code.name().toLowerCase(Locale.ROOT).replace('_', '-'));
  }

  void count(final String operation) {
    sensors.computeIfAbsent(operation, op -> metrics.addRateTotalSensor(CreditNames.METRICS_SCOPE, entity, op,
        Sensor.RecordingLevel.INFO)).record();
  }
}
