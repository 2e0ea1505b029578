package dev.outlast.demo;

import dev.outlast.drill.Fault;
import java.time.Duration;
import java.util.List;

/**
 * One step of the demo's outage script: what the providers {@code alpha} and {@code beta} do
 * ({@code gamma} always serves honestly). Immutable.
 *
 * @param name  a short word shown in brackets on every status line
 * @param story one sentence for the phase's header
 * @param alpha alpha's faults and how the status line describes them
 * @param beta  beta's faults and how the status line describes them
 */
public record Phase(String name, String story, Behaviour alpha, Behaviour beta) {

    /** Faults for one provider and their short description. */
    public record Behaviour(String label, List<Fault> faults) {
        public Behaviour {
            faults = List.copyOf(faults);
        }

        static final Behaviour OK = new Behaviour("ok", List.of());
    }

    /** The script, looped: healthy, three kinds of outage, recovered. */
    public static final List<Phase> SCRIPT = List.of(
            new Phase("healthy", "all providers healthy", Behaviour.OK, Behaviour.OK),
            new Phase("cloudflare-5xx", "alpha serves Cloudflare 522 pages, beta fails 30% with 503",
                    new Behaviour("cloudflare 522", List.of(Fault.cloudflare(522))),
                    new Behaviour("30% 503", List.of(Fault.errorRate(0.3, 503)))),
            new Phase("lies-and-latency", "alpha lies (zero balances and nonces), beta is 1.5 s slow",
                    new Behaviour("lies: 0x0 balances", List.of(Fault.lie())),
                    new Behaviour("+1.5 s", List.of(Fault.latency(Duration.ofMillis(1500))))),
            new Phase("resets-and-latency", "alpha resets connections, beta is 800 ms slow",
                    new Behaviour("connection resets", List.of(Fault.reset())),
                    new Behaviour("+800 ms", List.of(Fault.latency(Duration.ofMillis(800))))),
            new Phase("recovered", "the faults are gone; Outlast lets alpha back in once it has served out "
                                   + "its quarantine", Behaviour.OK, Behaviour.OK));

    /** {@code alpha: cloudflare 522 | beta: 30% 503}. */
    String faultsLine() {
        return "alpha: " + alpha.label() + " | beta: " + beta.label();
    }
}
