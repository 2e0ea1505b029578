package dev.outlast.routing.head;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.outlast.health.HealthView;
import dev.outlast.health.NodeState;
import dev.outlast.routing.ChainContext;
import dev.outlast.routing.ChainUpstream;
import dev.outlast.rpc.Quantity;
import dev.outlast.upstream.UpstreamReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Polls every upstream of a chain for its head ({@code eth_blockNumber}) and its chain id, and
 * keeps the chain's served head.
 *
 * <h2>Implementation note</h2>
 * The served head is the highest block that at least {@code k} honest upstreams have reported
 * ({@code k} the chain's consensus size, capped by how many report), or higher: a usable honest
 * upstream ahead of that moves it to the blocks it proves extend the served chain, each one's
 * parent hash the hash of the block below ({@link HeadLinks}), so one provider failing a third of
 * its calls, or answering 1.5 s late, does not hold every read back; one claiming a head whose
 * blocks it cannot show, or that are on another chain, moves nothing. It never decreases: clients
 * never see the block number go backwards. The served head is <em>stale</em> while a usable honest
 * upstream has reported a newer block that it has not reached ({@link HeadAge}). Each
 * poll is also a health probe, which is how a down upstream is found to have recovered without
 * risking user traffic. An upstream whose previous poll is still running is skipped. The chain id
 * is checked at start, then every {@code chainIdCheckInterval}, and on every tick while it has
 * not been verified.
 *
 * <p>Thread-safe.
 */
public final class HeadTracker {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(HeadTracker.class);

    static final int FRESH_POLLS = 5;
    /** Safe and finalized blocks move slowly (minutes on Ethereum): polled every this many ticks. */
    static final int FINALITY_EVERY = 4;

    private final ChainContext chain;
    private final AtomicLong servedHead = new AtomicLong(-1);
    private final AtomicLong safeHead = new AtomicLong(-1);
    private final AtomicLong finalizedHead = new AtomicLong(-1);
    private final HeadLinks links;
    private final HeadAge age;
    private final List<Runnable> advanceListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private long ticks;
    private final List<Slot> slots = new ArrayList<>();
    private ScheduledFuture<?> task;

    private static final class Slot {
        final ChainUpstream upstream;
        final AtomicBoolean headInFlight = new AtomicBoolean();
        final AtomicBoolean chainIdInFlight = new AtomicBoolean();
        final AtomicBoolean finalityInFlight = new AtomicBoolean();
        volatile long lastChainIdCheck = Long.MIN_VALUE;
        volatile boolean chainIdVerified;
        volatile boolean finalityUnsupported;
        volatile long safe = -1;
        volatile long finalized = -1;
        /** When the last head poll of this upstream started (ticker nanos). */
        volatile long lastHeadPoll = Long.MIN_VALUE;
        /** A head of this upstream whose blocks did not link to the served chain; -1 if none. */
        volatile long unlinkedHead = -1;

        Slot(ChainUpstream upstream) {
            this.upstream = upstream;
        }
    }

    public HeadTracker(ChainContext chain) {
        this.chain = chain;
        this.links = new HeadLinks(chain);
        this.age = new HeadAge(chain);
        for (ChainUpstream u : chain.upstreams()) {
            slots.add(new Slot(u));
        }
    }

    /** Starts polling, a first round at once, then every {@code headPollInterval}. */
    public void start() {
        long interval = chain.config().headPollInterval().toNanos();
        task = chain.scheduler().scheduleWithFixedDelay(this::tick, 0, interval, TimeUnit.NANOSECONDS);
    }

    public void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }

    /** The block number clients are told is the head; never decreases; -1 before any is known. */
    public long servedHead() {
        return servedHead.get();
    }

    /** How long the served head has been behind a newer block a usable honest upstream reported. */
    public HeadAge age() {
        return age;
    }

    /** Takes the served head's hash, where no step recorded it, from the block watch's {@code hashes}. */
    public void watch(java.util.function.LongFunction<String> hashes) {
        links.watch(hashes);
    }

    /** Runs {@code listener} each time the served head moves up (on a head poll's thread; it must not block). */
    public void onAdvance(Runnable listener) {
        advanceListeners.add(listener);
    }

    /** The agreed {@code safe} block, or -1 when upstreams do not report one. */
    public long safeHead() {
        return safeHead.get();
    }

    /** The agreed {@code finalized} block, or -1 when upstreams do not report one. */
    public long finalizedHead() {
        return finalizedHead.get();
    }

    private Duration pollTimeout() {
        Duration twice = chain.config().headPollInterval().multipliedBy(2);
        Duration floor = Duration.ofSeconds(2);
        Duration ceiling = Duration.ofSeconds(5);
        return twice.compareTo(floor) < 0 ? floor : twice.compareTo(ceiling) > 0 ? ceiling : twice;
    }

    /** One round of polls; never throws, since an exception would cancel every later round. */
    private void tick() {
        try {
            pollAll();
        } catch (RuntimeException e) {
            log.error("chain {}: head polling round failed", chain.id(), e);
        }
    }

    private void pollAll() {
        long now = chain.ticker().nanos();
        boolean finalityDue = ticks++ % FINALITY_EVERY == 0;
        for (Slot slot : slots) {
            if (finalityDue && slot.chainIdVerified && !slot.finalityUnsupported
                    && slot.finalityInFlight.compareAndSet(false, true)) {
                pollFinality(slot);
            }
            boolean checkDue = !slot.chainIdVerified
                    || now - slot.lastChainIdCheck >= chain.config().chainIdCheckInterval().toNanos();
            if (checkDue && slot.chainIdInFlight.compareAndSet(false, true)) {
                slot.lastChainIdCheck = now;
                slot.upstream.upstream().call("eth_chainId", JsonNodeFactory.instance.arrayNode(), pollTimeout())
                        .thenAccept(reply -> onChainId(slot, reply));
            }
            if (slot.headInFlight.compareAndSet(false, true)) {
                pollHead(slot, now);
            }
        }
    }

    private void pollHead(Slot slot, long now) {
        slot.lastHeadPoll = now;
        slot.upstream.health().budget().takeAnyway();
        slot.upstream.upstream().call("eth_blockNumber", JsonNodeFactory.instance.arrayNode(), pollTimeout())
                .thenAccept(reply -> onHead(slot, reply));
    }

    /**
     * Polls {@code upstream}'s head now, out of turn, unless a poll of it is running or started
     * within {@link #REFRESH_SPACING_NANOS}: a request waiting for an upstream whose last reported
     * head is too far behind (its lag may have ended since) learns within one round trip instead
     * of up to a poll interval, so a quorum read does not wait out a poll interval while the only
     * other vote it needs has already caught up. The spacing bounds what a node stuck behind
     * costs: at most five extra calls a second, and only while requests wait for it.
     */
    public void refresh(ChainUpstream upstream) {
        long now = chain.ticker().nanos();
        for (Slot slot : slots) {
            if (slot.upstream == upstream) {
                long last = slot.lastHeadPoll;
                boolean due = last == Long.MIN_VALUE || now - last >= REFRESH_SPACING_NANOS;
                if (due && slot.headInFlight.compareAndSet(false, true)) {
                    pollHead(slot, now);
                }
                return;
            }
        }
    }

    /** The shortest time between two head polls of one upstream asked for by {@link #refresh}. */
    static final long REFRESH_SPACING_NANOS = Duration.ofMillis(200).toNanos();

    private void pollFinality(Slot slot) {
        blockNumberOf(slot, "finalized").thenCompose(finalized -> {
            slot.finalized = Math.max(slot.finalized, finalized);
            return blockNumberOf(slot, "safe");
        }).whenComplete((safe, error) -> {
            if (safe != null) {
                slot.safe = Math.max(slot.safe, safe);
                recomputeFinality();
            }
            slot.finalityInFlight.set(false);
        });
    }

    /** The number of the block a tag names at one upstream; -1 if it has none yet. */
    private java.util.concurrent.CompletableFuture<Long> blockNumberOf(Slot slot, String tag) {
        return slot.upstream.upstream().call("eth_getBlockByNumber",
                JsonNodeFactory.instance.arrayNode().add(tag).add(false), pollTimeout()).thenApply(reply -> {
            if (reply.error() != null || reply.failure() == dev.outlast.transport.FailureKind.NODE_ERROR) {
                slot.finalityUnsupported = true;
                throw new java.util.concurrent.CompletionException(
                        new IllegalStateException(tag + " not supported by " + slot.upstream.name()));
            }
            if (reply.result() == null || !reply.result().isObject()) {
                return -1L;
            }
            return Quantity.parse(reply.result().path("number").asText("")).orElse(-1L);
        });
    }

    /** An upstream's head counts while it is honest, and usable or heard from within {@code fresh} nanoseconds. */
    private static boolean counts(HealthView h, long now, long fresh) {
        NodeState node = h.node();
        return node.isHonestAndVerified(now) && (h.isUsable(now) || node.headAgeNanos(now) <= fresh);
    }

    private void recomputeFinality() {
        long fresh = FRESH_POLLS * FINALITY_EVERY * chain.config().headPollInterval().toNanos();
        long now = chain.ticker().nanos();
        List<Long> safes = new ArrayList<>();
        List<Long> finals = new ArrayList<>();
        for (Slot slot : slots) {
            if (counts(slot.upstream.health().current(), now, fresh)) {
                if (slot.safe >= 0) {
                    safes.add(slot.safe);
                }
                if (slot.finalized >= 0) {
                    finals.add(slot.finalized);
                }
            }
        }
        agree(safes, safeHead);
        agree(finals, finalizedHead);
    }

    /** Raises {@code target} to the highest value {@code k} of the reports reach, capped by the served head. */
    private void agree(List<Long> reports, AtomicLong target) {
        if (reports.isEmpty()) {
            return;
        }
        reports.sort((a, b) -> Long.compare(b, a));
        long agreed = reports.get(Math.min(chain.config().effectiveMinAgree(), reports.size()) - 1);
        long capped = Math.min(agreed, servedHead.get());
        target.accumulateAndGet(capped, Math::max);
    }

    private void onChainId(Slot slot, UpstreamReply reply) {
        slot.chainIdInFlight.set(false);
        chain.record(slot.upstream, "eth_chainId", reply);
        if (!reply.isAnswer() || reply.result() == null) {
            return;
        }
        long expected = chain.config().chainId();
        Optional<Long> got = reply.result().isTextual() ? Quantity.parse(reply.result().textValue()) : Optional.empty();
        if (got.isPresent() && got.get() == expected) {
            boolean first = !slot.chainIdVerified;
            slot.chainIdVerified = true;
            slot.upstream.health().chainIdChecked(null);
            chain.listener().onChainIdCheck(chain.config().id(), slot.upstream.name(), null);
            if (first) {
                // a head polled before the chain id was known did not count: it does now, rather
                // than a poll interval later (12 s on a mainnet-paced config)
                recompute();
            }
        } else {
            slot.chainIdVerified = false;
            slot.upstream.health().chainIdChecked("eth_chainId returned " + reply.result()
                    + ", expected " + Quantity.format(expected) + " (" + expected + ")");
            chain.listener().onChainIdCheck(chain.config().id(), slot.upstream.name(), "wrong chain id: expected "
                    + Quantity.format(expected) + " (" + expected + ") got " + reply.result().asText()
                    + got.map(id -> " (" + id + ")").orElse(""));
        }
    }

    private void onHead(Slot slot, UpstreamReply reply) {
        slot.headInFlight.set(false);
        chain.record(slot.upstream, "eth_blockNumber", reply);
        if (reply.isAnswer() && reply.result() != null && reply.result().isTextual()) {
            Quantity.parse(reply.result().textValue()).ifPresent(block -> slot.upstream.health().headReported(block));
        }
        // also after a failure: the upstream that was ahead may no longer be usable, and staleness is
        // measured against the usable ones
        recompute();
    }

    /**
     * Finds the usable honest upstream with the newest head, notes whether the served head is behind
     * it, and if so starts a {@link HeadLinks} step to move the served head up to the blocks it proves.
     */
    private void followLeader(long now) {
        Slot leader = null;
        long newest = -1;
        for (Slot slot : slots) {
            HealthView h = slot.upstream.health().current();
            long head = h.node().head();
            if (head > newest && head != slot.unlinkedHead && h.isUsable(now) && h.node().isHonestAndVerified(now)) {
                newest = head;
                leader = slot;
            }
        }
        long served = servedHead.get();
        if (leader == null || newest <= served) {
            age.current();
            return;
        }
        age.behind(now);
        if (served < 0) {
            return;
        }
        Slot ahead = leader;
        long target = newest;
        links.step(ahead.upstream, served, target, links.witnesses(ahead.upstream, served, now)).thenAccept(step -> {
            switch (step.result()) {
                case LINKED -> {
                    if (servedHead.getAndAccumulate(step.provedTo(), Math::max) < step.provedTo()) {
                        age.moved("linked by " + ahead.upstream.name());
                        advanceListeners.forEach(Runnable::run);
                        // the others most likely have the block too: a read pinned to it asks them first
                        // once their polled head says so, not a poll interval later
                        for (Slot other : slots) {
                            if (other != ahead && other.upstream.health().head() < step.provedTo()) {
                                refresh(other.upstream);
                            }
                        }
                    }
                    recompute();
                }
                case UNLINKED -> {
                    log.warn("chain {}: {} reports block {} but does not show blocks linking to block {} as "
                            + "another upstream has it; it does not move the served head", chain.id(),
                            ahead.upstream.name(), target, served);
                    ahead.unlinkedHead = target;
                    recompute();
                }
                case FAILED, BUSY -> {
                    // the next head report tries again
                }
            }
        });
    }

    /**
     * Recomputes the served head from the honest upstreams' heads, and every upstream's lag. An
     * upstream counts while it is usable or has reported its head within
     * {@value #FRESH_POLLS} poll intervals: a flapping upstream still holds the served head back to
     * blocks it has, while a dead one's stale head does not freeze it.
     */
    public void recompute() {
        long fresh = FRESH_POLLS * chain.config().headPollInterval().toNanos();
        long now = chain.ticker().nanos();
        List<Long> heads = new ArrayList<>();
        for (ChainUpstream u : chain.upstreams()) {
            HealthView h = u.health().current();
            long head = h.node().head();
            if (head >= 0 && counts(h, now, fresh)) {
                heads.add(head);
            }
        }
        if (!heads.isEmpty()) {
            heads.sort((a, b) -> Long.compare(b, a));
            int k = Math.min(chain.config().effectiveMinAgree(), heads.size());
            long agreed = heads.get(k - 1);
            if (servedHead.getAndAccumulate(agreed, Math::max) < agreed) {
                age.moved("agreed by " + k);
                advanceListeners.forEach(Runnable::run);
            }
        }
        followLeader(now);
        long served = servedHead.get();
        long maxLag = chain.config().maxLagBlocks();
        for (ChainUpstream u : chain.upstreams()) {
            long head = u.health().head();
            if (head >= 0 && served >= 0) {
                long lag = Math.max(0, served - head);
                u.health().lag(lag, lag > maxLag);
            }
        }
    }
}
