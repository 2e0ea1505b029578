package dev.outlast.cli;

import java.util.List;

/**
 * Adds subcommands to {@code outlast} from another module (the drill module adds {@code demo} and
 * {@code drill} this way). {@link Main} finds every implementation named in a
 * {@code META-INF/services/dev.outlast.cli.SubcommandProvider} file on the class path with
 * {@link java.util.ServiceLoader}, and adds their subcommands after {@code serve} and {@code validate} and
 * before {@code help}, in class path order, then in the order {@link #subcommands()} gives them;
 * {@code outlast --help} lists them in that order.
 *
 * <p>A subcommand is a picocli {@code @Command}; it inherits {@code --help} and {@code --version}. For the
 * conventions of the other commands it can use {@link Main#EXIT_INVALID} (a usage error),
 * {@link ListenAddress} (a {@code HOST:PORT} option) and {@link StopOnSignal} (Ctrl-C while running).
 *
 * <p>Implementations need a public no-argument constructor; {@link #subcommands()} is called once per
 * command line, on the thread that builds it.
 */
public interface SubcommandProvider {

    /** The subcommands to add: {@code @Command} classes (picocli creates them) or instances of them. */
    List<Object> subcommands();
}
