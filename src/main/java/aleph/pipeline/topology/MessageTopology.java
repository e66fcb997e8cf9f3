package aleph.pipeline.topology;

import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;

import aleph.pipeline.config.PipelineConfig;
import aleph.pipeline.message.ParsedMessage;
import aleph.pipeline.serde.SerdeFactory;

/**
 * Input {@code aleph.messages.v1} (item_hash → AlephMessage) through the gate: scoring posts fan out to the
 * metric topics, accepted parents to {@code aleph.messages.accepted.v1}, FORGET targets to
 * {@code aleph.messages.forgotten.v1}. Returns the credit candidates (key item_hash) for the ledger.
 */
public final class MessageTopology {

  private MessageTopology() {
  }

  public static KStream<String, ParsedMessage> build(final StreamsBuilder builder, final PipelineConfig config,
      final Topics topics, final SerdeFactory serdes) {
    throw new UnsupportedOperationException("message gate not built yet");
  }
}
