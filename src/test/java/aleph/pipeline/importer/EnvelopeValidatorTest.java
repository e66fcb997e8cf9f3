package aleph.pipeline.importer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import aleph.pipeline.avro.message.AlephMessage;
import aleph.pipeline.avro.message.ItemType;
import aleph.pipeline.avro.message.MessageType;
import aleph.pipeline.message.ItemHashes;
import aleph.pipeline.message.Json;
import aleph.pipeline.message.TestMessages;

class EnvelopeValidatorTest {

  private static final String CONTENT = "{\"address\":\"0x696879aE4F6d8DaDD5b8F1cbb1e663B89b08f106\","
      + "\"time\":1652786281.980474,\"content\":{\"body\":\"This message will be destroyed\"},\"type\":\"test\"}";
  private static final String HASH = "fc1e7b1edc2348eb78303fb1342e31e5ad3820249629032d37f8223e754a5f8e";

  private final EnvelopeValidator validator = new EnvelopeValidator();

  private static ObjectNode inlineEnvelope() {
    final ObjectNode envelope = Json.MAPPER.createObjectNode();
    envelope.put("chain", "ETH");
    envelope.put("channel", "TEST");
    envelope.put("type", "POST");
    envelope.put("sender", "0x696879aE4F6d8DaDD5b8F1cbb1e663B89b08f106");
    envelope.put("time", 1652786281.9810653);
    envelope.put("item_type", "inline");
    envelope.put("item_content", CONTENT);
    envelope.put("item_hash", HASH);
    envelope.put("signature", "0xdd8f");
    return envelope;
  }

  private static ObjectNode apiEnvelope() {
    final ObjectNode envelope = inlineEnvelope();
    envelope.put("item_type", "storage");
    envelope.putNull("item_content");
    envelope.put("item_hash", ItemHashes.sha256Hex("stored"));
    envelope.set("content", TestMessages.json(CONTENT));
    envelope.put("size", 170);
    return envelope;
  }

  @Test
  void shouldConvertInlineEnvelopeWhenHashMatchesContent() {
    // Given
    final ObjectNode envelope = inlineEnvelope();

    // When
    final EnvelopeValidator.Result result = validator.validate(envelope);

    // Then
    assertThat(result.valid()).isTrue();
    final AlephMessage message = result.message();
    assertThat(message.getItemHash()).isEqualTo(HASH);
    assertThat(message.getType()).isEqualTo(MessageType.POST);
    assertThat(message.getItemType()).isEqualTo(ItemType.INLINE);
    assertThat(message.getItemContent()).isEqualTo(CONTENT);
    assertThat(message.getContent()).isNull();
    assertThat(message.getTime()).isEqualTo(Instant.parse("2022-05-17T11:18:01.981065Z"));
    assertThat(message.getChannel()).isEqualTo("TEST");
    assertThat(message.getSignature()).isEqualTo("0xdd8f");
  }

  @Test
  void shouldConvertApiShapedEnvelopeWhenContentObjectIsGiven() {
    // Given
    final ObjectNode envelope = apiEnvelope();

    // When
    final EnvelopeValidator.Result result = validator.validate(envelope);

    // Then
    assertThat(result.valid()).isTrue();
    assertThat(result.message().getItemType()).isEqualTo(ItemType.STORAGE);
    assertThat(result.message().getItemContent()).isNull();
    assertThat(result.message().getContent()).isEqualTo(Json.write(TestMessages.json(CONTENT)));
    assertThat(result.message().getSize()).isEqualTo(170L);
  }

  @Test
  void shouldInferItemTypeWhenAbsent() {
    // Given
    final ObjectNode inline = inlineEnvelope();
    inline.remove("item_type");
    final ObjectNode api = apiEnvelope();
    api.remove("item_type");
    api.put("item_hash", "QmYULJoNGPDmoRq4WNWTDTUvJGJv1hosox8H6vVd1kCsY8");

    // When / Then
    assertThat(validator.validate(inline).message().getItemType()).isEqualTo(ItemType.INLINE);
    assertThat(validator.validate(api).message().getItemType()).isEqualTo(ItemType.IPFS);
  }

