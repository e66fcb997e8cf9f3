package aleph.pipeline.topology;

import java.util.Properties;

import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;

import aleph.pipeline.config.PipelineConfig;
import aleph.pipeline.serde.SerdeFactory;

/**
 * The whole stream graph: the message gate and scoring fan-out ({@link MessageTopology}), whose credit
 * candidates feed the credit ledger ({@link CreditTopology}). Pure with respect to its arguments: tests and
 * the runtime build exactly this.
 */
public final class PipelineTopology {

  private PipelineTopology() {
  }

  public static Topology build(final PipelineConfig config, final Topics topics, final SerdeFactory serdes) {
    final Properties props = new Properties();
    props.putAll(StreamsSettings.properties(config, topics));
    // Building connects to nothing, but StreamsConfig insists on a broker address (empty before the embedded
    // broker has started).
    if (String.valueOf(props.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)).isBlank()) {
      props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "not-connected:9092");
    }
    // Built with the runtime's settings, so ensure.explicit.internal.resource.naming is enforced here too.
    final StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(props)));
    final var creditCandidates = MessageTopology.build(builder, config, topics, serdes);
    CreditTopology.build(builder, creditCandidates, config, topics, serdes);
    return builder.build();
  }
}
