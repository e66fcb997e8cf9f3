package aleph.pipeline.serde;

import java.util.List;

import org.apache.avro.Schema;

/**
 * The subset of the Confluent Schema Registry API the serde needs. Implementations cache. Failures are
 * {@link SchemaRegistryException}s, with the subclass naming the case (subject/schema not found, incompatible,
 * invalid, unavailable).
 */
public interface SchemaRegistry {

  /** Registers {@code schema} under {@code subject} (idempotent) and returns its global id. */
  int register(String subject, Schema schema);

  /** The id of {@code schema} already registered under {@code subject}; fails if it is not there. */
  int idOf(String subject, Schema schema);

  /** {@code schema} as registered under {@code subject} (with its version); fails if it is not there. */
  default RegisteredSchema lookup(final String subject, final Schema schema) {
    return new RegisteredSchema(subject, 0, idOf(subject, schema), schema);
  }

  /** The schema with global id {@code id}; fails if there is none. */
  Schema byId(int id);

  /** The latest version registered under {@code subject}. */
  RegisteredSchema latest(String subject);

  /** Whether {@code schema} may be registered under {@code subject} given its compatibility level. */
  boolean isCompatible(String subject, Schema schema);

  /** Every subject with at least one version, sorted; registries that cannot list subjects throw. */
  default List<String> subjects() {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot list subjects");
  }

  /** A schema as registered: subject, version, global id. */
  record RegisteredSchema(String subject, int version, int id, Schema schema) {
  }
}
