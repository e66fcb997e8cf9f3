package aleph.pipeline.serde;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.ResolvingDecoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

import aleph.pipeline.serde.SchemaRegistryException.RegistryUnavailableException;
import aleph.pipeline.serde.SchemaRegistryException.SchemaNotFoundException;

/**
 * Reads the Confluent wire format. With a target class (or {@code specific.avro.reader=true}) it returns
 * SpecificRecords, resolving the writer's schema to the reader's; otherwise GenericRecords in the writer's schema.
 *
 * <p>Undecodable input fails with a {@link SerializationException} that says why: a magic byte other than 0, a
 * record shorter than the 5-byte header, a schema id the registry does not know, a body that ends early or has
 * bytes left over. A registry that cannot be reached fails with a {@link SerializationException} whose cause is a
 * {@link RegistryUnavailableException}: the record may well be fine.
 */
public final class AvroDeserializer<T> implements Deserializer<T> {

  public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";

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
    specificReader = targetClass != null || AvroSerializer.bool(configs.get(SPECIFIC_AVRO_READER), false);
  }

  @Override
  @SuppressWarnings("unchecked")
  public T deserialize(final String topic, final byte[] data) {
    if (data == null) {
      return null;
    }
    if (registry == null) {
      throw new SerializationException("AvroDeserializer is not configured: no schema.registry.url");
    }
    if (data.length < AvroSerializer.HEADER_SIZE) {
      throw new SerializationException("Record of " + data.length + " byte(s) on topic " + topic
          + " is too short for the Confluent wire format (magic byte + 4-byte schema id): "
          + HexFormat.of().formatHex(data));
    }
    final ByteBuffer buffer = ByteBuffer.wrap(data);
    final byte magic = buffer.get();
    if (magic != AvroSerializer.MAGIC_BYTE) {
      throw new SerializationException(String.format("Unknown magic byte 0x%02x on topic %s (expected 0x00): "
          + "not the Confluent wire format", magic, topic));
    }
    final int id = buffer.getInt();
    final DatumReader<Object> reader = readerFor(id, topic);
    final BinaryDecoder decoder = DecoderFactory.get()
        .binaryDecoder(data, AvroSerializer.HEADER_SIZE, data.length - AvroSerializer.HEADER_SIZE, null);
    final Object value;
    try {
      value = reader.read(null, decoder);
    } catch (EOFException e) {
      throw new SerializationException("Truncated Avro body for schema id " + id + " on topic " + topic + ": "
          + (data.length - AvroSerializer.HEADER_SIZE) + " byte(s) end before the record does", e);
    } catch (Exception e) {
      throw new SerializationException("Error deserializing Avro body for schema id " + id + " on topic " + topic
          + ": " + e, e);
    }
    try {
      if (!decoder.isEnd()) {
        throw new SerializationException("Avro body for schema id " + id + " on topic " + topic
            + " has trailing bytes after the record: not written with that schema");
      }
    } catch (IOException e) {
      throw new SerializationException("Error deserializing Avro body for schema id " + id + ": " + e, e);
    }
    return (T) value;
  }

  private DatumReader<Object> readerFor(final int id, final String topic) {
    final DatumReader<Object> cached = readers.get(id);
    if (cached != null) {
      return cached;
    }
    final Schema writer;
    try {
      writer = registry.byId(id);
    } catch (SchemaNotFoundException e) {
      throw new SerializationException("Unknown schema id " + id + " on topic " + topic
          + ": the registry has no such schema", e);
    } catch (SchemaRegistryException e) {
      throw new SerializationException("Could not fetch schema id " + id + " for topic " + topic + ": "
          + e.getMessage(), e);
    }
    final DatumReader<Object> reader = newReader(writer, id);
    final DatumReader<Object> previous = readers.putIfAbsent(id, reader);
    return previous != null ? previous : reader;
  }

  /**
   * Reads Avro arrays into {@link ArrayList}s: Avro's own {@code GenericData.Array} compares its elements with a
   * model that has no logical-type conversions, so {@code equals}/{@code hashCode} of a record holding an array of
   * records with a nullable timestamp (CreditBalance's buckets) would throw instead of comparing. Avro's fast
   * reader ignores {@link #newArray}, so this reader takes the resolving path.
   */
  private static final class ListArraysReader extends SpecificDatumReader<Object> {

    ListArraysReader(final Schema writer, final Schema reader, final SpecificData model) {
      super(writer, reader, model);
    }

    @Override
    public Object read(final Object reuse, final Decoder in) throws IOException {
      final ResolvingDecoder resolver = getResolver(getSchema(), getExpected());
      resolver.configure(in);
      final Object result = read(reuse, getExpected(), resolver);
      resolver.drain();
      return result;
    }

    @Override
    protected Object newArray(final Object old, final int size, final Schema schema) {
      if (old instanceof Collection<?> collection) {
        collection.clear();
        return old;
      }
      return new ArrayList<>(size);
    }
  }

  private DatumReader<Object> newReader(final Schema writer, final int id) {
    if (!specificReader) {
      return new GenericDatumReader<>(writer);
    }
    try {
      final SpecificData model = targetClass != null ? SpecificData.getForClass(targetClass)
          : SpecificData.getForSchema(writer);
      final Schema reader = targetClass != null ? model.getSchema(targetClass)
          : model.getSchema(model.getClass(writer));
      return new ListArraysReader(writer, reader, model);
    } catch (RuntimeException e) {
      throw new SerializationException("No specific reader for schema id " + id + " (" + writer.getFullName()
          + "): " + e.getMessage(), e);
    }
  }
}
