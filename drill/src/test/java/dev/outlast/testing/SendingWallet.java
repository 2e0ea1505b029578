package dev.outlast.testing;

import dev.outlast.drill.sim.DevAccount;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.web3j.crypto.Hash;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.EthGetTransactionCount;
import org.web3j.protocol.core.methods.response.EthGetTransactionReceipt;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;

/**
 * A wallet sending one transfer after another the way ethers does: it asks
 * {@code eth_getTransactionCount(sender, "pending")}, signs a transfer with that nonce, sends it with
 * {@code eth_sendRawTransaction}, and polls {@code eth_getTransactionReceipt} until it is mined;
 * then the next. A transfer has failed when any of these answers an error, when its receipt says it
 * reverted, or when it is not mined within {@link #MINED_TIMEOUT} (a nonce too high waits forever).
 * Each transfer counts in the phase of a {@link PhaseLedger} in which it began. Runs on its own
 * thread from {@link #start} to {@link #close}; thread-safe.
 */
public final class SendingWallet implements AutoCloseable {

    public static final Duration MINED_TIMEOUT = Duration.ofSeconds(30);
    static final Duration RECEIPT_POLL = Duration.ofMillis(100);
    static final BigInteger GAS_PRICE = BigInteger.valueOf(20_000_000_000L);
    static final BigInteger AMOUNT = BigInteger.valueOf(1_000_000_000_000L);

    private final Web3j client;
    private final TrueState truth;
    private final DevAccount from;
    private final String to;
    private final long chainId;
    private final PhaseLedger ledger;
    private volatile boolean stopped;
    private Thread thread;

    public SendingWallet(URI target, TrueState truth, DevAccount from, String to, long chainId, PhaseLedger ledger) {
        this.client = Web3j.build(new HttpService(target.toString(), true));
        this.truth = truth;
        this.from = from;
        this.to = to;
        this.chainId = chainId;
        this.ledger = ledger;
    }

    public SendingWallet start() {
        thread = Thread.ofPlatform().name("sending-wallet").start(this::loop);
        return this;
    }

    private void loop() {
        while (!stopped) {
            Tally tally = ledger.current();
            long start = System.nanoTime();
            String failure = transferOnce();
            if (failure == null) {
                tally.sent((System.nanoTime() - start) / 1_000_000);
            } else {
                tally.failedSend(failure);
                pause(RECEIPT_POLL.multipliedBy(2));
            }
        }
    }

    /** One transfer, from the pending nonce to its receipt; null when it was mined, else why it failed. */
    private String transferOnce() {
        try {
            EthGetTransactionCount count = client.ethGetTransactionCount(from.address(),
                    DefaultBlockParameterName.PENDING).send();
            if (count.hasError()) {
                return "eth_getTransactionCount(pending): " + error(count);
            }
            BigInteger nonce = count.getTransactionCount();
            String raw = SignedTransfers.legacy(chainId, from, to, AMOUNT, nonce.longValueExact(), GAS_PRICE);
            EthSendTransaction sent = client.ethSendRawTransaction(raw).send();
            if (sent.hasError()) {
                return "eth_sendRawTransaction with nonce " + nonce + " (" + trueNonce() + "): " + error(sent);
            }
            String hash = Hash.sha3(raw);
            if (!hash.equalsIgnoreCase(sent.getTransactionHash())) {
                return "eth_sendRawTransaction answered " + sent.getTransactionHash() + " for " + hash;
            }
            return awaitMined(hash, nonce);
        } catch (IOException | RuntimeException e) {
            return "transport: " + e;
        }
    }

    private String awaitMined(String hash, BigInteger nonce) throws IOException {
        long deadline = System.nanoTime() + MINED_TIMEOUT.toNanos();
        String lastError = "";
        while (System.nanoTime() - deadline < 0) {
            EthGetTransactionReceipt res = client.ethGetTransactionReceipt(hash).send();
            if (res.hasError()) {
                lastError = "; last receipt error: " + error(res);
            } else {
                Optional<TransactionReceipt> receipt = res.getTransactionReceipt();
                if (receipt.isPresent()) {
                    return receipt.get().isStatusOK() ? null : "transfer " + hash + " reverted";
                }
            }
            pause(RECEIPT_POLL);
        }
        return "transfer with nonce " + nonce + " not mined within " + MINED_TIMEOUT.toSeconds() + " s ("
                + trueNonce() + ")" + lastError;
    }

    private String trueNonce() {
        try {
            long head = truth.head();
            return "true latest nonce " + truth.nonces(from.address(), head, head);
        } catch (RuntimeException e) {
            return "true nonce unknown: " + e.getMessage();
        }
    }

    /** A JSON-RPC error as the samples show it: code, message and data. */
    static String error(Response<?> res) {
        return res.getError().getCode() + " " + res.getError().getMessage()
                + (res.getError().getData() == null ? "" : " " + res.getError().getData());
    }

    /** Waits {@code d} (a load's own pacing, not an outcome it waits for). */
    static void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops after the transfer in flight, waiting for it at most {@link #MINED_TIMEOUT} and a little more. */
    @Override
    public void close() {
        stopped = true;
        if (thread != null) {
            try {
                thread.join(MINED_TIMEOUT.plusSeconds(15));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        client.shutdown();
    }
}
