package aleph.pipeline.importer;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import aleph.pipeline.avro.message.AlephMessage;
import aleph.pipeline.avro.message.ItemType;
import aleph.pipeline.avro.message.MessageType;
import aleph.pipeline.message.ItemHashes;
import aleph.pipeline.message.Json;
import aleph.pipeline.metrics.PyValues;

/**
 * Checks one wire or API-shaped envelope (DOMAIN 1.1) and converts it to the input topic's {@link AlephMessage}.
 *
 * <p>Required: {@code item_hash}, {@code type} (POST, AGGREGATE, STORE, PROGRAM, INSTANCE, FORGET, V-PROGRAM),
 * {@code chain}, {@code sender}, {@code time} (epoch seconds, a numeric string or an ISO-8601 date-time; kept at
 * microsecond precision). Inline messages ({@code item_content} present or {@code item_type: inline}) need
 * {@code item_content} as JSON text of at most 200,000 characters whose sha256 is the item_hash; storage/ipfs
 * messages need an item_hash of the matching shape, no {@code item_content}, and the parsed {@code content}
 * object (the pipeline does not fetch content from the network).
 */
public final class EnvelopeValidator {

  public static final int MAX_INLINE_SIZE = 200_000;

  private static final Map<String, MessageType> TYPES = Map.of(
      "POST", MessageType.POST, "AGGREGATE", MessageType.AGGREGATE, "STORE", MessageType.STORE,
      "PROGRAM", MessageType.PROGRAM, "INSTANCE", MessageType.INSTANCE, "FORGET", MessageType.FORGET,
      "V-PROGRAM", MessageType.V_PROGRAM);

  /**
   * The outcome for one envelope: a message, or a rejection reason.
   *
   * @param message the converted message, null when rejected
   * @param reason short snake-case reason (a summary key), null when valid
   * @param detail a human sentence about the rejection, null when valid
   */
  public record Result(AlephMessage message, String reason, String detail) {

    static Result ok(final AlephMessage message) {
      return new Result(message, null, null);
    }

    static Result invalid(final String reason, final String detail) {
      return new Result(null, reason, detail);
    }

    public boolean valid() {
      return message != null;
    }
  }

