package aleph.pipeline.credit;

import static aleph.pipeline.credit.Payloads.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Counterpart of the reference's {@code tests/schemas/test_credit_transfer.py} (DOMAIN 3.2). */
class CreditContentParserTest {

  private static CreditContent.TransferEntry transferEntry(final String entry) {
    return ((CreditContent.Transfer) CreditContentParser.parse(CreditKind.TRANSFER,
        json("{\"transfer\": {\"credits\": [" + entry + "]}}"))).credits().get(0);
  }

  private static CreditContent.Distribution distribution(final String entry, final String extra) {
    return (CreditContent.Distribution) CreditContentParser.parse(CreditKind.DISTRIBUTION,
        json("{\"distribution\": {\"credits\": [" + entry + "]" + extra + "}}"));
  }

  private static CreditContent.DistributionEntry distributionEntry(final String fields) {
    return distribution("{\"address\": \"0xabc\", \"amount\": 100, \"tx_hash\": \"0xtx\", \"provider\": \"p\""
        + fields + "}", ", \"token\": \"ALEPH\", \"chain\": \"ETH\"").credits().get(0);
  }

  private static CreditContent.ExpenseEntry expenseEntry(final String entry) {
    return ((CreditContent.Expense) CreditContentParser.parse(CreditKind.EXPENSE,
        json("{\"expense\": {\"credits\": [" + entry + "]}}"))).credits().get(0);
  }

  private static void assertRejected(final Runnable parse, final RejectionCode code, final String fragment) {
    assertThatThrownBy(parse::run).isInstanceOfSatisfying(CreditContentException.class, e -> {
      assertThat(e.code()).isEqualTo(code);
      assertThat(e.getMessage()).contains(fragment);
    });
  }

  // ---- CreditTransferEntry ----

  @Test
  void shouldAcceptTransferEntryAndKeepExpirationAsMillisWhenValid() {
    // When
    final CreditContent.TransferEntry entry =
        transferEntry("{\"address\": \"0xabc\", \"amount\": 100, \"expiration\": 1700000000000}");

    // Then
    assertThat(entry).isEqualTo(new CreditContent.TransferEntry("0xabc", 100, 1_700_000_000_000L));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-1", "-9999999"})
  void shouldRejectWithGreaterThanZeroWhenTransferAmountIsNotPositive(final String amount) {
    assertRejected(() -> transferEntry("{\"address\": \"0xabc\", \"amount\": " + amount + "}"),
        RejectionCode.INVALID_CONTENT, "greater than 0");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"1.5|got float", "\"100\"|got str", "true|got bool", "null|got NoneType"})
  void shouldRejectWithIntegerWhenTransferAmountIsNotAJsonInteger(final String amount, final String got) {
    assertRejected(() -> transferEntry("{\"address\": \"0xabc\", \"amount\": " + amount + "}"),
        RejectionCode.INVALID_CONTENT, "amount must be an integer, " + got);
  }

