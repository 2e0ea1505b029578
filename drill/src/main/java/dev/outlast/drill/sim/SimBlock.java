package dev.outlast.drill.sim;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.web3j.crypto.Hash;
import org.web3j.rlp.RlpEncoder;
import org.web3j.rlp.RlpList;
import org.web3j.rlp.RlpString;
import org.web3j.rlp.RlpType;
import org.web3j.utils.Numeric;

/**
 * One block of a {@link SimulatedChain} and the state after it: every account's balance and nonce,
 * so that historical queries answer what was true then. Immutable.
 *
 * @param hash         keccak-256 of the RLP list [chainId, number, parentHash, timestamp, baseFee,
 *                     gasLimit, [transaction hashes]]
 * @param transactions transaction hashes in block order
 * @param state        lower-case address to state after this block
 */
public record SimBlock(long number, String hash, String parentHash, long timestamp, BigInteger baseFeePerGas,
                       BigInteger gasLimit, BigInteger gasUsed, List<String> transactions,
                       Map<String, AccountState> state) {

    /** The parent hash of the genesis block. */
    public static final String ZERO_HASH = "0x" + "0".repeat(64);

    public SimBlock {
        transactions = List.copyOf(transactions);
        state = Map.copyOf(state);
    }

    /** Builds a block, computing its hash. */
    static SimBlock of(long chainId, long number, String parentHash, long timestamp, BigInteger baseFee,
                       BigInteger gasLimit, BigInteger gasUsed, List<String> transactions,
                       Map<String, AccountState> state) {
        List<RlpType> txs = transactions.stream().<RlpType>map(h -> RlpString.create(Numeric.hexStringToByteArray(h)))
                .toList();
        byte[] encoded = RlpEncoder.encode(new RlpList(
                RlpString.create(chainId), RlpString.create(number),
                RlpString.create(Numeric.hexStringToByteArray(parentHash)), RlpString.create(timestamp),
                RlpString.create(baseFee), RlpString.create(gasLimit), new RlpList(txs)));
        return new SimBlock(number, Numeric.toHexString(Hash.sha3(encoded)), parentHash, timestamp, baseFee,
                gasLimit, gasUsed, transactions, state);
    }

    /** The state of {@code address} after this block. */
    public AccountState account(String address) {
        return state.getOrDefault(address.toLowerCase(java.util.Locale.ROOT), AccountState.EMPTY);
    }
}
