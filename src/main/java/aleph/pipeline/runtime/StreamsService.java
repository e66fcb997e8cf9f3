package aleph.pipeline.runtime;

import java.time.Duration;
import java.util.Properties;

import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import aleph.pipeline.config.PipelineConfig;
import aleph.pipeline.serde.SerdeFactory;
import aleph.pipeline.topology.PipelineTopology;
import aleph.pipeline.topology.StreamsSettings;
import aleph.pipeline.topology.Topics;

/** The Kafka Streams half of the pipeline: the topology of {@link PipelineTopology} under EOS v2. */
public final class StreamsService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StreamsService.class);

  private final KafkaStreams streams;
  private final Topology topology;

  public StreamsService(final PipelineConfig config) {
    final Topics topics = Topics.from(config);
    this.topology = PipelineTopology.build(config, topics, new SerdeFactory(config.serdeProperties()));
    final Properties props = new Properties();
    props.putAll(StreamsSettings.properties(config, topics));
    this.streams = new KafkaStreams(topology, props);
    // A processing bug stops this client; /healthz reports it and the orchestrator restarts the process.
    streams.setUncaughtExceptionHandler(e -> {
      LOG.error("stream thread failed; shutting the Kafka Streams client down", e);
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
  }

  public void start() {
    LOG.info("starting Kafka Streams\n{}", topology.describe());
    streams.start();
  }

  public KafkaStreams streams() {
    return streams;
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  public boolean healthy() {
    final KafkaStreams.State state = streams.state();
    return state != KafkaStreams.State.ERROR && state != KafkaStreams.State.NOT_RUNNING
        && state != KafkaStreams.State.PENDING_ERROR;
  }

  @Override
  public void close() {
    // Leaving the group lets a restarted (or another) instance take the tasks at once instead of after the
    // session timeout.
    streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
        .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
  }
}
