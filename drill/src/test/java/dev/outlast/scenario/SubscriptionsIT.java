package dev.outlast.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlast.config.ChainConfig;
import dev.outlast.config.ConsensusConfig;
import dev.outlast.config.HedgingConfig;
import dev.outlast.config.OutlastConfig;
import dev.outlast.config.ServerConfig;
import dev.outlast.config.UpstreamConfig;
import dev.outlast.drill.Fault;
import dev.outlast.drill.sim.DevAccount;
import dev.outlast.rpc.Quantity;
import dev.outlast.server.OutlastServer;
import dev.outlast.testing.GanacheCluster;
import dev.outlast.testing.JsonRpcClient;
import dev.outlast.testing.SignedTransfers;
import io.reactivex.disposables.Disposable;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.EthSubscribe;
import org.web3j.protocol.websocket.events.Notification;
import org.web3j.protocol.websocket.WebSocketService;
import org.web3j.utils.Numeric;

/**
 * Subscriptions through Outlast over real ganache nodes: a web3j {@code WebSocketService} holds a
 * {@code newHeads} and a {@code logs} subscription while a sender calls a contract that emits a
 * {@code Transfer} log on every call. Meanwhile one provider resets connections, then another
 * swallows requests, then the third answers Cloudflare 520 pages; then every node reverts to a
 * snapshot and grows a longer chain (a reorg). Every canonical block must arrive once, and every
 * {@code Transfer} log of the final chain once (logs of replaced blocks come back with
 * {@code removed: true}). Each upstream also has its node's WebSocket as its {@code ws:} URL (not
 * behind the fault proxy): its {@code newHeads} announce blocks, and its
 * {@code newPendingTransactions} feed a client's subscription, which must see every call's hash once.
 */
class SubscriptionsIT {

    static final String TRANSFER = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";
    /**
     * A contract that, on any call, emits {@code Transfer(caller, calldata[0:32], calldata[32:64])}:
     * runtime {@code PUSH1 32 CALLDATALOAD PUSH1 0 MSTORE PUSH1 0 CALLDATALOAD CALLER PUSH32 TRANSFER
     * PUSH1 32 PUSH1 0 LOG3 STOP}, behind an initcode that returns it.
     */
    static final String CONTRACT = "0x603180600b6000396000f3"
            + "602035600052600035337f" + TRANSFER.substring(2) + "60206000a300";

    private static final BigInteger GAS_PRICE = SignedTransfers.MAX_FEE;

