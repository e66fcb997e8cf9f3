package aleph.pipeline.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro in the Confluent wire format: magic byte 0, the 4-byte big-endian schema id, the Avro binary body.
 * Input: a SpecificRecord or GenericRecord (or any {@link GenericContainer}). Subjects follow TopicNameStrategy
 * ({@code <topic>-key} / {@code <topic>-value}). Configured with Confluent's keys: {@code schema.registry.url},
 * {@code auto.register.schemas} (default true; false looks the schema up, accepting the latest version when it is
 * the same contract in Parsing Canonical Form, and fails if it is not registered),
 * {@code use.latest.version} (write with the subject's latest schema, converting the record to it).
 */
public final class AvroSerializer<T> implements Serializer<T> {

  public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
  public static final String USE_LATEST_VERSION = "use.latest.version";

  static final byte MAGIC_BYTE = 0;
  static final int HEADER_SIZE = 5;

  private SchemaRegistry registry;
  private boolean isKey;
  private boolean autoRegister = true;
  private boolean useLatestVersion;
  private final Map<String, Map<Schema, Target>> targets = new ConcurrentHashMap<>();
  private final Map<Schema, DatumWriter<Object>> writers = new ConcurrentHashMap<>();

  public AvroSerializer() {
  }

  public AvroSerializer(final SchemaRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void configure(final Map<String, ?> configs, final boolean isKey) {
    this.isKey = isKey;
    if (registry == null) {
      registry = SchemaRegistries.fromConfig(configs);
    }
    autoRegister = bool(configs.get(AUTO_REGISTER_SCHEMAS), true);
    useLatestVersion = bool(configs.get(USE_LATEST_VERSION), false);
  }

  @Override
  public byte[] serialize(final String topic, final T data) {
    if (data == null) {
      return null;
    }
    if (registry == null) {
      throw new SerializationException("AvroSerializer is not configured: no schema.registry.url");
    }
    final String subject = subject(topic, isKey);
    final Schema schema = schemaOf(data);
    final Target target = targets.computeIfAbsent(subject, s -> new ConcurrentHashMap<>())
        .computeIfAbsent(schema, s -> resolve(subject, s));
    try {
      final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
      out.write(MAGIC_BYTE);
      out.write(ByteBuffer.allocate(4).putInt(target.id()).array());
      final BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      if (target.schema().equals(schema)) {
        writers.computeIfAbsent(schema, s -> writerFor(s, data)).write(data, encoder);
      } else {
        writers.computeIfAbsent(target.schema(), GenericDatumWriter::new)
            .write(convert(data, schema, target.schema()), encoder);
      }
      encoder.flush();
      return out.toByteArray();
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("Error serializing Avro " + schema.getFullName() + " for subject " + subject
          + " (schema id " + target.id() + "): " + e.getMessage(), e);
    }
  }

  /** TopicNameStrategy: {@code <topic>-key} or {@code <topic>-value}. */
  public static String subject(final String topic, final boolean isKey) {
    return topic + (isKey ? "-key" : "-value");
  }

  private Target resolve(final String subject, final Schema schema) {
    try {
      if (useLatestVersion) {
        final SchemaRegistry.RegisteredSchema latest = registry.latest(subject);
        return new Target(latest.id(), latest.schema());
      }
      if (autoRegister) {
        return new Target(registry.register(subject, schema), schema);
      }
      return new Target(lookUp(subject, schema), schema);
    } catch (SchemaRegistryException.SubjectNotFoundException | SchemaRegistryException.SchemaNotFoundException e) {
      throw new SerializationException("Schema " + schema.getFullName() + " is not registered under subject "
          + subject + (useLatestVersion ? " (use.latest.version=true needs a registered version)"
              : " and auto.register.schemas=false") + ": " + e.getMessage(), e);
    } catch (SchemaRegistryException e) {
      throw new SerializationException("Registry refused schema " + schema.getFullName() + " for subject " + subject
          + ": " + e.getMessage(), e);
    }
  }

  /**
   * The registered id of {@code schema}; failing an exact match, the latest version when it has the same Parsing
   * Canonical Form. Other clients register our contracts without Java-only properties (a generated class's
   * {@code avro.java.string}) or docs; such a version encodes exactly as ours, so its id is the right one.
   */
  private int lookUp(final String subject, final Schema schema) {
    try {
      return registry.idOf(subject, schema);
    } catch (SchemaRegistryException.SchemaNotFoundException e) {
      final SchemaRegistry.RegisteredSchema latest = registry.latest(subject);
      if (SchemaNormalization.parsingFingerprint64(latest.schema())
          == SchemaNormalization.parsingFingerprint64(schema)) {
        return latest.id();
      }
      throw e;
    }
  }

  /** The record re-read under {@code target} (schema resolution: added fields get defaults, removed ones drop). */
  private static Object convert(final Object data, final Schema source, final Schema target) throws IOException {
    final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
    final BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(buffer, null);
    writerFor(source, data).write(data, encoder);
    encoder.flush();
    try {
      return new GenericDatumReader<>(source, target)
          .read(null, DecoderFactory.get().binaryDecoder(buffer.toByteArray(), null));
    } catch (AvroTypeException e) {
      throw new SerializationException("The subject's latest schema cannot represent a " + source.getFullName()
          + " record: " + e.getMessage(), e);
    }
  }

  private static Schema schemaOf(final Object data) {
    if (data instanceof GenericContainer container) {
      return container.getSchema();
    }
    throw new SerializationException("Not an Avro record: " + data.getClass().getName()
        + " (expected a SpecificRecord or GenericRecord)");
  }

  @SuppressWarnings("unchecked")
  private static DatumWriter<Object> writerFor(final Schema schema, final Object sample) {
    if (sample instanceof SpecificRecord) {
      return (DatumWriter<Object>) (DatumWriter<?>) new SpecificDatumWriter<>(schema,
          SpecificData.getForClass(sample.getClass()));
    }
    return new GenericDatumWriter<>(schema);
  }

  static boolean bool(final Object value, final boolean fallback) {
    return value == null ? fallback : Boolean.parseBoolean(value.toString().trim());
  }

  private record Target(int id, Schema schema) {
  }
}
