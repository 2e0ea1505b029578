package dev.outlast.demo;

import dev.outlast.drill.sim.DevAccount;
import dev.outlast.drill.sim.SimulatedChain;
import java.math.BigInteger;
import java.util.List;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.utils.Numeric;

/**
 * Moves money so that the balances and nonces the demo checks change while it runs: each call sends
 * a small signed transfer from the next of the watched accounts, straight into the chain's pool.
 *
 * <p>Not thread-safe: one caller.
 */
final class Transfers {

    private static final BigInteger GAS_PRICE = BigInteger.valueOf(2_000_000_000L);
    private static final BigInteger GAS = BigInteger.valueOf(SimulatedChain.TRANSFER_GAS);
    private static final BigInteger VALUE = BigInteger.TEN.pow(15);

    private final SimulatedChain chain;
    private final List<DevAccount> senders;
    private final String recipient;
    private int next;

    Transfers(SimulatedChain chain, List<DevAccount> senders, String recipient) {
        this.chain = chain;
        this.senders = List.copyOf(senders);
        this.recipient = recipient;
    }

    /** Sends one transfer of 0.001 ether from the next sender, at its pending nonce. */
    void sendOne() {
        DevAccount from = senders.get(next);
        next = (next + 1) % senders.size();
        BigInteger nonce = chain.pendingAccount(from.address()).nonce();
        RawTransaction tx = RawTransaction.createEtherTransaction(nonce, GAS_PRICE, GAS, recipient, VALUE);
        chain.sendRawTransaction(Numeric.toHexString(
                TransactionEncoder.signMessage(tx, chain.chainId(), from.credentials())));
    }
}