    @Test
    void everyBlockAndEveryLogArriveOnceWhileProvidersFailAndTheChainReorgs() throws Exception {
        // one provider fails at a time, each in its own way
        try (GanacheCluster cluster = GanacheCluster.startWithGossip(3)) {
            String[] names = {"alpha", "beta", "gamma"};
            List<UpstreamConfig> upstreams = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                upstreams.add(new UpstreamConfig(names[i], cluster.proxyUri(i))
                        .withWs(URI.create(cluster.nodeUri(i).toString().replaceFirst("^http", "ws"))));
            }
            ChainConfig chain = new ChainConfig("devnet", GanacheCluster.CHAIN_ID, upstreams, Duration.ofSeconds(10),
                    Duration.ofMillis(250), Duration.ofSeconds(60), ChainConfig.DEFAULT_MAX_LAG_BLOCKS,
                    ConsensusConfig.DEFAULT, HedgingConfig.DEFAULT, Set.of());
            try (OutlastServer server = OutlastServer.start(
                    new OutlastConfig(ServerConfig.of("127.0.0.1", 0), List.of(chain)));
                 JsonRpcClient http = new JsonRpcClient(URI.create("http://127.0.0.1:" + server.port() + "/rpc/devnet"));
                 JsonRpcClient node = new JsonRpcClient(cluster.nodeUri(2))) {
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> server.chains().get("devnet").isReady()
                        && server.chains().get("devnet").upstreams().stream().allMatch(u -> u.health().isUsable()));
                DevAccount sender = cluster.accounts().get(3);
                Sender calls = new Sender(http, sender, node.quantity("eth_getTransactionCount", sender.address(),
                        "latest").longValueExact(), () -> {
                            for (int i = 0; i < 3; i++) {
                                cluster.proxy(i).clearFaults();
                            }
                        });
                String contract = calls.deploy();

                WebSocketService ws = new WebSocketService("ws://127.0.0.1:" + server.port() + "/rpc/devnet", false);
                ws.connect();
                Web3j web3 = Web3j.build(ws);
                List<String> heads = new CopyOnWriteArrayList<>();
                List<RawLog> logs = new CopyOnWriteArrayList<>();
                Disposable headSub = web3.newHeadsNotifications()
                        .subscribe(n -> heads.add(n.getParams().getResult().getHash()));
                // web3j's own log notification drops "removed": the same subscription, read whole
                Disposable logSub = ws.subscribe(new Request<>("eth_subscribe", List.of("logs",
                                Map.of("address", List.of(contract), "topics", List.of(TRANSFER))), ws, EthSubscribe.class),
                        "eth_unsubscribe", LogNotification.class)
                        .subscribe(n -> logs.add(n.getParams().getResult()));
                List<String> pending = new CopyOnWriteArrayList<>();
                Disposable pendingSub = ws.subscribe(new Request<>("eth_subscribe", List.of("newPendingTransactions"),
                                ws, EthSubscribe.class), "eth_unsubscribe", PendingNotification.class)
                        .subscribe(n -> pending.add(n.getParams().getResult()));
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
                    calls.call();
                    return !heads.isEmpty() && !logs.isEmpty() && !pending.isEmpty();
                });
                calls.sent.clear();
                long first = node.blockNumber();

                calls.during(Duration.ofSeconds(4), () -> { });
                calls.during(Duration.ofSeconds(5), () -> cluster.proxy(0).setFault(Fault.reset()));
                calls.during(Duration.ofSeconds(5), () -> cluster.proxy(1).setFault(Fault.blackHole()));
                calls.during(Duration.ofSeconds(5), () -> cluster.proxy(2).setFault(Fault.cloudflare(520)));
                for (int i = 0; i < 3; i++) {
                    cluster.proxy(i).clearFaults();
                }

                // a reorg: every node back to a snapshot, then a longer chain of other calls
                List<JsonRpcClient> nodes = new ArrayList<>();
                for (URI u : cluster.nodeUris()) {
                    nodes.add(new JsonRpcClient(u));
                }
                List<String> snapshots = new ArrayList<>();
                for (JsonRpcClient n : nodes) {
                    snapshots.add(n.call("evm_snapshot").asText());
                }
                long nonceAtSnapshot = calls.nonce;
                for (int i = 0; i < 2; i++) {
                    calls.call();
                }
                Thread.sleep(1500);
                for (int i = 0; i < nodes.size(); i++) {
                    assertThat(nodes.get(i).call("evm_revert", snapshots.get(i)).asBoolean()).isTrue();
                }
                calls.nonce = nonceAtSnapshot;
                calls.value = BigInteger.valueOf(1_000_000);
                for (int i = 0; i < 4; i++) {
                    calls.call();
                }
                long last = node.blockNumber();
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> heads.contains(
                        node.call("eth_getBlockByNumber", Quantity.format(last), false).path("hash").asText()));
                Thread.sleep(1000);
                headSub.dispose();
                logSub.dispose();
                pendingSub.dispose();
                ws.close();
                nodes.forEach(JsonRpcClient::close);

                // every canonical block from the first to the last, once
                Set<String> canonical = new HashSet<>();
                for (long n = first; n <= last; n++) {
                    canonical.add(node.call("eth_getBlockByNumber", Quantity.format(n), false).path("hash").asText());
                }
                assertThat(new HashSet<>(heads)).as("no head twice").hasSize(heads.size());
                assertThat(heads).containsAll(canonical);

                // every Transfer log of the final chain in that range, once, net of removed ones; none other stands
                Map<String, Integer> net = new ConcurrentHashMap<>();
                Map<String, Long> blockOf = new ConcurrentHashMap<>();
                for (RawLog l : logs) {
                    String key = l.blockHash + "/" + l.logIndex;
                    net.merge(key, l.removed ? -1 : 1, Integer::sum);
                    blockOf.put(key, Long.decode(l.blockNumber));
                }
                Set<String> expected = new HashSet<>();
                JsonNode onChain = node.call("eth_getLogs", Map.of("fromBlock", Quantity.format(first),
                        "toBlock", Quantity.format(last), "address", contract));
                onChain.forEach(l -> expected.add(l.path("blockHash").asText() + "/" + l.path("logIndex").asText()));
                assertThat(expected).as("the calls emitted logs").hasSizeGreaterThan(10);
                Set<String> standing = new HashSet<>();
                net.forEach((key, count) -> {
                    assertThat(count).as("log %s: delivered minus removed", key).isBetween(0, 1);
                    if (count == 1) {
                        standing.add(key);
                    }
                });
                Set<String> standingInRange = new HashSet<>();
                for (String key : standing) {
                    long block = blockOf.get(key);
                    if (block >= first) {
                        standingInRange.add(key);
                    } else {
                        assertThat(key).as("a log from before the range is canonical").startsWith(node.call(
                                "eth_getBlockByNumber", Quantity.format(block), false).path("hash").asText());
                    }
                }
                assertThat(standingInRange).isEqualTo(expected);

                // every call sent once the subscription was running, announced once
                assertThat(new HashSet<>(pending)).as("no pending transaction twice").hasSize(pending.size());
                assertThat(pending).containsAll(calls.sent);
                String metrics = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1)
                        .build().send(java.net.http.HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                for (String name : names) {
                    assertThat(metrics).contains("outlast_upstream_socket_open{chain=\"devnet\",upstream=\"" + name
                            + "\"} 1.0");
                }
                System.out.printf("subscriptions: %d heads, %d logs (%d removed), %d pending (%d sent), blocks %d..%d%n",
                        heads.size(), logs.size(), logs.stream().filter(l -> l.removed).count(), pending.size(),
                        calls.sent.size(), first, last);
            }
        }
    }

    /** A {@code logs} notification's result, {@code removed} included. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static final class RawLog {
        public String blockHash;
        public String blockNumber;
        public String logIndex;
        public boolean removed;
    }

    public static final class LogNotification extends Notification<RawLog> {
    }

    public static final class PendingNotification extends Notification<String> {
    }

    /** Calls the contract through Outlast, one call at a time, each waited for until mined. */
    private static final class Sender {
        private final JsonRpcClient http;
        private final DevAccount from;
        long nonce;
        BigInteger value = BigInteger.ONE;
        /** The hashes of the transactions sent. */
        final List<String> sent = new CopyOnWriteArrayList<>();
        private String contract;
        private final Runnable clearFaults;

        Sender(JsonRpcClient http, DevAccount from, long nonce, Runnable clearFaults) {
            this.http = http;
            this.from = from;
            this.nonce = nonce;
            this.clearFaults = clearFaults;
        }

        String deploy() {
            RawTransaction tx = RawTransaction.createContractTransaction(BigInteger.valueOf(nonce), GAS_PRICE,
                    BigInteger.valueOf(200_000), BigInteger.ZERO, CONTRACT);
            JsonNode receipt = sendAndWait(tx);
            contract = receipt.path("contractAddress").asText();
            return contract;
        }

        void call() {
            String data = "0x" + "00".repeat(12) + "00000000000000000000000000000000000000aa"
                    + String.format("%064x", value);
            RawTransaction tx = RawTransaction.createTransaction(BigInteger.valueOf(nonce), GAS_PRICE,
                    BigInteger.valueOf(100_000), contract, data);
            sendAndWait(tx);
        }

        /** Calls repeatedly for {@code d}, after {@code faults}. */
        void during(Duration d, Runnable faults) {
            clearFaults.run();
            faults.run();
            long end = System.nanoTime() + d.toNanos();
            while (System.nanoTime() < end) {
                call();
            }
        }

        private JsonNode sendAndWait(RawTransaction tx) {
            String raw = Numeric.toHexString(TransactionEncoder.signMessage(tx, GanacheCluster.CHAIN_ID,
                    from.credentials()));
            String hash = http.call("eth_sendRawTransaction", raw).asText();
            sent.add(hash);
            nonce++;
            JsonNode[] receipt = new JsonNode[1];
            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
                try {
                    receipt[0] = http.call("eth_getTransactionReceipt", hash);
                } catch (JsonRpcClient.RpcException e) {
                    return false;
                }
                return receipt[0] != null && !receipt[0].isNull();
            });
            return receipt[0];
        }
    }
}
