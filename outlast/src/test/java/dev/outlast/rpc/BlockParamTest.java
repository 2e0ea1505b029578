package dev.outlast.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BlockParamTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"latest", "pending", "safe", "finalized", "earliest"})
    void readsTags(String tag) {
        assertThat(of("\"" + tag + "\"")).isEqualTo(new BlockParam.Tag(tag));
    }

    @Test
    void readsHexNumbers() {
        assertThat(of("\"0x0\"")).isEqualTo(new BlockParam.Number(0));
        assertThat(of("\"0x10d4f\"")).isEqualTo(new BlockParam.Number(68943));
    }

    @Test
    void readsEip1898BlockHash() {
        assertThat(of("{\"blockHash\":\"0xabc123\",\"requireCanonical\":true}"))
                .isEqualTo(new BlockParam.Hash("0xabc123"));
    }

    @Test
    void readsEip1898BlockNumber() {
        assertThat(of("{\"blockNumber\":\"0x2a\"}")).isEqualTo(new BlockParam.Number(42));
        assertThat(of("{\"blockNumber\":\"latest\"}")).isEqualTo(new BlockParam.Tag("latest"));
    }

    @Test
    void absentOrNullIsMissing() {
        assertThat(BlockParam.of(null)).isEqualTo(new BlockParam.Missing());
        assertThat(BlockParam.of(NullNode.getInstance())).isEqualTo(new BlockParam.Missing());
        assertThat(BlockParam.of(MissingNode.getInstance())).isEqualTo(new BlockParam.Missing());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"Latest\"", "\"42\"", "\"0x\"", "\"0xZZ\"", "42", "true", "[]", "{}",
                            "{\"blockNumber\":null}", "{\"blockHash\":7}"})
    void anythingElseIsOther(String json) {
        assertThat(of(json)).isEqualTo(new BlockParam.Other());
    }

    private static BlockParam of(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            return BlockParam.of(node);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
