package dev.outlast.drill.scenario.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlast.drill.sim.DevAccount;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.utils.Numeric;

/**
 * A wallet's traffic against one JSON-RPC URL: readers asking in turn for the block number, a
 * balance, a nonce, the chain id and the latest block, and a sender that reads its pending nonce and
 * sends a signed transfer at a steady rate. Every answer is checked against the {@link Ledger} and
 * counted in a {@link Recorder} as right, an error, or a wrong value.
 *
 * <p>Lifecycle: {@link #start()}, {@link #stop()} (no new requests), {@link #awaitIdle} (requests in
 * flight end), {@link #close()}. Thread-safe.
 */
public final class WalletLoad implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(WalletLoad.class);
    private static final Duration PAUSE = Duration.ofMillis(50);
    private static final BigInteger GAS_PRICE = BigInteger.valueOf(2_000_000_000L);
    private static final BigInteger GAS = BigInteger.valueOf(21_000);
    private static final BigInteger VALUE = BigInteger.TEN.pow(15);
    private static final int KINDS = 5;

    /** What one path of the load uses. */
    public record Plan(String label, URI uri, List<String> watched, DevAccount sender, String recipient, int readers,
                       double transfersPerSecond, Duration timeout) {
    }

    private final Plan plan;
    private final Ledger ledger;
    private final Recorder recorder;
    private final HttpClient http;
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile boolean stopped;

    public WalletLoad(Plan plan, Ledger ledger, Recorder recorder) {
        this.plan = plan;
        this.ledger = ledger;
        this.recorder = recorder;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
    }

    /** Starts the readers and the sender. */
    public WalletLoad start() {
        for (int r = 0; r < plan.readers(); r++) {
            long first = r;
            workers.add(Thread.ofVirtual().name("drill-" + plan.label() + "-reader-" + r).start(() -> readLoop(first)));
        }
        if (plan.transfersPerSecond() > 0) {
            workers.add(Thread.ofVirtual().name("drill-" + plan.label() + "-sender").start(this::sendLoop));
        }
        return this;
    }

    /** No request starts after this. */
    public void stop() {
        stopped = true;
    }

    /** Waits up to {@code timeout} for the requests in flight; true if none is left. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread worker : workers) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !worker.join(Duration.ofNanos(left))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        stop();
        workers.forEach(Thread::interrupt);
        http.close();
    }

    private void readLoop(long first) {
        long[] lastHead = {-1};
        for (long i = first * 7; !stopped; i++) {
            try {
                readOnce(i, lastHead);
                Thread.sleep(PAUSE);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // A bug of the checker, not an answer of the path: say so, and keep the load going.
                log.warn("drill {} reader: checking an answer failed", plan.label(), e);
            }
        }
    }

    private void readOnce(long i, long[] lastHead) throws InterruptedException {
        String account = plan.watched().get((int) ((i / KINDS) % plan.watched().size()));
        Recorder.Started started = recorder.start();
        long before = ledger.head();
        switch ((int) (i % KINDS)) {
            case 0 -> {
                Reply reply = call("eth_blockNumber");
                String wrong = reply.failed() ? null : reply.blockNumber() < 0 ? reply.notQuantity()
                        : ledger.checkHead(reply.blockNumber(), before, ledger.head(), lastHead[0]);
                if (!reply.failed() && wrong == null) {
                    lastHead[0] = Math.max(lastHead[0], reply.blockNumber());
                }
                finish(started, reply, wrong);
            }
            case 1 -> {
                Reply reply = call("eth_getBalance", account, "latest");
                finish(started, reply, reply.failed() ? null : reply.quantity() == null ? reply.notQuantity()
                        : ledger.checkBalance(account, reply.quantity(), before, ledger.head()));
            }
            case 2 -> {
                Reply reply = call("eth_getTransactionCount", account, "latest");
                finish(started, reply, reply.failed() ? null : reply.quantity() == null ? reply.notQuantity()
                        : ledger.checkNonce(account, reply.quantity(), before, ledger.head()));
            }
            case 3 -> {
                Reply reply = call("eth_chainId");
                finish(started, reply, reply.failed() ? null : reply.quantity() == null ? reply.notQuantity()
                        : reply.quantity().longValue() == ledger.chainId() && reply.quantity().bitLength() < 63 ? null
                        : "chain id " + reply.quantity() + ", ledger " + ledger.chainId());
            }
            default -> {
                Reply reply = call("eth_getBlockByNumber", "latest", false);
                finish(started, reply, reply.failed() ? null : checkBlock(reply.result(), before));
            }
        }
    }

    private String checkBlock(JsonNode block, long before) {
        BigInteger number = quantity(block.path("number"));
        if (number == null || number.bitLength() > 62 || !block.path("hash").isTextual()) {
            return "not a block: " + abbreviate(block.toString());
        }
        return ledger.checkBlock(number.longValue(), block.get("hash").asText(), before, ledger.head());
    }

    private void sendLoop() {
        long periodNanos = (long) (1_000_000_000L / plan.transfersPerSecond());
        long next = System.nanoTime();
        while (!stopped) {
            try {
                sendOnce();
                next += periodNanos;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(Duration.ofNanos(wait));
                } else {
                    next = System.nanoTime();
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sendOnce() throws InterruptedException {
        String from = plan.sender().address();
        Recorder.Started nonceRead = recorder.start();
        long before = ledger.head();
        Reply reply = call("eth_getTransactionCount", from, "pending");
        String wrong = reply.failed() ? null : reply.quantity() == null ? reply.notQuantity()
                : ledger.checkPendingNonce(from, reply.quantity(), before);
        finish(nonceRead, reply, wrong);
        if (reply.failed() || wrong != null || stopped) {
            return;
        }
        RawTransaction tx = RawTransaction.createEtherTransaction(reply.quantity(), GAS_PRICE, GAS, plan.recipient(),
                VALUE);
        byte[] signed = TransactionEncoder.signMessage(tx, ledger.chainId(), plan.sender().credentials());
        String hash = Numeric.toHexString(Hash.sha3(signed));
        Recorder.Started send = recorder.start();
        Reply sent = call("eth_sendRawTransaction", Numeric.toHexString(signed));
        finish(send, sent, sent.failed() ? null : hash.equalsIgnoreCase(sent.result().asText()) ? null
                : "transaction hash " + abbreviate(sent.result().toString()) + ", signed " + hash);
    }

    private void finish(Recorder.Started started, Reply reply, String wrong) {
        if (reply.failed()) {
            started.end(Tally.Outcome.ERROR, reply.method() + ": " + reply.error());
        } else if (wrong != null) {
            started.end(Tally.Outcome.WRONG, reply.method() + ": " + wrong);
        } else {
            started.end(Tally.Outcome.OK, null);
        }
    }

    /** One JSON-RPC call; any failure becomes the reply's error, never an exception. */
    private Reply call(String method, Object... params) throws InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", ids.incrementAndGet())
                .put("method", method);
        ArrayNode array = body.putArray("params");
        for (Object p : params) {
            if (p instanceof Boolean b) {
                array.add(b);
            } else {
                array.add(p.toString());
            }
        }
        HttpRequest request = HttpRequest.newBuilder(plan.uri()).timeout(plan.timeout())
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            return Reply.error(method, "no answer within " + plan.timeout().toMillis() + " ms");
        } catch (IOException e) {
            return Reply.error(method, "connection failed (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + abbreviate(e.getMessage())) + ")");
        }
        if (response.statusCode() != 200) {
            String server = response.headers().firstValue("server").map(s -> " (server: " + s + ")").orElse("");
            return Reply.error(method, "HTTP " + response.statusCode() + server);
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(response.body());
        } catch (IOException e) {
            return Reply.error(method, "body is not JSON: " + abbreviate(response.body()));
        }
        if (answer == null || !answer.isObject()) {
            return Reply.error(method, "not a JSON-RPC response: " + abbreviate(response.body()));
        }
        if (answer.has("error")) {
            JsonNode error = answer.get("error");
            JsonNode data = error.path("data");
            return Reply.error(method, "JSON-RPC error " + error.path("code").asText() + " "
                    + abbreviate(error.path("message").asText(), 120)
                    // The data names every upstream attempt of the request (a no_quorum's failure list is what
                    // explains it), so it is kept nearly whole.
                    + (data.isMissingNode() || data.isNull() ? "" : " data: " + abbreviate(data.toString(), 3000)));
        }
        if (!answer.has("result")) {
            return Reply.error(method, "not a JSON-RPC response: " + abbreviate(response.body()));
        }
        return new Reply(method, answer.get("result"), null);
    }

    private static BigInteger quantity(JsonNode node) {
        String hex = node.isTextual() ? node.asText() : "";
        if (!hex.matches("0x[0-9a-fA-F]{1,64}")) {
            return null;
        }
        return new BigInteger(hex.substring(2), 16);
    }

    private static String abbreviate(String text) {
        return abbreviate(text, 80);
    }

    private static String abbreviate(String text, int max) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() <= max ? line : line.substring(0, max) + "…";
    }

    /** A result, or an error. */
    private record Reply(String method, JsonNode result, String error) {

        static Reply error(String method, String error) {
            return new Reply(method, null, error);
        }

        boolean failed() {
            return error != null;
        }

        BigInteger quantity() {
            return WalletLoad.quantity(result);
        }

        /** The result as a block number, or -1 when it is not a quantity that fits one. */
        long blockNumber() {
            BigInteger q = quantity();
            return q == null || q.bitLength() > 62 ? -1 : q.longValue();
        }

        String notQuantity() {
            return "not a quantity: " + abbreviate(result.toString());
        }
    }
}