  public Result validate(final JsonNode envelope) {
    if (envelope == null || !envelope.isObject()) {
      return Result.invalid("not_an_object", "an envelope must be a JSON object");
    }
    for (String field : new String[] {"item_hash", "type", "chain", "sender"}) {
      final JsonNode value = envelope.get(field);
      if (value == null || !value.isTextual() || value.textValue().isEmpty()) {
        return Result.invalid("missing_field", "'" + field + "' is required and must be a non-empty string");
      }
    }
    final String itemHash = envelope.get("item_hash").textValue();
    final MessageType type = TYPES.get(envelope.get("type").textValue());
    if (type == null) {
      return Result.invalid("invalid_type", "unknown message type '" + envelope.get("type").textValue() + "'");
    }
    final JsonNode timeNode = envelope.get("time");
    if (timeNode == null || timeNode.isNull()) {
      return Result.invalid("missing_field", "'time' is required");
    }
    final Instant time = time(timeNode);
    if (time == null) {
      return Result.invalid("invalid_time", "'time' must be epoch seconds or an ISO-8601 date-time: " + timeNode);
    }
    for (String field : new String[] {"channel", "signature", "item_content"}) {
      if (!optionalText(envelope.get(field))) {
        return Result.invalid("invalid_field", "'" + field + "' must be a string or null");
      }
    }
    final JsonNode contentNode = envelope.get("content");
    if (contentNode != null && !contentNode.isNull() && !contentNode.isObject()) {
      return Result.invalid("invalid_field", "'content' must be an object or null");
    }
    final JsonNode sizeNode = envelope.get("size");
    if (sizeNode != null && !sizeNode.isNull() && (!sizeNode.canConvertToExactIntegral()
        || !sizeNode.canConvertToLong() || sizeNode.longValue() < 0)) {
      return Result.invalid("invalid_field", "'size' must be a non-negative integer");
    }
    final String itemContent = text(envelope.get("item_content"));
    final Optional<ItemType> hashType = ItemHashes.typeOf(itemHash);
    final ItemType itemType;
    final JsonNode itemTypeNode = envelope.get("item_type");
    if (itemTypeNode != null && !itemTypeNode.isNull()) {
      itemType = itemType(itemTypeNode);
      if (itemType == null) {
        return Result.invalid("invalid_item_type", "'item_type' must be inline, storage or ipfs");
      }
    } else if (itemContent != null) {
      itemType = ItemType.INLINE;
    } else if (hashType.isPresent()) {
      itemType = hashType.get();
    } else {
      return Result.invalid("invalid_item_hash", "item_hash '" + itemHash + "' is neither a sha256 nor a CID");
    }

    final AlephMessage.Builder message = AlephMessage.newBuilder()
        .setItemHash(itemHash)
        .setType(type)
        .setChain(envelope.get("chain").textValue())
        .setSender(envelope.get("sender").textValue())
        .setSignature(text(envelope.get("signature")))
        .setChannel(text(envelope.get("channel")))
        .setTime(time)
        .setItemType(itemType)
        .setSize(sizeNode == null || sizeNode.isNull() ? null : sizeNode.longValue());

    if (itemType == ItemType.INLINE) {
      if (itemContent == null) {
        return Result.invalid("missing_item_content", "an inline message needs 'item_content'");
      }
      if (itemContent.codePointCount(0, itemContent.length()) > MAX_INLINE_SIZE) {
        return Result.invalid("item_content_too_large",
            "'item_content' is longer than " + MAX_INLINE_SIZE + " characters");
      }
      if (!ItemHashes.sha256Hex(itemContent).equals(itemHash)) {
        return Result.invalid("item_hash_mismatch", "item_hash is not the sha256 of item_content");
      }
      try {
        Json.parse(itemContent);
      } catch (JsonProcessingException e) {
        return Result.invalid("item_content_not_json", "'item_content' is not valid JSON");
      }
      return Result.ok(message.setItemContent(itemContent).setContent(null).build());
    }
    if (itemContent != null) {
      return Result.invalid("item_content_forbidden",
          "'item_content' is not allowed for item_type " + itemType.name().toLowerCase(Locale.ROOT));
    }
    if (hashType.isEmpty()) {
      return Result.invalid("invalid_item_hash", "item_hash '" + itemHash + "' is neither a sha256 nor a CID");
    }
    if (hashType.get() != itemType) {
      return Result.invalid("item_type_mismatch", "item_hash '" + itemHash + "' is not a "
          + itemType.name().toLowerCase(Locale.ROOT) + " hash");
    }
    if (contentNode == null || contentNode.isNull()) {
      return Result.invalid("missing_content", "a " + itemType.name().toLowerCase(Locale.ROOT)
          + " message needs its parsed 'content' (content is not fetched from the network)");
    }
    return Result.ok(message.setItemContent(null).setContent(Json.write(contentNode)).build());
  }

  /** Epoch seconds (number or numeric string) or an ISO-8601 date-time (naive means UTC), to microseconds. */
  static Instant time(final JsonNode node) {
    if (node.isNumber() || node.isTextual() && PyValues.parseFloat(node.textValue()) != null) {
      final Double seconds = PyValues.toFloat(node);
      return seconds == null ? null : PyValues.fromTimestamp(seconds);
    }
    if (!node.isTextual()) {
      return null;
    }
    final String text = node.textValue().trim();
    try {
      return OffsetDateTime.parse(text).toInstant().truncatedTo(ChronoUnit.MICROS);
    } catch (DateTimeParseException notOffset) {
      try {
        return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
      } catch (DateTimeParseException notLocal) {
        return null;
      }
    }
  }

  private static ItemType itemType(final JsonNode node) {
    if (!node.isTextual()) {
      return null;
    }
    return switch (node.textValue()) {
      case "inline" -> ItemType.INLINE;
      case "storage" -> ItemType.STORAGE;
      case "ipfs" -> ItemType.IPFS;
      default -> null;
    };
  }

  private static boolean optionalText(final JsonNode node) {
    return node == null || node.isNull() || node.isTextual();
  }

  private static String text(final JsonNode node) {
    return node == null || node.isNull() ? null : node.textValue();
  }
}
