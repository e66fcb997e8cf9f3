package aleph.pipeline.serde;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Derives the "next version" of a contract the way the schemas' evolution rules allow: every record (nested ones
 * too) gains a defaulted field, every enum gains a symbol (old readers fall back to the enum's default).
 */
final class SchemaEvolution {

  static final String ADDED_FIELD = "addedInV2";
  static final String ADDED_DEFAULT = "v2-default";
  static final String ADDED_SYMBOL = "ADDED_IN_V2";
  static final String WRITTEN_BY_V2 = "written-by-v2";

  private SchemaEvolution() {
  }

  static Schema v2Of(final Schema v1) {
    return evolve(v1, new HashMap<>());
  }

  private static Schema evolve(final Schema schema, final Map<String, Schema> done) {
    switch (schema.getType()) {
      case RECORD -> {
        final Schema known = done.get(schema.getFullName());
        if (known != null) {
          return known;
        }
        final Schema record = Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(),
            schema.isError());
        done.put(schema.getFullName(), record);
        final List<Schema.Field> fields = new ArrayList<>();
        for (final Schema.Field field : schema.getFields()) {
          fields.add(new Schema.Field(field, evolve(field.schema(), done)));
        }
        fields.add(new Schema.Field(ADDED_FIELD, Schema.create(Schema.Type.STRING), "Added in v2.", ADDED_DEFAULT));
        record.setFields(fields);
        schema.getObjectProps().forEach(record::addProp);
        return record;
      }
      case ENUM -> {
        final Schema known = done.get(schema.getFullName());
        if (known != null) {
          return known;
        }
        final List<String> symbols = new ArrayList<>(schema.getEnumSymbols());
        symbols.add(ADDED_SYMBOL);
        final Schema evolved = Schema.createEnum(schema.getName(), schema.getDoc(), schema.getNamespace(), symbols,
            schema.getEnumDefault());
        done.put(schema.getFullName(), evolved);
        return evolved;
      }
      case UNION -> {
        return Schema.createUnion(schema.getTypes().stream().map(t -> evolve(t, done)).toList());
      }
      case ARRAY -> {
        return Schema.createArray(evolve(schema.getElementType(), done));
      }
      case MAP -> {
        return Schema.createMap(evolve(schema.getValueType(), done));
      }
      default -> {
        return schema;
      }
    }
  }

  /**
   * {@code datum} (of {@code v1}) as a v2 writer would produce it: added fields set to {@link #WRITTEN_BY_V2};
   * with {@code newSymbols}, every enum value replaced by {@link #ADDED_SYMBOL}.
   */
  static Object upgrade(final Object datum, final Schema v1, final Schema v2, final boolean newSymbols) {
    switch (v1.getType()) {
      case RECORD -> {
        final GenericRecord from = (GenericRecord) datum;
        final GenericData.Record to = new GenericData.Record(v2);
        for (final Schema.Field field : v1.getFields()) {
          to.put(field.name(), upgrade(from.get(field.name()), field.schema(), v2.getField(field.name()).schema(),
              newSymbols));
        }
        to.put(ADDED_FIELD, WRITTEN_BY_V2);
        return to;
      }
      case ENUM -> {
        return new GenericData.EnumSymbol(v2, newSymbols ? ADDED_SYMBOL : datum.toString());
      }
      case UNION -> {
        final int branch = GenericData.get().resolveUnion(v1, datum);
        return upgrade(datum, v1.getTypes().get(branch), v2.getTypes().get(branch), newSymbols);
      }
      case ARRAY -> {
        final List<Object> items = new ArrayList<>();
        for (final Object item : (List<?>) datum) {
          items.add(upgrade(item, v1.getElementType(), v2.getElementType(), newSymbols));
        }
        return new GenericData.Array<>(v2, items);
      }
      default -> {
        return datum;
      }
    }
  }

  /** {@code datum} of {@code v1} with every enum value replaced by the enum's default (what a v1 reader sees). */
  static Object withEnumDefaults(final Object datum, final Schema v1) {
    switch (v1.getType()) {
      case RECORD -> {
        final GenericRecord from = (GenericRecord) datum;
        final GenericData.Record to = new GenericData.Record(v1);
        for (final Schema.Field field : v1.getFields()) {
          to.put(field.name(), withEnumDefaults(from.get(field.name()), field.schema()));
        }
        return to;
      }
      case ENUM -> {
        return new GenericData.EnumSymbol(v1, v1.getEnumDefault());
      }
      case UNION -> {
        return withEnumDefaults(datum, v1.getTypes().get(GenericData.get().resolveUnion(v1, datum)));
      }
      case ARRAY -> {
        final List<Object> items = new ArrayList<>();
        for (final Object item : (List<?>) datum) {
          items.add(withEnumDefaults(item, v1.getElementType()));
        }
        return new GenericData.Array<>(v1, items);
      }
      default -> {
        return datum;
      }
    }
  }
}
