package dev.outlast.cli;

import dev.outlast.transport.Transport;
import java.io.PrintWriter;
import java.util.Map;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code outlast}: the top command, whose subcommands do the work: {@code serve}, {@code validate}, those
 * of every {@link SubcommandProvider} on the class path, and {@code help}.
 *
 * <p>Not thread-safe: one instance per run.
 */
@Command(name = "outlast", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true,
         versionProvider = VersionProvider.class, sortOptions = false,
         description = "Keeps crypto services up, and their numbers right, when an infrastructure vendor goes "
                       + "down.",
         subcommands = {ServeCommand.class, ValidateCommand.class},
         exitCodeListHeading = "%nExit codes:%n",
         exitCodeList = {"0:success", "1:failure while running", "2:usage error or invalid configuration"})
public final class Main implements Runnable {

    /** Exit code of a usage error or an invalid configuration. */
    public static final int EXIT_INVALID = CommandLine.ExitCode.USAGE;

    private final Map<String, String> env;

    @Spec
    private CommandSpec spec;

    private Main(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    public static void main(String[] args) {
        Transport.preferIoUring();
        System.exit(commandLine(System.getenv()).execute(args));
    }

    /**
     * Runs {@code outlast args} with {@code env} as the environment for {@code ${VAR}} in the config,
     * writing to {@code out} and {@code err}, and returns the exit code instead of exiting.
     */
    public static int run(PrintWriter out, PrintWriter err, Map<String, String> env, String... args) {
        CommandLine commandLine = commandLine(env);
        commandLine.setOut(out);
        commandLine.setErr(err);
        try {
            return commandLine.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static CommandLine commandLine(Map<String, String> env) {
        CommandLine commandLine = new CommandLine(new Main(env));
        ClassLoader loader = Main.class.getClassLoader();
        for (SubcommandProvider provider : ServiceLoader.load(SubcommandProvider.class, loader)) {
            provider.subcommands().forEach(commandLine::addSubcommand);
        }
        return commandLine.addSubcommand(CommandLine.HelpCommand.class);
    }

    /** The environment {@code ${VAR}} in a config file is read from. */
    Map<String, String> env() {
        return env;
    }

    /** Without a subcommand there is nothing to do: a usage error. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }
}
