package aleph.pipeline.topology;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

import aleph.pipeline.config.PipelineConfig;
import aleph.pipeline.errors.DeadLetterExceptionHandler;

/** The Kafka Streams properties of the pipeline: production defaults, then the user's pass-through ones. */
public final class StreamsSettings {

  private StreamsSettings() {
  }

  public static Map<String, Object> properties(final PipelineConfig config, final Topics topics) {
    final Map<String, Object> props = new HashMap<>();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.getString(PipelineConfig.APPLICATION_ID));
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.getString(PipelineConfig.BOOTSTRAP_SERVERS));
    // Exactly once from the input topic to every output topic.
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    // Renaming a store or repartition topic silently loses state: every internal resource is named in code.
    props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
    // Undecodable input goes to the dead-letter topic with lineage headers and is counted; processing continues.
    props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterExceptionHandler.class);
    props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topics.deadLetters());
    props.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    props.put(StreamsConfig.STATE_DIR_CONFIG,
        java.nio.file.Path.of(config.getString(PipelineConfig.DATA_DIR), "streams").toAbsolutePath().toString());
    props.putAll(config.serdeProperties());
    props.putAll(config.clientProperties("streams"));
    return props;
  }
}
