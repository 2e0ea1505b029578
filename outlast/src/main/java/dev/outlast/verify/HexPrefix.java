package dev.outlast.verify;

/**
 * The hex-prefix encoding of a leaf or extension path (Yellow Paper, appendix C): the high nibble
 * of the first byte is a flag (bit 1: leaf, bit 0: odd length); for an odd path the low nibble is
 * the first path nibble, for an even path it must be zero.
 */
record HexPrefix(byte[] nibbles, boolean leaf) {

    static HexPrefix decode(byte[] encoded, String what) {
        if (encoded.length == 0) {
            throw new ProofException(ProofException.Reason.MALFORMED, what + " has an empty path");
        }
        int flag = (encoded[0] & 0xff) >>> 4;
        if (flag > 3) {
            throw new ProofException(ProofException.Reason.MALFORMED,
                    what + " has path flag " + flag + " (expected: 0..3)");
        }
        boolean odd = (flag & 1) == 1;
        if (!odd && (encoded[0] & 0x0f) != 0) {
            throw new ProofException(ProofException.Reason.MALFORMED, what + " has a non-zero pad nibble");
        }
        byte[] nibbles = new byte[encoded.length * 2 - (odd ? 1 : 2)];
        int n = 0;
        if (odd) {
            nibbles[n++] = (byte) (encoded[0] & 0x0f);
        }
        for (int i = 1; i < encoded.length; i++) {
            nibbles[n++] = (byte) ((encoded[i] & 0xff) >>> 4);
            nibbles[n++] = (byte) (encoded[i] & 0x0f);
        }
        return new HexPrefix(nibbles, (flag & 2) == 2);
    }

    static byte[] toNibbles(byte[] bytes) {
        byte[] nibbles = new byte[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            nibbles[2 * i] = (byte) ((bytes[i] & 0xff) >>> 4);
            nibbles[2 * i + 1] = (byte) (bytes[i] & 0x0f);
        }
        return nibbles;
    }
}
