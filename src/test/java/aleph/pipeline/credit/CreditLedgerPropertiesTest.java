package aleph.pipeline.credit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Ledger invariants over random streams of grants, expenses, transfers and clock advances (times in
 * seconds after 2026-03-01, after the precision cutoff, so amounts are taken as they are).
 */
class CreditLedgerPropertiesTest {

  private static final List<String> ADDRESSES = List.of("0xA", "0xB", "0xC", "0xD");
  private static final long BASE = Payloads.at("2026-03-01T00:00:00Z");

  /** One generated event; {@code at} is its message time (seconds after BASE), not necessarily increasing. */
  sealed interface Op {
  }

  record Grant(int at, int address, long amount, Integer expiresAfter) implements Op {
  }

  record Spend(int at, int address, long amount) implements Op {
  }

  record Send(int at, int sender, boolean issuer, List<Integer> recipients, List<Long> amounts,
      List<Integer> expiresAfter) implements Op {
  }

  /** Wall clock moves to {@code at}: expired buckets are dropped. */
  record Clock(int at) implements Op {
  }

  @Provide
  Arbitrary<List<Op>> streams() {
    return ops(true, true);
  }

  @Provide
  Arbitrary<List<Op>> nonExpiringInOrder() {
    return ops(false, false);
  }

