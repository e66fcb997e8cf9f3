package aleph.pipeline.topology.credit;

/**
 * Names of the ledger's processors, store and repartition topics. They are stateful contracts: renaming the
 * store or a repartition topic starts from empty state.
 */
public final class CreditNames {

  public static final String STORE = "credit-buckets";
  public static final String EXPIRATIONS = "credit-expirations";
  public static final String SPLIT = "credit-split";
  public static final String BY_ADDRESS = "credit-by-address";
  public static final String LEDGER = "credit-ledger";
  public static final String GRANTS_BY_RECIPIENT = "credit-grants-by-recipient";
  public static final String LEDGER_TRANSFER_IN = "credit-ledger-transfer-in";

  /** Metric group scope of the ledger's counters ({@code stream-credit-ledger-metrics}). */
  public static final String METRICS_SCOPE = "credit-ledger";

  private CreditNames() {
  }
}
