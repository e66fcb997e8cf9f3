package aleph.pipeline.credit;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Drives a {@link CreditLedger} with generated item_hashes (ref-0001, ref-0002...: emission order = send order). */
final class LedgerFixture {

  final CreditLedger ledger;
  private int sequence;

  LedgerFixture(final DrainPolicy policy) {
    this(LedgerRules.defaults(policy));
  }

  LedgerFixture(final LedgerRules rules) {
    this.ledger = new CreditLedger(rules);
  }

  String nextRef() {
    return String.format("ref-%04d", ++sequence);
  }

  CreditLedger.Result distribute(final long ts, final ObjectNode... entries) {
    return ledger.submit(nextRef(), CreditKind.DISTRIBUTION.postType(), Payloads.ISSUER, ts,
        Payloads.distribution(entries));
  }

  CreditLedger.Result expense(final long ts, final ObjectNode... entries) {
    return ledger.submit(nextRef(), CreditKind.EXPENSE.postType(), Payloads.ISSUER, ts, Payloads.expense(entries));
  }

  CreditLedger.Result transfer(final String from, final long ts, final ObjectNode... entries) {
    return ledger.submit(nextRef(), CreditKind.TRANSFER.postType(), from, ts, Payloads.transfer(entries));
  }

  long balance(final String address, final long at) {
    return ledger.balance(address, at).total();
  }

  List<Balance.Bucket> details(final String address, final long at) {
    return ledger.balance(address, at).buckets();
  }

  static List<HistoryRow> rowsOf(final CreditLedger.Result result, final String address) {
    return result.history().stream().filter(r -> r.address().equals(address)).toList();
  }
}
