package dev.outlast.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which answers may be cached, and until when. */
class CachePolicyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADDRESS = "\"0x90f8bf6a479f320ead074411a4b0e7944ea8c9c1\"";
    private static final String HASH_100 = "0x" + "a".repeat(64);

    /** Final up to block 90; block 100 has a known hash. */
    private static final Finality CHAIN = new Finality() {
        @Override
        public long finalBlock() {
            return 90;
        }

        @Override
        public String hashAt(long block) {
            return Map.of(100L, HASH_100).get(block);
        }
    };

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Optional<Validity> validity(String method, String params, String result) {
        return CachePolicy.validity(method, json(params), json(result), true, CHAIN);
    }

    @Test
    void stateAtAFinalBlockNeverChanges() {
        assertThat(validity("eth_getBalance", "[" + ADDRESS + ",\"0x50\"]", "\"0x1\"")).contains(Validity.FOREVER);
        assertThat(validity("eth_getCode", "[" + ADDRESS + ",\"0x5a\"]", "\"0x\"")).contains(Validity.FOREVER);
    }

    @Test
    void stateAtARecentBlockHoldsWhileThatBlockIsCanonical() {
        Optional<Validity> v = validity("eth_getBalance", "[" + ADDRESS + ",\"0x64\"]", "\"0x1\"");
        assertThat(v).contains(new Validity(100, HASH_100));
        assertThat(v.get().holds(CHAIN)).isTrue();
        Finality reorged = new Finality() {
            @Override
            public long finalBlock() {
                return 90;
            }

            @Override
            public String hashAt(long block) {
                return "0x" + "b".repeat(64);
            }
        };
        assertThat(v.get().holds(reorged)).isFalse();
    }

    @Test
    void aBlockWhoseHashIsNotKnownYetIsNotCached() {
        assertThat(validity("eth_getBalance", "[" + ADDRESS + ",\"0x65\"]", "\"0x1\"")).isEmpty();
    }

    @Test
    void unpinnedTagsAreNeverCached() {
        assertThat(validity("eth_getBalance", "[" + ADDRESS + ",\"pending\"]", "\"0x1\"")).isEmpty();
        assertThat(validity("eth_getBalance", "[" + ADDRESS + ",\"latest\"]", "\"0x1\"")).isEmpty();
    }

    @Test
    void nullResultsAndUnconfirmedAnswersAreNeverCached() {
        assertThat(validity("eth_getBlockByNumber", "[\"0x50\",false]", "null")).isEmpty();
        assertThat(validity("eth_getTransactionReceipt", "[\"0x" + "1".repeat(64) + "\"]", "null")).isEmpty();
        assertThat(CachePolicy.validity("eth_getBalance", json("[" + ADDRESS + ",\"0x50\"]"), json("\"0x1\""), false,
                CHAIN)).isEmpty();
    }

    @Test
    void aBlockByNumberMustBeTheCanonicalOne() {
        assertThat(validity("eth_getBlockByNumber", "[\"0x64\",false]", "{\"hash\":\"" + HASH_100 + "\"}"))
                .contains(new Validity(100, HASH_100));
        assertThat(validity("eth_getBlockByNumber", "[\"0x64\",false]", "{\"hash\":\"0x" + "c".repeat(64) + "\"}"))
                .isEmpty();
    }

    @Test
    void anythingByBlockHashIsForever() {
        assertThat(validity("eth_getBlockByHash", "[\"0x" + "d".repeat(64) + "\",true]", "{\"number\":\"0x1\"}"))
                .contains(Validity.FOREVER);
        assertThat(validity("eth_getBalance", "[" + ADDRESS + ",{\"blockHash\":\"0x" + "d".repeat(64) + "\"}]",
                "\"0x1\"")).contains(Validity.FOREVER);
        assertThat(validity("eth_getBalance", "[" + ADDRESS + ",{\"blockHash\":\"0x" + "d".repeat(64)
                + "\",\"requireCanonical\":true}]", "\"0x1\"")).isEmpty();
    }

    @Test
    void aReceiptDependsOnTheBlockItWasMinedIn() {
        String tx = "[\"0x" + "1".repeat(64) + "\"]";
        assertThat(validity("eth_getTransactionReceipt", tx, "{\"blockNumber\":\"0x50\",\"blockHash\":\"0x"
                + "e".repeat(64) + "\"}")).contains(Validity.FOREVER);
        assertThat(validity("eth_getTransactionReceipt", tx, "{\"blockNumber\":\"0x64\",\"blockHash\":\""
                + HASH_100 + "\"}")).contains(new Validity(100, HASH_100));
        // Mined in a block the chain no longer has (or not yet known here): not cached.
        assertThat(validity("eth_getTransactionReceipt", tx, "{\"blockNumber\":\"0x64\",\"blockHash\":\"0x"
                + "f".repeat(64) + "\"}")).isEmpty();
        // Pending: no block yet.
        assertThat(validity("eth_getTransactionByHash", tx, "{\"blockNumber\":null,\"blockHash\":null}")).isEmpty();
    }

    @Test
    void logsDependOnTheirLastBlockAndEmptyListsOnlyWhenFinal() {
        String recent = "[{\"fromBlock\":\"0x60\",\"toBlock\":\"0x64\"}]";
        String old = "[{\"fromBlock\":\"0x10\",\"toBlock\":\"0x20\"}]";
        assertThat(validity("eth_getLogs", recent, "[{\"logIndex\":\"0x0\"}]")).contains(new Validity(100, HASH_100));
        assertThat(validity("eth_getLogs", recent, "[]")).isEmpty();
        assertThat(validity("eth_getLogs", old, "[]")).contains(Validity.FOREVER);
        assertThat(validity("eth_getLogs", "[{\"fromBlock\":\"0x10\",\"toBlock\":\"latest\"}]", "[]")).isEmpty();
    }

    @Test
    void onlyKnownMethodsMayBeCached() {
        assertThat(CachePolicy.mayCache("eth_getBalance")).isTrue();
        assertThat(CachePolicy.mayCache("eth_gasPrice")).isFalse();
        assertThat(CachePolicy.mayCache("eth_estimateGas")).isFalse();
        assertThat(CachePolicy.mayCache("eth_sendRawTransaction")).isFalse();
        assertThat(validity("eth_gasPrice", "[]", "\"0x1\"")).isEmpty();
    }
}
