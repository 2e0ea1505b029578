package dev.outlast.drill.scenario.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlast.drill.sim.DevAccount;
import dev.outlast.drill.sim.SimulatedChain;
import java.math.BigInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.utils.Numeric;

/** The truth the drill judges answers by: the simulated chain's ledger over a request's window. */
class LedgerTest {

    private final SimulatedChain chain = SimulatedChain.start();
    private final DevAccount sender = chain.accounts().get(0);
    private final Ledger ledger = new Ledger(chain, 2);

    @AfterEach
    void close() {
        chain.close();
    }

    @Test
    void aBalanceIsRightIfTheAccountHadItAtSomeBlockOfTheWindow() {
        BigInteger genesis = chain.head().account(sender.address()).balance();
        transfer();
        chain.mine(); // block 1: the balance went down
        chain.mine();
        chain.mine(); // head 3
        BigInteger now = chain.head().account(sender.address()).balance();

        assertThat(ledger.checkBalance(sender.address(), now, 3, 3)).isNull();
        assertThat(ledger.checkBalance(sender.address(), genesis, 2, 3)).as("block 0 is within 2 of 2").isNull();
        assertThat(ledger.checkBalance(sender.address(), genesis, 3, 3)).as("block 0 is 3 behind")
                .isEqualTo("balance " + genesis + " of 0x90f8bf…, ledger " + now + " at block 3");
        assertThat(ledger.checkBalance(sender.address(), BigInteger.ZERO, 0, 3)).startsWith("balance 0 of ");
    }

    @Test
    void aZeroNonceIsWrongOnceTheAccountHasSent() {
        transfer();
        chain.mine();
        chain.mine();
        chain.mine();

        assertThat(ledger.checkNonce(sender.address(), BigInteger.ONE, 3, 3)).isNull();
        assertThat(ledger.checkNonce(sender.address(), BigInteger.ZERO, 3, 3)).startsWith("nonce 0 of ");
    }

    @Test
    void aPendingNonceIsRightBetweenTheWindowsFirstBlockAndThePool() {
        chain.mine();
        chain.mine();
        transfer(); // pending: nonce 1 in the pool, 0 in every block

        assertThat(ledger.checkPendingNonce(sender.address(), BigInteger.ZERO, 2)).isNull();
        assertThat(ledger.checkPendingNonce(sender.address(), BigInteger.ONE, 2)).isNull();
        assertThat(ledger.checkPendingNonce(sender.address(), BigInteger.TWO, 2))
                .isEqualTo("pending nonce 2 of 0x90f8bf…, ledger 0..1");
    }

    @Test
    void aBlockNumberMustBeInTheWindowAndNeverGoBack() {
        for (int i = 0; i < 10; i++) {
            chain.mine();
        }

        assertThat(ledger.checkHead(9, 10, 10, 8)).isNull();
        assertThat(ledger.checkHead(11, 10, 10, -1)).isEqualTo("block number 11 above the ledger's head 10");
        assertThat(ledger.checkHead(7, 10, 10, -1)).isEqualTo("block number 7, ledger head 10..10");
        assertThat(ledger.checkHead(9, 10, 10, 10)).isEqualTo("block number 9 went back from 10");
    }

    @Test
    void aBlockMustCarryTheLedgersHash() {
        chain.mine();
        String hash = chain.block(1).orElseThrow().hash();

        assertThat(ledger.checkBlock(1, hash.toUpperCase().replace("0X", "0x"), 1, 1)).isNull();
        assertThat(ledger.checkBlock(1, chain.block(0).orElseThrow().hash(), 1, 1)).startsWith("block 1 hash ");
    }

    private void transfer() {
        BigInteger nonce = chain.pendingAccount(sender.address()).nonce();
        RawTransaction tx = RawTransaction.createEtherTransaction(nonce, BigInteger.valueOf(2_000_000_000L),
                BigInteger.valueOf(SimulatedChain.TRANSFER_GAS), chain.accounts().get(1).address(),
                BigInteger.TEN.pow(15));
        chain.sendRawTransaction(Numeric.toHexString(TransactionEncoder.signMessage(tx, chain.chainId(),
                sender.credentials())));
    }
}
