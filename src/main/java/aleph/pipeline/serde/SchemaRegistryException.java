package aleph.pipeline.serde;

/**
 * A registry call failed. {@link #errorCode()} is the registry's error code (e.g. 40401), or the HTTP status when
 * the registry sent none, or 0 when the call never got an answer. The subclasses name the cases callers act on;
 * {@link #of} picks the right one for a code.
 */
public class SchemaRegistryException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public static final int SUBJECT_NOT_FOUND = 40401;
  public static final int VERSION_NOT_FOUND = 40402;
  public static final int SCHEMA_NOT_FOUND = 40403;
  public static final int INCOMPATIBLE_SCHEMA = 409;
  public static final int INVALID_SCHEMA = 42201;
  public static final int INVALID_VERSION = 42202;
  public static final int INTERNAL_ERROR = 50001;

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

  /** The HTTP status the registry answers with for this error code (40401 → 404, 42201 → 422, 409 → 409). */
  public int httpStatus() {
    if (errorCode >= 10000) {
      return errorCode / 100;
    }
    return errorCode >= 100 ? errorCode : 500;
  }

  /** The exception for a registry error code and HTTP status, as the registry's REST API documents them. */
  public static SchemaRegistryException of(final int errorCode, final int httpStatus, final String message) {
    final int code = errorCode != 0 ? errorCode : httpStatus;
    if (code == SUBJECT_NOT_FOUND) {
      return new SubjectNotFoundException(message);
    }
    if (code == SCHEMA_NOT_FOUND || code == VERSION_NOT_FOUND) {
      return new SchemaNotFoundException(message, code);
    }
    if (code == INCOMPATIBLE_SCHEMA || httpStatus == 409) {
      return new IncompatibleSchemaException(message, code);
    }
    if (code == INVALID_SCHEMA || code == 422 || (httpStatus == 422 && code != INVALID_VERSION)) {
      return new InvalidSchemaException(message, code);
    }
    if (httpStatus == 401 || httpStatus == 403) {
      return new RegistryAuthenticationException(message, code);
    }
    if (httpStatus >= 500) {
      return new RegistryUnavailableException(message, code, null);
    }
    return new SchemaRegistryException(message, code);
  }

  /** 40401: the subject has no registered version. */
  public static final class SubjectNotFoundException extends SchemaRegistryException {
    private static final long serialVersionUID = 1L;

    public SubjectNotFoundException(final String message) {
      super(message, SUBJECT_NOT_FOUND);
    }
  }

  /** 40403 (or 40402 for a version): no such schema id, or the schema is not registered under the subject. */
  public static final class SchemaNotFoundException extends SchemaRegistryException {
    private static final long serialVersionUID = 1L;

    public SchemaNotFoundException(final String message, final int errorCode) {
      super(message, errorCode);
    }
  }

  /** 409: the schema breaks the subject's compatibility level. */
  public static final class IncompatibleSchemaException extends SchemaRegistryException {
    private static final long serialVersionUID = 1L;

    public IncompatibleSchemaException(final String message, final int errorCode) {
      super(message, errorCode);
    }
  }

  /** 42201 / 422: the registry could not parse the schema. */
  public static final class InvalidSchemaException extends SchemaRegistryException {
    private static final long serialVersionUID = 1L;

    public InvalidSchemaException(final String message, final int errorCode) {
      super(message, errorCode);
    }
  }

  /** 401 / 403: the credentials were missing or refused. Not retried. */
  public static final class RegistryAuthenticationException extends SchemaRegistryException {
    private static final long serialVersionUID = 1L;

    public RegistryAuthenticationException(final String message, final int errorCode) {
      super(message, errorCode);
    }
  }

  /**
   * The registry could not be reached or kept failing (IO errors, 5xx) after every retry on every URL. Transient:
   * the record is fine, so this must not send it to the dead letters.
   */
  public static final class RegistryUnavailableException extends SchemaRegistryException {
    private static final long serialVersionUID = 1L;

    public RegistryUnavailableException(final String message, final int errorCode, final Throwable cause) {
      super(message, errorCode, cause);
    }
  }
}
