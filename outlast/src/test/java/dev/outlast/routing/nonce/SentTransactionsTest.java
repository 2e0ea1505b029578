package dev.outlast.routing.nonce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlast.testing.FakeTicker;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SentTransactionsTest {

    private static final String SENDER = "0x00000000000000000000000000000000000000aa";

    private final FakeTicker ticker = new FakeTicker();
    private final SentTransactions sent = new SentTransactions(ticker);

    private static SignedTx tx(long nonce) {
        return new SignedTx("0x" + Long.toHexString(1000 + nonce), SENDER, nonce);
    }

    @Test
    void onlyARunWithoutGapFromTheLatestNonceCounts() {
        sent.accepted(tx(5), List.of("alpha"));
        sent.accepted(tx(6), List.of("beta"));
        sent.accepted(tx(8), List.of("alpha"));
        assertThat(sent.unmined(SENDER, 5, 100)).isEqualTo(2);
        assertThat(sent.unmined(SENDER, 6, 101)).as("5 mined").isEqualTo(1);
        assertThat(sent.unmined(SENDER, 4, 99)).as("no entry at 4").isZero();
    }

    @Test
    void aTransactionSeenMinedIsDroppedWhenALaterBlockNoLongerHasIt() {
        sent.accepted(tx(5), List.of("alpha"));
        assertThat(sent.unmined(SENDER, 6, 101)).isZero();
        assertThat(sent.unmined(SENDER, 5, 100)).as("an older block's read: still pending there").isEqualTo(1);
        assertThat(sent.unmined(SENDER, 5, 102)).as("a reorg took it out").isZero();
        assertThat(sent.wasAccepted(tx(5))).isFalse();
    }

    @Test
    void replacedBlocksDropWhatWasSeenMinedInThem() {
        sent.accepted(tx(5), List.of("alpha"));
        sent.accepted(tx(6), List.of("alpha"));
        sent.unmined(SENDER, 6, 101);
        sent.replaced(101);
        assertThat(sent.wasAccepted(tx(5))).isFalse();
        assertThat(sent.unmined(SENDER, 5, 103)).as("6 is pending but 5 is gone").isZero();
    }

    @Test
    void aResendIsAnsweredFromMemoryWhileQuietOrMinedOnly() {
        sent.accepted(tx(5), List.of("alpha"));
        assertThat(sent.resend(tx(5))).hasValueSatisfying(a -> assertThat(a.upstreams()).containsExactly("alpha"));
        ticker.advance(SentTransactions.RESEND_QUIET);
        assertThat(sent.resend(tx(5))).as("broadcast again").isEmpty();
        sent.unmined(SENDER, 6, 101);
        assertThat(sent.resend(tx(5))).hasValueSatisfying(a -> assertThat(a.mined()).isTrue());
        assertThat(sent.resend(new SignedTx("0xother", SENDER, 5))).as("another transaction, same nonce").isEmpty();
    }

    @Test
    void entriesExpireAndASenderKeepsAtMostItsLimit() {
        for (long n = 0; n < SentTransactions.MAX_PER_SENDER + 10; n++) {
            sent.accepted(tx(n), List.of("alpha"));
        }
        assertThat(sent.unmined(SENDER, 0, 100)).isEqualTo(SentTransactions.MAX_PER_SENDER);
        ticker.advance(SentTransactions.KEEP.minus(Duration.ofSeconds(1)));
        assertThat(sent.wasAccepted(tx(0))).isTrue();
        ticker.advance(Duration.ofSeconds(1));
        assertThat(sent.wasAccepted(tx(0))).isFalse();
        assertThat(sent.unmined(SENDER, 0, 100)).isZero();
    }
}
