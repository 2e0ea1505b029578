package dev.outlast.drill.sim;

import org.web3j.crypto.Credentials;

/**
 * A well-known development account, funded at genesis.
 *
 * @param address    {@code 0x} and 40 lower-case hex digits
 * @param privateKey {@code 0x} and 64 hex digits; public knowledge, for test chains only
 */
public record DevAccount(String address, String privateKey) {

    /** web3j credentials to sign with this account. */
    public Credentials credentials() {
        return Credentials.create(privateKey);
    }
}
