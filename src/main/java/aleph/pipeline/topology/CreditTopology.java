package aleph.pipeline.topology;

import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;

import aleph.pipeline.config.PipelineConfig;
import aleph.pipeline.message.ParsedMessage;
import aleph.pipeline.serde.SerdeFactory;

/**
 * The credit ledger: credit candidates (item_hash → ParsedMessage) rekeyed by address into one processor with
 * the {@code credit-buckets} store; outputs history, balances (compacted) and rejections.
 */
public final class CreditTopology {

  private CreditTopology() {
  }

  public static void build(final StreamsBuilder builder, final KStream<String, ParsedMessage> creditCandidates,
      final PipelineConfig config, final Topics topics, final SerdeFactory serdes) {
    throw new UnsupportedOperationException("credit ledger not built yet");
  }
}
