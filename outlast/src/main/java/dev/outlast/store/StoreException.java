package dev.outlast.store;

/** The history store could not be opened or a statement failed. Unchecked; the message says which. */
public final class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
