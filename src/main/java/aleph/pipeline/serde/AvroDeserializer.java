package aleph.pipeline.serde;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads the Confluent wire format. With a target class (or {@code specific.avro.reader=true}) it returns
 * SpecificRecords, resolving the writer's schema to the reader's; otherwise GenericRecords in the writer's schema.
 */
public final class AvroDeserializer<T> implements Deserializer<T> {

  private SchemaRegistry registry;
  private final Class<T> targetClass;
  private boolean specificReader;
  private final Map<Integer, DatumReader<Object>> readers = new ConcurrentHashMap<>();

  public AvroDeserializer() {
    this(null, null);
  }

  public AvroDeserializer(final SchemaRegistry registry, final Class<T> targetClass) {
    this.registry = registry;
    this.targetClass = targetClass;
    this.specificReader = targetClass != null;
  }

  @Override
  public void configure(final Map<String, ?> configs, final boolean isKey) {
    if (registry == null) {
      registry = SchemaRegistries.fromConfig(configs);
    }
    specificReader = targetClass != null || AvroSerializer.bool(configs.get("specific.avro.reader"), false);
  }

  @Override
  @SuppressWarnings("unchecked")
  public T deserialize(final String topic, final byte[] data) {
    if (data == null) {
      return null;
    }
    if (data.length < 5) {
      throw new SerializationException("Unknown magic byte! (record of " + data.length + " bytes is too short)");
    }
    final ByteBuffer buffer = ByteBuffer.wrap(data);
    if (buffer.get() != AvroSerializer.MAGIC_BYTE) {
      throw new SerializationException("Unknown magic byte!");
    }
    final int id = buffer.getInt();
    try {
      final DatumReader<Object> reader = readers.computeIfAbsent(id, this::readerFor);
      return (T) reader.read(null, DecoderFactory.get().binaryDecoder(data, 5, data.length - 5, null));
    } catch (SerializationException e) {
      throw e;
    } catch (Exception e) {
      throw new SerializationException("Error deserializing Avro message for id " + id + ": " + e.getMessage(), e);
    }
  }

  private DatumReader<Object> readerFor(final int id) {
    final Schema writer = registry.byId(id);
    if (!specificReader) {
      return new GenericDatumReader<>(writer);
    }
    final SpecificData model = targetClass != null ? SpecificData.getForClass(targetClass)
        : SpecificData.getForSchema(writer);
    final Schema reader = targetClass != null ? model.getSchema(targetClass) : model.getSchema(model.getClass(writer));
    return new SpecificDatumReader<>(writer, reader, model);
  }
}
