package dev.outlast.drill.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DevAccountsTest {

    /** What ganache 7.9.2 answers to eth_accounts with --wallet.deterministic. */
    static final List<String> GANACHE_ACCOUNTS = List.of(
            "0x90f8bf6a479f320ead074411a4b0e7944ea8c9c1", "0xffcf8fdee72ac11b5c542428b35eef5769c409f0",
            "0x22d491bde2303f2f43325b2108d26f1eaba1e32b", "0xe11ba2b4d45eaed5996cd0823791e0c93114882d",
            "0xd03ea8624c8c5987235048901fb614fdca89b117", "0x95ced938f7991cd0dfcb48f0a06a40fa1af46ebc",
            "0x3e5e9111ae8eb78fe1cc3bb8915d5d461f3ef9a9", "0x28a8746e75304c0780e011bed21c72cd78cd535e",
            "0xaca94ef8bd5ffee41947b4585a84bda5a3d3da6e", "0x1df62f291b2e969fb0849d99d9ce41e2f137006e");

    @Test
    void derivesGanachesDeterministicAccounts() {
        assertThat(DevAccounts.ganache()).extracting(DevAccount::address).isEqualTo(GANACHE_ACCOUNTS);
    }

    @Test
    void firstKeyIsTheWellKnownOne() {
        DevAccount first = DevAccounts.ganache().getFirst();

        assertThat(first.privateKey())
                .isEqualTo("0x4f3edf983ac636a65a842ce7c78d9aa706d3b113bce9c46f30d7d21715b23b1d");
        assertThat(first.credentials().getAddress()).isEqualTo(first.address());
    }

    @Test
    void derivesMoreThanTheDefaultOnRequest() {
        List<DevAccount> twelve = DevAccounts.ganache(12);

        assertThat(twelve).hasSize(12).startsWith(DevAccounts.ganache().toArray(DevAccount[]::new));
        assertThat(twelve).extracting(DevAccount::address).doesNotHaveDuplicates();
    }
}
