package aleph.pipeline.metrics;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The reference node's value coercions, which are Python built-ins applied to {@code json.loads} output:
 * {@code bool(v)}, {@code float(v)}, {@code int(v)}, {@code str(v)} and
 * {@code datetime.fromtimestamp(v, UTC)}. Each method returns null where Python raises (TypeError, ValueError,
 * OverflowError), so callers decide between "skip" and "store null" as the reference does.
 *
 * <p>Inputs are Jackson trees of the parsed content; a Java {@code null} or a missing node means "key absent".
 */
public final class PyValues {

  /** {@code datetime.min} (0001-01-01T00:00:00Z) in epoch seconds. */
  static final long MIN_EPOCH_SECONDS = -62_135_596_800L;
  /** 10000-01-01T00:00:00Z in epoch seconds: the first instant {@code datetime} cannot represent. */
  static final long END_EPOCH_SECONDS = 253_402_300_800L;
  /** CPython's default {@code sys.int_info.str_digits_check_threshold}: longer decimal strings are refused. */
  static final int MAX_INT_DIGITS = 4300;

  private static final String DIGITS = "[0-9](?:_?[0-9])*";
  private static final Pattern FLOAT = Pattern.compile(
      "[+-]?(?:(?:" + DIGITS + ")?\\.(?:" + DIGITS + ")|(?:" + DIGITS + ")\\.?)(?:[eE][+-]?(?:" + DIGITS + "))?");
  private static final Pattern SPECIAL_FLOAT = Pattern.compile("(?i)([+-]?)(inf|infinity|nan)");
  private static final Pattern INT = Pattern.compile("[+-]?" + DIGITS);

  private PyValues() {
  }

