package dev.outlast.testing;

import dev.outlast.drill.sim.DevAccount;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.EthBlockNumber;
import org.web3j.protocol.core.methods.response.EthGetBalance;
import org.web3j.protocol.core.methods.response.EthGetTransactionCount;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * A wallet-like load for one phase: readers asking balances, nonces and block numbers, and a
 * transfer every half second, through a real web3j client. Every answer is checked against the
 * chain's true state read directly from an unfaulted node.
 *
 * <p>An answer is <em>right</em> when it equals the true value at some block from the older of
 * three blocks before the true head seen just before the request and the true head
 * {@link #FRESH_FOR} before it (the default {@code maxStaleness} and two head polls: a gateway
 * may serve the head it has confirmed while another upstream's newer block is proven) up to the
 * true head seen just after it, and a block number is right when
 * it is not above the true head and not below the last block number this reader was given. The
 * truth node may reach a block up to {@link #TRUTH_CATCH_UP} after another node showed it; a value
 * of such a block is right once the truth node has it. An
 * error is any JSON-RPC error or transport failure the client sees.
 */
public final class WalletLoad {

    /** How long a value ahead of the truth node is given for the truth node to reach its block. */
    static final java.time.Duration TRUTH_CATCH_UP = java.time.Duration.ofSeconds(2);

    /** Figures of one run of the load. */
    public record Stats(String phase, long requests, long errors, long wrong, long p50Millis, long p99Millis,
                        long maxMillis, List<String> samples) {

        public String row() {
            return String.format(Locale.ROOT, "%-28s %8d %7d %6d %7d %7d %7d", phase, requests, errors, wrong,
                    p50Millis, p99Millis, maxMillis);
        }

        public static String header() {
            return String.format(Locale.ROOT, "%-28s %8s %7s %6s %7s %7s %7s", "phase", "requests", "errors", "wrong",
                    "p50 ms", "p99 ms", "max ms");
        }
    }

    private static final long STALE_BLOCKS = 3;
    /** How old a head may be served: the default {@code maxStaleness}, 2 s, and two 250 ms head polls. */
    static final Duration FRESH_FOR = Duration.ofMillis(2500);
    private final Web3j client;
    private final TrueState truth;
    private final List<DevAccount> accounts;
    private final long chainId;

    /** Judges by {@code truth}, which must {@linkplain TrueState#recordAppearances() record appearances}. */
    public WalletLoad(URI target, TrueState truth, List<DevAccount> accounts, long chainId) {
        this.client = Web3j.build(new HttpService(target.toString(), true));
        this.truth = truth;
        this.accounts = accounts;
        this.chainId = chainId;
    }

    /** Runs {@code readers} readers and a transfer every 500 ms for {@code duration}. */
    public Stats run(String phase, int readers, Duration duration) {
        return run(phase, readers, duration, true);
    }

    /** Runs {@code readers} readers, and a transfer every 500 ms when {@code transfers}, for {@code duration}. */
    public Stats run(String phase, int readers, Duration duration, boolean transfers) {
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        List<String> samples = Collections.synchronizedList(new ArrayList<>());
        AtomicLong errors = new AtomicLong();
        AtomicLong wrong = new AtomicLong();
        long end = System.nanoTime() + duration.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(readers + 1);
        for (int r = 0; r < readers; r++) {
            pool.execute(() -> {
                long lastBlock = -1;
                while (System.nanoTime() < end) {
                    lastBlock = readOnce(lastBlock, latencies, errors, wrong, samples);
                }
            });
        }
        pool.execute(() -> {
            while (transfers && System.nanoTime() < end) {
                long next = System.nanoTime() + 500_000_000L;
                transferOnce(latencies, errors, samples);
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    sleepNanos(Math.min(wait, Math.max(0, end - System.nanoTime())));
                }
            }
        });
        pool.shutdown();
        try {
            if (!pool.awaitTermination(duration.toSeconds() + 60, TimeUnit.SECONDS)) {
                pool.shutdownNow();
                throw new AssertionError("load did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        return new Stats(phase, sorted.size(), errors.get(), wrong.get(), percentile(sorted, 0.50),
                percentile(sorted, 0.99), sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1), List.copyOf(samples));
    }

    private static void sleepNanos(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long percentile(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }

    private long readOnce(long lastBlock, List<Long> latencies, AtomicLong errors, AtomicLong wrong,
                          List<String> samples) {
        String address = accounts.get(ThreadLocalRandom.current().nextInt(2)).address();
        int kind = ThreadLocalRandom.current().nextInt(3);
        long start = System.nanoTime();
        long before = truth.head();
        long oldest = Math.max(0, Math.min(before - STALE_BLOCKS, truth.headAt(start - FRESH_FOR.toNanos())));
        try {
            switch (kind) {
                case 0 -> {
                    EthGetBalance res = client.ethGetBalance(address, DefaultBlockParameterName.LATEST).send();
                    latencies.add((System.nanoTime() - start) / 1_000_000);
                    if (failed(res, errors, samples, "eth_getBalance")) {
                        return lastBlock;
                    }
                    if (!valid(() -> truth.isValidBalance(address, res.getBalance(), oldest, truth.head()))) {
                        long after = truth.head();
                        wrong.incrementAndGet();
                        note(samples, "wrong balance " + res.getBalance() + " for " + address + " blocks " + oldest + ".." + after);
                    }
                }
                case 1 -> {
                    EthGetTransactionCount res =
                            client.ethGetTransactionCount(address, DefaultBlockParameterName.LATEST).send();
                    latencies.add((System.nanoTime() - start) / 1_000_000);
                    if (failed(res, errors, samples, "eth_getTransactionCount")) {
                        return lastBlock;
                    }
                    if (!valid(() -> truth.isValidNonce(address, res.getTransactionCount(), oldest,
                            truth.head()))) {
                        wrong.incrementAndGet();
                        note(samples, "wrong nonce " + res.getTransactionCount() + " for " + address + " blocks " + oldest
                                + ".." + truth.head());
                    }
                }
                default -> {
                    EthBlockNumber res = client.ethBlockNumber().send();
                    latencies.add((System.nanoTime() - start) / 1_000_000);
                    if (failed(res, errors, samples, "eth_blockNumber")) {
                        return lastBlock;
                    }
                    long block = res.getBlockNumber().longValueExact();
                    long last = lastBlock;
                    if (!valid(() -> block <= truth.head() && block >= last)) {
                        long after = truth.head();
                        wrong.incrementAndGet();
                        note(samples, "wrong block number " + block + " (last seen " + lastBlock + ", true head " + after + ")");
                    }
                    return Math.max(lastBlock, block);
                }
            }
        } catch (IOException | RuntimeException e) {
            latencies.add((System.nanoTime() - start) / 1_000_000);
            errors.incrementAndGet();
            note(samples, "error: " + e);
        }
        return lastBlock;
    }

    /**
     * Checks an answer against the truth node; a failed check is repeated every 100 ms for up to
     * {@link #TRUTH_CATCH_UP}, because the truth node may receive a block later than the node that
     * answered: the nodes gossip transactions through their proxies, each mining its own copy, and a
     * served head may follow the first node that shows a block linked to it. A wrong value (a lie)
     * matches no block, however long one waits.
     */
    private static boolean valid(java.util.function.BooleanSupplier check) {
        long until = System.nanoTime() + TRUTH_CATCH_UP.toNanos();
        while (!truthCheck(check)) {
            if (System.nanoTime() > until) {
                return false;
            }
            sleepNanos(100_000_000L);
        }
        return true;
    }

    /**
     * Runs a check against the truth node. Under load ganache may report a head whose state it
     * has not stored yet ("header not found" for a block it just named); that is the checker's
     * problem, not an answer of the gateway's, so it is retried rather than counted.
     */
    private static boolean truthCheck(java.util.function.BooleanSupplier check) {
        RuntimeException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                return check.getAsBoolean();
            } catch (RuntimeException e) {
                last = e;
                sleepNanos(100_000_000L);
            }
        }
        throw new IllegalStateException("the truth node cannot be read: " + last, last);
    }

    private void transferOnce(List<Long> latencies, AtomicLong errors, List<String> samples) {
        DevAccount from = accounts.get(0);
        long start = System.nanoTime();
        try {
            EthGetTransactionCount nonce =
                    client.ethGetTransactionCount(from.address(), DefaultBlockParameterName.PENDING).send();
            if (failed(nonce, errors, samples, "eth_getTransactionCount(pending)")) {
                latencies.add((System.nanoTime() - start) / 1_000_000);
                return;
            }
            RawTransaction tx = RawTransaction.createEtherTransaction(nonce.getTransactionCount(),
                    BigInteger.valueOf(20_000_000_000L), BigInteger.valueOf(21_000), accounts.get(1).address(),
                    BigInteger.valueOf(1_000_000_000_000L));
            String raw = Numeric.toHexString(TransactionEncoder.signMessage(tx, chainId, from.credentials()));
            EthSendTransaction sent = client.ethSendRawTransaction(raw).send();
            latencies.add((System.nanoTime() - start) / 1_000_000);
            failed(sent, errors, samples, "eth_sendRawTransaction (nonce " + nonce.getTransactionCount()
                    + " from " + nonce.getRawResponse() + ", true nonce " + truth.nonces(from.address(),
                    truth.head(), truth.head()) + ")");
        } catch (IOException | RuntimeException e) {
            latencies.add((System.nanoTime() - start) / 1_000_000);
            errors.incrementAndGet();
            note(samples, "transfer error: " + e);
        }
    }

    private static boolean failed(Response<?> res, AtomicLong errors, List<String> samples, String method) {
        if (res.hasError()) {
            errors.incrementAndGet();
            note(samples, method + " error " + res.getError().getCode() + " " + res.getError().getMessage()
                    + (res.getError().getData() == null ? "" : " " + res.getError().getData()));
            return true;
        }
        return false;
    }

    private static void note(List<String> samples, String text) {
        if (samples.size() < 20) {
            samples.add(text);
        }
    }

    public void close() {
        client.shutdown();
    }
}
