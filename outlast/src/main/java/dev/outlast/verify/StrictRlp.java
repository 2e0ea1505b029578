package dev.outlast.verify;

import java.util.Arrays;
import org.web3j.rlp.RlpDecoder;
import org.web3j.rlp.RlpEncoder;
import org.web3j.rlp.RlpList;
import org.web3j.rlp.RlpType;

/**
 * Decodes exactly one canonical RLP item. web3j's decoder is lenient (it may stop early or accept
 * non-minimal lengths), so the decoded item is re-encoded and must reproduce the input byte for
 * byte; anything else is {@link ProofException.Reason#MALFORMED}.
 */
final class StrictRlp {

    private StrictRlp() {}

    static RlpType decode(byte[] encoded, String what) {
        RlpList top;
        try {
            top = RlpDecoder.decode(encoded);
        } catch (RuntimeException e) {
            throw new ProofException(ProofException.Reason.MALFORMED, what + " is not RLP (" + e + ")");
        }
        if (top.getValues().size() != 1) {
            throw new ProofException(ProofException.Reason.MALFORMED,
                    what + " holds " + top.getValues().size() + " RLP items (expected: 1)");
        }
        RlpType item = top.getValues().get(0);
        if (!Arrays.equals(RlpEncoder.encode(item), encoded)) {
            throw new ProofException(ProofException.Reason.MALFORMED, what + " is not canonical RLP");
        }
        return item;
    }
}
