package dev.outlast.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class BlockHeaderTest {

    @Test
    void recordedGanacheShanghaiHeaderRecomputesToItsHash() {
        ObjectNode block = Fixtures.load("block.json");

        assertThat(HexData.hex(BlockHeader.hash(block))).isEqualTo(block.get("hash").asText());
    }

    /** geth's answer in ethereum/execution-apis {@code tests/eth_getBlockByNumber/get-block-cancun-fork.io}. */
    @Test
    void gethCancunHeaderRecomputesToItsHash() {
        ObjectNode block = Fixtures.load("execution-apis-cancun-block.json");

        assertThat(HexData.hex(BlockHeader.hash(block))).isEqualTo(block.get("hash").asText());
    }

    /** geth's answer in ethereum/execution-apis {@code tests/eth_getBlockByNumber/get-block-prague-fork.io}. */
    @Test
    void gethPragueHeaderWithRequestsHashRecomputesToItsHash() {
        ObjectNode block = Fixtures.load("execution-apis-prague-block.json");

        assertThat(HexData.hex(BlockHeader.hash(block))).isEqualTo(block.get("hash").asText());
    }

    @Test
    void changedBlobGasUsedChangesTheCancunHash() {
        ObjectNode block = Fixtures.load("execution-apis-cancun-block.json");
        block.put("blobGasUsed", "0x40000");

        assertThat(HexData.hex(BlockHeader.hash(block))).isNotEqualTo(block.get("hash").asText());
    }

    @Test
    void changedStateRootChangesTheHash() {
        ObjectNode block = Fixtures.load("block.json");
        block.put("stateRoot", Fixtures.flipByte(block.get("stateRoot").asText(), 31));

        assertThat(HexData.hex(BlockHeader.hash(block))).isNotEqualTo(block.get("hash").asText());
    }

    @Test
    void droppedForkFieldChangesTheHash() {
        ObjectNode block = Fixtures.load("block.json");
        block.remove("withdrawalsRoot");

        assertThat(HexData.hex(BlockHeader.hash(block))).isNotEqualTo(block.get("hash").asText());
    }

    @Test
    void refusesForkFieldWithoutTheOnesBeforeIt() {
        ObjectNode block = Fixtures.load("block.json");
        block.remove("baseFeePerGas");

        assertThatThrownBy(() -> BlockHeader.hash(block))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("withdrawalsRoot: present without baseFeePerGas (expected: fork fields in order)");
    }

    @Test
    void refusesHashOfWrongLength() {
        ObjectNode block = Fixtures.load("block.json");
        block.put("parentHash", "0x1234");

        assertThatThrownBy(() -> BlockHeader.hash(block))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("parentHash: 2 bytes (expected: 32)");
    }

    @Test
    void refusesQuantityThatIsNotHex() {
        ObjectNode block = Fixtures.load("block.json");
        block.put("gasUsed", "12");

        assertThatThrownBy(() -> BlockHeader.hash(block))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("gasUsed: \"12\" (expected: 0x-prefixed hex)");
    }
}
