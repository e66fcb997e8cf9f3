package aleph.pipeline.message;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import aleph.pipeline.avro.message.AlephMessage;
import aleph.pipeline.avro.message.ItemType;
import aleph.pipeline.avro.message.MessageType;
import aleph.pipeline.importer.EnvelopeValidator;
import aleph.pipeline.importer.MessageReader;

/** Test messages: realistic fixtures from {@code src/test/resources/messages/} and small builders. */
public final class TestMessages {

  public static final String SCORING_ADDRESS = "0x4D52380D3191274a04846c89c069E6C3F2Ed94e4";
  public static final String SCORING_CHANNEL = "aleph-scoring";
  public static final String METRICS_TYPE = "aleph-network-metrics";
  public static final String CREDIT_ADDRESS = "0x2E4454fAD1906c0Ce6e45cBFA05cE898Ac3AC1dC";
  public static final String OTHER_ADDRESS = "0x696879aE4F6d8DaDD5b8F1cbb1e663B89b08f106";
  public static final Instant TIME = Instant.parse("2023-11-14T22:13:20.250Z");

  private TestMessages() {
  }

  /** The envelopes of a fixture file, converted as the import path does (every one must be valid). */
  public static List<AlephMessage> fixture(final String name) {
    final List<AlephMessage> out = new ArrayList<>();
    final EnvelopeValidator validator = new EnvelopeValidator();
    try (InputStream in = TestMessages.class.getResourceAsStream("/messages/" + name)) {
      MessageReader.read(new InputStreamReader(in, StandardCharsets.UTF_8), new MessageReader.Visitor() {
        @Override
        public void envelope(final String position, final JsonNode envelope) {
          final EnvelopeValidator.Result result = validator.validate(envelope);
          if (!result.valid()) {
            throw new IllegalStateException(name + " " + position + ": " + result.detail());
          }
          out.add(result.message());
        }

        @Override
        public void malformed(final String position, final String reason) {
          throw new IllegalStateException(name + " " + position + ": " + reason);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  public static ObjectNode json(final String text) {
    try {
      return (ObjectNode) Json.parse(text.replace('\'', '"'));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  /** POST content {@code {address, time, type, content: payload}}; {@code payload} in single-quoted JSON. */
  public static ObjectNode postContent(final String address, final String type, final String payload) {
    final ObjectNode content = Json.MAPPER.createObjectNode();
    content.put("address", address);
    content.put("time", 1700000000.5);
    content.put("type", type);
    if (payload != null) {
      content.set("content", json("{'v':" + payload + "}").get("v"));
    }
    return content;
  }

  public static ObjectNode scoringContent(final String payload) {
    return postContent(SCORING_ADDRESS, METRICS_TYPE, payload);
  }

  /** An inline message: item_content is the content's JSON text and item_hash its sha256. */
  public static AlephMessage inline(final MessageType type, final String sender, final String channel,
      final ObjectNode content) {
    final String text = Json.write(content);
    return AlephMessage.newBuilder()
        .setItemHash(ItemHashes.sha256Hex(text))
        .setType(type)
        .setChain("ETH")
        .setSender(sender)
        .setChannel(channel)
        .setTime(TIME)
        .setItemType(ItemType.INLINE)
        .setItemContent(text)
        .build();
  }

  /** An API-shaped message: item_content null, the content object as JSON text, a storage hash. */
  public static AlephMessage apiShaped(final MessageType type, final String sender, final String channel,
      final ObjectNode content) {
    final String text = Json.write(content);
    return AlephMessage.newBuilder()
        .setItemHash(ItemHashes.sha256Hex("api:" + text))
        .setType(type)
        .setChain("ETH")
        .setSender(sender)
        .setChannel(channel)
        .setTime(TIME)
        .setItemType(ItemType.STORAGE)
        .setContent(text)
        .build();
  }

  public static AlephMessage scoringPost(final String payload) {
    return inline(MessageType.POST, SCORING_ADDRESS, SCORING_CHANNEL, scoringContent(payload));
  }

  public static AlephMessage forget(final String sender, final String... hashes) {
    final ObjectNode content = Json.MAPPER.createObjectNode();
    content.put("address", sender);
    content.put("time", 1700000100.0);
    final var list = content.putArray("hashes");
    for (String hash : hashes) {
      list.add(hash);
    }
    return inline(MessageType.FORGET, sender, "TEST", content);
  }

  /** A scoring post as the gate hands it to the fan-out. */
  public static ParsedMessage parsedScoring(final String payload) {
    final AlephMessage message = scoringPost(payload);
    final GateResult result = new MessageGate(defaultRules()).evaluate(message);
    if (!result.isAccepted()) {
      throw new IllegalStateException("not a scoring post: " + result.reason());
    }
    return result.message();
  }

  public static GateRules defaultRules() {
    return GateRules.from(aleph.pipeline.config.PipelineConfig.defaults());
  }
}
