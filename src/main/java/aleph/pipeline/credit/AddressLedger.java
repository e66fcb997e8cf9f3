package aleph.pipeline.credit;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One address's credits: buckets keyed by expiration (non-expiring = the last key), each holding the grant
 * slices it was built from, plus the credit_refs already applied. Slices keep their grant time so eligibility
 * is bounded on both sides by the operation's message time (DESIGN 5.2); the applied refs make replays no-ops
 * (DESIGN 5.4), and so does a transfer the address already refused. Mutable; not thread-safe. Times are
 * epoch microseconds.
 */
public final class AddressLedger {

  private static final long NEVER = Long.MAX_VALUE;

  private final String address;
  private final TreeMap<Long, List<GrantSlice>> buckets = new TreeMap<>();
  private final LinkedHashSet<String> appliedRefs = new LinkedHashSet<>();

  private AddressLedger(final String address) {
    this.address = address;
  }

  public static AddressLedger empty(final String address) {
    return new AddressLedger(address);
  }

  public static AddressLedger of(final String address, final LedgerState state) {
    final AddressLedger ledger = new AddressLedger(address);
    if (state != null) {
      state.slices().forEach(ledger::addSlice);
      ledger.appliedRefs.addAll(state.appliedRefs());
    }
    return ledger;
  }

  public String address() {
    return address;
  }

  public LedgerState state() {
    final List<GrantSlice> slices = new ArrayList<>();
    buckets.values().forEach(slices::addAll);
    return new LedgerState(slices, new ArrayList<>(appliedRefs));
  }

  public boolean hasApplied(final String creditRef) {
    return appliedRefs.contains(creditRef);
  }

  /** Runs a command addressed to this ledger. */
  public LedgerStep run(final LedgerCommand command, final LedgerRules rules) {
    if (!command.address().equals(address)) {
      throw new IllegalArgumentException("command for " + command.address() + " run on " + address);
    }
    if (command instanceof LedgerCommand.Apply apply) {
      return apply(apply, rules);
    }
    if (command instanceof LedgerCommand.TransferOut out) {
      return transferOut(out, rules);
    }
    return transferIn((LedgerCommand.TransferIn) command, rules);
  }

  private LedgerStep apply(final LedgerCommand.Apply command, final LedgerRules rules) {
    if (hasApplied(command.creditRef())) {
      return LedgerStep.replay();
    }
    final List<HistoryRow> history = new ArrayList<>();
    long granted = 0;
    long drained = 0;
    for (LedgerCommand.Effect effect : command.effects()) {
      if (effect.amount() > 0) {
        addSlice(new GrantSlice(command.creditRef(), effect.creditIndex(), command.messageTimestamp(),
            effect.expiration(), effect.amount()));
        granted += effect.amount();
      } else {
        // Under-funding is silent: slices never go below zero and the excess is dropped (DOMAIN 3.6.2).
        drained += drain(-effect.amount(), command.messageTimestamp(), rules.drainPolicy()).stream()
            .mapToLong(Taken::amount).sum();
      }
      history.add(effect.history());
    }
    remember(command.creditRef(), rules);
    return new LedgerStep(LedgerStep.Outcome.APPLIED, command.cause(), history, List.of(), null, granted, drained);
  }

