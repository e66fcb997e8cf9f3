package aleph.pipeline.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro in the Confluent wire format: magic byte 0, the 4-byte big-endian schema id, the Avro binary body.
 * Subjects follow TopicNameStrategy ({@code <topic>-key} / {@code <topic>-value}). Configured with Confluent's
 * keys ({@code schema.registry.url}, {@code auto.register.schemas}, {@code use.latest.version}).
 */
public final class AvroSerializer<T> implements Serializer<T> {

  static final byte MAGIC_BYTE = 0;

  private SchemaRegistry registry;
  private boolean isKey;
  private boolean autoRegister = true;
  private boolean useLatestVersion;
  private final Map<String, Map<Schema, Integer>> ids = new ConcurrentHashMap<>();
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
    autoRegister = bool(configs.get("auto.register.schemas"), true);
    useLatestVersion = bool(configs.get("use.latest.version"), false);
  }

  @Override
  public byte[] serialize(final String topic, final T data) {
    if (data == null) {
      return null;
    }
    final String subject = topic + (isKey ? "-key" : "-value");
    try {
      final Schema schema = schemaOf(data);
      final int id = ids.computeIfAbsent(subject, s -> new ConcurrentHashMap<>())
          .computeIfAbsent(schema, s -> resolveId(subject, s));
      final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
      out.write(MAGIC_BYTE);
      out.write(ByteBuffer.allocate(4).putInt(id).array());
      final BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      writers.computeIfAbsent(schema, s -> writerFor(s, data)).write(data, encoder);
      encoder.flush();
      return out.toByteArray();
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("Error serializing Avro message for subject " + subject + ": "
          + e.getMessage(), e);
    }
  }

  private int resolveId(final String subject, final Schema schema) {
    if (useLatestVersion) {
      return registry.latest(subject).id();
    }
    return autoRegister ? registry.register(subject, schema) : registry.idOf(subject, schema);
  }

  private static Schema schemaOf(final Object data) {
    if (data instanceof GenericContainer container) {
      return container.getSchema();
    }
    throw new SerializationException("not an Avro record: " + data.getClass().getName());
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
    return value == null ? fallback : Boolean.parseBoolean(value.toString());
  }
}
