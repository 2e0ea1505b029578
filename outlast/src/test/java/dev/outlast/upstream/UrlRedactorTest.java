package dev.outlast.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class UrlRedactorTest {

    private static final String INFURA_KEY = "9aa3d95b3bc440fa88ea12eaa4456161";
    private static final String ALCHEMY_KEY = "Xy7kQ2mN9pLr4sT6vW8zA1bC3dE5fG0h";
    private static final String QUICKNODE_KEY = "3f1e5c9b7a2d4e6f8091a2b3c4d5e6f70819a2b3c4d5e6f708192a3b4c5d6e7f";

    @Test
    void hidesInfuraProjectIdInThePath() {
        assertThat(redact("https://mainnet.infura.io/v3/" + INFURA_KEY)).isEqualTo("https://mainnet.infura.io/v3/***");
    }

    @Test
    void hidesAlchemyKeyInThePath() {
        assertThat(redact("https://eth-mainnet.g.alchemy.com/v2/" + ALCHEMY_KEY))
                .isEqualTo("https://eth-mainnet.g.alchemy.com/v2/***");
    }

    @Test
    void hidesQuickNodeTokenAndKeepsTheTrailingSlash() {
        assertThat(redact("https://late-wild-fire.quiknode.pro/" + QUICKNODE_KEY + "/"))
                .isEqualTo("https://late-wild-fire.quiknode.pro/***/");
    }

    @Test
    void hidesEveryQueryValue() {
        assertThat(redact("https://api.example.com/rpc?apikey=s3cr3tValue&x=1"))
                .isEqualTo("https://api.example.com/rpc?apikey=***&x=***");
    }

    @Test
    void hidesUserInfo() {
        String redacted = redact("https://alice:hunter22@rpc.example.com:8443/");

        assertThat(redacted).startsWith("https://***@rpc.example.com:8443").doesNotContain("alice", "hunter22");
    }

    @Test
    void leavesAUrlWithoutSecretsUnchanged() {
        assertThat(redact("http://127.0.0.1:8545")).isEqualTo("http://127.0.0.1:8545");
        assertThat(redact("https://rpc.example.com/eth/mainnet")).isEqualTo("https://rpc.example.com/eth/mainnet");
    }

    @Test
    void keepsShortPathWordsAndHidesOnlyTheKey() {
        assertThat(redact("https://rpc.ankr.com/eth/" + QUICKNODE_KEY)).isEqualTo("https://rpc.ankr.com/eth/***");
    }

    @Test
    void hidesAShortKeyOfLettersAndDigitsButNotANumber() {
        assertThat(redact("https://rpc.example.com/v3/secretkey123")).isEqualTo("https://rpc.example.com/v3/***");
        assertThat(redact("https://rpc.example.com/archive/20261207123456"))
                .isEqualTo("https://rpc.example.com/archive/20261207123456");
    }

    @Test
    void toStringNeverShowsTheSecret() {
        UrlRedactor redactor = new UrlRedactor(URI.create("https://mainnet.infura.io/v3/" + INFURA_KEY));

        assertThat(redactor.toString()).doesNotContain(INFURA_KEY);
    }

    @Test
    void scrubRemovesEverySecretOfTheUrlFromFreeText() {
        UrlRedactor redactor = new UrlRedactor(URI.create(
                "https://bob:pa55word@eth.example.com/v2/" + ALCHEMY_KEY + "?token=tok3nValue"));
        String message = "connect to https://bob:pa55word@eth.example.com/v2/" + ALCHEMY_KEY
                         + "?token=tok3nValue failed; key " + ALCHEMY_KEY + " rejected";

        String scrubbed = redactor.scrub(message);

        assertThat(scrubbed).doesNotContain(ALCHEMY_KEY, "pa55word", "tok3nValue")
                .contains("failed;").contains("rejected");
        assertThat(redactor.scrub(null)).isNull();
    }

    private static String redact(String url) {
        return new UrlRedactor(URI.create(url)).redacted();
    }
}
