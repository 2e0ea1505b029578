package dev.outlast.drill.scenario;

import dev.outlast.drill.Fault;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A scripted outage: simulated providers of one chain, phases that set each provider's faults for a
 * while, and the load a wallet puts on the chain meanwhile. Written in YAML (see
 * {@link ScenarioLoader}); immutable.
 *
 * @param name          a short word, e.g. {@code cloudflare-5xx}
 * @param description   one line for {@code drill list}
 * @param providers     provider names; the first is the one the direct load talks to
 * @param blockInterval how often the simulated chain makes a block, default {@link #DEFAULT_BLOCK_INTERVAL}
 * @param load          the wallet load, default {@link Load#DEFAULT}
 * @param phases        at least one, played in order
 */
public record Scenario(String name, String description, List<String> providers, Duration blockInterval, Load load,
                       List<Phase> phases) {

    public static final Duration DEFAULT_BLOCK_INTERVAL = Duration.ofSeconds(1);
    /** Names given to providers when a scenario only says how many. */
    public static final List<String> PROVIDER_NAMES = List.of("alpha", "beta", "gamma", "delta", "epsilon",
            "zeta", "eta", "theta", "iota", "kappa");

    public Scenario {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        providers = List.copyOf(providers);
        phases = List.copyOf(phases);
        Objects.requireNonNull(load, "load");
        if (providers.isEmpty()) {
            throw new IllegalArgumentException("providers: [] (expected: at least one provider)");
        }
        if (phases.isEmpty()) {
            throw new IllegalArgumentException("phases: [] (expected: at least one phase)");
        }
        for (Phase phase : phases) {
            for (String provider : phase.faults().keySet()) {
                if (!providers.contains(provider)) {
                    throw new IllegalArgumentException("phases: " + phase.name() + ": faults for " + provider
                            + " (expected: one of " + String.join(", ", providers) + ")");
                }
            }
        }
    }

    /** This scenario with every phase lasting {@code length} (to shorten it, e.g. in CI). */
    public Scenario withPhaseLength(Duration length) {
        return new Scenario(name, description, providers, blockInterval, load,
                phases.stream().map(p -> p.withDuration(length)).toList());
    }

    /** The sum of the phases' durations. */
    public Duration duration() {
        return phases.stream().map(Phase::duration).reduce(Duration.ZERO, Duration::plus);
    }

    /**
     * One step of the script.
     *
     * @param name        a short word, shown in the progress line and the table
     * @param description one sentence saying what happens, may be empty
     * @param duration    how long it lasts
     * @param faults      faults by provider name; providers not named serve honestly
     */
    public record Phase(String name, String description, Duration duration, Map<String, List<Fault>> faults) {

        public Phase {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(description, "description");
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("duration: " + duration + " (expected: > 0)");
            }
            Map<String, List<Fault>> copy = new LinkedHashMap<>();
            faults.forEach((k, v) -> copy.put(k, List.copyOf(v)));
            faults = java.util.Collections.unmodifiableMap(copy);
        }

        /** The faults of {@code provider}, empty when it serves honestly. */
        public List<Fault> faultsOf(String provider) {
            return faults.getOrDefault(provider, List.of());
        }

        Phase withDuration(Duration length) {
            return new Phase(name, description, length, faults);
        }
    }

    /**
     * The wallet load, run the same way through Outlast and directly against the first provider.
     *
     * @param readers            concurrent readers per path (block numbers, balances, nonces, chain id),
     *                           default {@value #DEFAULT_READERS}
     * @param transfersPerSecond signed transfers sent per second per path, default
     *                           {@value #DEFAULT_TRANSFERS_PER_SECOND}; 0 for none
     */
    public record Load(int readers, double transfersPerSecond) {

        public static final int DEFAULT_READERS = 4;
        public static final double DEFAULT_TRANSFERS_PER_SECOND = 2;
        public static final Load DEFAULT = new Load(DEFAULT_READERS, DEFAULT_TRANSFERS_PER_SECOND);

        public Load {
            if (readers < 1) {
                throw new IllegalArgumentException("readers: " + readers + " (expected: >= 1)");
            }
            if (!(transfersPerSecond >= 0 && transfersPerSecond <= 100)) {
                throw new IllegalArgumentException("transfersPerSecond: " + transfersPerSecond
                        + " (expected: 0..100)");
            }
        }
    }
}
