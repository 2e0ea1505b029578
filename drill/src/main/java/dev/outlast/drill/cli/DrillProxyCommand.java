package dev.outlast.drill.cli;

import dev.outlast.cli.ListenAddress;
import dev.outlast.drill.FaultProxy;
import dev.outlast.upstream.UrlRedactor;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code outlast drill proxy --listen HOST:PORT --target URL}: runs a {@link FaultProxy} in front of
 * one JSON-RPC URL until the process is stopped (or the running thread is interrupted), printing its
 * URL and how to switch faults. Exit 2 for a bad {@code --listen} or {@code --target}, 1 when the
 * address cannot be bound.
 */
@Command(name = "proxy", sortOptions = false,
         description = {"Run a fault-injection proxy in front of one JSON-RPC URL until stopped (Ctrl-C).",
                        "Faults are set at runtime over HTTP on the same port: PUT /_drill/faults with a JSON "
                        + "array such as [{\"type\":\"cloudflare\",\"status\":522}], GET to list, DELETE to "
                        + "clear. Types: cloudflare, http, rate_limit, error_rate, latency, reset, black_hole, "
                        + "bad_body, lie, lag, wrong_chain."})
final class DrillProxyCommand implements Callable<Integer> {

    @Option(names = "--listen", required = true, paramLabel = "HOST:PORT",
            description = "address to listen on (port 0: a free port, printed)")
    private String listen;

    @Option(names = "--target", required = true, paramLabel = "URL", description = "the http(s) JSON-RPC URL to proxy")
    private String target;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        ListenAddress address = ListenAddress.parseOption(spec, "--listen", listen);
        URI uri = targetUri();
        FaultProxy proxy;
        try {
            proxy = FaultProxy.start(uri, address.address());
        } catch (UncheckedIOException e) {
            spec.commandLine().getErr().println("outlast: cannot listen on " + listen + ": "
                                                + e.getCause().getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            proxy.close();
            stopped.countDown();
        }, "drill-proxy-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            printUsage(address.url(proxy.port()), uri);
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            proxy.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down: the hook is running
            }
        }
        return 0;
    }

    private URI targetUri() {
        try {
            URI uri = new URI(target);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && !uri.getHost().isEmpty()) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new ParameterException(spec.commandLine(), "--target: \"" + target
                                                         + "\" (expected: http or https URL)");
    }

    private void printUsage(String url, URI uri) {
        PrintWriter out = spec.commandLine().getOut();
        out.println("Fault proxy on " + url + "/ -> " + new UrlRedactor(uri).redacted());
        out.println("Send JSON-RPC to " + url + "/ instead of the target. Switch faults while it runs:");
        out.println("  curl -X PUT " + url + "/_drill/faults -d '[{\"type\":\"cloudflare\",\"status\":522}]'");
        out.println("  curl -X PUT " + url + "/_drill/faults -d '[{\"type\":\"error_rate\",\"status\":503,"
                    + "\"p\":0.3},{\"type\":\"latency\",\"delayMs\":800}]'");
        out.println("  curl " + url + "/_drill/faults            (list)");
        out.println("  curl -X DELETE " + url + "/_drill/faults  (clear)");
        out.println("Ctrl-C to stop.");
        out.flush();
    }
}
