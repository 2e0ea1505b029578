package dev.outlast.routing.nonce;

import java.math.BigInteger;
import java.security.SignatureException;
import java.util.Locale;
import java.util.Optional;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.SignedRawTransaction;
import org.web3j.crypto.TransactionDecoder;

/**
 * What Outlast reads from a signed raw transaction: its hash, its sender (recovered from the
 * signature, lower-case hex) and its nonce.
 */
public record SignedTx(String hash, String sender, long nonce) {

    /** Decodes {@code raw} (0x-prefixed hex); empty when it is not a signed transaction web3j can read. */
    public static Optional<SignedTx> decode(String raw) {
        try {
            RawTransaction tx = TransactionDecoder.decode(raw);
            if (!(tx instanceof SignedRawTransaction signed) || tx.getNonce() == null
                    || tx.getNonce().compareTo(BigInteger.valueOf(Long.MAX_VALUE)) > 0) {
                return Optional.empty();
            }
            return Optional.of(new SignedTx(Hash.sha3(raw).toLowerCase(Locale.ROOT),
                    signed.getFrom().toLowerCase(Locale.ROOT), tx.getNonce().longValueExact()));
        } catch (SignatureException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
