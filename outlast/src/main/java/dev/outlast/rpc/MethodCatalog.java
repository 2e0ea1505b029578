package dev.outlast.rpc;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How each Ethereum JSON-RPC method is routed: which positional parameter is a block (so it can be
 * pinned), whether Outlast answers it itself, broadcasts it, or refuses it.
 *
 * <p>Methods not listed are routed as plain reads with failover. Consensus is not decided here but
 * by the chain's configuration, since it is a policy.
 *
 * <p>Thread-safe (immutable).
 */
public final class MethodCatalog {

    /** How a method is served. */
    public enum Kind {
        /** Answered by Outlast from verified state ({@code eth_chainId}). */
        CHAIN_ID,
        /** Answered from the tracked, never-decreasing head ({@code eth_blockNumber}). */
        HEAD,
        /** Sent to one upstream (or several when consensus applies), with failover. */
        READ,
        /** Sent to every usable upstream; succeeds when one accepts. */
        BROADCAST,
        /** Refused with {@code method_not_allowed}. */
        DENIED
    }

    /**
     * What the catalog knows about one method.
     *
     * @param blockParam index of the block parameter, or -1 when the method takes none
     * @param why        for {@link Kind#DENIED}: why the method cannot be served through a gateway
     */
    public record Method(String name, Kind kind, int blockParam, String why) {

        public boolean takesBlock() {
            return blockParam >= 0;
        }
    }

    private static final Map<String, Integer> BLOCK_PARAM = Map.ofEntries(
            Map.entry("eth_getBalance", 1),
            Map.entry("eth_getTransactionCount", 1),
            Map.entry("eth_getCode", 1),
            Map.entry("eth_getStorageAt", 2),
            Map.entry("eth_call", 1),
            Map.entry("eth_estimateGas", 1),
            Map.entry("eth_createAccessList", 1),
            Map.entry("eth_getProof", 2),
            Map.entry("eth_getBlockByNumber", 0),
            Map.entry("eth_getBlockTransactionCountByNumber", 0),
            Map.entry("eth_getUncleCountByBlockNumber", 0),
            Map.entry("eth_getTransactionByBlockNumberAndIndex", 0),
            Map.entry("eth_getUncleByBlockNumberAndIndex", 0),
            Map.entry("eth_getBlockReceipts", 0),
            Map.entry("eth_feeHistory", 1));

    private static final Map<String, String> DENIED_EXACT = Map.ofEntries(
            Map.entry("eth_sendTransaction", "signs with a key held by the node; send a signed transaction with eth_sendRawTransaction"),
            Map.entry("eth_sign", "signs with a key held by the node"),
            Map.entry("eth_signTransaction", "signs with a key held by the node"),
            Map.entry("eth_signTypedData", "signs with a key held by the node"),
            Map.entry("eth_signTypedData_v3", "signs with a key held by the node"),
            Map.entry("eth_signTypedData_v4", "signs with a key held by the node"),
            Map.entry("eth_accounts", "node accounts differ between providers"),
            Map.entry("eth_newFilter", "filters live on one node; use eth_getLogs"),
            Map.entry("eth_newBlockFilter", "filters live on one node; poll eth_blockNumber"),
            Map.entry("eth_newPendingTransactionFilter", "filters live on one node"),
            Map.entry("eth_getFilterChanges", "filters live on one node; use eth_getLogs"),
            Map.entry("eth_getFilterLogs", "filters live on one node; use eth_getLogs"),
            Map.entry("eth_uninstallFilter", "filters live on one node"),
            Map.entry("eth_subscribe", "subscriptions need a WebSocket connection"),
            Map.entry("eth_unsubscribe", "subscriptions need a WebSocket connection"));

    private static final Map<String, String> DENIED_PREFIX = Map.of(
            "personal_", "manages keys held by the node",
            "admin_", "administers the node",
            "miner_", "administers the node",
            "engine_", "consensus-layer API of the node",
            "evm_", "test-node control",
            "clique_", "administers the node");

    private static final Set<String> DEBUG_ALLOWED_PREFIXES = Set.of("debug_trace", "debug_getRaw");

    private final Map<String, Method> cache = new HashMap<>();
    private final Set<String> configuredDenies;

    /** A catalog that also refuses {@code configuredDenies}. */
    public MethodCatalog(Set<String> configuredDenies) {
        this.configuredDenies = Set.copyOf(configuredDenies);
    }

    /** The index of {@code method}'s block parameter, or -1 when it takes none. */
    public static int blockParamOf(String method) {
        return BLOCK_PARAM.getOrDefault(method, -1);
    }

    /** What to do with {@code name}; never null. */
    public Method lookup(String name) {
        synchronized (cache) {
            return cache.computeIfAbsent(name, this::classify);
        }
    }

    private Method classify(String name) {
        Optional<String> denied = deniedWhy(name);
        if (denied.isPresent()) {
            return new Method(name, Kind.DENIED, -1, denied.get());
        }
        return switch (name) {
            case "eth_chainId" -> new Method(name, Kind.CHAIN_ID, -1, null);
            case "eth_blockNumber" -> new Method(name, Kind.HEAD, -1, null);
            case "eth_sendRawTransaction" -> new Method(name, Kind.BROADCAST, -1, null);
            default -> new Method(name, Kind.READ, BLOCK_PARAM.getOrDefault(name, -1), null);
        };
    }

    private Optional<String> deniedWhy(String name) {
        if (configuredDenies.contains(name)) {
            return Optional.of("denied by configuration");
        }
        String exact = DENIED_EXACT.get(name);
        if (exact != null) {
            return Optional.of(exact);
        }
        for (Map.Entry<String, String> e : DENIED_PREFIX.entrySet()) {
            if (name.startsWith(e.getKey())) {
                return Optional.of(e.getValue());
            }
        }
        if (name.startsWith("debug_") && DEBUG_ALLOWED_PREFIXES.stream().noneMatch(name::startsWith)) {
            return Optional.of("administers the node");
        }
        return Optional.empty();
    }
}
