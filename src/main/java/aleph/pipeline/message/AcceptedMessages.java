package aleph.pipeline.message;

import java.nio.charset.StandardCharsets;

import aleph.pipeline.avro.message.AcceptedMessage;
import aleph.pipeline.avro.message.AlephMessage;
import aleph.pipeline.avro.message.MessageKind;

/** Builds the parent row of an accepted message ({@code aleph.messages.accepted.v1}, key item_hash). */
public final class AcceptedMessages {

  private AcceptedMessages() {
  }

  public static AcceptedMessage of(final ParsedMessage message, final MessageKind kind) {
    final AlephMessage envelope = message.envelope();
    return AcceptedMessage.newBuilder()
        .setItemHash(envelope.getItemHash())
        .setType(envelope.getType())
        .setChain(envelope.getChain())
        .setSender(envelope.getSender())
        .setChannel(envelope.getChannel())
        .setTime(envelope.getTime())
        .setOwner(message.owner())
        .setContentType(message.postType())
        .setContent(Json.write(message.content()))
        .setSize(size(envelope))
        .setKind(kind)
        .build();
  }

  /** The producer's size when given, else the UTF-8 length of the content text as received. */
  static long size(final AlephMessage envelope) {
    if (envelope.getSize() != null) {
      return envelope.getSize();
    }
    final String raw = envelope.getItemContent() != null ? envelope.getItemContent() : envelope.getContent();
    return raw == null ? 0 : raw.getBytes(StandardCharsets.UTF_8).length;
  }
}
