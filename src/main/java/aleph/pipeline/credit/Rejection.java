package aleph.pipeline.credit;

/**
 * A refused credit message.
 *
 * @param code the reason
 * @param message the human explanation (the reference node's error text where it has one)
 */
public record Rejection(RejectionCode code, String message) {
}
