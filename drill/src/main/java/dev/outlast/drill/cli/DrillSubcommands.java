package dev.outlast.drill.cli;

import dev.outlast.cli.SubcommandProvider;
import java.util.List;

/**
 * Adds {@code outlast demo} and {@code outlast drill} to the application's command line, in that order
 * (registered in {@code META-INF/services/dev.outlast.cli.SubcommandProvider}). Stateless and thread-safe.
 */
public final class DrillSubcommands implements SubcommandProvider {

    @Override
    public List<Object> subcommands() {
        return List.of(DemoCommand.class, DrillCommand.class);
    }
}
