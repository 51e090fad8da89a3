// SPDX-License-Identifier: Apache-2.0
package io.migov.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The {@code migov} command: entry point of the runnable jar. */
@Command(name = "migov",
        mixinStandardHelpOptions = true,
        versionProvider = MigovCommand.Version.class,
        description = "Live-migration governor for libvirt/KVM hosts.",
        subcommands = {PredictCommand.class, DaemonCommand.class, ReportCommand.class, RecordCommand.class,
                // a workload-specific prior matrix learned from recorded traces
                PriorCommand.class,
                // the storage-interference classifier (issue 11) fitted on labelled host I/O samples
                TrainCommand.class,
                // the policies offline: simulate migrations, and the bench's results table
                SimulateCommand.class, BenchReportCommand.class,
                // management (issue 5): talk to a running daemon over JMX
                StatusCommand.class, VmsCommand.class, VmCommand.class, GetCommand.class, SetCommand.class,
                MigrationsCommand.class, ResetModelCommand.class,
                CommandLine.HelpCommand.class})
public final class MigovCommand implements Runnable {

    /** Exit code for bad input (files, values), as for usage errors. */
    public static final int EXIT_BAD_INPUT = 2;
    /** Exit code of a management command when the daemon cannot be reached (or refuses the credentials). */
    public static final int EXIT_UNREACHABLE = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new MigovCommand());
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof BadInputException) {
                commandLine.getErr().println("migov: " + ex.getMessage());
                return EXIT_BAD_INPUT;
            }
            if (ex instanceof UnreachableException) {
                commandLine.getErr().println("migov: cannot reach the daemon: " + ex.getMessage());
                return EXIT_UNREACHABLE;
            }
            throw ex;
        });
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** Reads the version Maven wrote into the jar. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = MigovCommand.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"migov " + p.getProperty("version", "unknown")};
        }
    }
}
