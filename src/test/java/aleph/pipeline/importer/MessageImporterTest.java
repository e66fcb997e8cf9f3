package aleph.pipeline.importer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import aleph.pipeline.avro.message.AlephMessage;
import aleph.pipeline.avro.message.MessageType;

class MessageImporterTest {

  private final List<AlephMessage> sent = new ArrayList<>();
  private final List<String> rejections = new ArrayList<>();

  private final MessageImporter.Sink acceptingSink = new MessageImporter.Sink() {
    @Override
    public void send(final AlephMessage message, final Consumer<Exception> done) {
      sent.add(message);
      done.accept(null);
    }

    @Override
    public void flush() {
    }
  };

  private final MessageImporter.Listener listener = (position, reason, detail) ->
      rejections.add(position + ": " + reason);

  private static Reader resource(final String name) {
    return new InputStreamReader(MessageImporterTest.class.getResourceAsStream("/messages/" + name),
        StandardCharsets.UTF_8);
  }

  @Test
  void shouldProduceEveryMessageWhenFixturePageIsValid() throws IOException {
    // When
    final ImportSummary summary = new MessageImporter().run(resource("scoring-api-page.json"), acceptingSink,
        listener);

    // Then
    assertThat(summary.produced()).isEqualTo(3);
    assertThat(summary.skipped()).isEmpty();
    assertThat(sent).extracting(AlephMessage::getItemHash).containsExactly(
        "28d92669200681eac360547bc6061d6a23153cf54a71d8fb9cc3d27438ea4ed5",
        "37c74228b81757ff3ee15e75e0773c618d8a070b0c350313da2efb7ff04381ef",
        "ab98ef286d5dfc8b9b38f47da8e718606301a7aa78a9a1fa8f1eca8fe6a0a5f8");
    assertThat(sent).allSatisfy(message -> assertThat(message.getContent()).isNotNull());
  }

  @Test
  void shouldSkipAndReportInvalidLinesWithoutStoppingWhenInputIsNdjson() throws IOException {
    // Given: the DOMAIN 1.5 post and forget, a tampered copy, a broken line and a non-object
    final String valid = new String(MessageImporterTest.class.getResourceAsStream("/messages/forget-flow.ndjson")
        .readAllBytes(), StandardCharsets.UTF_8);
    final String firstLine = valid.lines().findFirst().orElseThrow();
    final String tampered = firstLine.replace("This message will be destroyed", "This message was edited");
    final String text = valid + tampered + "\n{\"item_hash\": \n[1, 2]\n";

    // When
    final ImportSummary summary = new MessageImporter().run(new StringReader(text), acceptingSink, listener);

    // Then
    assertThat(sent).extracting(AlephMessage::getType).containsExactly(MessageType.POST, MessageType.FORGET);
    assertThat(summary.produced()).isEqualTo(2);
    assertThat(summary.skipped()).containsEntry("item_hash_mismatch", 1L).containsEntry("malformed_json", 1L)
        .containsEntry("not_an_object", 2L);
    assertThat(rejections).containsExactly("line 3: item_hash_mismatch", "line 4: malformed_json",
        "line 5, index 0: not_an_object", "line 5, index 1: not_an_object");
    assertThat(summary.describe("t")).contains("produced 2 messages to t", "skipped 4: item_hash_mismatch 1");
  }

  @Test
  void shouldCountFailedSendsAsSkippedWhenBrokerRefusesRecords() throws IOException {
    // Given
    final MessageImporter.Sink failing = new MessageImporter.Sink() {
      @Override
      public void send(final AlephMessage message, final Consumer<Exception> done) {
        done.accept(new IllegalStateException("record too large"));
      }

      @Override
      public void flush() {
      }
    };

    // When
    final ImportSummary summary = new MessageImporter().run(resource("forget-flow.ndjson"), failing, listener);

    // Then
    assertThat(summary.produced()).isZero();
    assertThat(summary.skipped()).containsEntry("send_failed", 2L);
    assertThat(rejections).containsExactly("line 1: send_failed", "line 2: send_failed");
  }
}
