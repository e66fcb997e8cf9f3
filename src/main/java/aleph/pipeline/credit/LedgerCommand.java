package aleph.pipeline.credit;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A unit of work for one address's ledger, produced from a validated credit message by {@link CreditPlanner}
 * (or, for transfer grants, by the sender's ledger). Times are epoch microseconds.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = LedgerCommand.Apply.class, name = "apply"),
    @JsonSubTypes.Type(value = LedgerCommand.TransferOut.class, name = "transfer-out"),
    @JsonSubTypes.Type(value = LedgerCommand.TransferIn.class, name = "transfer-in")})
public sealed interface LedgerCommand {

  /** The address whose ledger runs the command (the repartition key). */
  String address();

  String creditRef();

  long messageTimestamp();

  Origin origin();

  /**
   * Where the credit message came from, for rejections.
   *
   * @param postType content.type
   * @param owner content.address
   * @param topic source topic (null when unknown)
   * @param partition source partition (null when unknown)
   * @param offset source offset (null when unknown)
   */
  record Origin(String postType, String owner, String topic, Integer partition, Long offset) {
  }

  /** A grant (amount > 0, from a distribution) or a debit (from an expense) with its precomputed history row. */
  record Effect(int creditIndex, long amount, Long expiration, HistoryRow history) {
  }

  /** A distribution's or an expense's entries for one address. */
  record Apply(String address, String creditRef, long messageTimestamp, Origin origin, BalanceCause cause,
      List<Effect> effects) implements LedgerCommand {
  }

  /** One transfer recipient as requested (amount already multiplied; expiration epoch micros or null). */
  record Recipient(String address, long amount, Long expiration) {
  }

  /** A whole transfer, run at the sender. */
  record TransferOut(String address, String creditRef, long messageTimestamp, Origin origin, boolean whitelisted,
      List<Recipient> recipients) implements LedgerCommand {
  }

  /** A slice a recipient receives: its credit_index within the transfer, amount and capped expiration. */
  record Portion(int creditIndex, long amount, Long expiration) {
  }

  /** What one recipient of a settled transfer receives. */
  record TransferIn(String address, String creditRef, long messageTimestamp, Origin origin, String sender,
      List<Portion> portions) implements LedgerCommand {
  }
}
