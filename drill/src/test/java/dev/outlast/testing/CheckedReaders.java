package dev.outlast.testing;

import dev.outlast.drill.sim.DevAccount;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.EthBlockNumber;
import org.web3j.protocol.core.methods.response.EthGetBalance;
import org.web3j.protocol.core.methods.response.EthGetTransactionCount;
import org.web3j.protocol.http.HttpService;

/**
 * Readers of a wallet's screen, each on its own thread, one read after another: the balance or the
 * nonce at {@code latest} of one of two accounts, or the block number, through a web3j client. Each
 * answer is judged against the chain's history ({@link TrueState#judge}, allowed age
 * {@code maxAge}) and counted in the phase of a {@link PhaseLedger} in which the read began. A
 * wrong answer is judged again every {@link #TRUTH_CATCH_UP}, up to {@value #REJUDGE} times: the
 * gossip hands a new block to the truth node last, a moment after the nodes that answered (longer
 * while the truth node is busy with a judgement's history). A lie stays wrong. Thread-safe.
 */
public final class CheckedReaders implements AutoCloseable {

    static final Duration TRUTH_CATCH_UP = Duration.ofMillis(200);
    static final int REJUDGE = 5;

    private final Web3j client;
    private final TrueState truth;
    private final List<DevAccount> accounts;
    private final PhaseLedger ledger;
    private final Duration maxAge;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;

    public CheckedReaders(URI target, TrueState truth, List<DevAccount> accounts, PhaseLedger ledger,
                          Duration maxAge) {
        this.client = Web3j.build(new HttpService(target.toString(), true));
        this.truth = truth;
        this.accounts = List.copyOf(accounts);
        this.ledger = ledger;
        this.maxAge = maxAge;
    }

    /** Starts {@code n} readers. */
    public CheckedReaders start(int n) {
        for (int i = 0; i < n; i++) {
            threads.add(Thread.ofPlatform().name("checked-reader-" + i).start(this::loop));
        }
        return this;
    }

    private void loop() {
        while (!stopped) {
            Tally tally = ledger.current();
            String address = accounts.get(ThreadLocalRandom.current().nextInt(accounts.size())).address();
            int kind = ThreadLocalRandom.current().nextInt(3);
            long start = System.nanoTime();
            try {
                switch (kind) {
                    case 0 -> {
                        EthGetBalance res = client.ethGetBalance(address, DefaultBlockParameterName.LATEST).send();
                        judge(tally, start, res, "eth_getBalance", address, () -> res.getBalance());
                    }
                    case 1 -> {
                        EthGetTransactionCount res =
                                client.ethGetTransactionCount(address, DefaultBlockParameterName.LATEST).send();
                        judge(tally, start, res, "eth_getTransactionCount", address, res::getTransactionCount);
                    }
                    default -> {
                        EthBlockNumber res = client.ethBlockNumber().send();
                        long millis = (System.nanoTime() - start) / 1_000_000;
                        if (failed(tally, millis, res, "eth_blockNumber")) {
                            break;
                        }
                        long block = res.getBlockNumber().longValueExact();
                        TrueState.Judgement j = judged(() -> truth.judgeBlockNumber(block, start, maxAge));
                        tally.read(millis, j, "block number " + block);
                    }
                }
            } catch (IOException | RuntimeException e) {
                tally.readError((System.nanoTime() - start) / 1_000_000, e.toString());
            }
        }
    }

    private void judge(Tally tally, long start, Response<?> res, String method, String address,
                       Supplier<BigInteger> value) {
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (failed(tally, millis, res, method)) {
            return;
        }
        BigInteger v = value.get();
        TrueState.Judgement j = judged(() -> truth.judge(method, address, v, start, maxAge));
        tally.read(millis, j, method + " of " + address + " = " + v);
    }

    private static boolean failed(Tally tally, long millis, Response<?> res, String method) {
        if (!res.hasError()) {
            return false;
        }
        tally.readError(millis, method + " " + SendingWallet.error(res));
        return true;
    }

    /**
     * A judgement, made again while wrong (see the class comment); the truth node's own transient
     * failures ("header not found" for a head it just named, under load) are retried.
     */
    private static TrueState.Judgement judged(Supplier<TrueState.Judgement> judge) {
        TrueState.Judgement j = truthCheck(judge);
        for (int i = 0; i < REJUDGE && j.verdict() == TrueState.Verdict.WRONG; i++) {
            SendingWallet.pause(TRUTH_CATCH_UP);
            j = truthCheck(judge);
        }
        return j;
    }

    private static TrueState.Judgement truthCheck(Supplier<TrueState.Judgement> judge) {
        RuntimeException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                return judge.get();
            } catch (RuntimeException e) {
                last = e;
                SendingWallet.pause(Duration.ofMillis(100));
            }
        }
        throw new IllegalStateException("the truth node cannot be read: " + last, last);
    }

    @Override
    public void close() {
        stopped = true;
        for (Thread t : threads) {
            try {
                t.join(Duration.ofSeconds(20));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        client.shutdown();
    }
}