  private static Arbitrary<List<Op>> ops(final boolean expiring, final boolean clock) {
    final Arbitrary<Integer> at = Arbitraries.integers().between(0, 1000);
    final Arbitrary<Integer> address = Arbitraries.integers().between(0, ADDRESSES.size() - 1);
    final Arbitrary<Long> amount = Arbitraries.longs().between(1, 500);
    // Far beyond every generated time when nothing may expire: order still differs between the policies.
    final Arbitrary<Integer> expiry = expiring
        ? Arbitraries.integers().between(-50, 600).injectNull(0.4)
        : Arbitraries.integers().between(100_000, 200_000).injectNull(0.4);
    final Arbitrary<Op> grant = Combinators.combine(at, address, amount, expiry).as(Grant::new);
    final Arbitrary<Op> spend = Combinators.combine(at, address, amount).as(Spend::new);
    final Arbitrary<Op> send = Combinators.combine(at, address, Arbitraries.of(true, false, false, false),
        address.list().ofMinSize(1).ofMaxSize(3), amount.list().ofSize(3), expiry.list().ofSize(3))
        .as(Send::new);
    final Arbitrary<Op> tick = at.map(Clock::new);
    final Arbitrary<Op> op = clock
        ? Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(4, grant), net.jqwik.api.Tuple.of(3, spend), net.jqwik.api.Tuple.of(4, send),
            net.jqwik.api.Tuple.of(1, tick))
        : Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(4, grant), net.jqwik.api.Tuple.of(3, spend), net.jqwik.api.Tuple.of(4, send));
    return op.list().ofMaxSize(60);
  }

  /** Conservation bookkeeping per address. */
  private static final class Books {
    final Map<String, Long> distributed = new HashMap<>();
    final Map<String, Long> received = new HashMap<>();
    final Map<String, Long> spent = new HashMap<>();
    final Map<String, Long> sent = new HashMap<>();
    final Map<String, Long> expired = new HashMap<>();

    void record(final CreditLedger.Result result) {
      for (Map.Entry<String, LedgerStep> entry : result.steps()) {
        final LedgerStep step = entry.getValue();
        if (step.outcome() != LedgerStep.Outcome.APPLIED || step.cause() == null) {
          continue;
        }
        switch (step.cause()) {
          case GRANT -> distributed.merge(entry.getKey(), step.granted(), Long::sum);
          case TRANSFER_IN -> received.merge(entry.getKey(), step.granted(), Long::sum);
          case EXPENSE -> spent.merge(entry.getKey(), step.drained(), Long::sum);
          case TRANSFER_OUT -> sent.merge(entry.getKey(), step.drained(), Long::sum);
          default -> throw new IllegalStateException(step.cause().name());
        }
      }
    }
  }

  /** Replays {@code ops} on {@code ledger}; message ops get refs op-0, op-1... by position. */
  private static List<CreditLedger.Result> run(final CreditLedger ledger, final List<Op> ops, final int from,
      final int to, final boolean withClock, final Books books) {
    final List<CreditLedger.Result> results = new ArrayList<>();
    for (int i = from; i < to; i++) {
      final Op op = ops.get(i);
      final String ref = String.format("op-%03d", i);
      if (op instanceof Clock tick) {
        if (withClock) {
          ledger.expire(micros(tick.at())).forEach((a, amount) -> {
            if (books != null) {
              books.expired.merge(a, amount, Long::sum);
            }
          });
        }
        continue;
      }
      final CreditLedger.Result result = submit(ledger, ref, op);
      if (books != null) {
        books.record(result);
      }
      results.add(result);
    }
    return results;
  }

  private static CreditLedger.Result submit(final CreditLedger ledger, final String ref, final Op op) {
    if (op instanceof Grant g) {
      return ledger.submit(ref, CreditKind.DISTRIBUTION.postType(), Payloads.ISSUER, micros(g.at()),
          Payloads.distribution(Payloads.grant(ADDRESSES.get(g.address()), g.amount(), expiryMs(g.expiresAfter()))));
    }
    if (op instanceof Spend s) {
      return ledger.submit(ref, CreditKind.EXPENSE.postType(), Payloads.ISSUER, micros(s.at()),
          Payloads.expense(Payloads.spend(ADDRESSES.get(s.address()), s.amount())));
    }
    final Send t = (Send) op;
    final ObjectNode[] entries = new ObjectNode[t.recipients().size()];
    for (int i = 0; i < entries.length; i++) {
      entries[i] = Payloads.to(ADDRESSES.get(t.recipients().get(i)), t.amounts().get(i),
          expiryMs(t.expiresAfter().get(i)));
    }
    return ledger.submit(ref, CreditKind.TRANSFER.postType(),
        t.issuer() ? Payloads.ISSUER : ADDRESSES.get(t.sender()), micros(t.at()), Payloads.transfer(entries));
  }

  private static long micros(final int seconds) {
    return BASE + seconds * 1_000_000L;
  }

  private static Long expiryMs(final Integer after) {
    return after == null ? null : (BASE / 1000) + after * 1000L;
  }

  private static long remaining(final CreditLedger ledger, final String address) {
    final LedgerState state = ledger.states().get(address);
    return state == null ? 0 : state.slices().stream().mapToLong(GrantSlice::remaining).sum();
  }

  @Property(tries = 300)
  void shouldNeverGoNegative(@ForAll("streams") final List<Op> ops, @ForAll final DrainPolicy policy) {
    // Given
    final CreditLedger ledger = new CreditLedger(LedgerRules.defaults(policy));

    // When
    run(ledger, ops, 0, ops.size(), true, null);

    // Then
    ledger.states().values().forEach(state ->
        assertThat(state.slices()).allSatisfy(slice -> assertThat(slice.remaining()).isPositive()));
    for (String address : ADDRESSES) {
      for (int t = -100; t <= 1200; t += 100) {
        assertThat(ledger.balance(address, micros(t)).total()).isNotNegative();
        assertThat(ledger.eligibleBalance(address, micros(t))).isNotNegative();
      }
    }
  }

  @Property(tries = 300)
  void shouldConserveCreditsPerAddress(@ForAll("streams") final List<Op> ops, @ForAll final DrainPolicy policy) {
    // Given
    final CreditLedger ledger = new CreditLedger(LedgerRules.defaults(policy));
    final Books books = new Books();

    // When
    run(ledger, ops, 0, ops.size(), true, books);

    // Then granted = remaining + spent + expired + transferred out - transferred in
    for (String address : ADDRESSES) {
      final long granted = books.distributed.getOrDefault(address, 0L);
      assertThat(granted).as(address).isEqualTo(remaining(ledger, address)
          + books.spent.getOrDefault(address, 0L)
          + books.expired.getOrDefault(address, 0L)
          + books.sent.getOrDefault(address, 0L)
          - books.received.getOrDefault(address, 0L));
    }
  }

  @Property(tries = 300)
  void shouldReachTheSameStateWhenAPrefixIsReplayedTwice(@ForAll("streams") final List<Op> ops,
      @ForAll @IntRange(min = 0, max = 60) final int cut, @ForAll final DrainPolicy policy) {
    // Given
    final int prefix = Math.min(cut, ops.size());
    final CreditLedger once = new CreditLedger(LedgerRules.defaults(policy));
    final CreditLedger twice = new CreditLedger(LedgerRules.defaults(policy));

    // When
    run(once, ops, 0, ops.size(), true, null);
    run(twice, ops, 0, prefix, true, null);
    final List<CreditLedger.Result> replayed = run(twice, ops, 0, prefix, false, null);
    run(twice, ops, prefix, ops.size(), true, null);

    // Then
    assertThat(replayed).allSatisfy(result -> assertThat(result.history()).isEmpty());
    assertThat(twice.states()).isEqualTo(once.states());
  }

  @Property(tries = 300)
  void shouldAgreeOnTotalsAcrossPoliciesWhenNoBucketExpires(@ForAll("nonExpiringInOrder") final List<Op> ops) {
    // Given message times in arrival order, so every grant is eligible for every later debit
    final List<Op> ordered = inArrivalOrder(ops);
    final CreditLedger expirationFirst = new CreditLedger(LedgerRules.defaults(DrainPolicy.EXPIRATION_FIRST));
    final CreditLedger emissionOrder = new CreditLedger(LedgerRules.defaults(DrainPolicy.EMISSION_ORDER));

    // When
    final List<CreditLedger.Result> a = run(expirationFirst, ordered, 0, ordered.size(), false, null);
    final List<CreditLedger.Result> b = run(emissionOrder, ordered, 0, ordered.size(), false, null);

    // Then
    assertThat(a).extracting(CreditLedger.Result::rejection).isEqualTo(b.stream().map(CreditLedger.Result::rejection)
        .toList());
    for (String address : ADDRESSES) {
      assertThat(expirationFirst.balance(address, micros(ordered.size())).total()).as(address)
          .isEqualTo(emissionOrder.balance(address, micros(ordered.size())).total());
    }
  }

  /** Rewrites message times to 0, 1, 2... in list order. */
  private static List<Op> inArrivalOrder(final List<Op> ops) {
    final List<Op> out = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      final Op op = ops.get(i);
      if (op instanceof Grant g) {
        out.add(new Grant(i, g.address(), g.amount(), g.expiresAfter()));
      } else if (op instanceof Spend s) {
        out.add(new Spend(i, s.address(), s.amount()));
      } else if (op instanceof Send t) {
        out.add(new Send(i, t.sender(), t.issuer(), t.recipients(), t.amounts(), t.expiresAfter()));
      }
    }
    return out;
  }
}
