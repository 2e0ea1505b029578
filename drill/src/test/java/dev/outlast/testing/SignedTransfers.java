package dev.outlast.testing;

import dev.outlast.drill.sim.DevAccount;
import java.math.BigInteger;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.utils.Numeric;

/** Signs plain value transfers with web3j, for tests that send raw transactions themselves. */
public final class SignedTransfers {

    /** 2 gwei: above the simulated chain's and ganache's 1 gwei base fee. */
    public static final BigInteger MAX_FEE = BigInteger.valueOf(2_000_000_000L);
    public static final BigInteger PRIORITY_FEE = BigInteger.valueOf(1_000_000_000L);

    private SignedTransfers() {
    }

    /** An EIP-1559 transfer of {@code wei} from {@code from} to {@code to}, signed, as hex. */
    public static String eip1559(long chainId, DevAccount from, String to, BigInteger wei, long nonce) {
        RawTransaction tx = RawTransaction.createEtherTransaction(chainId, BigInteger.valueOf(nonce),
                BigInteger.valueOf(21_000), to, wei, PRIORITY_FEE, MAX_FEE);
        return Numeric.toHexString(TransactionEncoder.signMessage(tx, from.credentials()));
    }

    /** A legacy (EIP-155) transfer, signed, as hex. */
    public static String legacy(long chainId, DevAccount from, String to, BigInteger wei, long nonce) {
        return legacy(chainId, from, to, wei, nonce, MAX_FEE);
    }

    /** A legacy (EIP-155) transfer at {@code gasPrice}, signed, as hex. */
    public static String legacy(long chainId, DevAccount from, String to, BigInteger wei, long nonce,
                                BigInteger gasPrice) {
        RawTransaction tx = RawTransaction.createEtherTransaction(BigInteger.valueOf(nonce), gasPrice,
                BigInteger.valueOf(21_000), to, wei);
        return Numeric.toHexString(TransactionEncoder.signMessage(tx, chainId, from.credentials()));
    }
}
