package dev.outlast.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.outlast.config.ConsensusConfig.SingleUpstreamPolicy;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    static final String MINIMAL = """
            server:
              listen: 127.0.0.1:8080
            chains:
              - id: devnet            # served at /rpc/devnet
                chainId: 1337         # checked against every upstream's eth_chainId
                upstreams:
                  - name: alpha
                    url: http://127.0.0.1:8545
                  - name: beta
                    url: https://eth.example-vendor.io/v3/${BETA_KEY}
            """;

    static final Map<String, String> ENV = Map.of("BETA_KEY", "s3cr3t-key");

    @Test
    void minimalConfigFromDesignLoadsWithDefaults() {
        OutlastConfig config = ConfigLoader.parse(MINIMAL, ENV, "config.yaml");

        assertThat(config.server()).isEqualTo(ServerConfig.of("127.0.0.1", 8080));
        assertThat(config.chains()).containsExactly(ChainConfig.of("devnet", 1337, List.of(
                new UpstreamConfig("alpha", URI.create("http://127.0.0.1:8545")),
                new UpstreamConfig("beta", URI.create("https://eth.example-vendor.io/v3/s3cr3t-key")))));
    }

    @Test
    void everyKeyIsBound() {
        String yaml = """
                server:
                  listen: "[::1]:9090"
                  maxRequestBytes: 2048
                  maxBatchSize: 10
                  maxJsonDepth: 8
                  eventLoops: 3
                  idleTimeout: 90s
                  fastPath: false
                chains:
                  - id: main-net
                    chainId: "0x539"
                    requestTimeout: 250ms
                    headPollInterval: 2s
                    chainIdCheckInterval: 2m
                    maxLagBlocks: 0
                    deniedMethods: [eth_sign, debug_traceCall]
                    consensus:
                      methods: [eth_getBalance]
                      minAgree: 3
                      whenSingleUpstream: serve
                    hedging:
                      enabled: false
                      minDelay: 0ms
                      maxDelay: 1h
                    upstreams:
                      - name: a.1_x-y
                        url: HTTPS://a.example/rpc?key=1
                      - name: b
                        url: http://b.example:8545
                """;

        OutlastConfig config = ConfigLoader.parse(yaml, Map.of(), "config.yaml");

        assertThat(config.server()).isEqualTo(new ServerConfig("::1", 9090, 2048, 10, 8, 3, Duration.ofSeconds(90), false));
        assertThat(config.chains()).containsExactly(new ChainConfig(
                "main-net", 1337,
                List.of(new UpstreamConfig("a.1_x-y", URI.create("HTTPS://a.example/rpc?key=1")),
                        new UpstreamConfig("b", URI.create("http://b.example:8545"))),
                Duration.ofMillis(250), Duration.ofSeconds(2), Duration.ofMinutes(2), 0,
                new ConsensusConfig(Set.of("eth_getBalance"), 3, SingleUpstreamPolicy.SERVE),
                new HedgingConfig(false, Duration.ZERO, Duration.ofHours(1)),
                Set.of("eth_sign", "debug_traceCall")));
    }

    @Test
    void rejectsUnknownKeyWithItsPath() {
        assertThat(problems("""
                chains:
                  - id: devnet
                    chainId: 1
                    upstreams:
                      - name: alpha
                        urll: http://127.0.0.1:8545
                """)).containsExactly(
                "chains[0].upstreams[0].urll: unknown key (expected one of: name, url, ws, rateLimit, vendor)",
                "chains[0].upstreams[0].url: missing (expected: http or https URL)");
    }

    @Test
    void anUpstreamMayHaveAWebSocketUrl() {
        OutlastConfig config = ConfigLoader.parse("""
                chains:
                  - id: devnet
                    chainId: 1
                    upstreams:
                      - name: alpha
                        url: https://a.example/v2/Kq7sV2x9dLp3Rt8mZb4N
                        ws: wss://a.example/ws/v2/Kq7sV2x9dLp3Rt8mZb4N
                      - name: beta
                        url: http://127.0.0.1:8546
                """, Map.of(), "config.yaml");
        List<UpstreamConfig> upstreams = config.chains().get(0).upstreams();
        assertThat(upstreams.get(0).ws()).isEqualTo(URI.create("wss://a.example/ws/v2/Kq7sV2x9dLp3Rt8mZb4N"));
        assertThat(upstreams.get(0).toString()).doesNotContain("Kq7sV2x9dLp3Rt8mZb4N");
        assertThat(upstreams.get(1).ws()).isNull();
        assertThat(problems("""
                chains:
                  - id: devnet
                    chainId: 1
                    upstreams:
                      - name: alpha
                        url: http://127.0.0.1:8545
                        ws: http://127.0.0.1:8545
                      - name: beta
                        url: http://127.0.0.1:8546
                        ws: ws://127.0.0.1:8545/
                      - name: gamma
                        url: http://127.0.0.1:8547
                        ws: ws://127.0.0.1:8545/
                """)).containsExactly(
                "chains[0].upstreams[0].ws: \"http://127.0.0.1:8545\" (expected: ws or wss URL)",
                "chains[0].upstreams[2].ws: \"ws://127.0.0.1:8545/\" (expected: unique within the chain, already used by "
                + "chains[0].upstreams[1])");
    }

    @Test
    void unknownTopLevelKeyListsTheKnownOnes() {
        assertThat(problems("servr: {}\n" + chain("devnet")))
                .containsExactly("servr: unknown key (expected one of: server, chains, sites, frontDoors, cache, monitoring, alerts, "
                        + "storage, maintenance, admin)");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertThat(problems("""
                server:
                  listen: localhost
                  maxBatchSize: 0
                chains:
                  - id: Dev_Net
                    maxLagBlocks: x
                    requestTimeout: 500
                    upstreams:
                      - name: alpha
                        url: htp://x
                      - name: alpha
                        url: http://127.0.0.1:8546
                  - id: other
                    chainId: 2
                    upstreams: []
                """)).containsExactly(
                "server.listen: \"localhost\" (expected: host:port)",
                "server.maxBatchSize: 0 (expected: a positive integer)",
                "chains[0].id: \"Dev_Net\" (expected: a chain id matching [a-z0-9][a-z0-9-]{0,62})",
                "chains[0].maxLagBlocks: \"x\" (expected: a non-negative integer)",
                "chains[0].requestTimeout: 500 (expected: a duration such as 500ms or 10s)",
                "chains[0].upstreams[0].url: \"htp://x\" (expected: http or https URL)",
                "chains[0].upstreams[1].name: \"alpha\" (expected: unique within the chain, already used by "
                + "chains[0].upstreams[0])",
                "chains[0].chainId: missing (expected: a positive integer)",
                "chains[1].upstreams: [] (expected: at least one upstream)");
    }

    @Test
    void exceptionMessageHasOneLinePerProblemPrefixedBySource() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse("""
                chains:
                  - id: devnet
                """, Map.of(), "prod.yaml"));

        assertThat(e.sourceName()).isEqualTo("prod.yaml");
        assertThat(e.getMessage()).isEqualTo("""
                prod.yaml: chains[0].chainId: missing (expected: a positive integer)
                prod.yaml: chains[0].upstreams: missing (expected: a list of upstreams)""");
    }

    @Test
    void unsetEnvironmentVariableIsNamed() {
        assertThat(problems(MINIMAL, Map.of())).containsExactly(
                "chains[0].upstreams[1].url: environment variable BETA_KEY is not set");
    }

    @Test
    void everyUnsetVariableOfAStringIsNamed() {
        assertThat(problems(chain("devnet", "https://${HOST}/v3/${KEY}/${HOST}"), Map.of())).containsExactly(
                "chains[0].upstreams[0].url: environment variable HOST is not set",
                "chains[0].upstreams[0].url: environment variable KEY is not set");
    }

    @Test
    void secretNeverAppearsInErrorMessage() {
        String yaml = """
                chains:
                  - id: devnet
                    chainId: ${CHAIN_ID}
                    upstreams:
                      - name: alpha
                        url: htp://eth.example-vendor.io/v3/${BETA_KEY}
                      - name: beta
                        url: ${BETA_URL}
                """;
        Map<String, String> env = Map.of("BETA_KEY", "s3cr3t-key", "CHAIN_ID", "s3cr3t-id",
                                         "BETA_URL", "https://eth.example-vendor.io/v3/s3cr3t-key with space");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, env, "c.yaml"));

        assertThat(e.problems()).map(ConfigProblem::toString).containsExactly(
                "chains[0].chainId: \"${CHAIN_ID}\" (expected: a positive integer)",
                "chains[0].upstreams[0].url: \"htp://eth.example-vendor.io/v3/${BETA_KEY}\" "
                + "(expected: http or https URL)",
                "chains[0].upstreams[1].url: \"${BETA_URL}\" (expected: http or https URL)");
        assertThat(e.getMessage()).doesNotContain("s3cr3t");
    }

    @Test
    void interpolatesSeveralVariablesInOneStringAndEveryStringScalar() {
        String yaml = """
                server:
                  listen: ${HOST}:${PORT}
                chains:
                  - id: ${CHAIN}
                    chainId: ${CHAIN_ID}
                    upstreams:
                      - name: alpha
                        url: https://${HOST}/v3/${KEY}?again=${KEY}
                """;
        Map<String, String> env = Map.of("HOST", "x.io", "PORT", "9000", "CHAIN", "devnet", "CHAIN_ID", "0x539",
                                         "KEY", "k1");

        OutlastConfig config = ConfigLoader.parse(yaml, env, "c.yaml");

        assertThat(config.server().host()).isEqualTo("x.io");
        assertThat(config.server().port()).isEqualTo(9000);
        assertThat(config.chains().getFirst().id()).isEqualTo("devnet");
        assertThat(config.chains().getFirst().chainId()).isEqualTo(1337);
        assertThat(config.chains().getFirst().upstreams().getFirst().url())
                .isEqualTo(URI.create("https://x.io/v3/k1?again=k1"));
    }

    @Test
    void malformedInterpolationIsAProblem() {
        assertThat(problems(chain("devnet", "http://x.io/${KEY"))).containsExactly(
                "chains[0].upstreams[0].url: \"http://x.io/${KEY\" (expected: ${NAME} with NAME of letters, digits "
                + "and _, or $${ for a literal ${)");
        assertThat(problems(chain("devnet", "http://x.io/${}"))).hasSize(1);
        assertThat(problems(chain("devnet", "http://x.io/${A-B}"))).hasSize(1);
    }

    @Test
    void listenTakesHostAndPortWithBracketsForIpv6() {
        assertThat(server("listen: 0.0.0.0:0")).isEqualTo(ServerConfig.of("0.0.0.0", 0));
        assertThat(server("listen: gateway.internal:65535")).isEqualTo(ServerConfig.of("gateway.internal", 65535));
        assertThat(server("listen: \"[::1]:8080\"")).isEqualTo(ServerConfig.of("::1", 8080));
        assertThat(problems("server:\n  listen: 127.0.0.1:65536\n" + chain("devnet"))).containsExactly(
                "server.listen: \"127.0.0.1:65536\" (expected: host:port with a port in 0..65535)");
        assertThat(problems("server:\n  listen: ::1:8080\n" + chain("devnet"))).containsExactly(
                "server.listen: \"::1:8080\" (expected: host:port)");
        assertThat(problems("server:\n  listen: 8080\n" + chain("devnet"))).containsExactly(
                "server.listen: 8080 (expected: host:port)");
    }

    @Test
    void serverLimitsMustBePositiveIntegersThatFit() {
        assertThat(problems("""
                server:
                  maxRequestBytes: 3000000000
                  maxBatchSize: 1.5
                  maxJsonDepth: 1
                """ + chain("devnet"))).containsExactly(
                "server.maxRequestBytes: 3000000000 (expected: at most 2147483647)",
                "server.maxBatchSize: 1.5 (expected: a positive integer)",
                "server.maxJsonDepth: 1 (expected: an integer >= 2)");
    }

    @Test
    void eventLoopsAreOnePerCoreUnlessSetToAPositiveCount() {
        assertThat(ConfigLoader.parse(chain("devnet"), Map.of(), "c.yaml").server().effectiveEventLoops())
                .isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(ConfigLoader.parse("server:\n  eventLoops: 1\n" + chain("devnet"), Map.of(), "c.yaml")
                .server().effectiveEventLoops()).isEqualTo(1);
        assertThat(problems("server:\n  eventLoops: 0\n" + chain("devnet"))).containsExactly(
                "server.eventLoops: 0 (expected: a number of threads from 1 to 256; default: one per core)");
        assertThat(problems("server:\n  eventLoops: 1000\n" + chain("devnet"))).containsExactly(
                "server.eventLoops: 1000 (expected: at most 256)");
        assertThat(problems("server:\n  eventLoops: auto\n" + chain("devnet"))).containsExactly(
                "server.eventLoops: \"auto\" (expected: a number of threads from 1 to 256; default: one per core)");
    }

    @Test
    void webSocketLimitsDefaultAndBadOnesNameTheirPath() {
        assertThat(ConfigLoader.parse(chain("devnet"), Map.of(), "c.yaml").server().webSocket())
                .isEqualTo(WebSocketConfig.DEFAULT);
        WebSocketConfig set = ConfigLoader.parse("server:\n  webSocket: {maxQueuedBytes: 1MiB, pingInterval: 10s, "
                + "maxSubscriptionsPerConnection: 5}\n" + chain("devnet"), Map.of(), "c.yaml").server().webSocket();
        assertThat(set.maxQueuedBytes()).isEqualTo(1024 * 1024);
        assertThat(set.pingInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(set.maxSubscriptionsPerConnection()).isEqualTo(5);
        assertThat(problems("server:\n  webSocket: {maxQueuedBytes: lots}\n" + chain("devnet"))).containsExactly(
                "server.webSocket.maxQueuedBytes: \"lots\" (expected: a size such as 256MiB, 1GiB or a number of bytes)");
        assertThat(problems("server:\n  webSocket: {pingInterval: 2m}\n" + chain("devnet"))).containsExactly(
                "server.webSocket: idleTimeout: PT1M30S (expected: longer than pingInterval PT2M, or a client answering "
                        + "every ping is closed)");
        assertThat(problems("server:\n  webSocket: {maxSubscription: 5}\n" + chain("devnet"))).hasSize(1)
                .allSatisfy(p -> assertThat(p).startsWith("server.webSocket.maxSubscription: unknown key"));
    }

    @Test
    void maxStalenessIsTwoSecondsUnlessSetToAPositiveDuration() {
        assertThat(ConfigLoader.parse(chain("devnet"), Map.of(), "c.yaml").chains().get(0).maxStaleness())
                .isEqualTo(Duration.ofSeconds(2));
        String chain = chain("devnet").replace("    chainId: 1\n", "    chainId: 1\n    maxStaleness: %s\n");
        assertThat(ConfigLoader.parse(chain.formatted("5s"), Map.of(), "c.yaml").chains().get(0).maxStaleness())
                .isEqualTo(Duration.ofSeconds(5));
        assertThat(problems(chain.formatted("0s"))).containsExactly("chains[0].maxStaleness: \"0s\" (expected: > 0)");
        assertThat(problems(chain.formatted("soon"))).containsExactly(
                "chains[0].maxStaleness: \"soon\" (expected: a duration such as 500ms or 10s)");
    }

    @Test
    void idleTimeoutIsFifteenSecondsUnlessSetToAPositiveDurationAndTheFastPathIsOn() {
        assertThat(ConfigLoader.parse(chain("devnet"), Map.of(), "c.yaml").server().idleTimeout())
                .isEqualTo(Duration.ofSeconds(15));
        assertThat(ConfigLoader.parse("server:\n  idleTimeout: 2m\n" + chain("devnet"), Map.of(), "c.yaml")
                .server().idleTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(problems("server:\n  idleTimeout: 0s\n" + chain("devnet"))).containsExactly(
                "server.idleTimeout: \"0s\" (expected: > 0)");
        assertThat(problems("server:\n  idleTimeout: 15\n" + chain("devnet"))).containsExactly(
                "server.idleTimeout: 15 (expected: a duration such as 500ms or 10s)");
        assertThat(ConfigLoader.parse(chain("devnet"), Map.of(), "c.yaml").server().fastPath()).isTrue();
        assertThat(problems("server:\n  fastPath: sometimes\n" + chain("devnet"))).containsExactly(
                "server.fastPath: \"sometimes\" (expected: true or false)");
    }

    @Test
    void durationsNeedAUnitAndTimeoutsMustBePositive() {
        assertThat(problems("""
                chains:
                  - id: devnet
                    chainId: 1
                    requestTimeout: 0s
                    headPollInterval: "1000"
                    chainIdCheckInterval: 1.5s
                    upstreams:
                      - name: alpha
                        url: http://127.0.0.1:8545
                """)).containsExactly(
                "chains[0].requestTimeout: \"0s\" (expected: > 0)",
                "chains[0].headPollInterval: \"1000\" (expected: a duration such as 500ms or 10s)",
                "chains[0].chainIdCheckInterval: \"1.5s\" (expected: a duration such as 500ms or 10s)");
    }

    @Test
    void chainIdIsAPositiveIntegerInDecimalOrHex() {
        assertThat(chainId("1337")).isEqualTo(1337);
        assertThat(chainId("0x539")).isEqualTo(1337);
        assertThat(chainId("\"0x539\"")).isEqualTo(1337);
        assertThat(chainId("\"1337\"")).isEqualTo(1337);
        assertThat(problems(chain("devnet").replace("chainId: 1", "chainId: 0"))).containsExactly(
                "chains[0].chainId: 0 (expected: a positive integer)");
        assertThat(problems(chain("devnet").replace("chainId: 1", "chainId: \"0xzz\""))).containsExactly(
                "chains[0].chainId: \"0xzz\" (expected: a positive integer)");
        assertThat(problems(chain("devnet").replace("chainId: 1", "chainId: [1]"))).containsExactly(
                "chains[0].chainId: a list (expected: a positive integer)");
    }

    @Test
    void keyWithoutValueCountsAsAbsent() {
        assertThat(problems("server:\nchains:\n")).containsExactly("chains: missing (expected: a list of chains, unless sites or frontDoors are configured)");
        assertThat(problems(chain("devnet").replace("chainId: 1", "chainId:"))).containsExactly(
                "chains[0].chainId: missing (expected: a positive integer)");
    }

    @Test
    void chainsAreRequiredAndNotEmpty() {
        assertThat(problems("")).containsExactly("chains: missing (expected: a list of chains, unless sites or frontDoors are configured)");
        assertThat(problems("# nothing yet\n")).containsExactly("chains: missing (expected: a list of chains, unless sites or frontDoors are configured)");
        assertThat(problems("chains: []")).containsExactly("chains: [] (expected: at least one chain)");
        assertThat(problems("chains: devnet")).containsExactly("chains: \"devnet\" (expected: a list of chains)");
        assertThat(problems("chains:\n  - devnet")).containsExactly(
                "chains[0]: \"devnet\" (expected: a chain, a mapping with id, chainId and upstreams)");
        assertThat(problems("- a\n- b")).containsExactly("a list (expected: a mapping with server, chains, sites and frontDoors)");
    }

    @Test
    void chainIdsAreUnique() {
        assertThat(problems(chain("devnet") + chain("devnet").replace("chains:\n", ""))).containsExactly(
                "chains[1].id: \"devnet\" (expected: unique, already used by chains[0])");
    }

    @Test
    void upstreamUrlsAreUniqueWithinAChain() {
        assertThat(problems("""
                chains:
                  - id: devnet
                    chainId: 1
                    upstreams:
                      - name: alpha
                        url: https://x.io/v3/${KEY}
                      - name: beta
                        url: https://x.io/v3/${SAME_KEY}
                """, Map.of("KEY", "k", "SAME_KEY", "k"))).containsExactly(
                "chains[0].upstreams[1].url: \"https://x.io/v3/${SAME_KEY}\" (expected: unique within the chain, "
                + "already used by chains[0].upstreams[0])");
    }

    @Test
    void methodListsNameEveryBadElement() {
        assertThat(problems("""
                chains:
                  - id: devnet
                    chainId: 1
                    deniedMethods: [eth_sign, "eth sign", ~]
                    consensus:
                      methods: eth_call
                      minAgree: 0
                      whenSingleUpstream: FAIL
                    upstreams:
                      - name: alpha
                        url: http://127.0.0.1:8545
                      - name: beta
                        url: http://127.0.0.1:8546
                """)).containsExactly(
                "chains[0].deniedMethods[1]: \"eth sign\" (expected: a method name matching [A-Za-z0-9_]+)",
                "chains[0].deniedMethods[2]: null (expected: a method name matching [A-Za-z0-9_]+)",
                "chains[0].consensus.methods: \"eth_call\" (expected: a list of method names)",
                "chains[0].consensus.minAgree: 0 (expected: a positive integer)",
                "chains[0].consensus.whenSingleUpstream: \"FAIL\" (expected: fail or serve)");
    }

    @Test
    void hedgingMaxDelayMustNotBeBelowMinDelay() {
        assertThat(problems(hedging("minDelay: 100ms\n      maxDelay: 10ms"))).containsExactly(
                "chains[0].hedging.maxDelay: \"10ms\" (expected: >= minDelay \"100ms\")");
        assertThat(problems(hedging("maxDelay: 10ms"))).containsExactly(
                "chains[0].hedging.maxDelay: \"10ms\" (expected: >= minDelay, 50ms by default)");
        assertThat(problems(hedging("minDelay: 5s"))).containsExactly(
                "chains[0].hedging.minDelay: \"5s\" (expected: <= maxDelay, 2s by default)");
        assertThat(problems(hedging("enabled: maybe"))).containsExactly(
                "chains[0].hedging.enabled: \"maybe\" (expected: true or false)");
    }

    @Test
    void yamlSyntaxErrorGivesLineAndColumn() {
        assertThat(problems("chains:\n  - id: devnet\n    chainId: 1: 2\n")).containsExactly(
                "line 3, column 15: invalid YAML: mapping values are not allowed here");
        assertThat(problems("server:\n  listen: [1, 2\n")).singleElement().asString()
                .startsWith("line 3, column 1: invalid YAML: expected ',' or ']'");
    }

    @Test
    void duplicateKeyIsAProblem() {
        assertThat(problems("server:\n  listen: a:1\n  listen: b:2\n" + chain("devnet"))).singleElement()
                .asString().isEqualTo("line 3, column 9: invalid YAML: duplicate key 'listen'");
    }

    @Test
    void aliasesAreRefusedWithTheirPath() {
        assertThat(problems("""
                chains:
                  - id: &name devnet
                    chainId: 1
                    upstreams:
                      - name: *name
                        url: http://127.0.0.1:8545
                """)).containsExactly(
                "chains[0].upstreams[0].name: *name (expected: a value written out; YAML aliases are not supported)");
    }

    @Test
    void secondDocumentIsAProblem() {
        assertThat(problems(chain("devnet") + "---\n" + chain("other"))).containsExactly(
                "line 8, column 1: a second YAML document (expected: one document)");
    }

    @Test
    void singleUpstreamIsAWarningNotAnError() {
        ConfigLoader.Result result = ConfigLoader.parseWithWarnings(chain("devnet"), Map.of(), "c.yaml");

        assertThat(result.config().chains()).hasSize(1);
        assertThat(result.warnings()).map(ConfigProblem::toString).containsExactly(
                "chains[0].upstreams: only one upstream (consensus then trusts a single provider, and failover has "
                + "nowhere to go)");
        assertThat(ConfigLoader.parseWithWarnings(MINIMAL, ENV, "c.yaml").warnings()).isEmpty();
    }

    @Test
    void loadsAFileWithTheProcessEnvironment(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, chain("devnet"));

        assertThat(ConfigLoader.load(file).chains()).extracting(ChainConfig::id).containsExactly("devnet");
    }

    @Test
    void missingFileIsOneClearProblem(@TempDir Path dir) {
        Path file = dir.resolve("absent.yaml");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file));

        assertThat(e.problems()).containsExactly(new ConfigProblem("", "no such file"));
        assertThat(e.getMessage()).isEqualTo(file + ": no such file");
    }

    @Test
    void directoryIsOneClearProblem(@TempDir Path dir) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(dir));

        assertThat(e.problems()).containsExactly(new ConfigProblem("", "is a directory"));
    }

    @Test
    void cacheIsOnByDefaultAndEveryKeyIsBound() {
        assertThat(ConfigLoader.parse(MINIMAL, ENV, "c.yaml").cache()).isEqualTo(CacheConfig.DEFAULT);
        OutlastConfig config = ConfigLoader.parse(chain("devnet") + """
                cache:
                  enabled: true
                  maxSize: 64MiB
                  reorgHorizon: 128
                  redis:
                    url: redis://:${REDIS_PASSWORD}@cache.internal:6379/2
                    timeout: 20ms
                    ttl: 1h
                """, Map.of("REDIS_PASSWORD", "pw"), "c.yaml");
        CacheConfig cache = config.cache();
        assertThat(cache.maxBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(cache.maxBytesSet()).isTrue();
        assertThat(cache.reorgHorizon()).isEqualTo(128);
        assertThat(cache.redis().url()).isEqualTo(URI.create("redis://:pw@cache.internal:6379/2"));
        assertThat(cache.redis().timeout()).isEqualTo(Duration.ofMillis(20));
        assertThat(cache.redis().ttl()).isEqualTo(Duration.ofHours(1));
        assertThat(cache.redis().toString()).doesNotContain("pw");
        assertThat(ConfigLoader.parse(chain("devnet") + "cache:\n  maxSize: 1000\n", Map.of(), "c.yaml")
                .cache().maxBytes()).isEqualTo(1000);
        assertThat(ConfigLoader.parse(chain("devnet") + "cache:\n  reorgHorizon: 10\n", Map.of(), "c.yaml")
                .cache().maxBytesSet()).isFalse();
    }

    @Test
    void getLogsSplittingIsConfigurable() {
        OutlastConfig config = ConfigLoader.parse(chain("devnet")
                + "    getLogs:\n      maxBlockRange: 500\n      maxChunks: 20\n", Map.of(), "c.yaml");
        assertThat(config.chains().get(0).logs()).isEqualTo(new LogsConfig(500, 20));
        assertThat(ConfigLoader.parse(chain("devnet"), Map.of(), "c.yaml").chains().get(0).logs())
                .isEqualTo(LogsConfig.DEFAULT);
        assertThat(problems(chain("devnet") + "    getLogs:\n      maxBlockRange: -1\n      chunks: 2\n"))
                .containsExactly("chains[0].getLogs.maxBlockRange: -1 (expected: a number of blocks >= 1)",
                        "chains[0].getLogs.chunks: unknown key (expected one of: maxBlockRange, maxChunks)");
    }

    @Test
    void anUpstreamsRateLimitIsPerSecondOrPerMinute() {
        String yaml = """
                chains:
                  - id: devnet
                    chainId: 1
                    upstreams:
                      - name: a
                        url: http://127.0.0.1:8545
                        rateLimit: 25/s
                      - name: b
                        url: http://127.0.0.1:8546
                        rateLimit: 1500/m
                      - name: c
                        url: http://127.0.0.1:8547
                        rateLimit: 10
                      - name: d
                        url: http://127.0.0.1:8548
                """;
        List<UpstreamConfig> upstreams = ConfigLoader.parse(yaml, Map.of(), "c.yaml").chains().get(0).upstreams();
        assertThat(upstreams).extracting(UpstreamConfig::rateLimit).containsExactly(25.0, 25.0, 10.0, 0.0);
        assertThat(problems(yaml.replace("rateLimit: 10", "rateLimit: fast")))
                .containsExactly("chains[0].upstreams[2].rateLimit: \"fast\" (expected: a rate such as 25/s, 1500/m "
                        + "or 25 (per second))");
    }

    @Test
    void badCacheValuesNameTheirPath() {
        assertThat(problems(chain("devnet") + """
                cache:
                  maxSize: lots
                  reorgHorizon: 0
                  size: 1
                  redis:
                    url: http://cache.internal:6379
                """)).containsExactly(
                "cache.maxSize: \"lots\" (expected: a size such as 256MiB, 1GiB or a number of bytes)",
                "cache.reorgHorizon: 0 (expected: a number of blocks >= 1)",
                "cache.size: unknown key (expected one of: enabled, maxSize, reorgHorizon, redis)",
                "cache.redis.url: \"http://cache.internal:6379\" (expected: redis:// or rediss:// URL)");
        assertThat(problems(chain("devnet") + "cache:\n  redis: {}\n"))
                .containsExactly("cache.redis.url: missing (expected: redis:// or rediss:// URL)");
    }

    @Test
    void problemPrintsAsPathColonMessage() {
        assertThat(new ConfigProblem("server.listen", "\"x\" (expected: host:port)"))
                .hasToString("server.listen: \"x\" (expected: host:port)");
        assertThat(new ConfigProblem("", "no such file")).hasToString("no such file");
    }

    private static List<String> problems(String yaml) {
        return problems(yaml, Map.of());
    }

    private static List<String> problems(String yaml, Map<String, String> env) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, env, "c.yaml"));
        assertThat(e).as("expected problems in:%n%s", yaml).isNotNull();
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    private static String chain(String id) {
        return chain(id, "http://127.0.0.1:8545");
    }

    private static String chain(String id, String url) {
        return """
                chains:
                  - id: %s
                    chainId: 1
                    upstreams:
                      - name: alpha
                        url: %s
                """.formatted(id, url);
    }

    private static String hedging(String body) {
        return chain("devnet") + "    hedging:\n      " + body + "\n";
    }

    private static ServerConfig server(String body) {
        return ConfigLoader.parse("server:\n  " + body + "\n" + chain("devnet"), Map.of(), "c.yaml").server();
    }

    private static long chainId(String text) {
        return ConfigLoader.parse(chain("devnet").replace("chainId: 1", "chainId: " + text), Map.of(), "c.yaml")
                           .chains().getFirst().chainId();
    }
}
