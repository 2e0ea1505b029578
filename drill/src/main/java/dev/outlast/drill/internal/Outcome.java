package dev.outlast.drill.internal;

/** What the proxy does with one request: answer it, reset the connection, or never answer. */
public sealed interface Outcome {

    /** Write {@code response}. */
    record Respond(WireResponse response) implements Outcome {
    }

    /** Reset the connection (TCP RST), without any response. */
    record Reset() implements Outcome {
    }

    /** Keep the connection open and never answer, until the client closes it. */
    record BlackHole() implements Outcome {
    }
}
