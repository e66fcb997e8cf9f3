package aleph.pipeline.message;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import aleph.pipeline.avro.message.ForgottenMessage;

/**
 * The targets of an accepted FORGET (DOMAIN 1.3): one {@link ForgottenMessage} per distinct entry of
 * {@code hashes}, keyed downstream by the target hash.
 *
 * <p>{@code aggregates} are out of scope: they name aggregate keys whose elements only the reference's
 * aggregate tables can expand, and the pipeline derives nothing from aggregates. They are counted, not
 * emitted. Whether the FORGET may delete a target (its sender must be the target's owner or sender,
 * case-insensitively) and whether the target is itself a FORGET (never forgotten) is decided by the sink,
 * which knows the target; a FORGET that arrives before its target is still recorded there.
 */
public final class ForgetTargets {

  private ForgetTargets() {
  }

  public static List<ForgottenMessage> of(final ParsedMessage forget) {
    final Set<String> hashes = new LinkedHashSet<>();
    final JsonNode list = forget.content().get("hashes");
    if (list != null && list.isArray()) {
      list.forEach(hash -> hashes.add(hash.textValue()));
    }
    final JsonNode reason = forget.content().get("reason");
    final List<ForgottenMessage> out = new ArrayList<>(hashes.size());
    for (String target : hashes) {
      out.add(ForgottenMessage.newBuilder()
          .setTargetHash(target)
          .setForgetHash(forget.envelope().getItemHash())
          .setForgetSender(forget.envelope().getSender())
          .setForgetOwner(forget.owner())
          .setForgottenAt(forget.envelope().getTime())
          .setReason(reason != null && reason.isTextual() ? reason.textValue() : null)
          .build());
    }
    return out;
  }

  /** How many aggregate keys the FORGET names (not forgotten by the pipeline). */
  public static int aggregateKeys(final ParsedMessage forget) {
    final JsonNode list = forget.content().get("aggregates");
    return list != null && list.isArray() ? list.size() : 0;
  }
}
