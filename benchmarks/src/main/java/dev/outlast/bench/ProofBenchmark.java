package dev.outlast.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outlast.verify.AccountProof;
import dev.outlast.verify.BlockHeader;
import dev.outlast.verify.VerifiedAccount;
import java.io.IOException;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CPU cost of a proof-verified read ({@code verify: proofs}), on proofs recorded from ganache:
 * checking an account proof against a state root (paid on every verified read), and recomputing a
 * block header's hash (paid once per block, then cached). The network cost is an
 * {@code eth_getProof} call instead of {@code eth_getBalance}, plus the header once per block.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class ProofBenchmark {

    private byte[] stateRoot;
    private JsonNode fundedAccount;
    private JsonNode absentAccount;
    private JsonNode block;

    @Setup
    public void setUp() throws IOException {
        block = load("block.json");
        stateRoot = HexFormat.of().parseHex(block.get("stateRoot").asText().substring(2));
        fundedAccount = load("proof-funded-account.json");
        absentAccount = load("proof-absent-account.json");
    }

    private static JsonNode load(String name) throws IOException {
        try (InputStream in = ProofBenchmark.class.getResourceAsStream("/verify/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + name);
            }
            return new ObjectMapper().readTree(in);
        }
    }

    @Benchmark
    public VerifiedAccount verifyFundedAccount() {
        return AccountProof.verify(stateRoot, fundedAccount);
    }

    @Benchmark
    public VerifiedAccount verifyAbsentAccount() {
        return AccountProof.verify(stateRoot, absentAccount);
    }

    @Benchmark
    public byte[] blockHeaderHash() {
        return BlockHeader.hash(block);
    }
}
