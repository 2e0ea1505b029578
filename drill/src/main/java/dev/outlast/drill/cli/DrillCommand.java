package dev.outlast.drill.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code outlast drill ...}: fault injection tools. Without a subcommand, a usage error. */
@Command(name = "drill", description = "Fault injection: rehearse an outage before it happens.",
         subcommands = {DrillRunCommand.class, DrillListCommand.class, DrillProxyCommand.class})
final class DrillCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }
}
