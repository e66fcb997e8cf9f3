package aleph.pipeline.topology.message;

import java.time.Duration;
import java.util.Locale;

import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

import aleph.pipeline.avro.message.MessageKind;
import aleph.pipeline.message.GateResult;
import aleph.pipeline.metrics.PipelineCounters;

/**
 * Drops an accepted message whose item_hash was already accepted less than the dedup window earlier (record
 * time), as Aleph re-broadcasts do; counts what passes as accepted per kind.
 *
 * <p>State: the window store named at construction, item_hash to first-seen record time, with retention equal
 * to the window so it stays bounded (expired segments are dropped by stream time). Only accepted messages are
 * remembered. Past the window the sink's unique keys keep the database idempotent.
 */
public final class DedupProcessor implements FixedKeyProcessor<String, GateResult, GateResult> {

  private final String storeName;
  private final long windowMs;
  private final PipelineCounters counters;
  private FixedKeyProcessorContext<String, GateResult> context;
  private WindowStore<String, Long> seen;

  public DedupProcessor(final String storeName, final Duration window, final PipelineCounters counters) {
    this.storeName = storeName;
    this.windowMs = window.toMillis();
    this.counters = counters;
  }

  @Override
  public void init(final FixedKeyProcessorContext<String, GateResult> context) {
    this.context = context;
    this.seen = context.getStateStore(storeName);
  }

  @Override
  public void process(final FixedKeyRecord<String, GateResult> record) {
    final String hash = record.key();
    final long time = record.timestamp();
    final long from = Math.max(0, time - windowMs + 1);
    final long to = time > Long.MAX_VALUE - windowMs ? Long.MAX_VALUE : time + windowMs - 1;
    try (WindowStoreIterator<Long> earlier = seen.fetch(hash, from, to)) {
      if (earlier.hasNext()) {
        counters.increment("messages.duplicate");
        return;
      }
    }
    seen.put(hash, time, time);
    for (MessageKind kind : record.value().kinds()) {
      counters.increment("messages.accepted", "kind", kind.name().toLowerCase(Locale.ROOT));
    }
    context.forward(record);
  }
}
