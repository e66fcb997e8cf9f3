package aleph.pipeline.topology.message;

import java.util.Locale;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import aleph.pipeline.avro.message.AlephMessage;
import aleph.pipeline.message.GateResult;
import aleph.pipeline.message.MessageGate;
import aleph.pipeline.metrics.PipelineCounters;

/**
 * Runs {@link MessageGate} on every input record and forwards only accepted messages, keyed by their envelope
 * item_hash (the input topic's contract; a producer's stray key does not leak downstream). Counts every record
 * seen, ignored (by reason) and invalid (by reason).
 */
public final class GateProcessor implements Processor<String, AlephMessage, String, GateResult> {

  private static final Logger LOG = LoggerFactory.getLogger(GateProcessor.class);

  private final MessageGate gate;
  private final PipelineCounters counters;
  private ProcessorContext<String, GateResult> context;

  public GateProcessor(final MessageGate gate, final PipelineCounters counters) {
    this.gate = gate;
    this.counters = counters;
  }

  @Override
  public void init(final ProcessorContext<String, GateResult> context) {
    this.context = context;
  }

  @Override
  public void process(final Record<String, AlephMessage> record) {
    counters.increment("messages.seen");
    final AlephMessage message = record.value();
    if (message == null) {
      counters.increment("messages.ignored", "reason", "tombstone");
      return;
    }
    final GateResult result = gate.evaluate(message);
    if (result.isAccepted()) {
      context.forward(record.withKey(message.getItemHash()).withValue(result));
    } else if (result.invalid()) {
      counters.increment("messages.invalid", "reason", result.reason());
      // Counted and logged, never silent: the content is the producer's to fix.
      LOG.warn("Dropped {} message {} from {}: invalid content ({})",
          message.getType().name().toLowerCase(Locale.ROOT), message.getItemHash(), message.getSender(),
          result.reason());
    } else {
      counters.increment("messages.ignored", "reason", result.reason());
    }
  }
}
