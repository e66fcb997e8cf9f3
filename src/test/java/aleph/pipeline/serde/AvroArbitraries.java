package aleph.pipeline.serde;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import aleph.pipeline.avro.credit.CreditBalance;
import aleph.pipeline.avro.credit.CreditHistoryEntry;
import aleph.pipeline.avro.credit.CreditRejection;
import aleph.pipeline.avro.message.AcceptedMessage;
import aleph.pipeline.avro.message.AlephMessage;
import aleph.pipeline.avro.message.ForgottenMessage;
import aleph.pipeline.avro.metrics.CcnMetric;
import aleph.pipeline.avro.metrics.CrnMetric;

/** Random GenericRecords of any schema, biased to the edges: unicode, empty strings, NaN/±∞, long extremes. */
final class AvroArbitraries {

  /** Every topic value schema, by the SpecificRecord class generated from it. */
  static final Map<Class<?>, Schema> TOPIC_VALUES = Map.of(
      AlephMessage.class, AlephMessage.getClassSchema(),
      AcceptedMessage.class, AcceptedMessage.getClassSchema(),
      CrnMetric.class, CrnMetric.getClassSchema(),
      CcnMetric.class, CcnMetric.getClassSchema(),
      ForgottenMessage.class, ForgottenMessage.getClassSchema(),
      CreditHistoryEntry.class, CreditHistoryEntry.getClassSchema(),
      CreditBalance.class, CreditBalance.getClassSchema(),
      CreditRejection.class, CreditRejection.getClassSchema());

  private AvroArbitraries() {
  }

  static Arbitrary<Object> of(final Schema schema) {
    return switch (schema.getType()) {
      case RECORD -> record(schema);
      case ENUM -> Arbitraries.of(schema.getEnumSymbols())
          .map(symbol -> (Object) new GenericData.EnumSymbol(schema, symbol));
      case UNION -> union(schema);
      case ARRAY -> of(schema.getElementType()).list().ofMaxSize(4).map(list -> (Object) new GenericData.Array<>(
          schema, list));
      case MAP -> Arbitraries.maps(strings(), of(schema.getValueType())).ofMaxSize(3).map(m -> (Object) m);
      case STRING -> strings().map(s -> (Object) s);
      case LONG -> Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L))
          .map(l -> (Object) l);
      case INT -> Arbitraries.oneOf(Arbitraries.integers(),
          Arbitraries.of(Integer.MIN_VALUE, Integer.MAX_VALUE, 0)).map(i -> (Object) i);
      case DOUBLE -> Arbitraries.oneOf(Arbitraries.doubles(), Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY,
          Double.NEGATIVE_INFINITY, -0.0d, Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE))
          .map(d -> (Object) d);
      case FLOAT -> Arbitraries.floats().map(f -> (Object) f);
      case BOOLEAN -> Arbitraries.of(true, false).map(b -> (Object) b);
      case NULL -> Arbitraries.just(null);
      default -> throw new IllegalArgumentException("no generator for " + schema);
    };
  }

  /** Valid Unicode text: any code point outside the surrogate range (astral planes and NUL included), or empty. */
  static Arbitrary<String> strings() {
    final Arbitrary<Integer> codePoint = Arbitraries.oneOf(
        Arbitraries.integers().between(0x20, 0x7e),
        Arbitraries.integers().between(0, 0xd7ff),
        Arbitraries.integers().between(0xe000, 0x10ffff),
        Arbitraries.of(0x1f680, 0x4e16, 0x00fc, 0x0301, 0x200d, 0));
    return Arbitraries.oneOf(Arbitraries.just(""), codePoint.list().ofMaxSize(24).map(points -> {
      final StringBuilder text = new StringBuilder();
      points.forEach(text::appendCodePoint);
      return text.toString();
    }));
  }

  private static Arbitrary<Object> union(final Schema schema) {
    final List<Arbitrary<Object>> branches = new ArrayList<>();
    boolean nullable = false;
    for (final Schema branch : schema.getTypes()) {
      if (branch.getType() == Schema.Type.NULL) {
        nullable = true;
      } else {
        branches.add(of(branch));
      }
    }
    final Arbitrary<Object> value = branches.size() == 1 ? branches.get(0) : Arbitraries.oneOf(branches);
    return nullable ? value.injectNull(0.3) : value;
  }

  private static Arbitrary<Object> record(final Schema schema) {
    final List<Arbitrary<Object>> fields = schema.getFields().stream().map(f -> of(f.schema())).toList();
    return Combinators.combine(fields).as(values -> {
      final GenericData.Record record = new GenericData.Record(schema);
      for (int i = 0; i < values.size(); i++) {
        record.put(i, values.get(i));
      }
      return (Object) record;
    });
  }
}
