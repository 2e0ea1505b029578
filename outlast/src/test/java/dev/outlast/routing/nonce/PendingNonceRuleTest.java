package dev.outlast.routing.nonce;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PendingNonceRuleTest {

    private static Map<String, Long> answers(Object... nameAndNonce) {
        Map<String, Long> map = new LinkedHashMap<>();
        for (int i = 0; i < nameAndNonce.length; i += 2) {
            map.put((String) nameAndNonce[i], ((Number) nameAndNonce[i + 1]).longValue());
        }
        return map;
    }

    @Test
    void withNothingPendingTheProvenLatestNonceIsServed() {
        PendingNonceRule.Decision d = PendingNonceRule.decide(5, 0, answers("alpha", 5, "beta", 5), 2);
        assertThat(d.nonce()).isEqualTo(5);
        assertThat(d.rule()).isEqualTo("latest");
    }

    @Test
    void outlastsOwnAcceptedBroadcastsRaiseIt() {
        PendingNonceRule.Decision d = PendingNonceRule.decide(5, 2, answers("alpha", 5), 2);
        assertThat(d.nonce()).isEqualTo(7);
        assertThat(d.rule()).isEqualTo("sent");
    }

    @Test
    void anAnswerBelowTheProvenNonceIsALieAndDoesNotCount() {
        assertThat(PendingNonceRule.isLie(5, 0)).isTrue();
        assertThat(PendingNonceRule.isLie(5, 5)).isFalse();
        PendingNonceRule.Decision d = PendingNonceRule.decide(5, 0, answers("alpha", 0), 2);
        assertThat(d.nonce()).isEqualTo(5);
    }

    @Test
    void upstreamsRaiseItOnlyAsHighAsMinAgreeOfThemReach() {
        PendingNonceRule.Decision d = PendingNonceRule.decide(5, 0, answers("alpha", 9, "beta", 7, "gamma", 5), 2);
        assertThat(d.nonce()).as("the second highest answer").isEqualTo(7);
        assertThat(d.rule()).isEqualTo("upstream");
        assertThat(d.raisedBy()).containsExactly("alpha", "beta");
    }

    @Test
    void oneAnsweringUpstreamRaisesItAlone() {
        PendingNonceRule.Decision d = PendingNonceRule.decide(5, 1, answers("alpha", 8), 2);
        assertThat(d.nonce()).isEqualTo(8);
        assertThat(d.raisedBy()).containsExactly("alpha");
    }

    @Test
    void anAnswerMoreThanTheLimitAheadIsNotBelieved() {
        long far = 5 + PendingNonceRule.AHEAD_LIMIT + 1;
        PendingNonceRule.Decision d = PendingNonceRule.decide(5, 1, answers("alpha", far), 2);
        assertThat(d.nonce()).isEqualTo(6);
        assertThat(d.rule()).isEqualTo("sent");
    }
}