  @ParameterizedTest(name = "time {0}")
  @CsvSource(delimiter = '|', value = {
      "1652786281.9810653            | 2022-05-17T11:18:01.981065Z",
      "\"1652786281.5\"              | 2022-05-17T11:18:01.500Z",
      "\"2023-11-29T12:32:02.397Z\"  | 2023-11-29T12:32:02.397Z",
      "\"2023-11-29T12:32:02.397123\" | 2023-11-29T12:32:02.397123Z",
      "\"2023-11-29T14:32:02+02:00\" | 2023-11-29T12:32:02Z",
  })
  void shouldAcceptTimeWhenEpochSecondsOrIsoDateTime(final String time, final String expected) throws Exception {
    // Given
    final ObjectNode envelope = inlineEnvelope();
    envelope.set("time", Json.parse(time));

    // When
    final EnvelopeValidator.Result result = validator.validate(envelope);

    // Then
    assertThat(result.message().getTime()).isEqualTo(Instant.parse(expected));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "remove item_hash           |                 | missing_field",
      "remove sender              |                 | missing_field",
      "remove chain               |                 | missing_field",
      "remove type                |                 | missing_field",
      "remove time                |                 | missing_field",
      "set type                   | \"MAIL\"        | invalid_type",
      "set type                   | \"post\"        | invalid_type",
      "set time                   | \"yesterday\"   | invalid_time",
      "set time                   | [1]             | invalid_time",
      "set time                   | 1e20            | invalid_time",
      "set channel                | 5               | invalid_field",
      "set size                   | -1              | invalid_field",
      "set item_type              | \"ftp\"         | invalid_item_type",
      "set item_hash | \"fc1e7b1edc2348eb78303fb1342e31e5ad3820249629032d37f8223e754a5f8f\" | item_hash_mismatch",
      "set item_hash | \"FC1E7B1EDC2348EB78303FB1342E31E5AD3820249629032D37F8223E754A5F8E\" | item_hash_mismatch",
      "set item_content           | \"{not json\"   | item_hash_mismatch",
      "remove item_content        |                 | missing_item_content",
  })
  void shouldRejectInlineEnvelopeWhenFieldIsWrong(final String change, final String value, final String reason)
      throws Exception {
    // Given
    final ObjectNode envelope = inlineEnvelope();
    final String[] words = change.split(" ");
    if (words[0].equals("remove")) {
      envelope.remove(words[1]);
    } else {
      envelope.set(words[1], Json.parse(value));
    }

    // When
    final EnvelopeValidator.Result result = validator.validate(envelope);

    // Then
    assertThat(result.valid()).isFalse();
    assertThat(result.reason()).isEqualTo(reason);
    assertThat(result.detail()).isNotBlank();
  }

  @Test
  void shouldRejectInlineEnvelopeWhenContentIsNotJsonEvenIfHashMatches() {
    // Given
    final ObjectNode envelope = inlineEnvelope();
    envelope.put("item_content", "{not json");
    envelope.put("item_hash", ItemHashes.sha256Hex("{not json"));

    // When / Then
    assertThat(validator.validate(envelope).reason()).isEqualTo("item_content_not_json");
  }

  @Test
  void shouldRejectInlineEnvelopeWhenContentExceedsTwoHundredThousandCharacters() {
    // Given: exactly 200,000 characters, most outside the BMP (Java's String#length would say 399,998)
    final String body = "\"" + "\uD83D\uDE00".repeat(199_998) + "\"";
    final ObjectNode atLimit = inlineEnvelope();
    atLimit.put("item_content", body);
    atLimit.put("item_hash", ItemHashes.sha256Hex(body));
    final String longer = "[" + body + "]";
    final ObjectNode over = inlineEnvelope();
    over.put("item_content", longer);
    over.put("item_hash", ItemHashes.sha256Hex(longer));

    // When / Then
    assertThat(validator.validate(atLimit).valid()).isTrue();
    assertThat(validator.validate(over).reason()).isEqualTo("item_content_too_large");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "set item_hash   | \"not-a-hash\"                                          | invalid_item_hash",
      "set item_hash   | \"QmYULJoNGPDmoRq4WNWTDTUvJGJv1hosox8H6vVd1kCsY8\"     | item_type_mismatch",
      "set item_content | \"{}\"                                                | item_content_forbidden",
      "remove content  |                                                        | missing_content",
      "set content     | \"text\"                                               | invalid_field",
  })
  void shouldRejectStorageEnvelopeWhenFieldIsWrong(final String change, final String value, final String reason)
      throws Exception {
    // Given
    final ObjectNode envelope = apiEnvelope();
    final String[] words = change.split(" +");
    if (words[0].equals("remove")) {
      envelope.remove(words[1]);
    } else {
      envelope.set(words[1], Json.parse(value));
    }

    // When
    final EnvelopeValidator.Result result = validator.validate(envelope);

    // Then
    assertThat(result.reason()).isEqualTo(reason);
  }

  @Test
  void shouldRejectEnvelopeWhenItIsNotAnObject() {
    // When / Then
    assertThat(validator.validate(Json.MAPPER.createArrayNode()).reason()).isEqualTo("not_an_object");
  }
}
