package aleph.pipeline.message;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

import aleph.pipeline.avro.message.ItemType;

/**
 * Item hash formats (DOMAIN 1.1): a sha256 as 64 lowercase hex digits ({@code storage}, and {@code inline}
 * where it must also equal the sha256 of {@code item_content}), or an IPFS CID: v0 {@code Qm…} (44–46
 * base58btc characters) or v1 {@code bafy…} (59 base32 characters).
 */
public final class ItemHashes {

  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern CID_V0 = Pattern.compile("Qm[1-9A-HJ-NP-Za-km-z]{42,44}");
  private static final Pattern CID_V1 = Pattern.compile("bafy[a-z2-7]{55}");

  private ItemHashes() {
  }

  /** The item type a hash implies ({@code STORAGE} for a sha256, {@code IPFS} for a CID), empty if neither. */
  public static Optional<ItemType> typeOf(final String hash) {
    if (hash == null) {
      return Optional.empty();
    }
    if (SHA256.matcher(hash).matches()) {
      return Optional.of(ItemType.STORAGE);
    }
    if (CID_V0.matcher(hash).matches() || CID_V1.matcher(hash).matches()) {
      return Optional.of(ItemType.IPFS);
    }
    return Optional.empty();
  }

  /** True when {@code hash} is a well-formed item hash of any kind. */
  public static boolean isValid(final String hash) {
    return typeOf(hash).isPresent();
  }

  /** {@code sha256(text.encode()).hexdigest()}. */
  public static String sha256Hex(final String text) {
    try {
      final MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM ships SHA-256", e);
    }
  }
}
