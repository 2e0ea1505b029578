package dev.outlast.testing;

import dev.outlast.drill.FaultProxy;
import dev.outlast.drill.sim.SimulatedChain;
import dev.outlast.drill.sim.SimulatedProvider;
import java.util.SplittableRandom;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit extension giving each test a fresh simulated chain (manual mining), one provider of it, a
 * {@link FaultProxy} in front of the provider (fault rolls seeded for repeatable runs) and clients
 * for both; everything is stopped after the test.
 *
 * <pre>
 * &#64;RegisterExtension
 * final ProxiedChain env = new ProxiedChain();
 * </pre>
 */
public final class ProxiedChain implements BeforeEachCallback, AfterEachCallback {

    private SimulatedChain chain;
    private SimulatedProvider provider;
    private FaultProxy proxy;
    private JsonRpcClient direct;
    private JsonRpcClient viaProxy;

    @Override
    public void beforeEach(ExtensionContext context) {
        chain = SimulatedChain.start();
        provider = chain.startProvider();
        proxy = FaultProxy.start(provider.uri(), 0, new SplittableRandom(42));
        direct = new JsonRpcClient(provider.uri());
        viaProxy = new JsonRpcClient(proxy.uri());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        viaProxy.close();
        direct.close();
        proxy.close();
        chain.close();
    }

    public SimulatedChain chain() {
        return chain;
    }

    public SimulatedProvider provider() {
        return provider;
    }

    public FaultProxy proxy() {
        return proxy;
    }

    /** A client of the provider, bypassing the proxy. */
    public JsonRpcClient direct() {
        return direct;
    }

    /** A client of the proxy. */
    public JsonRpcClient viaProxy() {
        return viaProxy;
    }
}
