package aleph.pipeline.credit;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiFunction;

import com.fasterxml.jackson.databind.JsonNode;

import aleph.pipeline.metrics.PyValues;

/**
 * Validates the POST payload ({@code content.content}) of a credit message the way the reference's pydantic
 * models do (DOMAIN 3.2): same accepted inputs, same coercions (price numbers become Python {@code str()},
 * lax integers for expiration and count) and the same error wording, so a rejection reads like the
 * reference's {@code InvalidMessageFormat("Invalid credit <kind> content: <errors>")}.
 */
public final class CreditContentParser {

  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
  private static final String DUPLICATE_RECIPIENTS =
      "Value error, Duplicate recipient addresses are not allowed in a single transfer";

  private CreditContentParser() {
  }

  public static CreditContent parse(final CreditKind kind, final JsonNode payload) {
    final Errors errors = new Errors();
    final CreditContent content = switch (kind) {
      case DISTRIBUTION -> distribution(payload, errors);
      case EXPENSE -> expense(payload, errors);
      case TRANSFER -> transfer(payload, errors);
    };
    errors.throwIfAny(kind);
    if (content instanceof CreditContent.Transfer transfer) {
      final Set<String> seen = new HashSet<>();
      for (CreditContent.TransferEntry entry : transfer.credits()) {
        if (!seen.add(entry.address())) {
          errors.add("transfer", DUPLICATE_RECIPIENTS);
          throw new CreditContentException(RejectionCode.DUPLICATE_RECIPIENT, errors.render(kind));
        }
      }
    }
    return content;
  }

  private static CreditContent.Distribution distribution(final JsonNode payload, final Errors errors) {
    final JsonNode body = body(payload, "distribution", "CreditDistributionContent", "CreditDistribution", errors);
    if (body == null) {
      return null;
    }
    final List<CreditContent.DistributionEntry> credits = credits(body, "distribution", "CreditDistributionEntry",
        errors, (entry, loc) -> new CreditContent.DistributionEntry(
            address(entry, loc, errors),
            amount(entry, loc, errors),
            price(entry, loc, true, errors),
            requiredString(entry, "tx_hash", loc, errors),
            requiredString(entry, "provider", loc, errors),
            laxInt(entry, "expiration", loc, false, errors),
            optionalString(entry, "origin", loc, errors),
            optionalString(entry, "ref", loc, errors),
            optionalString(entry, "payment_method", loc, errors),
            bonusAmount(entry, loc, errors)));
    final String token = requiredString(body, "token", "distribution", errors);
    final String chain = requiredString(body, "chain", "distribution", errors);
    return new CreditContent.Distribution(credits, token, chain);
  }

  private static CreditContent.Expense expense(final JsonNode payload, final Errors errors) {
    final JsonNode body = body(payload, "expense", "CreditExpenseContent", "CreditExpense", errors);
    if (body == null) {
      return null;
    }
    return new CreditContent.Expense(credits(body, "expense", "CreditExpenseEntry", errors,
        (entry, loc) -> new CreditContent.ExpenseEntry(
            address(entry, loc, errors),
            amount(entry, loc, errors),
            optionalString(entry, "ref", loc, errors),
            optionalString(entry, "execution_id", loc, errors),
            optionalString(entry, "node_id", loc, errors),
            price(entry, loc, false, errors),
            laxFloat(entry, "time", loc, errors),
            laxInt(entry, "count", loc, true, errors),
            size(entry, loc, errors))));
  }

  private static CreditContent.Transfer transfer(final JsonNode payload, final Errors errors) {
    final JsonNode body = body(payload, "transfer", "CreditTransferContent", "CreditTransfer", errors);
    if (body == null) {
      return null;
    }
    return new CreditContent.Transfer(credits(body, "transfer", "CreditTransferEntry", errors,
        (entry, loc) -> new CreditContent.TransferEntry(
            address(entry, loc, errors),
            amount(entry, loc, errors),
            laxInt(entry, "expiration", loc, false, errors))));
  }

  private static JsonNode body(final JsonNode payload, final String key, final String model, final String inner,
      final Errors errors) {
    if (payload == null || !payload.isObject()) {
      errors.add("", "Input should be a valid dictionary or instance of " + model);
      return null;
    }
    final JsonNode body = payload.get(key);
    if (body == null) {
      errors.add(key, "Field required");
      return null;
    }
    if (!body.isObject()) {
      errors.add(key, "Input should be a valid dictionary or instance of " + inner);
      return null;
    }
    return body;
  }

