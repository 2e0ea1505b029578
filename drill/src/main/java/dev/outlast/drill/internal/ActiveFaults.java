package dev.outlast.drill.internal;

import dev.outlast.drill.Fault;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * One armed fault list: the faults as set, plus the state they need (the frozen head of each
 * {@link Fault.Lag}). Replaced whole when the list changes, which re-arms it. Thread-safe.
 */
public final class ActiveFaults {

    /**
     * What the faults decided for one request.
     *
     * @param delay      added latency, zero if none
     * @param terminal   the first firing terminal fault, or null to forward
     * @param lieMethods methods to lie about, or null
     * @param lag        the firing lag's state, or null
     * @param chainId    the wrong chain id to report, or null
     */
    public record Decision(Duration delay, Fault terminal, Set<String> lieMethods, LagState lag, Long chainId) {
    }

    public static final ActiveFaults NONE = new ActiveFaults(List.of());

    private final List<Fault> faults;
    private final LagState[] lags;

    private ActiveFaults(List<Fault> faults) {
        this.faults = List.copyOf(faults);
        this.lags = new LagState[this.faults.size()];
        for (int i = 0; i < lags.length; i++) {
            if (this.faults.get(i) instanceof Fault.Lag lag) {
                lags[i] = new LagState(lag.blocks());
            }
        }
    }

    /** Arms {@code faults}: a lag freezes its head now if the upstream answers. */
    public static ActiveFaults arm(List<Fault> faults, Upstream upstream) {
        ActiveFaults armed = new ActiveFaults(faults);
        for (LagState lag : armed.lags) {
            if (lag != null) {
                lag.tryFreeze(upstream);
            }
        }
        return armed;
    }

    public List<Fault> faults() {
        return faults;
    }

    /** Rolls every fault's probability once and combines those that fire. */
    public Decision roll(RandomGenerator random) {
        Duration delay = Duration.ZERO;
        Fault terminal = null;
        Set<String> lie = null;
        LagState lag = null;
        Long chainId = null;
        for (int i = 0; i < faults.size(); i++) {
            Fault fault = faults.get(i);
            if (!fires(fault.p(), random)) {
                continue;
            }
            switch (fault) {
                case Fault.Latency l -> delay = delay.plus(l.delay()).plus(jitter(l.jitter(), random));
                case Fault.LatencyDistribution l -> delay = delay.plus(l.sample(random));
                case Fault.Lie l -> {
                    lie = lie == null ? new HashSet<>() : lie;
                    lie.addAll(l.methods());
                }
                case Fault.Lag l -> lag = lag == null ? lags[i] : lag;
                case Fault.WrongChain w -> chainId = chainId == null ? w.chainId() : chainId;
                default -> terminal = terminal == null ? fault : terminal;
            }
        }
        return new Decision(delay, terminal, lie, lag, chainId);
    }

    private static boolean fires(double p, RandomGenerator random) {
        return p >= 1 || (p > 0 && random.nextDouble() < p);
    }

    private static Duration jitter(Duration max, RandomGenerator random) {
        long nanos = max.toNanos();
        return nanos <= 0 ? Duration.ZERO : Duration.ofNanos(random.nextLong(nanos + 1));
    }
}
