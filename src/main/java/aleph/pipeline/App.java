package aleph.pipeline;

public final class App {
  public static void main(final String[] args) {
  }
}