  private static <T> List<T> credits(final JsonNode body, final String key, final String entryModel,
      final Errors errors, final BiFunction<JsonNode, String, T> entryParser) {
    final String loc = key + ".credits";
    final JsonNode list = body.get("credits");
    if (list == null) {
      errors.add(loc, "Field required");
      return List.of();
    }
    if (!list.isArray()) {
      errors.add(loc, "Input should be a valid list");
      return List.of();
    }
    if (list.isEmpty()) {
      errors.add(loc, "List should have at least 1 item after validation, not 0");
      return List.of();
    }
    final List<T> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      final JsonNode entry = list.get(i);
      final String entryLoc = loc + "." + i;
      if (!entry.isObject()) {
        errors.add(entryLoc, "Input should be a valid dictionary or instance of " + entryModel);
        continue;
      }
      out.add(entryParser.apply(entry, entryLoc));
    }
    return out;
  }

  private static String address(final JsonNode entry, final String loc, final Errors errors) {
    final String address = requiredString(entry, "address", loc, errors);
    if (address != null && address.strip().isEmpty()) {
      errors.add(loc + ".address", "Value error, address must not be empty");
      return null;
    }
    return address;
  }

  /** The reference's before-validator: only a real JSON integer passes, then {@code gt=0}. */
  private static long amount(final JsonNode entry, final String loc, final Errors errors) {
    final JsonNode node = entry.get("amount");
    final String at = loc + ".amount";
    if (node == null) {
      errors.add(at, "Field required");
      return 0;
    }
    if (!node.isIntegralNumber()) {
      errors.add(at, "Value error, amount must be an integer, got " + pythonTypeName(node));
      return 0;
    }
    final BigInteger value = node.bigIntegerValue();
    if (value.signum() <= 0) {
      errors.add(at, "Input should be greater than 0");
      return 0;
    }
    if (value.compareTo(LONG_MAX) > 0) {
      errors.add(at, "Value error, amount must fit in a 64-bit integer");
      return 0;
    }
    return value.longValueExact();
  }

  private static String price(final JsonNode entry, final String loc, final boolean required, final Errors errors) {
    final JsonNode node = entry.get("price");
    final String at = loc + ".price";
    if (node == null || (node.isNull() && !required)) {
      if (required) {
        errors.add(at, "Field required");
      }
      return null;
    }
    final String text;
    if (node.isNumber()) {
      text = node.isIntegralNumber() ? node.bigIntegerValue().toString() : PyValues.reprFloat(node.doubleValue());
    } else if (node.isTextual()) {
      text = node.textValue();
    } else {
      errors.add(at, "Input should be a valid string");
      return null;
    }
    if (!isPythonDecimal(text)) {
      errors.add(at, "Value error, price must be a valid decimal string");
      return null;
    }
    return text;
  }

  private static BigDecimal size(final JsonNode entry, final String loc, final Errors errors) {
    final JsonNode node = entry.get("size");
    final String at = loc + ".size";
    if (node == null || node.isNull()) {
      return null;
    }
    BigDecimal value = null;
    if (node.isIntegralNumber()) {
      value = new BigDecimal(node.bigIntegerValue());
    } else if (node.isNumber()) {
      if (!Double.isFinite(node.doubleValue())) {
        errors.add(at, "Input should be a finite number");
        return null;
      }
      value = new BigDecimal(PyValues.reprFloat(node.doubleValue()));
    } else if (node.isTextual()) {
      value = parseDecimal(node.textValue().strip());
    }
    if (value == null) {
      errors.add(at, "Input should be a valid decimal");
      return null;
    }
    if (value.signum() < 0) {
      errors.add(at, "Input should be greater than or equal to 0");
      return null;
    }
    return value;
  }

  private static Long bonusAmount(final JsonNode entry, final String loc, final Errors errors) {
    final JsonNode node = entry.get("bonus_amount");
    if (node == null || isFalsy(node)) {
      return null;
    }
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      return node.longValue();
    }
    // The reference accepts any value here and only fails when the BIGINT column refuses it.
    errors.add(loc + ".bonus_amount", "Value error, bonus_amount must be a 64-bit integer");
    return null;
  }

  /** Pydantic's lax integer: ints, integral floats and integer strings; {@code nonNegative} adds {@code ge=0}. */
  private static Long laxInt(final JsonNode entry, final String field, final String loc, final boolean nonNegative,
      final Errors errors) {
    final JsonNode node = entry.get(field);
    final String at = loc + "." + field;
    if (node == null || node.isNull()) {
      return null;
    }
    BigInteger value = null;
    if (node.isBoolean()) {
      value = node.booleanValue() ? BigInteger.ONE : BigInteger.ZERO;
    } else if (node.isIntegralNumber()) {
      value = node.bigIntegerValue();
    } else if (node.isNumber()) {
      final double d = node.doubleValue();
      if (!Double.isFinite(d) || d != Math.rint(d)) {
        errors.add(at, "Input should be a valid integer, got a number with a fractional part");
        return null;
      }
      value = new BigDecimal(d).toBigIntegerExact();
    } else if (node.isTextual()) {
      value = parseIntString(node.textValue());
      if (value == null) {
        errors.add(at, "Input should be a valid integer, unable to parse string as an integer");
        return null;
      }
    } else {
      errors.add(at, "Input should be a valid integer");
      return null;
    }
    if (value.compareTo(LONG_MIN) < 0 || value.compareTo(LONG_MAX) > 0) {
      errors.add(at, "Input should be a valid integer, got a number out of range");
      return null;
    }
    if (nonNegative && value.signum() < 0) {
      errors.add(at, "Input should be greater than or equal to 0");
      return null;
    }
    return value.longValueExact();
  }

  private static Double laxFloat(final JsonNode entry, final String field, final String loc, final Errors errors) {
    final JsonNode node = entry.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue() ? 1.0 : 0.0;
    }
    if (node.isTextual()) {
      final BigDecimal parsed = parseDecimal(node.textValue().strip());
      if (parsed != null) {
        return parsed.doubleValue();
      }
    }
    errors.add(loc + "." + field, "Input should be a valid number");
    return null;
  }

  private static String requiredString(final JsonNode node, final String field, final String loc,
      final Errors errors) {
    final JsonNode value = node.get(field);
    final String at = loc.isEmpty() ? field : loc + "." + field;
    if (value == null) {
      errors.add(at, "Field required");
      return null;
    }
    if (!value.isTextual()) {
      errors.add(at, "Input should be a valid string");
      return null;
    }
    return value.textValue();
  }

  private static String optionalString(final JsonNode node, final String field, final String loc,
      final Errors errors) {
    final JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      errors.add(loc + "." + field, "Input should be a valid string");
      return null;
    }
    return value.textValue();
  }

  private static boolean isFalsy(final JsonNode node) {
    return node.isNull()
        || (node.isBoolean() && !node.booleanValue())
        || (node.isNumber() && node.doubleValue() == 0.0)
        || (node.isTextual() && node.textValue().isEmpty())
        || (node.isContainerNode() && node.isEmpty());
  }

  private static String pythonTypeName(final JsonNode node) {
    if (node.isNull()) {
      return "NoneType";
    }
    if (node.isBoolean()) {
      return "bool";
    }
    if (node.isNumber()) {
      return "float";
    }
    if (node.isTextual()) {
      return "str";
    }
    return node.isArray() ? "list" : "dict";
  }

  /** What Python's {@code Decimal(str)} accepts, including NaN and Infinity. */
  static boolean isPythonDecimal(final String text) {
    final String s = text.strip().replace("_", "");
    if (s.isEmpty() || text.strip().startsWith("_") || text.strip().endsWith("_") || text.contains("__")) {
      return false;
    }
    final String unsigned = (s.startsWith("+") || s.startsWith("-")) ? s.substring(1) : s;
    final String lower = unsigned.toLowerCase(Locale.ROOT);
    if (lower.equals("inf") || lower.equals("infinity") || lower.matches("s?nan\\d*")) {
      return true;
    }
    return parseDecimal(s) != null;
  }

  private static BigDecimal parseDecimal(final String text) {
    if (!text.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
      return null;
    }
    try {
      return new BigDecimal(text);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static BigInteger parseIntString(final String text) {
    String s = text.strip().replace("_", "");
    if (!s.matches("[+-]?\\d+(\\.0*)?")) {
      return null;
    }
    final int dot = s.indexOf('.');
    if (dot >= 0) {
      s = s.substring(0, dot);
    }
    return new BigInteger(s);
  }

  /** Collected errors rendered like pydantic's {@code ValidationError.__str__}. */
  private static final class Errors {

    private final List<String[]> items = new ArrayList<>();

    void add(final String loc, final String message) {
      items.add(new String[] {loc, message});
    }

    void throwIfAny(final CreditKind kind) {
      if (!items.isEmpty()) {
        throw new CreditContentException(RejectionCode.INVALID_CONTENT, render(kind));
      }
    }

    String render(final CreditKind kind) {
      final StringBuilder out = new StringBuilder("Invalid credit ").append(kind.key()).append(" content: ")
          .append(items.size()).append(items.size() == 1 ? " validation error" : " validation errors")
          .append(" for ").append(kind.modelName());
      for (String[] item : items) {
        if (!item[0].isEmpty()) {
          out.append('\n').append(item[0]);
        }
        out.append("\n  ").append(item[1]);
      }
      return out.toString();
    }
  }
}
