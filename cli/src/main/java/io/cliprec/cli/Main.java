package io.cliprec.cli;

import io.cliprec.core.run.RunRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code cliprec} command. */
@Command(
    name = "cliprec",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "CLIP-aligned, collaboration-aware item representations for every recommender.",
    subcommands = {
      QuickstartCommand.class,
      TrainCommand.class,
      EncodeCommand.class,
      ReindexCommand.class,
      EvaluateCommand.class,
      RecommendCommand.class,
      DataCommand.class,
      ModelsCommand.class,
      ReportCommand.class,
      ExperimentCommand.class,
      PretrainCommand.class,
      BundleCommand.class,
      ServeCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Runs the command line and returns the exit code (tests call this). */
  public static int execute(String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler(
        (ex, cmd, parseResult) -> {
          // user errors: one clear line, no stack trace (set CLIPREC_DEBUG=1 for it)
          if (System.getenv("CLIPREC_DEBUG") != null) {
            ex.printStackTrace();
          }
          String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage();
          cmd.getErr().println("cliprec " + cmd.getCommandName() + ": error: " + msg);
          return 2;
        });
    return cl.execute(args);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Prints the project, Java and OS versions. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "cliprec " + RunRecord.cliprecVersion(),
        "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
        System.getProperty("os.name") + " " + System.getProperty("os.arch")
      };
    }
  }
}
