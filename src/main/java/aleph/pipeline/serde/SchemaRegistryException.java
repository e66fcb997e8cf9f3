package aleph.pipeline.serde;

/** A registry call failed; {@link #errorCode()} is the registry's error code (0 when not from the registry). */
public class SchemaRegistryException extends RuntimeException {

  private final int errorCode;

  public SchemaRegistryException(final String message, final int errorCode) {
    super(message);
    this.errorCode = errorCode;
  }

  public SchemaRegistryException(final String message, final int errorCode, final Throwable cause) {
    super(message, cause);
    this.errorCode = errorCode;
  }

  public int errorCode() {
    return errorCode;
  }
}
