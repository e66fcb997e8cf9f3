package aleph.pipeline.topology.credit;

import java.time.Instant;
import java.util.Map;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import aleph.pipeline.credit.AddressLedger;
import aleph.pipeline.credit.Balance;
import aleph.pipeline.credit.LedgerState;

/**
 * Interactive Queries over the {@code credit-buckets} store: an address's balance at an instant, answered
 * from this instance when it owns the address, otherwise the owner's host so the HTTP layer can forward the
 * request ({@code application.server} of each instance is its HTTP host:port).
 *
 * <p>Usage from an HTTP handler:
 * <pre>{@code
 * switch (CreditBalanceQuery.balance(streams, self, address, Instant.now())) {
 *   case CreditBalanceQuery.Local local -> respond(local.balance());
 *   case CreditBalanceQuery.Remote remote -> forward(remote.host());
 *   case CreditBalanceQuery.Unavailable u -> respond503(u.reason());
 * }
 * }</pre>
 */
public final class CreditBalanceQuery {

  private CreditBalanceQuery() {
  }

  /** The answer to a balance query. */
  public sealed interface Answer permits Local, Remote, Unavailable {
  }

  /**
   * This instance owns the address.
   *
   * @param balance total and buckets (non-expiring first, then ascending; empty buckets omitted)
   */
  public record Local(Balance balance) implements Answer {
  }

  /**
   * Another instance owns the address.
   *
   * @param host its {@code application.server}
   */
  public record Remote(HostInfo host) implements Answer {
  }

  /**
   * The store cannot answer now (rebalancing, restoring, not started).
   *
   * @param reason why
   */
  public record Unavailable(String reason) implements Answer {
  }

  /**
   * This instance's {@code application.server} from the Streams properties, or null when unset (single
   * instance: every query is answered locally).
   */
  public static HostInfo self(final Map<String, ?> streamsProperties) {
    final Object server = streamsProperties.get(StreamsConfig.APPLICATION_SERVER_CONFIG);
    return server == null || server.toString().isBlank() ? null : HostInfo.buildFromEndpoint(server.toString());
  }

  /**
   * The balance of {@code address} valid at {@code at}.
   *
   * @param streams the running application
   * @param self this instance's {@code application.server}, or null when unset
   * @param address the address (the store key)
   * @param at the instant the buckets must still be valid at (usually now)
   */
  public static Answer balance(final KafkaStreams streams, final HostInfo self, final String address,
      final Instant at) {
    final KeyQueryMetadata owner;
    try {
      owner = streams.queryMetadataForKey(CreditNames.STORE, address, Serdes.String().serializer());
    } catch (IllegalStateException e) {
      return new Unavailable("streams not running: " + e.getMessage());
    }
    final boolean unknownOwner = owner == null || owner == KeyQueryMetadata.NOT_AVAILABLE
        || owner.activeHost() == null || HostInfo.unavailable().equals(owner.activeHost());
    if (unknownOwner && self != null) {
      return new Unavailable("no instance owns " + address + " right now");
    }
    if (!unknownOwner && self != null && !owner.activeHost().equals(self)) {
      return new Remote(owner.activeHost());
    }
    try {
      StoreQueryParameters<ReadOnlyKeyValueStore<String, LedgerState>> params = StoreQueryParameters
          .fromNameAndType(CreditNames.STORE, QueryableStoreTypes.keyValueStore());
      if (!unknownOwner) {
        params = params.withPartition(owner.partition());
      }
      final LedgerState state = streams.store(params).get(address);
      return new Local(state == null ? Balance.EMPTY
          : AddressLedger.of(address, state).balance(CreditAvro.micros(at)));
    } catch (InvalidStateStoreException e) {
      return new Unavailable("store not queryable: " + e.getMessage());
    }
  }
}
