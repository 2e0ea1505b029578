package dev.outlast.drill.sim;

import java.math.BigInteger;
import java.security.SignatureException;
import java.util.Locale;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.SignedRawTransaction;
import org.web3j.crypto.TransactionDecoder;
import org.web3j.crypto.transaction.type.Transaction1559;
import org.web3j.crypto.transaction.type.Transaction2930;
import org.web3j.utils.Numeric;

/**
 * A signed transaction as the simulated chain received it. Immutable.
 *
 * @param hash           keccak-256 of the raw bytes
 * @param type           0 legacy, 1 EIP-2930, 2 EIP-1559
 * @param to             lower-case recipient, never null (contract creation is not supported)
 * @param maxFeePerGas   the gas price for legacy and 2930 transactions
 * @param maxPriorityFee null for legacy and 2930 transactions
 */
public record SimTransaction(String hash, String raw, int type, long chainId, String from, String to,
                             BigInteger nonce, BigInteger value, BigInteger gasLimit, BigInteger maxFeePerGas,
                             BigInteger maxPriorityFee, String input, String v, String r, String s) {

    /**
     * Decodes and checks the signature of {@code raw}.
     *
     * @throws RpcError {@code -32000} if it cannot be decoded, is unsigned, lacks replay protection
     *                  (EIP-155), creates a contract or has an invalid signature
     */
    public static SimTransaction decode(String raw) {
        RawTransaction decoded;
        try {
            decoded = TransactionDecoder.decode(raw);
        } catch (RuntimeException e) {
            throw new RpcError(RpcError.SERVER_ERROR, "rlp: could not decode transaction");
        }
        if (!(decoded instanceof SignedRawTransaction signed)) {
            throw new RpcError(RpcError.SERVER_ERROR, "transaction is not signed");
        }
        Long chainId = switch (decoded.getTransaction()) {
            case Transaction2930 typed -> typed.getChainId(); // also Transaction1559
            default -> signed.getChainId();
        };
        if (chainId == null) {
            throw new RpcError(RpcError.SERVER_ERROR,
                    "only replay-protected (EIP-155) transactions allowed over RPC");
        }
        String to = decoded.getTo();
        if (to == null || to.isEmpty() || to.equals("0x")) {
            throw new RpcError(RpcError.SERVER_ERROR, "contract creation is not supported by the simulated chain");
        }
        String from;
        try {
            from = signed.getFrom().toLowerCase(Locale.ROOT);
        } catch (SignatureException | RuntimeException e) {
            throw new RpcError(RpcError.SERVER_ERROR, "invalid sender");
        }
        BigInteger priority = decoded.getTransaction() instanceof Transaction1559 t ? t.getMaxPriorityFeePerGas() : null;
        BigInteger maxFee = decoded.getTransaction() instanceof Transaction1559 t ? t.getMaxFeePerGas()
                : decoded.getGasPrice();
        String data = decoded.getData() == null || decoded.getData().isEmpty() ? "0x"
                : Numeric.prependHexPrefix(decoded.getData());
        return new SimTransaction(Hash.sha3(raw.toLowerCase(Locale.ROOT)), raw, typeOf(decoded), chainId, from,
                Numeric.prependHexPrefix(to).toLowerCase(Locale.ROOT), decoded.getNonce(), decoded.getValue(),
                decoded.getGasLimit(), maxFee, priority, data,
                Numeric.toHexStringWithPrefix(Numeric.toBigInt(signed.getSignatureData().getV())),
                Numeric.toHexStringWithPrefix(Numeric.toBigInt(signed.getSignatureData().getR())),
                Numeric.toHexStringWithPrefix(Numeric.toBigInt(signed.getSignatureData().getS())));
    }

    /** The price per gas paid in a block with {@code baseFee}. */
    public BigInteger effectiveGasPrice(BigInteger baseFee) {
        return maxPriorityFee == null ? maxFeePerGas : maxFeePerGas.min(baseFee.add(maxPriorityFee));
    }

    /** The most this transaction can cost its sender: value plus gas limit at the maximum price. */
    public BigInteger maxCost() {
        return value.add(gasLimit.multiply(maxFeePerGas));
    }

    private static int typeOf(RawTransaction decoded) {
        return switch (decoded.getType()) {
            case LEGACY -> 0;
            case EIP2930 -> 1;
            case EIP1559 -> 2;
            default -> throw new RpcError(RpcError.SERVER_ERROR, "transaction type not supported: "
                    + decoded.getType());
        };
    }
}
