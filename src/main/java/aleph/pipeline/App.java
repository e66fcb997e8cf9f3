package aleph.pipeline;

import aleph.pipeline.cli.Main;

/** Entry point: the command line, nothing else. */
public final class App {

  private App() {
  }

  public static void main(final String[] args) {
    System.exit(Main.execute(args));
  }
}
