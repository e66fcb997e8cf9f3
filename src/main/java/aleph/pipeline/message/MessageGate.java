package aleph.pipeline.message;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import aleph.pipeline.avro.message.AlephMessage;
import aleph.pipeline.avro.message.MessageKind;
import aleph.pipeline.avro.message.MessageType;
import aleph.pipeline.metrics.PyValues;

/**
 * Decides which path takes a message: scoring (DOMAIN 2.2), credit (DOMAIN 3.1), FORGET (DOMAIN 1.3), or none.
 *
 * <p>Envelope checks come first (type, then channel) and the content JSON is parsed only for messages that
 * pass them, so most of the network's traffic costs no parsing. Inline messages carry the content in
 * {@code itemContent}, API-shaped ones in {@code content}; either way {@code content.address} and
 * {@code content.time} default to the envelope's sender and time (DOMAIN 1.1). Candidates whose content the
 * reference would refuse (not a JSON object, unknown POST keys, bad time, malformed FORGET targets) are
 * {@linkplain GateResult#invalid() invalid}.
 *
 * <p>Pure and thread-safe: no Kafka types, no state.
 */
public final class MessageGate {

  /** {@code PostContent} forbids any other key. */
  static final Set<String> POST_FIELDS = Set.of("address", "time", "type", "ref", "content");
  static final double MAX_POST_TIME = 9_223_372_036.0;
  static final int MAX_FORGET_TARGETS = 1000;
  static final int MAX_FORGET_REASON = 1000;

  private final GateRules rules;

  public MessageGate(final GateRules rules) {
    this.rules = rules;
  }

  public GateResult evaluate(final AlephMessage message) {
    final MessageType type = message.getType();
    if (type == MessageType.POST) {
      final String channel = message.getChannel();
      if (!rules.scoringChannel(channel) && !rules.creditChannel(channel)) {
        return GateResult.ignored("channel");
      }
      return post(message);
    }
    if (type == MessageType.FORGET) {
      return forget(message);
    }
    return GateResult.ignored("type");
  }

  private GateResult post(final AlephMessage message) {
    final Content parsed = Content.of(message);
    if (parsed.error() != null) {
      return GateResult.invalid(parsed.error());
    }
    final ObjectNode content = parsed.content();
    final JsonNode typeNode = content.get("type");
    if (typeNode == null || !typeNode.isTextual()) {
      return GateResult.invalid("post_type");
    }
    final String postType = typeNode.textValue();
    final String channel = message.getChannel();
    final boolean scoringType = postType.equals(rules.metricsPostType()) && rules.scoringChannel(channel);
    final boolean creditType = rules.creditPostTypes().contains(postType) && rules.creditChannel(channel);
    if (!scoringType && !creditType) {
      return GateResult.ignored("post_type");
    }
    final Iterator<String> names = content.fieldNames();
    while (names.hasNext()) {
      if (!POST_FIELDS.contains(names.next())) {
        return GateResult.invalid("post_unknown_field");
      }
    }
    if (parsed.seconds() < 0 || parsed.seconds() > MAX_POST_TIME) {
      return GateResult.invalid("time");
    }
    final JsonNode payload = content.get("content");
    final boolean allowlisted = rules.scoringAddresses().contains(parsed.owner());
    final boolean scoring = scoringType && allowlisted && payload != null && payload.isObject();
    final boolean credit = creditType && PyValues.truthy(payload);
    if (!scoring && !credit) {
      return GateResult.ignored(scoringType && !allowlisted ? "address" : "payload");
    }
    final Set<MessageKind> kinds = EnumSet.noneOf(MessageKind.class);
    if (scoring) {
      kinds.add(MessageKind.SCORING);
    }
    if (credit) {
      kinds.add(MessageKind.CREDIT);
    }
    return GateResult.accepted(
        new ParsedMessage(message, content, parsed.owner(), parsed.time(), postType), kinds);
  }

  private GateResult forget(final AlephMessage message) {
    final Content parsed = Content.of(message);
    if (parsed.error() != null) {
      return GateResult.invalid(parsed.error());
    }
    final ObjectNode content = parsed.content();
    final int hashes = targets(content.get("hashes"));
    if (hashes < 0) {
      return GateResult.invalid("forget_hashes");
    }
    final int aggregates = targets(content.get("aggregates"));
    if (aggregates < 0) {
      return GateResult.invalid("forget_aggregates");
    }
    if (hashes == 0 && aggregates == 0) {
      return GateResult.invalid("forget_no_target");
    }
    final JsonNode reason = content.get("reason");
    if (reason != null && !reason.isNull()
        && (!reason.isTextual() || reason.textValue().codePointCount(0, reason.textValue().length())
            > MAX_FORGET_REASON)) {
      return GateResult.invalid("forget_reason");
    }
    return GateResult.accepted(new ParsedMessage(message, content, parsed.owner(), parsed.time(), null),
        Set.of(MessageKind.FORGET));
  }

  /** Number of well-formed item hashes in a FORGET target list, or -1 when the list is malformed. */
  private static int targets(final JsonNode list) {
    if (list == null || list.isNull()) {
      return 0;
    }
    if (!list.isArray() || list.size() > MAX_FORGET_TARGETS) {
      return -1;
    }
    for (JsonNode hash : list) {
      if (!hash.isTextual() || !ItemHashes.isValid(hash.textValue())) {
        return -1;
      }
    }
    return list.size();
  }

  /** The content object with the DOMAIN 1.1 defaults applied, or why it cannot be had. */
  private record Content(ObjectNode content, String owner, Instant time, double seconds, String error) {

    static Content failed(final String error) {
      return new Content(null, null, null, Double.NaN, error);
    }

    static Content of(final AlephMessage message) {
      final String text = message.getItemContent() != null ? message.getItemContent() : message.getContent();
      if (text == null) {
        return failed("content_missing");
      }
      final JsonNode node;
      try {
        node = Json.parse(text);
      } catch (JsonProcessingException e) {
        return failed("content_not_json");
      }
      if (node == null || !node.isObject()) {
        return failed("content_not_object");
      }
      // Python reads NaN/Infinity literals, but the reference cannot store such content (JSONB refuses them),
      // so it never processes the message.
      if (Json.hasNonFiniteNumber(node)) {
        return failed("content_not_finite");
      }
      final ObjectNode content = (ObjectNode) node;
      final JsonNode address = content.get("address");
      if (address == null || address.isNull()) {
        content.set("address", TextNode.valueOf(message.getSender()));
      } else if (!address.isTextual()) {
        return failed("address");
      }
      final JsonNode timeNode = content.get("time");
      final Instant time;
      final double seconds;
      if (timeNode == null || timeNode.isNull()) {
        time = message.getTime();
        seconds = Double.parseDouble(PyValues.epochSeconds(time).toPlainString());
        content.put("time", seconds);
      } else {
        final Double value = timeNode.isContainerNode() ? null : PyValues.toFloat(timeNode);
        time = value == null ? null : PyValues.fromTimestamp(value);
        if (time == null) {
          return failed("time");
        }
        seconds = value;
      }
      return new Content(content, content.get("address").textValue(), time, seconds, null);
    }
  }
}
