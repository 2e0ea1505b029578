package dev.outlast.drill.scenario.internal;

import dev.outlast.drill.sim.AccountState;
import dev.outlast.drill.sim.SimBlock;
import dev.outlast.drill.sim.SimulatedChain;
import java.math.BigInteger;
import java.util.function.Function;

/**
 * Ground truth for the load's checks, read from the simulated chain's ledger itself.
 *
 * <p>Implementation note: an answer to a {@code latest} read is right when it was true at some block
 * of the request's window: from {@code slack} blocks before the head seen just before the request was
 * sent, to the head seen just after the answer arrived. The slack covers a gateway that serves the
 * head its upstreams agree on, which trails the chain by up to a head poll; it is kept smaller than
 * any lie or lag a scenario injects is wide (a zero balance of a funded account is true at no block;
 * a watched account's nonce is above zero before the load starts). A pending nonce is right between
 * the account's nonce at the window's first block and its pending nonce after the answer.
 *
 * <p>Thread-safe (reads the chain under its lock).
 */
public final class Ledger {

    private final SimulatedChain chain;
    private final long slack;

    public Ledger(SimulatedChain chain, long slackBlocks) {
        this.chain = chain;
        this.slack = slackBlocks;
    }

    public long head() {
        return chain.head().number();
    }

    public long chainId() {
        return chain.chainId();
    }

    /** Null if {@code value} was {@code address}'s balance in the window, else why not. */
    public String checkBalance(String address, BigInteger value, long before, long after) {
        return check("balance", address, value, before, after, AccountState::balance);
    }

    /** Null if {@code value} was {@code address}'s nonce in the window, else why not. */
    public String checkNonce(String address, BigInteger value, long before, long after) {
        return check("nonce", address, value, before, after, AccountState::nonce);
    }

    /** Null if {@code value} is a pending nonce {@code address} had in the window, else why not. */
    public String checkPendingNonce(String address, BigInteger value, long before) {
        BigInteger low = state(address, Math.max(0, before - slack)).nonce();
        BigInteger high = chain.pendingAccount(address).nonce();
        if (value.compareTo(low) >= 0 && value.compareTo(high) <= 0) {
            return null;
        }
        return "pending nonce " + value + " of " + abbreviated(address) + ", ledger " + low + ".." + high;
    }

    /** Null if {@code number} was the head at some time of the window and not below {@code lastSeen}. */
    public String checkHead(long number, long before, long after, long lastSeen) {
        if (number > after) {
            return "block number " + number + " above the ledger's head " + after;
        }
        if (number < before - slack) {
            return "block number " + number + ", ledger head " + before + ".." + after;
        }
        if (number < lastSeen) {
            return "block number " + number + " went back from " + lastSeen;
        }
        return null;
    }

    /** Null if block {@code number} has {@code hash} in the ledger and is in the window. */
    public String checkBlock(long number, String hash, long before, long after) {
        String head = checkHead(number, before, after, -1);
        if (head != null) {
            return head;
        }
        String real = chain.block(number).map(SimBlock::hash).orElse(null);
        return hash.equalsIgnoreCase(String.valueOf(real)) ? null
                : "block " + number + " hash " + abbreviated(hash) + ", ledger " + abbreviated(real);
    }

    private String check(String what, String address, BigInteger value, long before, long after,
                         Function<AccountState, BigInteger> field) {
        long from = Math.max(0, before - slack);
        for (long block = after; block >= from; block--) {
            if (field.apply(state(address, block)).equals(value)) {
                return null;
            }
        }
        return what + " " + value + " of " + abbreviated(address) + ", ledger "
                + field.apply(state(address, after)) + " at block " + after;
    }

    private AccountState state(String address, long block) {
        return chain.block(block).map(b -> b.account(address)).orElse(AccountState.EMPTY);
    }

    private static String abbreviated(String hex) {
        return hex == null || hex.length() < 12 ? String.valueOf(hex) : hex.substring(0, 8) + "…";
    }
}