  @Test
  void shouldRejectWithNotBeEmptyWhenAddressIsBlank() {
    assertRejected(() -> transferEntry("{\"address\": \"   \", \"amount\": 1}"), RejectionCode.INVALID_CONTENT,
        "address must not be empty");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"amount\": 1}", "{\"address\": \"0xabc\"}"})
  void shouldRejectWithFieldRequiredWhenAddressOrAmountIsMissing(final String entry) {
    assertRejected(() -> transferEntry(entry), RejectionCode.INVALID_CONTENT, "Field required");
  }

  @Test
  void shouldRejectNumericAddressWithoutCoercingIt() {
    assertRejected(() -> transferEntry("{\"address\": 12, \"amount\": 1}"), RejectionCode.INVALID_CONTENT,
        "valid string");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"\"1700000000000\"|1700000000000", "1700000000000.0|1700000000000",
      "0|0", "null|"})
  void shouldAcceptLaxIntegerWhenExpirationIsIntegral(final String expiration, final Long expected) {
    assertThat(transferEntry("{\"address\": \"0xabc\", \"amount\": 1, \"expiration\": " + expiration + "}")
        .expiration()).isEqualTo(expected);
  }

  @Test
  void shouldRejectFractionalExpiration() {
    assertRejected(() -> transferEntry("{\"address\": \"0xabc\", \"amount\": 1, \"expiration\": 1700000000000.5}"),
        RejectionCode.INVALID_CONTENT, "fractional part");
  }

  // ---- CreditTransferContent ----

  @Test
  void shouldAcceptTwoRecipients() {
    // When
    final CreditContent content = CreditContentParser.parse(CreditKind.TRANSFER, json(
        "{\"transfer\": {\"credits\": [{\"address\": \"0xa\", \"amount\": 1}, "
            + "{\"address\": \"0xb\", \"amount\": 2}]}}"));

    // Then
    assertThat(((CreditContent.Transfer) content).credits()).extracting(CreditContent.TransferEntry::address)
        .containsExactly("0xa", "0xb");
  }

  @Test
  void shouldRejectWithAtLeastOneWhenCreditsAreEmpty() {
    assertRejected(() -> CreditContentParser.parse(CreditKind.TRANSFER, json("{\"transfer\": {\"credits\": []}}")),
        RejectionCode.INVALID_CONTENT, "at least 1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{}", "{\"transfer\": {}}", "{\"other\": 1}"})
  void shouldRejectWhenTransferOrCreditsAreMissing(final String payload) {
    assertRejected(() -> CreditContentParser.parse(CreditKind.TRANSFER, json(payload)), RejectionCode.INVALID_CONTENT,
        "Field required");
  }

  @Test
  void shouldRejectWithDuplicateWhenRecipientRepeatsExactly() {
    assertRejected(() -> CreditContentParser.parse(CreditKind.TRANSFER, json(
        "{\"transfer\": {\"credits\": [{\"address\": \"0xa\", \"amount\": 1}, "
            + "{\"address\": \"0xa\", \"amount\": 2}]}}")),
        RejectionCode.DUPLICATE_RECIPIENT, "Duplicate recipient addresses are not allowed in a single transfer");
  }

  @Test
  void shouldTreatAddressesDifferingInCaseAsDistinctRecipients() {
    assertThat(((CreditContent.Transfer) CreditContentParser.parse(CreditKind.TRANSFER, json(
        "{\"transfer\": {\"credits\": [{\"address\": \"0xA\", \"amount\": 1}, "
            + "{\"address\": \"0xa\", \"amount\": 2}]}}")))
        .credits()).hasSize(2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"-50", "\"lots\""})
  void shouldRejectWhenOneAmountInTheListIsInvalid(final String amount) {
    assertRejected(() -> CreditContentParser.parse(CreditKind.TRANSFER, json(
        "{\"transfer\": {\"credits\": [{\"address\": \"0xa\", \"amount\": 1}, {\"address\": \"0xb\", \"amount\": "
            + amount + "}]}}")), RejectionCode.INVALID_CONTENT, "transfer.credits.1.amount");
  }

  // ---- CreditDistributionContent ----

  @Test
  void shouldAcceptDistributionWithOptionalFieldsDefaultingToNull() {
    // When
    final CreditContent.Distribution content = distribution(
        "{\"address\": \"0xabc\", \"amount\": 100, \"price\": \"0.5\", \"tx_hash\": \"0xtx\", \"provider\": \"p\"}",
        ", \"token\": \"ALEPH\", \"chain\": \"ETH\"");

    // Then
    assertThat(content.token()).isEqualTo("ALEPH");
    assertThat(content.credits().get(0)).isEqualTo(new CreditContent.DistributionEntry("0xabc", 100, "0.5", "0xtx",
        "p", null, null, null, null, null));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"0|greater than 0", "-1|greater than 0", "\"100\"|integer"})
  void shouldRejectDistributionAmount(final String amount, final String fragment) {
    assertRejected(() -> distribution("{\"address\": \"0xabc\", \"amount\": " + amount
        + ", \"price\": \"1\", \"tx_hash\": \"0xtx\", \"provider\": \"p\"}", ", \"token\": \"A\", \"chain\": \"E\""),
        RejectionCode.INVALID_CONTENT, fragment);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"0.000001|1e-06", "1|1", "0.001|0.001", "100.0|100.0", "1e16|1e+16",
      "0.0001|0.0001", "0.00001|1e-05", "123456789.125|123456789.125", "\"NaN\"|NaN", "\"Infinity\"|Infinity",
      // 2^-24: the shortest digits that round-trip, as CPython prints them
      "5.9604644775390625e-08|5.960464477539063e-08"})
  void shouldConvertNumericPriceLikePythonStr(final String price, final String expected) {
    assertThat(distributionEntry(", \"price\": " + price).price()).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"\"not-a-number\"|decimal", "\"\"|decimal", "true|valid string",
      "null|valid string"})
  void shouldRejectDistributionPrice(final String price, final String fragment) {
    assertRejected(() -> distributionEntry(", \"price\": " + price), RejectionCode.INVALID_CONTENT, fragment);
  }

  @Test
  void shouldRejectDistributionWithEmptyCredits() {
    assertRejected(() -> distribution("", ", \"token\": \"A\", \"chain\": \"E\""), RejectionCode.INVALID_CONTENT,
        "at least 1");
  }

  @ParameterizedTest
  @ValueSource(strings = {", \"chain\": \"ETH\"", ", \"token\": \"ALEPH\""})
  void shouldRejectDistributionWithoutTokenOrChain(final String extra) {
    assertRejected(() -> distribution("{\"address\": \"0xabc\", \"amount\": 1, \"price\": \"1\", \"tx_hash\": \"t\","
        + " \"provider\": \"p\"}", extra), RejectionCode.INVALID_CONTENT, "Field required");
  }

  @Test
  void shouldRejectDistributionWithBlankAddress() {
    assertRejected(() -> distribution("{\"address\": \" \", \"amount\": 1, \"price\": \"1\", \"tx_hash\": \"t\","
        + " \"provider\": \"p\"}", ", \"token\": \"A\", \"chain\": \"E\""), RejectionCode.INVALID_CONTENT,
        "not be empty");
  }

  // ---- CreditExpenseContent ----

  @Test
  void shouldAcceptMinimalAndFullExpenseEntries() {
    // When
    final CreditContent.ExpenseEntry minimal = expenseEntry("{\"address\": \"0xabc\", \"amount\": 10}");
    final CreditContent.ExpenseEntry full = expenseEntry("{\"address\": \"0xabc\", \"amount\": 500, \"ref\": \"r\","
        + " \"execution_id\": \"e\", \"node_id\": \"n\", \"price\": \"0.001\", \"time\": 1640995200000}");

    // Then
    assertThat(minimal).isEqualTo(new CreditContent.ExpenseEntry("0xabc", 10, null, null, null, null, null, null,
        null));
    assertThat(full).isEqualTo(new CreditContent.ExpenseEntry("0xabc", 500, "r", "e", "n", "0.001",
        1_640_995_200_000.0, null, null));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-10", "\"big\""})
  void shouldRejectExpenseAmount(final String amount) {
    assertRejected(() -> expenseEntry("{\"address\": \"0xabc\", \"amount\": " + amount + "}"),
        RejectionCode.INVALID_CONTENT, "expense.credits.0.amount");
  }

  @Test
  void shouldConvertNumericExpensePriceAndRejectInvalidOne() {
    assertThat(expenseEntry("{\"address\": \"0xabc\", \"amount\": 1, \"price\": 0.001}").price()).isEqualTo("0.001");
    assertRejected(() -> expenseEntry("{\"address\": \"0xabc\", \"amount\": 1, \"price\": \"x\"}"),
        RejectionCode.INVALID_CONTENT, "decimal");
  }

  @Test
  void shouldRejectExpenseWithEmptyListOrEmptyAddress() {
    assertRejected(() -> CreditContentParser.parse(CreditKind.EXPENSE, json("{\"expense\": {\"credits\": []}}")),
        RejectionCode.INVALID_CONTENT, "at least 1");
    assertRejected(() -> expenseEntry("{\"address\": \"\", \"amount\": 1}"), RejectionCode.INVALID_CONTENT,
        "not be empty");
  }

  @Test
  void shouldReadV2CountSizeAndTimeAndLeaveThemNullForV1() {
    // When
    final CreditContent.ExpenseEntry v2 = expenseEntry(
        "{\"address\": \"0xabc\", \"amount\": 500, \"ref\": \"storage\", \"count\": 42, \"size\": 1024.5, "
            + "\"time\": 3600.0}");
    final CreditContent.ExpenseEntry v1 = expenseEntry("{\"address\": \"0xabc\", \"amount\": 500, \"time\": 3599.475}");

    // Then
    assertThat(v2.count()).isEqualTo(42L);
    assertThat(v2.size()).isEqualByComparingTo(new BigDecimal("1024.5"));
    assertThat(v2.time()).isEqualTo(3600.0);
    assertThat(v1.count()).isNull();
    assertThat(v1.size()).isNull();
    assertThat(v1.time()).isEqualTo(3599.475);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"\"3\"|3", "2.0|2"})
  void shouldAcceptLaxIntegerCount(final String count, final long expected) {
    assertThat(expenseEntry("{\"address\": \"0xabc\", \"amount\": 1, \"count\": " + count + "}").count())
        .isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"count\": -1", "\"size\": -0.5"})
  void shouldRejectNegativeCountOrSize(final String field) {
    assertRejected(() -> expenseEntry("{\"address\": \"0xabc\", \"amount\": 1, " + field + "}"),
        RejectionCode.INVALID_CONTENT, "greater than or equal to 0");
  }

  @Test
  void shouldRenderErrorsLikeTheReferenceInvalidMessageFormat() {
    assertRejected(() -> transferEntry("{\"address\": \"0xabc\", \"amount\": 0}"), RejectionCode.INVALID_CONTENT,
        "Invalid credit transfer content: 1 validation error for CreditTransferContent\n"
            + "transfer.credits.0.amount\n  Input should be greater than 0");
  }
}
