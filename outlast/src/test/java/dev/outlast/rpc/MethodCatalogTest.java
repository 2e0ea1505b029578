package dev.outlast.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlast.rpc.MethodCatalog.Kind;
import dev.outlast.rpc.MethodCatalog.Method;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MethodCatalogTest {

    private final MethodCatalog catalog = new MethodCatalog(Set.of());

    @Test
    void answersChainIdAndBlockNumberItself() {
        assertThat(catalog.lookup("eth_chainId").kind()).isEqualTo(Kind.CHAIN_ID);
        assertThat(catalog.lookup("eth_blockNumber").kind()).isEqualTo(Kind.HEAD);
    }

    @Test
    void broadcastsRawTransactions() {
        assertThat(catalog.lookup("eth_sendRawTransaction").kind()).isEqualTo(Kind.BROADCAST);
    }

    @ParameterizedTest(name = "{0} takes its block at {1}")
    @CsvSource({
            "eth_getBalance, 1",
            "eth_call, 1",
            "eth_getStorageAt, 2",
            "eth_getProof, 2",
            "eth_getBlockByNumber, 0",
            "eth_feeHistory, 1",
            "eth_getTransactionByHash, -1",
            "eth_getLogs, -1"})
    void readsKnowWhereTheirBlockParameterIs(String name, int blockParam) {
        Method method = catalog.lookup(name);

        assertThat(method.kind()).isEqualTo(Kind.READ);
        assertThat(method.blockParam()).isEqualTo(blockParam);
        assertThat(method.takesBlock()).isEqualTo(blockParam >= 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"eth_sendTransaction", "eth_sign", "eth_accounts", "personal_unlockAccount",
                            "admin_addPeer", "evm_mine", "miner_start", "eth_newFilter", "eth_getFilterChanges",
                            "eth_subscribe", "debug_setHead"})
    void refusesMethodsAGatewayCannotServeAndSaysWhy(String name) {
        Method method = catalog.lookup(name);

        assertThat(method.kind()).isEqualTo(Kind.DENIED);
        assertThat(method.why()).isNotBlank();
        assertThat(method.takesBlock()).isFalse();
    }

    @Test
    void explainsWhyNodeSigningIsRefused() {
        assertThat(catalog.lookup("eth_sendTransaction").why()).contains("eth_sendRawTransaction");
    }

    @Test
    void allowsTracingButNotOtherDebugMethods() {
        assertThat(catalog.lookup("debug_traceTransaction").kind()).isEqualTo(Kind.READ);
        assertThat(catalog.lookup("debug_traceCall").kind()).isEqualTo(Kind.READ);
        assertThat(catalog.lookup("debug_getRawBlock").kind()).isEqualTo(Kind.READ);
        assertThat(catalog.lookup("debug_setHead").kind()).isEqualTo(Kind.DENIED);
    }

    @Test
    void refusesConfiguredMethodsOnlyInThatCatalog() {
        MethodCatalog strict = new MethodCatalog(Set.of("eth_getLogs", "eth_chainId"));

        assertThat(strict.lookup("eth_getLogs").kind()).isEqualTo(Kind.DENIED);
        assertThat(strict.lookup("eth_getLogs").why()).isEqualTo("denied by configuration");
        assertThat(strict.lookup("eth_chainId").kind()).isEqualTo(Kind.DENIED);
        assertThat(catalog.lookup("eth_getLogs").kind()).isEqualTo(Kind.READ);
    }

    @Test
    void unknownMethodsAreReadsWithoutBlock() {
        Method method = catalog.lookup("zks_getL2ToL1LogProof");

        assertThat(method.kind()).isEqualTo(Kind.READ);
        assertThat(method.takesBlock()).isFalse();
    }
}
