package dev.outlast.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlast.rpc.RequestParser.Batch;
import dev.outlast.rpc.RequestParser.Entry;
import dev.outlast.rpc.RequestParser.Parsed;
import dev.outlast.rpc.RequestParser.Rejected;
import dev.outlast.rpc.RequestParser.Single;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestParserTest {

    private final RequestParser parser = new RequestParser(8, 3);

    @Test
    void parsesAValidRequest() {
        Entry entry = single("""
                {"jsonrpc":"2.0","id":7,"method":"eth_getBalance","params":["0xabc","latest"]}""");

        assertThat(entry.isValid()).isTrue();
        RpcRequest request = entry.request();
        assertThat(request.method()).isEqualTo("eth_getBalance");
        assertThat(request.id().asInt()).isEqualTo(7);
        assertThat(request.isNotification()).isFalse();
        assertThat(request.params()).hasSize(2);
        assertThat(request.params().get(1).asText()).isEqualTo("latest");
        assertThat(request.namedParams()).isNull();
    }

    @Test
    void requestWithoutIdIsANotification() {
        Entry entry = single("""
                {"jsonrpc":"2.0","method":"eth_chainId"}""");

        assertThat(entry.isValid()).isTrue();
        assertThat(entry.request().isNotification()).isTrue();
        assertThat(entry.request().params()).isEmpty();
    }

    @Test
    void explicitNullIdIsNotANotification() {
        Entry entry = single("""
                {"jsonrpc":"2.0","id":null,"method":"eth_chainId"}""");

        assertThat(entry.isValid()).isTrue();
        assertThat(entry.request().isNotification()).isFalse();
        assertThat(entry.request().id().isNull()).isTrue();
    }

    @Test
    void keepsNamedParamsAsAnObject() {
        Entry entry = single("""
                {"jsonrpc":"2.0","id":"x","method":"m","params":{"a":1}}""");

        assertThat(entry.isValid()).isTrue();
        assertThat(entry.request().params()).isEmpty();
        assertThat(entry.request().namedParams().get("a").asInt()).isEqualTo(1);
        assertThat(entry.request().paramsNode().isObject()).isTrue();
    }

    @Test
    void invalidElementOfABatchKeepsItsIdAndTheOthersStayValid() {
        Parsed parsed = parse("""
                [{"jsonrpc":"2.0","id":1,"method":"eth_chainId"},
                 {"jsonrpc":"2.0","id":2},
                 {"jsonrpc":"2.0","id":3,"method":"eth_blockNumber"}]""");

        assertThat(parsed).isInstanceOf(Batch.class);
        var entries = ((Batch) parsed).entries();
        assertThat(entries).extracting(Entry::isValid).containsExactly(true, false, true);
        Entry invalid = entries.get(1);
        assertThat(invalid.id().asInt()).isEqualTo(2);
        assertInvalidRequest(invalid.error(), "method");
    }

    @Test
    void nonObjectElementOfABatchIsInvalidWithoutId() {
        Parsed parsed = parse("""
                [{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}, 42]""");

        var entries = ((Batch) parsed).entries();
        assertThat(entries.get(0).isValid()).isTrue();
        assertThat(entries.get(1).isValid()).isFalse();
        assertThat(entries.get(1).id()).isNull();
        assertInvalidRequest(entries.get(1).error(), "object");
    }

    @Test
    void missingJsonrpcVersionIsInvalidAndKeepsTheId() {
        Entry entry = single("""
                {"id":5,"method":"eth_chainId"}""");

        assertThat(entry.isValid()).isFalse();
        assertThat(entry.id().asInt()).isEqualTo(5);
        assertInvalidRequest(entry.error(), "jsonrpc");
    }

    @Test
    void paramsThatAreAStringAreInvalid() {
        Entry entry = single("""
                {"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":"0xabc"}""");

        assertThat(entry.isValid()).isFalse();
        assertInvalidRequest(entry.error(), "params");
    }

    @Test
    void idThatIsAnObjectIsInvalid() {
        Entry entry = single("""
                {"jsonrpc":"2.0","id":{"a":1},"method":"eth_chainId"}""");

        assertThat(entry.isValid()).isFalse();
        assertInvalidRequest(entry.error(), "id");
    }

    @Test
    void topLevelNumberIsRejectedAsAnInvalidRequest() {
        ObjectNode error = rejected("42");

        assertThat(error.get("code").asInt()).isEqualTo(-32600);
        assertThat(error.at("/data/reason").asText()).isEqualTo("invalid_request");
    }

    @Test
    void emptyBatchIsRejectedAsAnInvalidRequest() {
        assertThat(rejected("[]").get("code").asInt()).isEqualTo(-32600);
    }

    @Test
    void emptyBodyIsAParseError() {
        ObjectNode error = rejected("");

        assertThat(error.get("code").asInt()).isEqualTo(-32700);
        assertThat(error.at("/data/reason").asText()).isEqualTo("parse_error");
    }

    @Test
    void malformedJsonIsAParseError() {
        assertThat(rejected("{\"jsonrpc\":").get("code").asInt()).isEqualTo(-32700);
    }

    @Test
    void nestingUpToTheLimitIsAccepted() {
        // object (1) > params (2) > six more arrays (8)
        Entry entry = single("""
                {"jsonrpc":"2.0","id":1,"method":"m","params":[[[[[[[]]]]]]]}""");

        assertThat(entry.isValid()).isTrue();
    }

    @Test
    void nestingOverTheLimitIsRejectedAsTooDeep() {
        ObjectNode error = rejected("""
                {"jsonrpc":"2.0","id":1,"method":"m","params":[[[[[[[[]]]]]]]]}""");

        assertThat(error.get("code").asInt()).isEqualTo(-32058);
        assertThat(error.at("/data/reason").asText()).isEqualTo("too_deep");
    }

    @Test
    void batchOverTheLimitIsRejectedWithTheLimit() {
        String one = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\"}";
        assertThat(parse("[" + String.join(",", one, one, one) + "]")).isInstanceOf(Batch.class);

        ObjectNode error = rejected("[" + String.join(",", one, one, one, one) + "]");

        assertThat(error.get("code").asInt()).isEqualTo(-32056);
        assertThat(error.at("/data/reason").asText()).isEqualTo("batch_too_large");
        assertThat(error.at("/data/limit").asInt()).isEqualTo(3);
    }

    private Parsed parse(String body) {
        return parser.parse(body.getBytes(StandardCharsets.UTF_8));
    }

    private Entry single(String body) {
        Parsed parsed = parse(body);
        assertThat(parsed).isInstanceOf(Single.class);
        return ((Single) parsed).entry();
    }

    private ObjectNode rejected(String body) {
        Parsed parsed = parse(body);
        assertThat(parsed).isInstanceOf(Rejected.class);
        return ((Rejected) parsed).error();
    }

    private static void assertInvalidRequest(JsonNode error, String messageMentions) {
        assertThat(error.get("code").asInt()).isEqualTo(-32600);
        assertThat(error.get("message").asText()).contains(messageMentions);
    }
}
