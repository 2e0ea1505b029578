package dev.outlast.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import com.linecorp.armeria.client.ClientFactory;
import dev.outlast.health.UpstreamHealth;
import dev.outlast.testing.FakeTicker;
import dev.outlast.upstream.FailureKind;
import dev.outlast.upstream.Upstream;
import dev.outlast.upstream.UpstreamReply;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The order in which one request's candidates are offered, and what is held back. */
class CandidatesTest {

    private final FakeTicker ticker = new FakeTicker();

    @Test
    void retriesSpreadOverTheFlakyUpstreamsInsteadOfSpendingTheBudgetOnOne() {
        // Regression for a drill finding (partition, lag then resets): the whole retry budget went to the
        // upstream with the best error rate, which reset every time, and beta was never asked again.
        ChainUpstream alpha = upstream("alpha", 0);
        ChainUpstream beta = upstream("beta", 6);
        Candidates candidates = new Candidates(new ArrayList<>(List.of(alpha, beta)), new ArrayList<>());

        List<String> asked = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ChainUpstream next = candidates.next();
            asked.add(next.name());
            candidates.failed(next, FailureKind.RESET);
        }

        assertThat(asked).containsExactly("alpha", "beta", "alpha", "beta", "alpha", "beta");
    }

    @Test
    void anUpstreamLastSeenFarBehindIsOfferedOnlyAfterAFailure() {
        ChainUpstream alpha = upstream("alpha", 0);
        ChainUpstream gamma = upstream("gamma", 0);
        Candidates candidates = new Candidates(new ArrayList<>(List.of(alpha)), new ArrayList<>(), List.of(gamma));

        assertThat(candidates.next()).isSameAs(alpha);
        assertThat(candidates.hasMore()).as("not to hedge a call that is only slow").isFalse();
        assertThat(candidates.next()).isNull();
        candidates.failed(alpha, FailureKind.HTTP_5XX);
        assertThat(candidates.next()).isSameAs(gamma);
    }

    @Test
    void anUpstreamLastSeenFarBehindIsOfferedWhenTheOthersCannotMakeTheQuorum() {
        ChainUpstream beta = upstream("beta", 0);
        ChainUpstream gamma = upstream("gamma", 0);
        Candidates candidates = new Candidates(new ArrayList<>(List.of(beta)), new ArrayList<>(), List.of(gamma));
        candidates.needs(2);

        assertThat(candidates.next()).isSameAs(beta);
        assertThat(candidates.next()).isSameAs(gamma);
        assertThat(candidates.next()).isNull();
    }

    private ChainUpstream upstream(String name, int failures) {
        UpstreamHealth health = new UpstreamHealth(name, ticker, null);
        health.chainIdChecked(null);
        health.record(UpstreamReply.result(name, TextNode.valueOf("0x1"), 1_000_000));
        for (int i = 0; i < failures; i++) {
            health.record(UpstreamReply.failure(name, FailureKind.RESET, "reset", 1_000_000));
        }
        return new ChainUpstream(new Upstream(name, URI.create("http://127.0.0.1:9/"), ClientFactory.ofDefault(),
                ticker), health);
    }
}
