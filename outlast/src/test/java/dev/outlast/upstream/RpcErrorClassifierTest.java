package dev.outlast.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RpcErrorClassifierTest {

    @ParameterizedTest(name = "{0} \"{1}\" -> try another upstream")
    @CsvSource(delimiter = '|', textBlock = """
            -32005 | limit exceeded
            429    | Your app has exceeded its compute units per second capacity
            -32000 | rate limit reached, please slow down
            -32005 | query returned more than 10000 results
            -32000 | header not found
            -32000 | missing trie node 6d2b1c (path ) state 0x6d2b1c is not available
            -32601 | the method eth_foo does not exist/is not available
            -32601 | Method not found
            -32603 | internal error
            -32000 | execution timeout
            """)
    void nodeCannotServe(int code, String message) {
        assertThat(RpcErrorClassifier.nodeCannotServe(error(code, message))).isTrue();
    }

    @ParameterizedTest(name = "{0} \"{1}\" -> the answer")
    @CsvSource(delimiter = '|', textBlock = """
            3      | execution reverted: Ownable: caller is not the owner
            3      | execution reverted
            -32000 | execution reverted
            -32603 | Error: VM Exception while processing transaction: reverted with reason string 'no'
            -32000 | insufficient funds for gas * price + value
            -32000 | nonce too low
            -32602 | invalid argument 0: hex string without 0x prefix
            -32602 | invalid params
            -32000 | already known
            -32000 | gas required exceeds allowance (30000000)
            -32000 | something nobody has seen before
            """)
    void isTheAnswer(int code, String message) {
        assertThat(RpcErrorClassifier.nodeCannotServe(error(code, message))).isFalse();
    }

    private static ObjectNode error(int code, String message) {
        ObjectNode error = JsonNodeFactory.instance.objectNode();
        error.put("code", code);
        error.put("message", message);
        return error;
    }
}
