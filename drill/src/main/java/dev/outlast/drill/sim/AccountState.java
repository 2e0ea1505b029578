package dev.outlast.drill.sim;

import java.math.BigInteger;
import java.util.Objects;

/** An account's balance (wei) and nonce at one point of the chain. Immutable. */
public record AccountState(BigInteger balance, BigInteger nonce) {

    /** An account never seen: no balance, nonce 0. */
    public static final AccountState EMPTY = new AccountState(BigInteger.ZERO, BigInteger.ZERO);

    public AccountState {
        Objects.requireNonNull(balance, "balance");
        Objects.requireNonNull(nonce, "nonce");
    }

    AccountState debit(BigInteger amount) {
        return new AccountState(balance.subtract(amount), nonce.add(BigInteger.ONE));
    }

    AccountState credit(BigInteger amount) {
        return new AccountState(balance.add(amount), nonce);
    }
}
