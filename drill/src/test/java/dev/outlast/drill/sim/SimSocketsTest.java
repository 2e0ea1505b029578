package dev.outlast.drill.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outlast.testing.SignedTransfers;
import io.reactivex.disposables.Disposable;
import java.math.BigInteger;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.EthSubscribe;
import org.web3j.protocol.websocket.WebSocketService;
import org.web3j.protocol.websocket.events.Notification;

/**
 * The simulated provider's WebSocket, through web3j: JSON-RPC as over HTTP, a {@code newHeads}
 * notification per block made, in order and linked, and a {@code newPendingTransactions}
 * notification per transaction accepted.
 */
class SimSocketsTest {

    public static final class PendingNotification extends Notification<String> {
    }

    @Test
    void servesCallsAndSubscriptionsOverASocket() throws Exception {
        try (SimulatedChain chain = SimulatedChain.start()) {
            SimulatedProvider provider = chain.startProvider();
            WebSocketService ws = new WebSocketService(provider.wsUri().toString(), false);
            ws.connect();
            Web3j web3 = Web3j.build(ws);
            try {
                assertThat(web3.ethChainId().send().getChainId()).isEqualTo(BigInteger.valueOf(chain.chainId()));
                List<org.web3j.protocol.websocket.events.NewHead> heads = new CopyOnWriteArrayList<>();
                List<String> pending = new CopyOnWriteArrayList<>();
                Disposable headSub = web3.newHeadsNotifications().subscribe(n -> heads.add(n.getParams().getResult()));
                Disposable pendingSub = ws.subscribe(new Request<>("eth_subscribe", List.of("newPendingTransactions"),
                        ws, EthSubscribe.class), "eth_unsubscribe", PendingNotification.class)
                        .subscribe(n -> pending.add(n.getParams().getResult()));
                Thread.sleep(200);
                String raw = SignedTransfers.eip1559(chain.chainId(), chain.accounts().get(0),
                        chain.accounts().get(1).address(), BigInteger.ONE, 0);
                String hash = web3.ethSendRawTransaction(raw).send().getTransactionHash();
                for (int i = 0; i < 3; i++) {
                    chain.mine();
                }
                await().until(() -> heads.size() == 3);
                assertThat(pending).containsExactly(hash);
                for (int i = 0; i < 3; i++) {
                    SimBlock block = chain.block(i + 1).orElseThrow();
                    assertThat(heads.get(i).getNumber()).isEqualTo("0x" + Long.toHexString(i + 1));
                    assertThat(heads.get(i).getHash()).isEqualTo(block.hash());
                    assertThat(heads.get(i).getParentHash()).isEqualTo(chain.block(i).orElseThrow().hash());
                }
                headSub.dispose();
                pendingSub.dispose();
            } finally {
                ws.close();
            }
        }
    }
}
