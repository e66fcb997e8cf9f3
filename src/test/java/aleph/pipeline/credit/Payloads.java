package aleph.pipeline.credit;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Credit POST payloads ({@code content.content}) and time helpers for tests. */
public final class Payloads {

  public static final ObjectMapper JSON = new ObjectMapper();
  public static final String ISSUER = LedgerRules.DEFAULT_ISSUER;

  private Payloads() {
  }

  public static JsonNode json(final String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  /** Epoch microseconds of an ISO-8601 instant. */
  public static long at(final String iso) {
    return micros(Instant.parse(iso));
  }

  public static long micros(final Instant instant) {
    return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000L;
  }

  public static long ms(final String iso) {
    return Instant.parse(iso).toEpochMilli();
  }

  /** A distribution entry with the required fields; {@code expirationMs} null = never. */
  public static ObjectNode grant(final String address, final long amount, final Long expirationMs) {
    final ObjectNode entry = JSON.createObjectNode();
    entry.put("address", address);
    entry.put("amount", amount);
    entry.put("price", "0.5");
    entry.put("tx_hash", "0xtx");
    entry.put("provider", "test");
    if (expirationMs != null) {
      entry.put("expiration", expirationMs);
    }
    return entry;
  }

  public static ObjectNode distribution(final ObjectNode... entries) {
    final ObjectNode body = JSON.createObjectNode();
    body.set("credits", array(entries));
    body.put("token", "ALEPH");
    body.put("chain", "ETH");
    final ObjectNode root = JSON.createObjectNode();
    root.set("distribution", body);
    return root;
  }

  public static ObjectNode spend(final String address, final long amount) {
    final ObjectNode entry = JSON.createObjectNode();
    entry.put("address", address);
    entry.put("amount", amount);
    return entry;
  }

  public static ObjectNode expense(final ObjectNode... entries) {
    final ObjectNode body = JSON.createObjectNode();
    body.set("credits", array(entries));
    final ObjectNode root = JSON.createObjectNode();
    root.set("expense", body);
    return root;
  }

  public static ObjectNode to(final String address, final long amount, final Long expirationMs) {
    final ObjectNode entry = JSON.createObjectNode();
    entry.put("address", address);
    entry.put("amount", amount);
    if (expirationMs != null) {
      entry.put("expiration", expirationMs);
    }
    return entry;
  }

  public static ObjectNode transfer(final ObjectNode... entries) {
    final ObjectNode body = JSON.createObjectNode();
    body.set("credits", array(entries));
    final ObjectNode root = JSON.createObjectNode();
    root.set("transfer", body);
    return root;
  }

  private static ArrayNode array(final ObjectNode... entries) {
    final ArrayNode list = JSON.createArrayNode();
    for (ObjectNode entry : entries) {
      list.add(entry);
    }
    return list;
  }
}
