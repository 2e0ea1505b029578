package dev.outlast.drill.sim;

import java.util.ArrayList;
import java.util.List;
import org.web3j.crypto.Bip32ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.MnemonicUtils;
import org.web3j.utils.Numeric;

/**
 * The deterministic development accounts of ganache ({@code --wallet.deterministic}), hardhat and
 * anvil: keys derived from one public mnemonic at {@code m/44'/60'/0'/0/i}. A simulated chain and a
 * ganache cluster funded from them share addresses and keys. Thread-safe; derived once.
 */
public final class DevAccounts {

    /** The public test mnemonic of ganache's deterministic wallet. */
    public static final String MNEMONIC =
            "myth like bonus scare over problem client lizard pioneer submit female collect";

    /** How many accounts ganache funds by default. */
    public static final int DEFAULT_COUNT = 10;

    private static final List<DevAccount> DEFAULT = derive(DEFAULT_COUNT);

    private DevAccounts() {
    }

    /** The first {@link #DEFAULT_COUNT} accounts. */
    public static List<DevAccount> ganache() {
        return DEFAULT;
    }

    /** The first {@code count} accounts. */
    public static List<DevAccount> ganache(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count: " + count + " (expected: >= 0)");
        }
        return count <= DEFAULT_COUNT ? DEFAULT.subList(0, count) : derive(count);
    }

    private static List<DevAccount> derive(int count) {
        Bip32ECKeyPair master = Bip32ECKeyPair.generateKeyPair(MnemonicUtils.generateSeed(MNEMONIC, ""));
        List<DevAccount> accounts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int[] path = {44 | Bip32ECKeyPair.HARDENED_BIT, 60 | Bip32ECKeyPair.HARDENED_BIT,
                    Bip32ECKeyPair.HARDENED_BIT, 0, i};
            Bip32ECKeyPair key = Bip32ECKeyPair.deriveKeyPair(master, path);
            accounts.add(new DevAccount("0x" + Keys.getAddress(key.getPublicKey()),
                    Numeric.toHexStringWithPrefixZeroPadded(key.getPrivateKey(), 64)));
        }
        return List.copyOf(accounts);
    }
}
