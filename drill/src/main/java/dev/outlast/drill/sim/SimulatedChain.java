package dev.outlast.drill.sim;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process EVM-like chain: one ledger of accounts (balance, nonce) and blocks, served by any
 * number of {@link SimulatedProvider}s that therefore always agree.
 *
 * <p>Implementation note: value transfers only, at {@value #TRANSFER_GAS} gas each, with a constant
 * base fee (no EIP-1559 dynamics); fees are burnt. A signed transaction is checked against the
 * <em>pending</em> state (head state plus transactions waiting for the next block) and joins the next
 * block; nonces must follow each other exactly (no queue of future nonces). Every block keeps a copy
 * of the whole state after it, so historical queries are exact; memory grows with blocks times
 * accounts, which is fine for a test chain. Blocks come every {@code blockInterval} or on
 * {@link #mine()}; timestamps come from the injected {@link Clock}, strictly increasing.
 *
 * <p>Thread-safe: every ledger operation holds the chain's lock briefly (no I/O under it).
 */
public final class SimulatedChain implements AutoCloseable {

    public static final long DEFAULT_CHAIN_ID = 1337;
    /** 1000 ether, like ganache. */
    public static final BigInteger DEFAULT_BALANCE = BigInteger.TEN.pow(21);
    /** 1 gwei. */
    public static final BigInteger DEFAULT_BASE_FEE = BigInteger.valueOf(1_000_000_000L);
    public static final BigInteger DEFAULT_GAS_LIMIT = BigInteger.valueOf(30_000_000L);
    /** How far {@code safe} and {@code finalized} are behind the head. */
    public static final int DEFAULT_FINALITY_DEPTH = 2;
    public static final long TRANSFER_GAS = 21_000;

    /** Where a mined transaction is. */
    public record Inclusion(long blockNumber, String blockHash, int index, BigInteger effectiveGasPrice,
                            BigInteger cumulativeGasUsed) {
    }

    private static final Logger log = LoggerFactory.getLogger(SimulatedChain.class);

    private final long chainId;
    private final Clock clock;
    private final BigInteger baseFee;
    private final BigInteger gasLimit;
    private final int finalityDepth;
    private final List<DevAccount> accounts;
    private final List<SimBlock> blocks = new ArrayList<>();
    private final Map<String, SimBlock> blocksByHash = new HashMap<>();
    private final Map<String, SimTransaction> transactions = new HashMap<>();
    private final Map<String, Inclusion> inclusions = new HashMap<>();
    private final List<SimTransaction> pending = new ArrayList<>();
    private final Map<String, AccountState> pendingState = new HashMap<>();
    private final List<SimulatedProvider> providers = new CopyOnWriteArrayList<>();
    private final List<java.util.function.Consumer<SimBlock>> blockListeners = new CopyOnWriteArrayList<>();
    private final List<java.util.function.Consumer<String>> pendingListeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService miner;

    private SimulatedChain(Builder b) {
        this.chainId = b.chainId;
        this.clock = b.clock;
        this.baseFee = b.baseFee;
        this.gasLimit = b.gasLimit;
        this.finalityDepth = b.finalityDepth;
        this.accounts = List.copyOf(b.accounts);
        Map<String, AccountState> genesis = new HashMap<>();
        accounts.forEach(a -> genesis.put(a.address(), new AccountState(b.balance, BigInteger.ZERO)));
        Instant genesisTime = b.genesisTime != null ? b.genesisTime : clock.instant();
        append(SimBlock.of(chainId, 0, SimBlock.ZERO_HASH, genesisTime.getEpochSecond(), baseFee, gasLimit,
                BigInteger.ZERO, List.of(), genesis));
        if (b.blockInterval != null) {
            miner = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                    .name("simulated-chain-" + chainId + "-miner").unstarted(r));
            long millis = b.blockInterval.toMillis();
            miner.scheduleAtFixedRate(this::mineQuietly, millis, millis, TimeUnit.MILLISECONDS);
        } else {
            miner = null;
        }
    }

    /** A builder with the defaults: chain 1337, the 10 ganache accounts with 1000 ether, manual mining. */
    public static Builder builder() {
        return new Builder();
    }

    /** A chain with every default: blocks only on {@link #mine()}. */
    public static SimulatedChain start() {
        return builder().build();
    }

    public long chainId() {
        return chainId;
    }

    /** The accounts funded at genesis, with their private keys. */
    public List<DevAccount> accounts() {
        return accounts;
    }

    public BigInteger baseFee() {
        return baseFee;
    }

    /** Starts one more JSON-RPC face of this chain on a free port; closed with the chain. */
    public SimulatedProvider startProvider() {
        SimulatedProvider provider = SimulatedProvider.start(this, 0);
        providers.add(provider);
        return provider;
    }

    public synchronized SimBlock head() {
        return blocks.getLast();
    }

    public synchronized Optional<SimBlock> block(long number) {
        return number >= 0 && number < blocks.size() ? Optional.of(blocks.get((int) number)) : Optional.empty();
    }

    public synchronized Optional<SimBlock> blockByHash(String hash) {
        return Optional.ofNullable(blocksByHash.get(hash.toLowerCase(Locale.ROOT)));
    }

    /** The number of the newest block considered final (and safe): {@link Builder#finalityDepth} behind the head. */
    public synchronized long finalizedNumber() {
        return Math.max(0, blocks.size() - 1 - finalityDepth);
    }

    /** The state of {@code address} including transactions waiting for the next block. */
    public synchronized AccountState pendingAccount(String address) {
        String a = address.toLowerCase(Locale.ROOT);
        return pendingState.getOrDefault(a, head().account(a));
    }

    /** Transactions waiting for the next block, in arrival order. */
    public synchronized List<SimTransaction> pendingTransactions() {
        return List.copyOf(pending);
    }

    public synchronized Optional<SimTransaction> transaction(String hash) {
        return Optional.ofNullable(transactions.get(hash.toLowerCase(Locale.ROOT)));
    }

    /** Where the transaction {@code hash} was mined; empty while pending or unknown. */
    public synchronized Optional<Inclusion> inclusion(String hash) {
        return Optional.ofNullable(inclusions.get(hash.toLowerCase(Locale.ROOT)));
    }

    /**
     * Accepts a signed raw transaction for the next block.
     *
     * @return its hash, keccak-256 of the raw bytes
     * @throws RpcError {@code -32000} with geth's wording if it is invalid for the pending state
     */
    public String sendRawTransaction(String raw) {
        SimTransaction tx = SimTransaction.decode(raw); // signature recovery outside the lock
        synchronized (this) {
            if (tx.chainId() != chainId) {
                throw new RpcError(RpcError.SERVER_ERROR, "invalid chain id for signer: have " + tx.chainId()
                        + " want " + chainId);
            }
            if (transactions.containsKey(tx.hash())) {
                throw new RpcError(RpcError.SERVER_ERROR, "already known");
            }
            if (tx.gasLimit().compareTo(BigInteger.valueOf(TRANSFER_GAS)) < 0) {
                throw new RpcError(RpcError.SERVER_ERROR, "intrinsic gas too low: gas " + tx.gasLimit()
                        + ", minimum needed " + TRANSFER_GAS);
            }
            if (tx.maxFeePerGas().compareTo(baseFee) < 0) {
                throw new RpcError(RpcError.SERVER_ERROR, "max fee per gas less than block base fee: maxFeePerGas: "
                        + tx.maxFeePerGas() + ", baseFee: " + baseFee);
            }
            AccountState sender = pendingAccount(tx.from());
            int order = tx.nonce().compareTo(sender.nonce());
            if (order != 0) {
                throw new RpcError(RpcError.SERVER_ERROR, (order < 0 ? "nonce too low" : "nonce too high")
                        + ": address " + tx.from() + ", tx: " + tx.nonce() + " state: " + sender.nonce());
            }
            if (sender.balance().compareTo(tx.maxCost()) < 0) {
                throw new RpcError(RpcError.SERVER_ERROR, "insufficient funds for gas * price + value: address "
                        + tx.from() + " have " + sender.balance() + " want " + tx.maxCost());
            }
            apply(tx, pendingState, h -> pendingAccount(h));
            transactions.put(tx.hash(), tx);
            pending.add(tx);
            pendingListeners.forEach(l -> l.accept(tx.hash()));
            return tx.hash();
        }
    }

    /** Produces the next block with every pending transaction, and returns it. */
    public synchronized SimBlock mine() {
        SimBlock parent = head();
        Map<String, AccountState> state = new HashMap<>(parent.state());
        List<String> hashes = new ArrayList<>();
        for (SimTransaction tx : pending) {
            apply(tx, state, a -> state.getOrDefault(a, AccountState.EMPTY));
            hashes.add(tx.hash());
        }
        long timestamp = Math.max(clock.instant().getEpochSecond(), parent.timestamp() + 1);
        BigInteger gasUsed = BigInteger.valueOf(TRANSFER_GAS * hashes.size());
        SimBlock block = SimBlock.of(chainId, parent.number() + 1, parent.hash(), timestamp, baseFee, gasLimit,
                gasUsed, hashes, state);
        for (int i = 0; i < pending.size(); i++) {
            SimTransaction tx = pending.get(i);
            inclusions.put(tx.hash(), new Inclusion(block.number(), block.hash(), i,
                    tx.effectiveGasPrice(baseFee), BigInteger.valueOf(TRANSFER_GAS * (i + 1))));
        }
        pending.clear();
        pendingState.clear();
        append(block);
        blockListeners.forEach(l -> l.accept(block));
        return block;
    }

    /** Runs {@code listener} with each new block, under the chain's lock: it must not block or call back. */
    public void onBlock(java.util.function.Consumer<SimBlock> listener) {
        blockListeners.add(listener);
    }

    /** Runs {@code listener} with the hash of each transaction accepted into the pool, as {@link #onBlock}. */
    public void onPending(java.util.function.Consumer<String> listener) {
        pendingListeners.add(listener);
    }

    /** Stops block production and every provider started with {@link #startProvider()}. */
    @Override
    public void close() {
        if (miner != null) {
            miner.shutdownNow();
        }
        providers.forEach(SimulatedProvider::close);
    }

    private void apply(SimTransaction tx, Map<String, AccountState> state,
                       java.util.function.Function<String, AccountState> current) {
        BigInteger fee = BigInteger.valueOf(TRANSFER_GAS).multiply(tx.effectiveGasPrice(baseFee));
        state.put(tx.from(), current.apply(tx.from()).debit(tx.value().add(fee)));
        state.put(tx.to(), current.apply(tx.to()).credit(tx.value()));
    }

    private void append(SimBlock block) {
        blocks.add(block);
        blocksByHash.put(block.hash(), block);
    }

    private void mineQuietly() {
        try {
            mine();
        } catch (RuntimeException e) {
            log.error("simulated chain {}: mining failed", chainId, e);
        }
    }

    /** Configures a {@link SimulatedChain}; validates each value at once. Not thread-safe. */
    public static final class Builder {
        private long chainId = DEFAULT_CHAIN_ID;
        private Duration blockInterval;
        private Clock clock = Clock.systemUTC();
        private Instant genesisTime;
        private List<DevAccount> accounts = DevAccounts.ganache();
        private BigInteger balance = DEFAULT_BALANCE;
        private BigInteger baseFee = DEFAULT_BASE_FEE;
        private BigInteger gasLimit = DEFAULT_GAS_LIMIT;
        private int finalityDepth = DEFAULT_FINALITY_DEPTH;

        private Builder() {
        }

        public Builder chainId(long chainId) {
            if (chainId <= 0) {
                throw new IllegalArgumentException("chainId: " + chainId + " (expected: >= 1)");
            }
            this.chainId = chainId;
            return this;
        }

        /** Produce a block every {@code interval}; null (the default) for {@link #mine()} only. */
        public Builder blockInterval(Duration interval) {
            if (interval != null && interval.toMillis() < 1) {
                throw new IllegalArgumentException("blockInterval: " + interval + " (expected: >= 1ms)");
            }
            this.blockInterval = interval;
            return this;
        }

        /** The clock block timestamps come from; default the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The genesis block's timestamp; default the clock's time at build. */
        public Builder genesisTime(Instant genesisTime) {
            this.genesisTime = genesisTime;
            return this;
        }

        /** The accounts funded at genesis; default the 10 ganache accounts. */
        public Builder accounts(List<DevAccount> accounts) {
            this.accounts = List.copyOf(accounts);
            return this;
        }

        /** Each funded account's balance in wei; default 1000 ether. */
        public Builder balance(BigInteger wei) {
            if (wei.signum() < 0) {
                throw new IllegalArgumentException("balance: " + wei + " (expected: >= 0)");
            }
            this.balance = wei;
            return this;
        }

        public Builder baseFee(BigInteger wei) {
            if (wei.signum() < 0) {
                throw new IllegalArgumentException("baseFee: " + wei + " (expected: >= 0)");
            }
            this.baseFee = wei;
            return this;
        }

        public Builder finalityDepth(int blocks) {
            if (blocks < 0) {
                throw new IllegalArgumentException("finalityDepth: " + blocks + " (expected: >= 0)");
            }
            this.finalityDepth = blocks;
            return this;
        }

        public SimulatedChain build() {
            return new SimulatedChain(this);
        }
    }
}
