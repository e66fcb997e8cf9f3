package aleph.pipeline.sink;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import aleph.pipeline.avro.credit.CreditHistoryEntry;
import aleph.pipeline.avro.message.AcceptedMessage;

/**
 * Finds values PostgreSQL cannot store, before they reach a transaction: a record holding one would fail its
 * batch on every retry. Returns the reason, or null when the record is storable.
 */
final class RecordChecks {

  /** The earliest {@code timestamptz} (4714-11-24 00:00 BC, UTC). */
  static final Instant POSTGRES_MIN = Instant.parse("-4713-11-24T00:00:00Z");
  /**
   * Columns written through jOOQ bind timestamps as ISO text, which stays unambiguous only for four-digit years;
   * the binary COPY path ({@code measured_at}) takes PostgreSQL's full range.
   */
  static final Instant BOUND_MIN = Instant.parse("0001-01-01T00:00:00Z");
  static final Instant BOUND_MAX = Instant.parse("9999-12-31T23:59:59.999999Z");

  private static final ObjectMapper JSON = new ObjectMapper();

  private RecordChecks() {
  }

  static String problem(final SpecificRecord value) {
    final String generic = walk(value, "");
    if (generic != null) {
      return generic;
    }
    if (value instanceof AcceptedMessage accepted) {
      return jsonProblem(accepted.getContent());
    }
    if (value instanceof CreditHistoryEntry entry) {
      final String price = decimalProblem("price", entry.getPrice());
      return price != null ? price : decimalProblem("expenseSizeMib", entry.getExpenseSizeMib());
    }
    return null;
  }

  private static String walk(final SpecificRecord record, final String path) {
    for (Schema.Field field : record.getSchema().getFields()) {
      final String name = path + field.name();
      final String problem = valueProblem(name, record.get(field.pos()));
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  private static String valueProblem(final String name, final Object value) {
    if (value instanceof CharSequence text) {
      if (text.toString().indexOf('\0') >= 0) {
        return "field " + name + " contains a NUL character, which PostgreSQL text cannot hold";
      }
    } else if (value instanceof Instant instant) {
      final boolean copied = name.equals("measuredAt");
      final Instant min = copied ? POSTGRES_MIN : BOUND_MIN;
      if (instant.isBefore(min) || (!copied && instant.isAfter(BOUND_MAX))) {
        return "field " + name + " = " + instant + " is outside the storable timestamptz range";
      }
    } else if (value instanceof SpecificRecord nested) {
      return walk(nested, name + ".");
    } else if (value instanceof Collection<?> items) {
      for (Object item : items) {
        final String problem = valueProblem(name + "[]", item);
        if (problem != null) {
          return problem;
        }
      }
    }
    return null;
  }

  private static String jsonProblem(final String content) {
    if (content.contains("\\u0000")) {
      return "content holds a \\u0000 escape, which jsonb cannot hold";
    }
    try {
      JSON.readTree(content);
      return null;
    } catch (JsonProcessingException e) {
      return "content is not valid JSON: " + e.getOriginalMessage();
    }
  }

  private static String decimalProblem(final String name, final String text) {
    if (text == null) {
      return null;
    }
    try {
      new BigDecimal(text);
      return null;
    } catch (NumberFormatException e) {
      return "field " + name + " = '" + text + "' is not a decimal number";
    }
  }
}
