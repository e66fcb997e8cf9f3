package aleph.pipeline.importer;

import java.io.IOException;
import java.io.Reader;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;

import aleph.pipeline.avro.message.AlephMessage;

/**
 * Reads envelopes ({@link MessageReader}), validates them ({@link EnvelopeValidator}) and sends the valid ones
 * to a {@link Sink}; an invalid envelope is reported and skipped, never fatal. Returns what was produced and
 * what was skipped by reason.
 */
public final class MessageImporter {

  /** Where valid messages go: the input topic, keyed by item_hash. */
  public interface Sink {

    /** Sends asynchronously; {@code done} gets null on acknowledgement or the failure. */
    void send(AlephMessage message, Consumer<Exception> done);

    /** Waits until every send so far is acknowledged or failed. */
    void flush();
  }

  /** Hears about rejections and progress as they happen. */
  public interface Listener {

    void rejected(String position, String reason, String detail);

    default void progress(final long produced, final long skipped) {
    }
  }

  private final EnvelopeValidator validator = new EnvelopeValidator();

  public ImportSummary run(final Reader input, final Sink sink, final Listener listener) throws IOException {
    final AtomicLong produced = new AtomicLong();
    final Map<String, AtomicLong> skipped = new ConcurrentHashMap<>();
    final Consumer<String> skip = reason -> skipped.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
    MessageReader.read(input, new MessageReader.Visitor() {
      @Override
      public void envelope(final String position, final JsonNode envelope) {
        final EnvelopeValidator.Result result = validator.validate(envelope);
        if (result.valid()) {
          final String hash = result.message().getItemHash();
          sink.send(result.message(), failure -> {
            if (failure == null) {
              produced.incrementAndGet();
            } else {
              skip.accept("send_failed");
              listener.rejected(position, "send_failed", hash + ": " + failure.getMessage());
            }
          });
        } else {
          skip.accept(result.reason());
          listener.rejected(position, result.reason(), result.detail());
        }
        listener.progress(produced.get(), total(skipped));
      }

      @Override
      public void malformed(final String position, final String reason) {
        skip.accept("malformed_json");
        listener.rejected(position, "malformed_json", reason);
      }
    });
    sink.flush();
    listener.progress(produced.get(), total(skipped));
    final SortedMap<String, Long> counts = new TreeMap<>();
    skipped.forEach((reason, count) -> counts.put(reason, count.get()));
    return new ImportSummary(produced.get(), counts);
  }

  private static long total(final Map<String, AtomicLong> skipped) {
    return skipped.values().stream().mapToLong(AtomicLong::get).sum();
  }
}
