package aleph.pipeline.credit;

import java.util.Optional;

/** The three credit POST types (DOMAIN 3.1). */
public enum CreditKind {
  DISTRIBUTION("aleph_credit_distribution", "distribution", "CreditDistributionContent"),
  EXPENSE("aleph_credit_expense", "expense", "CreditExpenseContent"),
  TRANSFER("aleph_credit_transfer", "transfer", "CreditTransferContent");

  private final String postType;
  private final String key;
  private final String modelName;

  CreditKind(final String postType, final String key, final String modelName) {
    this.postType = postType;
    this.key = key;
    this.modelName = modelName;
  }

  public String postType() {
    return postType;
  }

  /** The top-level key of the POST payload ({@code {"transfer": {...}}}). */
  public String key() {
    return key;
  }

  String modelName() {
    return modelName;
  }

  public static Optional<CreditKind> ofPostType(final String postType) {
    for (CreditKind kind : values()) {
      if (kind.postType.equals(postType)) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }
}