  private LedgerStep transferOut(final LedgerCommand.TransferOut command, final LedgerRules rules) {
    final long ts = command.messageTimestamp();
    if (command.whitelisted()) {
      // An issuer mints: no drain, no cap, no sender row (DOMAIN 3.6.3).
      final List<LedgerCommand.TransferIn> grants = new ArrayList<>();
      int index = 0;
      for (LedgerCommand.Recipient recipient : command.recipients()) {
        grants.add(new LedgerCommand.TransferIn(recipient.address(), command.creditRef(), ts, command.origin(),
            address, List.of(new LedgerCommand.Portion(index++, recipient.amount(), recipient.expiration()))));
      }
      return new LedgerStep(LedgerStep.Outcome.APPLIED, null, List.of(), grants, null, 0, 0);
    }
    if (hasApplied(command.creditRef())) {
      return LedgerStep.replay();
    }
    long required = 0;
    for (LedgerCommand.Recipient recipient : command.recipients()) {
      required = saturatedAdd(required, recipient.amount());
    }
    final long available = eligibleBalance(ts);
    if (available < required) {
      // Remembered too, so a replay of a refused transfer stays refused whatever arrived since.
      remember(command.creditRef(), rules);
      return LedgerStep.rejected(new Rejection(RejectionCode.INSUFFICIENT_BALANCE,
          "Insufficient credit balance for transfer. Required: " + required + ", Available: " + available));
    }
    final List<HistoryRow> history = new ArrayList<>();
    final List<LedgerCommand.TransferIn> grants = new ArrayList<>();
    int index = 0;
    long drained = 0;
    for (LedgerCommand.Recipient recipient : command.recipients()) {
      final List<Taken> consumed = drain(recipient.amount(), ts, rules.drainPolicy());
      drained += consumed.stream().mapToLong(Taken::amount).sum();
      final List<LedgerCommand.Portion> portions = new ArrayList<>();
      for (Taken portion : capAndMerge(consumed, recipient.expiration())) {
        portions.add(new LedgerCommand.Portion(index++, portion.amount(), portion.expiration()));
      }
      grants.add(new LedgerCommand.TransferIn(recipient.address(), command.creditRef(), ts, command.origin(),
          address, List.copyOf(portions)));
      history.add(HistoryRow.transfer(address, -recipient.amount(), recipient.address(), command.creditRef(),
          index++, null, ts));
    }
    remember(command.creditRef(), rules);
    return new LedgerStep(LedgerStep.Outcome.APPLIED, BalanceCause.TRANSFER_OUT, history, grants, null, 0,
        drained);
  }

  private LedgerStep transferIn(final LedgerCommand.TransferIn command, final LedgerRules rules) {
    if (hasApplied(command.creditRef())) {
      return LedgerStep.replay();
    }
    final List<HistoryRow> history = new ArrayList<>();
    long granted = 0;
    for (LedgerCommand.Portion portion : command.portions()) {
      addSlice(new GrantSlice(command.creditRef(), portion.creditIndex(), command.messageTimestamp(),
          portion.expiration(), portion.amount()));
      granted += portion.amount();
      history.add(HistoryRow.transfer(address, portion.amount(), command.sender(), command.creditRef(),
          portion.creditIndex(), portion.expiration(), command.messageTimestamp()));
    }
    remember(command.creditRef(), rules);
    return new LedgerStep(LedgerStep.Outcome.APPLIED, BalanceCause.TRANSFER_IN, history, List.of(), null, granted,
        0);
  }

  /** Credits an operation dated {@code at} may spend: granted at or before it, not expired at it. */
  public long eligibleBalance(final long at) {
    long sum = 0;
    for (List<GrantSlice> bucket : buckets.values()) {
      for (GrantSlice slice : bucket) {
        if (slice.eligibleAt(at)) {
          sum = saturatedAdd(sum, slice.remaining());
        }
      }
    }
    return sum;
  }

  /** The reference's read ({@code get_credit_balance_with_details}): every slice not expired at {@code at}. */
  public Balance balance(final long at) {
    final List<Balance.Bucket> details = new ArrayList<>();
    long total = 0;
    final List<Map.Entry<Long, List<GrantSlice>>> ordered = new ArrayList<>();
    if (buckets.containsKey(NEVER)) {
      ordered.add(Map.entry(NEVER, buckets.get(NEVER)));
    }
    buckets.headMap(NEVER, false).entrySet().forEach(ordered::add);
    for (Map.Entry<Long, List<GrantSlice>> bucket : ordered) {
      long amount = 0;
      for (GrantSlice slice : bucket.getValue()) {
        if (slice.validAt(at)) {
          amount += slice.remaining();
        }
      }
      if (amount > 0) {
        details.add(new Balance.Bucket(bucket.getKey() == NEVER ? null : bucket.getKey(), amount));
        total += amount;
      }
    }
    return new Balance(Math.max(0, total), List.copyOf(details));
  }

