package dev.outlast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

    private static final String VALID = """
            chains:
              - id: devnet
                chainId: 1337
                upstreams:
                  - name: alpha
                    url: http://127.0.0.1:8545
                  - name: beta
                    url: https://eth.example-vendor.io/v3/${BETA_KEY}
              - id: other
                chainId: 1
                upstreams:
                  - name: gamma
                    url: http://127.0.0.1:8546
            """;

    private static final String INVALID = """
            server:
              listen: localhost
            chains:
              - id: devnet
                upstreams:
                  - name: alpha
                    urll: http://127.0.0.1:8545
            """;

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void validatePrintsOkWithCountsAndWarningsAndExitsZero() throws IOException {
        Path config = write("config.yaml", VALID);

        int exit = run(Map.of("BETA_KEY", "s3cr3t"), "validate", "--config", config.toString());

        assertThat(exit).isZero();
        assertThat(out).hasToString(config + ": ok (2 chains, 3 upstreams)\n");
        assertThat(err).hasToString(config + ": warning: chains[1].upstreams: only one upstream (consensus then "
                                    + "trusts a single provider, and failover has nowhere to go)\n");
    }

    @Test
    void validateCountsSitesAndOrigins() throws IOException {
        Path config = write("sites.yaml", """
                sites:
                  - id: app
                    host: app.example.com
                    origins:
                      - name: via-cloudflare
                        url: https://app-cf.example.com
                      - name: via-cloudfront
                        url: https://app-aws.example.com
                """);

        int exit = run(Map.of(), "validate", "--config", config.toString());

        assertThat(exit).isZero();
        assertThat(out).hasToString(config + ": ok (0 chains, 0 upstreams, 1 site, 2 origins)\n");
    }

    @Test
    void validatePrintsEveryProblemPrefixedByTheFileAndExitsTwo() throws IOException {
        Path config = write("config.yaml", INVALID);

        int exit = run(Map.of(), "validate", "-c", config.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString().lines()).containsExactly(
                config + ": server.listen: \"localhost\" (expected: host:port)",
                config + ": chains[0].upstreams[0].urll: unknown key (expected one of: name, url, ws, rateLimit, vendor)",
                config + ": chains[0].upstreams[0].url: missing (expected: http or https URL)",
                config + ": chains[0].chainId: missing (expected: a positive integer)");
    }

    @Test
    void validateNamesAnUnsetVariableWithoutExpandingAnything() throws IOException {
        Path config = write("config.yaml", VALID);

        int exit = run(Map.of(), "validate", "--config", config.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err).hasToString(
                config + ": chains[0].upstreams[1].url: environment variable BETA_KEY is not set\n");
    }

    @Test
    void validateOfAMissingFileSaysSo() {
        Path config = dir.resolve("absent.yaml");

        int exit = run(Map.of(), "validate", "--config", config.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err).hasToString(config + ": no such file\n");
    }

    @Test
    void serveWithAnInvalidConfigPrintsEveryProblemAndExitsTwo() throws IOException {
        Path config = write("config.yaml", INVALID);

        int exit = run(Map.of(), "serve", "--config", config.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString().lines()).hasSize(4).allSatisfy(line -> assertThat(line).startsWith(config + ": "));
    }

    @Test
    void versionPrintsTheBuildVersion() {
        int exit = run(Map.of(), "--version");

        assertThat(exit).isZero();
        assertThat(out.toString()).matches("outlast \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n");
    }

    @Test
    void helpListsTheSubcommandsAndExitsZero() {
        int exit = run(Map.of(), "--help");

        assertThat(exit).isZero();
        assertThat(out.toString()).startsWith("Usage: outlast").contains("serve", "validate");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void unknownSubcommandIsAUsageError() {
        int exit = run(Map.of(), "frobnicate");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).startsWith("Unmatched argument at index 0: 'frobnicate'");
    }

    @Test
    void missingConfigOptionIsAUsageError() {
        int exit = run(Map.of(), "validate");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).startsWith("Missing required option: '--config=FILE'")
                                  .contains("Usage: outlast validate");
    }

    @Test
    void unknownOptionIsAUsageError() throws IOException {
        Path config = write("config.yaml", VALID);

        int exit = run(Map.of(), "validate", "--config", config.toString(), "--strict");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).startsWith("Unknown option: '--strict'");
    }

    @Test
    void noSubcommandIsAUsageError() {
        int exit = run(Map.of());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).startsWith("Missing required subcommand").contains("Usage: outlast");
    }

    private int run(Map<String, String> env, String... args) {
        return Main.run(new PrintWriter(out), new PrintWriter(err), env, args);
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
