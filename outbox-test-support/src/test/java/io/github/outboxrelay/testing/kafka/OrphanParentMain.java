package io.github.outboxrelay.testing.kafka;

/**
 * Stand-in for a test JVM that gets killed: starts a broker, prints its PID and data directory,
 * then waits to be killed. Used by {@link LocalKafkaBrokerIT}.
 */
public final class OrphanParentMain {

  private OrphanParentMain() {}

  public static void main(String[] args) throws Exception {
    LocalKafkaBroker broker = LocalKafkaBroker.start();
    long brokerPid = ProcessHandle.current().children().findFirst().orElseThrow().pid();
    System.out.println("broker-pid=" + brokerPid);
    System.out.println("data-dir=" + broker.dataDirectory());
    System.out.flush();
    System.in.read(); // until killed
  }
}
