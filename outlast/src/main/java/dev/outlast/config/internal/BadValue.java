package dev.outlast.config.internal;

/** Thrown by a {@link Values} parser: the value is not of the form {@link #expected()} describes. */
final class BadValue extends RuntimeException {

    BadValue(String expected) {
        super(expected, null, false, false);
    }

    /** What was expected instead, e.g. {@code host:port}. */
    String expected() {
        return getMessage();
    }
}
