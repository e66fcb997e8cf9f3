package aleph.pipeline.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler.Response;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler.Result;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.internals.DefaultErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

import aleph.pipeline.serde.SchemaRegistryException;
import aleph.pipeline.serde.SchemaRegistryException.RegistryUnavailableException;

class DeadLetterExceptionHandlerTest {

  private static final String DLQ = "app.dead-letters";

  private static DeadLetterExceptionHandler handler(final String applicationId) {
    final DeadLetterExceptionHandler handler = new DeadLetterExceptionHandler();
    handler.configure(Map.of(StreamsConfig.APPLICATION_ID_CONFIG, applicationId,
        StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, DLQ));
    return handler;
  }

  private static ErrorHandlerContext context(final byte[] key, final byte[] value) {
    return new DefaultErrorHandlerContext(null, "input", 3, 42L, new RecordHeaders(), "source-input",
        new TaskId(0, 3), 1000L, key, value);
  }

  private static ConsumerRecord<byte[], byte[]> record(final byte[] key, final byte[] value) {
    return new ConsumerRecord<>("input", 3, 42L, key, value);
  }

  @Test
  void shouldResumeWithADeadLetterAndCountItWhenTheRecordIsUndecodable() {
    // Given
    final String app = "handler-test-" + System.nanoTime();
    final byte[] key = "k".getBytes(StandardCharsets.UTF_8);
    final byte[] value = {9, 9, 9};

    // When
    final Response response = handler(app).handleError(context(key, value), record(key, value),
        new SerializationException("Unknown magic byte 0x09"));

    // Then
    assertThat(response.result()).isEqualTo(Result.RESUME);
    assertThat(response.deadLetterQueueRecords()).hasSize(1);
    final ProducerRecord<byte[], byte[]> letter = response.deadLetterQueueRecords().get(0);
    assertThat(letter.topic()).isEqualTo(DLQ);
    assertThat(letter.value()).isEqualTo(value);
    assertThat(new String(letter.headers().lastHeader("__streams.errors.offset").value(), StandardCharsets.UTF_8))
        .isEqualTo("42");
    assertThat(DeadLetterCounter.forApplication(app).total()).isEqualTo(1);
    assertThat(DeadLetterCounter.forApplication(app).byTopic()).containsExactly(Map.entry("input", 1L));
    assertThat(DeadLetterCounter.totals()).containsEntry(app, 1L);
  }

  @Test
  void shouldFailWithoutDeadLetteringWhenTheRegistryIsUnavailable() {
    // Given
    final String app = "handler-test-" + System.nanoTime();
    final byte[] value = {0, 0, 0, 0, 1, 2};
    final Exception outage = new SerializationException("Could not fetch schema id 1",
        new RegistryUnavailableException("registry down", 50001, null));

    // When
    final Response response = handler(app).handleError(context(null, value), record(null, value), outage);

    // Then
    assertThat(response.result()).isEqualTo(Result.FAIL);
    assertThat(response.deadLetterQueueRecords()).isEmpty();
    assertThat(DeadLetterCounter.forApplication(app).total()).isZero();
  }

  @Test
  void shouldBlameTheRecordOnlyWhenTheRegistrySaysTheSchemaDoesNotExist() {
    // Given
    final Exception unknownId = new SerializationException("Unknown schema id 7",
        new SchemaRegistryException.SchemaNotFoundException("Schema 7 not found", 40403));
    final Exception proxyPage = new SerializationException("Could not fetch schema id 7",
        SchemaRegistryException.of(0, 404, "<html>Not Found</html>"));
    final Exception refused = new SerializationException("Could not fetch schema id 7",
        SchemaRegistryException.of(40101, 401, "Unauthorized"));
    final Exception garbage = new SerializationException("Unknown magic byte 0x64");

    // When / Then
    assertThat(DeadLetterExceptionHandler.isRegistryOutage(unknownId)).isFalse();
    assertThat(DeadLetterExceptionHandler.isRegistryOutage(garbage)).isFalse();
    assertThat(DeadLetterExceptionHandler.isRegistryOutage(proxyPage)).isTrue();
    assertThat(DeadLetterExceptionHandler.isRegistryOutage(refused)).isTrue();
  }
}
