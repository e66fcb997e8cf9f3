package aleph.pipeline.message;

import java.time.Instant;

import com.fasterxml.jackson.databind.node.ObjectNode;

import aleph.pipeline.avro.message.AlephMessage;

/**
 * A message that passed the gate's envelope checks, with its content parsed once (DOMAIN 1.1 coercion
 * applied: {@code address} defaults to the sender, {@code time} to the envelope time).
 *
 * @param envelope the message as received
 * @param content the content object (inline {@code item_content} parsed, or the API-shaped {@code content})
 * @param owner {@code content.address}
 * @param contentTime {@code content.time} at microsecond precision
 * @param postType {@code content.type}, or null when absent
 */
public record ParsedMessage(AlephMessage envelope, ObjectNode content, String owner, Instant contentTime,
    String postType) {
}
