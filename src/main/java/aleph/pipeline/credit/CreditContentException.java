package aleph.pipeline.credit;

/** Credit content that does not validate; carries the rejection it turns into. */
public final class CreditContentException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final RejectionCode code;

  public CreditContentException(final RejectionCode code, final String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public RejectionCode code() {
    return code;
  }

  public Rejection rejection() {
    return new Rejection(code, getMessage());
  }
}
