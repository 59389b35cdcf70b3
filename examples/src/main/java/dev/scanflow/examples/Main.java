package dev.scanflow.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The examples' entry point: {@code cumsum}, {@code rnn}; with no subcommand, runs {@code rnn}. */
@Command(
    name = "scanflow-examples",
    mixinStandardHelpOptions = true,
    description = "The seed tutorial's programs on scanflow.",
    subcommands = {CumSum.class, Rnn.class, Experiments.class})
public final class Main implements Runnable {
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code (for tests). */
  public static int run(String... args) {
    // with no subcommand, run the main example (rnn with the seed's defaults)
    String[] effective =
        args.length == 0 || args[0].startsWith("-") && !isHelp(args[0])
            ? prepend("rnn", args)
            : args;
    return new CommandLine(new Main()).execute(effective);
  }

  private static boolean isHelp(String a) {
    return a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version");
  }

  private static String[] prepend(String first, String[] rest) {
    String[] out = new String[rest.length + 1];
    out[0] = first;
    System.arraycopy(rest, 0, out, 1, rest.length);
    return out;
  }

  @Override
  public void run() {
    throw new IllegalStateException("unused: the command line runs rnn by default");
  }
}
