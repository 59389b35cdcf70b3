package dev.scanflow.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The examples' entry point: {@code cumsum}; with no subcommand, runs the main example. */
@Command(
    name = "scanflow-examples",
    mixinStandardHelpOptions = true,
    description = "The seed tutorial's programs on scanflow.",
    subcommands = {CumSum.class})
public final class Main implements Runnable {
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code (for tests). */
  public static int run(String... args) {
    return new CommandLine(new Main()).execute(args);
  }

  @Override
  public void run() {
    new CumSum().call();
  }
}
