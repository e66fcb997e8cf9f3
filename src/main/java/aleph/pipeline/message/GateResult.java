package aleph.pipeline.message;

import java.util.Set;

import aleph.pipeline.avro.message.MessageKind;

/**
 * The gate's verdict on one message: accepted for one or more paths (with its parsed content), ignored (not a
 * candidate: the normal case for most of the network's traffic) or invalid (a candidate whose content cannot be
 * used).
 *
 * @param message the parsed message when accepted, else null
 * @param kinds the paths that take it (a post may be both a scoring and a credit candidate when the
 *     configured post types overlap); empty unless accepted
 * @param reason why it was ignored or invalid (a counter tag), else null
 * @param invalid true when a candidate was refused for its content, false when it was simply not a candidate
 */
public record GateResult(ParsedMessage message, Set<MessageKind> kinds, String reason, boolean invalid) {

  public GateResult {
    kinds = Set.copyOf(kinds);
  }

  public static GateResult accepted(final ParsedMessage message, final Set<MessageKind> kinds) {
    return new GateResult(message, kinds, null, false);
  }

  public static GateResult ignored(final String reason) {
    return new GateResult(null, Set.of(), reason, false);
  }

  public static GateResult invalid(final String reason) {
    return new GateResult(null, Set.of(), reason, true);
  }

  public boolean isAccepted() {
    return !kinds.isEmpty();
  }

  public boolean is(final MessageKind kind) {
    return kinds.contains(kind);
  }

  /** The kind recorded on the accepted parent: scoring wins over credit, which wins over forget. */
  public MessageKind primaryKind() {
    for (MessageKind kind : new MessageKind[] {MessageKind.SCORING, MessageKind.CREDIT, MessageKind.FORGET}) {
      if (kinds.contains(kind)) {
        return kind;
      }
    }
    return MessageKind.UNKNOWN;
  }
}
