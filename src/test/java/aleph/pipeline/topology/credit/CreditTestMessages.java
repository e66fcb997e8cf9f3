package aleph.pipeline.topology.credit;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import aleph.pipeline.avro.message.AlephMessage;
import aleph.pipeline.avro.message.ItemType;
import aleph.pipeline.avro.message.MessageType;
import aleph.pipeline.message.ParsedMessage;
import aleph.pipeline.serde.SerdeFactory;
import aleph.pipeline.topology.Topics;

/** Credit POST envelopes for topology tests, and a minimal stand-in for the gate's parsing. */
final class CreditTestMessages {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String ISSUER = "0x2E4454fAD1906c0Ce6e45cBFA05cE898Ac3AC1dC";

  private CreditTestMessages() {
  }

  /** An inline credit POST on channel ALEPH_CREDIT whose item_hash is the sha256 of its content. */
  static AlephMessage post(final String owner, final String postType, final double time, final String payload) {
    final ObjectNode content = JSON.createObjectNode();
    content.put("address", owner);
    content.put("time", time);
    content.put("type", postType);
    content.set("content", tree(payload));
    final String itemContent = content.toString();
    return AlephMessage.newBuilder()
        .setItemHash(sha256(itemContent))
        .setType(MessageType.POST)
        .setChain("ETH")
        .setSender(owner)
        .setChannel("ALEPH_CREDIT")
        .setTime(Instant.ofEpochSecond((long) time))
        .setItemType(ItemType.INLINE)
        .setItemContent(itemContent)
        .build();
  }

  /** The source the gate would provide: every message on the input topic, parsed (DOMAIN 1.1 defaults). */
  static KStream<String, ParsedMessage> candidates(final StreamsBuilder builder, final Topics topics,
      final SerdeFactory serdes) {
    final Serde<AlephMessage> messages = serdes.value(AlephMessage.class);
    return builder.stream(topics.messages(), Consumed.with(serdes.key(), messages).withName("test-messages-source"))
        .mapValues(CreditTestMessages::parse, Named.as("test-parse"));
  }

  static ParsedMessage parse(final AlephMessage message) {
    final ObjectNode content = (ObjectNode) tree(message.getItemContent() != null
        ? message.getItemContent() : message.getContent());
    if (!content.hasNonNull("address")) {
      content.put("address", message.getSender());
    }
    final Instant time;
    if (content.hasNonNull("time")) {
      final BigDecimal micros = content.get("time").decimalValue().movePointRight(6)
          .setScale(0, RoundingMode.HALF_EVEN);
      time = Instant.EPOCH.plusNanos(micros.longValueExact() * 1_000L);
    } else {
      time = message.getTime();
    }
    return new ParsedMessage(message, content, content.get("address").asText(), time,
        content.hasNonNull("type") ? content.get("type").asText() : null);
  }

  static JsonNode tree(final String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException(json, e);
    }
  }

  static String sha256(final String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
