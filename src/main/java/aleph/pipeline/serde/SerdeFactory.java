package aleph.pipeline.serde;

import java.util.Map;

import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Serdes for the pipeline's topics, from the registry/serde settings under Confluent's names
 * ({@code schema.registry.url}, {@code auto.register.schemas}, {@code use.latest.version}, {@code basic.auth.*},
 * {@code bearer.auth.*}): String keys, Avro values in the Confluent wire format (SpecificRecord or GenericRecord),
 * and Avro keys where a topic needs them.
 */
public final class SerdeFactory {

  private final Map<String, ?> serdeConfig;

  public SerdeFactory(final Map<String, ?> serdeConfig) {
    this.serdeConfig = Map.copyOf(serdeConfig);
  }

  public Map<String, ?> config() {
    return serdeConfig;
  }

  /** SpecificRecord values of {@code type}; subject {@code <topic>-value}. */
  public <T extends SpecificRecord> Serde<T> value(final Class<T> type) {
    return avro(type, false);
  }

  /** GenericRecord values in the writer's schema; subject {@code <topic>-value}. */
  public Serde<GenericRecord> genericValue() {
    return avro(null, false);
  }

  /** SpecificRecord keys of {@code type}; subject {@code <topic>-key}. */
  public <T extends SpecificRecord> Serde<T> avroKey(final Class<T> type) {
    return avro(type, true);
  }

  /** The pipeline's keys are plain UTF-8 strings (item hashes, addresses, node ids). */
  public Serde<String> key() {
    return Serdes.String();
  }

  private <T> Serde<T> avro(final Class<T> type, final boolean isKey) {
    final SchemaRegistry registry = SchemaRegistries.fromConfig(serdeConfig);
    final AvroSerializer<T> serializer = new AvroSerializer<>(registry);
    final AvroDeserializer<T> deserializer = new AvroDeserializer<>(registry, type);
    serializer.configure(serdeConfig, isKey);
    deserializer.configure(serdeConfig, isKey);
    return Serdes.serdeFrom(serializer, deserializer);
  }
}