  /** {@code bool(v)}: null, false, zero, empty string, empty array and empty object are falsy. */
  public static boolean truthy(final JsonNode v) {
    if (absent(v)) {
      return false;
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    if (v.isBigInteger()) {
      return v.bigIntegerValue().signum() != 0;
    }
    if (v.isBigDecimal()) {
      return v.decimalValue().signum() != 0;
    }
    if (v.isNumber()) {
      // NaN is truthy in Python, and NaN != 0 here too.
      return v.doubleValue() != 0.0;
    }
    if (v.isTextual()) {
      return !v.textValue().isEmpty();
    }
    if (v.isContainerNode()) {
      return v.size() > 0;
    }
    return true;
  }

  /** {@code float(v)}, or null where Python raises. */
  public static Double toFloat(final JsonNode v) {
    if (absent(v)) {
      return null;
    }
    if (v.isBoolean()) {
      return v.booleanValue() ? 1.0 : 0.0;
    }
    if (v.isIntegralNumber()) {
      final double d = v.bigIntegerValue().doubleValue();
      // float(10**400) raises OverflowError.
      return Double.isInfinite(d) ? null : d;
    }
    if (v.isNumber()) {
      return v.doubleValue();
    }
    if (v.isTextual()) {
      return parseFloat(v.textValue());
    }
    return null;
  }

  /** {@code int(v)}, or null where Python raises (NaN, infinities, non-integer strings, containers, None). */
  public static BigInteger toInt(final JsonNode v) {
    if (absent(v)) {
      return null;
    }
    if (v.isBoolean()) {
      return v.booleanValue() ? BigInteger.ONE : BigInteger.ZERO;
    }
    if (v.isIntegralNumber()) {
      return v.bigIntegerValue();
    }
    if (v.isBigDecimal()) {
      return v.decimalValue().toBigInteger();
    }
    if (v.isNumber()) {
      final double d = v.doubleValue();
      // int(float) truncates toward zero, as BigDecimal#toBigInteger does.
      return Double.isFinite(d) ? new BigDecimal(d).toBigInteger() : null;
    }
    if (v.isTextual()) {
      return parseInt(v.textValue());
    }
    return null;
  }

  /** {@code datetime.fromtimestamp(float(v), UTC)} at microsecond precision, or null where Python raises. */
  public static Instant toTimestamp(final JsonNode v) {
    final Double seconds = toFloat(v);
    return seconds == null ? null : fromTimestamp(seconds);
  }

  /**
   * {@code datetime.fromtimestamp(seconds, UTC)}: the fraction is rounded half-even to microseconds as CPython
   * does; null for NaN, infinities and instants outside years 1..9999.
   */
  public static Instant fromTimestamp(final double seconds) {
    if (!Double.isFinite(seconds)) {
      return null;
    }
    double whole = seconds < 0 ? Math.ceil(seconds) : Math.floor(seconds);
    double micros = Math.rint((seconds - whole) * 1e6);
    if (micros >= 1e6) {
      micros -= 1e6;
      whole += 1.0;
    } else if (micros < 0) {
      micros += 1e6;
      whole -= 1.0;
    }
    if (whole < MIN_EPOCH_SECONDS || whole >= END_EPOCH_SECONDS) {
      return null;
    }
    return Instant.ofEpochSecond((long) whole, (long) micros * 1000L);
  }

  /** The epoch-seconds value of {@code instant} as an exact decimal (microsecond scale). */
  public static BigDecimal epochSeconds(final Instant instant) {
    final long micros = Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L),
        instant.getNano() / 1000);
    return new BigDecimal(BigInteger.valueOf(micros), 6);
  }

  /** {@code str(v)}: strings as they are, {@code True}/{@code False}/{@code None}, numbers as Python prints them. */
  public static String str(final JsonNode v) {
    if (v.isTextual()) {
      return v.textValue();
    }
    return repr(v);
  }

  /** {@code float(s)} for a string: Python's grammar (underscores, inf/nan words, surrounding whitespace). */
  public static Double parseFloat(final String s) {
    final String t = normalise(s);
    if (t == null) {
      return null;
    }
    final var special = SPECIAL_FLOAT.matcher(t);
    if (special.matches()) {
      final boolean negative = "-".equals(special.group(1));
      if (special.group(2).equalsIgnoreCase("nan")) {
        return Double.NaN;
      }
      return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (!FLOAT.matcher(t).matches()) {
      return null;
    }
    return Double.parseDouble(t.replace("_", ""));
  }

  /** {@code int(s)} for a string, base 10: optional sign, digits with single underscores between them. */
  public static BigInteger parseInt(final String s) {
    final String t = normalise(s);
    if (t == null || !INT.matcher(t).matches()) {
      return null;
    }
    final String digits = t.replace("_", "");
    final int length = digits.length() - (digits.charAt(0) == '+' || digits.charAt(0) == '-' ? 1 : 0);
    return length > MAX_INT_DIGITS ? null : new BigInteger(digits);
  }

  /** Python's {@code repr(float)}: the shortest digits that round-trip, fixed or exponent notation. */
  public static String reprFloat(final double d) {
    if (Double.isNaN(d)) {
      return "nan";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "inf" : "-inf";
    }
    if (d == 0.0) {
      return (Double.doubleToRawLongBits(d) < 0 ? "-" : "") + "0.0";
    }
    final double abs = Math.abs(d);
    final BigDecimal shortest = shortestRoundTrip(abs).stripTrailingZeros();
    final String digits = shortest.unscaledValue().toString();
    final int decpt = digits.length() - shortest.scale();
    final StringBuilder out = new StringBuilder(d < 0 ? "-" : "");
    if (decpt <= -4 || decpt > 16) {
      out.append(digits.charAt(0));
      if (digits.length() > 1) {
        out.append('.').append(digits, 1, digits.length());
      }
      final int exponent = decpt - 1;
      out.append('e').append(exponent < 0 ? '-' : '+');
      final int magnitude = Math.abs(exponent);
      out.append(magnitude < 10 ? "0" : "").append(magnitude);
    } else if (decpt <= 0) {
      out.append("0.").append("0".repeat(-decpt)).append(digits);
    } else if (decpt >= digits.length()) {
      out.append(digits).append("0".repeat(decpt - digits.length())).append(".0");
    } else {
      out.append(digits, 0, decpt).append('.').append(digits, decpt, digits.length());
    }
    return out.toString();
  }

  private static BigDecimal shortestRoundTrip(final double abs) {
    final BigDecimal exact = new BigDecimal(abs);
    for (int precision = 1; precision < 17; precision++) {
      final BigDecimal down = exact.round(new MathContext(precision, RoundingMode.DOWN));
      final BigDecimal up = exact.round(new MathContext(precision, RoundingMode.UP));
      final boolean downOk = down.doubleValue() == abs;
      final boolean upOk = up.doubleValue() == abs;
      if (downOk && upOk) {
        return exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
      }
      if (downOk || upOk) {
        return downOk ? down : up;
      }
    }
    return exact.round(new MathContext(17, RoundingMode.HALF_EVEN));
  }

  private static String repr(final JsonNode v) {
    if (v.isTextual()) {
      return reprString(v.textValue());
    }
    if (v.isNull() || v.isMissingNode()) {
      return "None";
    }
    if (v.isBoolean()) {
      return v.booleanValue() ? "True" : "False";
    }
    if (v.isIntegralNumber()) {
      return v.bigIntegerValue().toString();
    }
    if (v.isNumber()) {
      return reprFloat(v.doubleValue());
    }
    if (v.isArray()) {
      final StringBuilder out = new StringBuilder("[");
      for (int i = 0; i < v.size(); i++) {
        out.append(i == 0 ? "" : ", ").append(repr(v.get(i)));
      }
      return out.append(']').toString();
    }
    final StringBuilder out = new StringBuilder("{");
    final Iterator<Map.Entry<String, JsonNode>> fields = v.fields();
    boolean first = true;
    while (fields.hasNext()) {
      final Map.Entry<String, JsonNode> field = fields.next();
      out.append(first ? "" : ", ").append(reprString(field.getKey())).append(": ").append(repr(field.getValue()));
      first = false;
    }
    return out.append('}').toString();
  }

  /** Python's {@code repr(str)}: single quotes unless only double quotes avoid escaping, printable kept. */
  static String reprString(final String s) {
    final char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
    final StringBuilder out = new StringBuilder().append(quote);
    s.codePoints().forEach(cp -> {
      if (cp == quote || cp == '\\') {
        out.append('\\').appendCodePoint(cp);
      } else if (cp == '\t') {
        out.append("\\t");
      } else if (cp == '\n') {
        out.append("\\n");
      } else if (cp == '\r') {
        out.append("\\r");
      } else if (cp < 0x20 || cp == 0x7f) {
        out.append(String.format("\\x%02x", cp));
      } else if (cp < 0x7f || printable(cp)) {
        out.appendCodePoint(cp);
      } else if (cp <= 0xff) {
        out.append(String.format("\\x%02x", cp));
      } else if (cp <= 0xffff) {
        out.append(String.format("\\u%04x", cp));
      } else {
        out.append(String.format("\\U%08x", cp));
      }
    });
    return out.append(quote).toString();
  }

  private static boolean printable(final int cp) {
    switch (Character.getType(cp)) {
      case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED,
          Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.SPACE_SEPARATOR -> {
        return false;
      }
      default -> {
        return true;
      }
    }
  }

  /**
   * What CPython does before parsing a number string: Unicode decimal digits become ASCII digits, and
   * surrounding Unicode whitespace is dropped. Null when nothing is left.
   */
  private static String normalise(final String s) {
    final StringBuilder out = new StringBuilder(s.length());
    s.codePoints().forEach(cp -> {
      if (cp > 0x7f && Character.getType(cp) == Character.DECIMAL_DIGIT_NUMBER) {
        out.append((char) ('0' + Character.digit(cp, 10)));
      } else if (pythonSpace(cp)) {
        out.append(' ');
      } else {
        out.appendCodePoint(cp);
      }
    });
    int start = 0;
    int end = out.length();
    while (start < end && out.charAt(start) == ' ') {
      start++;
    }
    while (end > start && out.charAt(end - 1) == ' ') {
      end--;
    }
    return start == end ? null : out.substring(start, end);
  }

  /** {@code Py_UNICODE_ISSPACE}. */
  static boolean pythonSpace(final int cp) {
    return (cp >= 0x09 && cp <= 0x0d) || (cp >= 0x1c && cp <= 0x20) || cp == 0x85 || cp == 0xa0 || cp == 0x1680
        || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 || cp == 0x2029 || cp == 0x202f || cp == 0x205f
        || cp == 0x3000;
  }

  private static boolean absent(final JsonNode v) {
    return v == null || v.isNull() || v.isMissingNode();
  }
}