  /** Drops every bucket expired at {@code now}; returns the credits dropped. */
  public long expire(final long now) {
    long dropped = 0;
    final Iterator<Map.Entry<Long, List<GrantSlice>>> it = buckets.headMap(now, true).entrySet().iterator();
    while (it.hasNext()) {
      for (GrantSlice slice : it.next().getValue()) {
        dropped += slice.remaining();
      }
      it.remove();
    }
    return dropped;
  }

  private void addSlice(final GrantSlice slice) {
    if (slice.remaining() > 0) {
      buckets.computeIfAbsent(key(slice.expiration()), k -> new ArrayList<>()).add(slice);
    }
  }

  private void remember(final String creditRef, final LedgerRules rules) {
    appliedRefs.add(creditRef);
    final Iterator<String> oldest = appliedRefs.iterator();
    while (appliedRefs.size() > rules.appliedRefsPerAddress() && oldest.hasNext()) {
      oldest.next();
      oldest.remove();
    }
  }

  /** {@code _consume_address_credits} with the configured order; returns what was taken, in order. */
  private List<Taken> drain(final long amount, final long at, final DrainPolicy policy) {
    final List<Taken> taken = new ArrayList<>();
    if (amount <= 0) {
      return taken;
    }
    final List<GrantSlice> eligible = new ArrayList<>();
    buckets.values().forEach(bucket -> bucket.stream().filter(s -> s.eligibleAt(at)).forEach(eligible::add));
    eligible.sort(policy.order());
    long remaining = amount;
    for (GrantSlice slice : eligible) {
      if (remaining == 0) {
        break;
      }
      final long take = Math.min(slice.remaining(), remaining);
      remaining -= take;
      taken.add(new Taken(take, slice.expiration()));
      replace(slice, slice.withRemaining(slice.remaining() - take));
    }
    return taken;
  }

  private void replace(final GrantSlice old, final GrantSlice updated) {
    final Long key = key(old.expiration());
    final List<GrantSlice> bucket = buckets.get(key);
    final int at = bucket.indexOf(old);
    if (updated.remaining() > 0) {
      bucket.set(at, updated);
    } else {
      bucket.remove(at);
      if (bucket.isEmpty()) {
        buckets.remove(key);
      }
    }
  }

  /**
   * {@code _compute_transfer_entries_by_expiration}: each consumed slice keeps the sooner of its own and the
   * requested expiration, so a re-transfer can neither extend nor remove an expiration; only adjacent slices
   * with equal effective expirations merge.
   */
  static List<Taken> capAndMerge(final List<Taken> consumed, final Long requested) {
    final List<Taken> out = new ArrayList<>();
    for (Taken slice : consumed) {
      final Long effective;
      if (slice.expiration() == null) {
        effective = requested;
      } else if (requested == null) {
        effective = slice.expiration();
      } else {
        effective = Math.min(slice.expiration(), requested);
      }
      final int last = out.size() - 1;
      if (last >= 0 && Objects.equals(out.get(last).expiration(), effective)) {
        out.set(last, new Taken(out.get(last).amount() + slice.amount(), effective));
      } else {
        out.add(new Taken(slice.amount(), effective));
      }
    }
    return out;
  }

  private static Long key(final Long expiration) {
    return expiration == null ? NEVER : expiration;
  }

  private static long saturatedAdd(final long a, final long b) {
    final long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }

  /** Credits taken from one slice, with that slice's expiration. */
  record Taken(long amount, Long expiration) {
  }
}
