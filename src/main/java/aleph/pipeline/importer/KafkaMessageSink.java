package aleph.pipeline.importer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringSerializer;

import aleph.pipeline.avro.message.AlephMessage;
import aleph.pipeline.config.PipelineConfig;
import aleph.pipeline.serde.AvroSerializer;

/**
 * Produces imported messages to the input topic, keyed by item_hash, Avro in the Confluent wire format, with an
 * idempotent producer ({@code acks=all}) so retries never duplicate. {@link #connect} checks the broker and the
 * topic first with a short timeout so an unreachable broker is one clear error, not a hang.
 */
public final class KafkaMessageSink implements MessageImporter.Sink, AutoCloseable {

  /** The broker cannot be reached or the topic is missing; the message is one line for the operator. */
  public static final class UnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    public UnavailableException(final String message) {
      super(message);
    }
  }

  private final KafkaProducer<String, AlephMessage> producer;
  private final String topic;

  private KafkaMessageSink(final KafkaProducer<String, AlephMessage> producer, final String topic) {
    this.producer = producer;
    this.topic = topic;
  }

  public static KafkaMessageSink connect(final PipelineConfig config, final String topic, final Duration timeout)
      throws UnavailableException {
    final String bootstrap = config.getString(PipelineConfig.BOOTSTRAP_SERVERS);
    if (bootstrap.isBlank()) {
      throw new UnavailableException("no Kafka broker: set bootstrap.servers, or start 'aleph-pipeline run' "
          + "on the same data.dir");
    }
    checkBroker(config, bootstrap, topic, timeout);
    final Map<String, Object> props = new HashMap<>(config.clientProperties("producer"));
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "aleph-pipeline-import");
    props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
    props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 20);
    final AvroSerializer<AlephMessage> values = new AvroSerializer<>();
    values.configure(config.serdeProperties(), false);
    return new KafkaMessageSink(new KafkaProducer<>(props, new StringSerializer(), values), topic);
  }

  private static void checkBroker(final PipelineConfig config, final String bootstrap, final String topic,
      final Duration timeout) throws UnavailableException {
    final Map<String, Object> props = new HashMap<>(config.clientProperties("admin"));
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    final int millis = (int) timeout.toMillis();
    props.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
    props.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
    try (Admin admin = Admin.create(props)) {
      try {
        admin.describeCluster(new DescribeClusterOptions().timeoutMs(millis)).nodes()
            .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        throw new UnavailableException("Kafka broker at " + bootstrap + " is unreachable (no answer within "
            + timeout.toSeconds() + " s)");
      }
      try {
        admin.describeTopics(List.of(topic), new DescribeTopicsOptions().timeoutMs(millis)).allTopicNames()
            .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof UnknownTopicOrPartitionException) {
          throw new UnavailableException("topic " + topic + " does not exist on " + bootstrap
              + " (create it with 'aleph-pipeline topics create')");
        }
        throw new UnavailableException("cannot describe topic " + topic + ": " + e.getCause().getMessage());
      } catch (TimeoutException e) {
        throw new UnavailableException("Kafka broker at " + bootstrap + " did not describe topic " + topic
            + " within " + timeout.toSeconds() + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("interrupted while contacting the Kafka broker at " + bootstrap);
    }
  }

  @Override
  public void send(final AlephMessage message, final Consumer<Exception> done) {
    try {
      producer.send(new ProducerRecord<>(topic, message.getItemHash(), message),
          (metadata, failure) -> done.accept(failure));
    } catch (RuntimeException e) {
      // Serialization and buffer timeouts fail synchronously: report them like a failed delivery.
      done.accept(e);
    }
  }

  @Override
  public void flush() {
    producer.flush();
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
