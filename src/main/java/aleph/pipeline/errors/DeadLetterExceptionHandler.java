package aleph.pipeline.errors;

import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import aleph.pipeline.serde.SchemaRegistryException;
import aleph.pipeline.serde.SchemaRegistryException.SchemaNotFoundException;
import aleph.pipeline.serde.SchemaRegistryException.SubjectNotFoundException;

/**
 * Kafka Streams' {@link LogAndContinueExceptionHandler} (which, with {@code errors.dead.letter.queue.topic.name}
 * set, writes the raw key and value to that topic with the {@code __streams.errors.*} headers: exception, message,
 * stacktrace, topic, partition, offset) plus a {@link DeadLetterCounter} per application id.
 *
 * <p>One exception: when the schema registry fails (unreachable, 5xx, credentials refused, not a registry answering)
 * the record is not known to be bad, so it is not dead-lettered; the handler fails, the stream thread stops and the
 * application resumes from the same offset once restarted with a working registry. A schema id the registry says
 * does not exist is the record's fault and is dead-lettered.
 */
public class DeadLetterExceptionHandler extends LogAndContinueExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterExceptionHandler.class);

  private DeadLetterCounter counter;

  @Override
  public void configure(final Map<String, ?> configs) {
    super.configure(configs);
    final Object applicationId = configs.get(StreamsConfig.APPLICATION_ID_CONFIG);
    counter = DeadLetterCounter.forApplication(applicationId == null ? "" : applicationId.toString());
  }

  @Override
  public Response handleError(final ErrorHandlerContext context, final ConsumerRecord<byte[], byte[]> record,
      final Exception exception) {
    if (isRegistryOutage(exception)) {
      LOG.error("Schema registry unavailable while reading {}-{}@{}; failing instead of dead-lettering a record "
          + "that may be valid", context.topic(), context.partition(), context.offset(), exception);
      return Response.fail();
    }
    final Response response = super.handleError(context, record, exception);
    if (counter == null) {
      counter = DeadLetterCounter.forApplication("");
    }
    counter.record(context.topic());
    return response;
  }

  /**
   * Whether the registry, not the record, is at fault: any registry failure other than "no such schema / subject"
   * (unreachable, 5xx, refused credentials, an answer that is not the registry's, e.g. a proxy's 404 page).
   */
  static boolean isRegistryOutage(final Throwable exception) {
    for (Throwable t = exception; t != null; t = t.getCause()) {
      if (t instanceof SchemaNotFoundException || t instanceof SubjectNotFoundException) {
        return false;
      }
      if (t instanceof SchemaRegistryException) {
        return true;
      }
    }
    return false;
  }
}
