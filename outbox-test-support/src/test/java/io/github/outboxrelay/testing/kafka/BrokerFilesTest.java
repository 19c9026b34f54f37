package io.github.outboxrelay.testing.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BrokerFilesTest {

  private final BrokerFiles files = BrokerFiles.create(41001, 41002);

  @AfterEach
  void deleteFiles() {
    files.delete();
  }

  @Test
  void configuresALoopbackOnlyBrokerWithoutTopicAutoCreation() throws Exception {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(files.serverProperties())) {
      properties.load(reader);
    }

    assertThat(properties.getProperty("listeners"))
        .isEqualTo("PLAINTEXT://127.0.0.1:41001,CONTROLLER://127.0.0.1:41002");
    assertThat(properties.getProperty("advertised.listeners"))
        .isEqualTo("PLAINTEXT://127.0.0.1:41001");
    assertThat(properties.getProperty("controller.quorum.voters")).isEqualTo("1@127.0.0.1:41002");
    assertThat(properties.getProperty("auto.create.topics.enable")).isEqualTo("false");
    assertThat(properties.getProperty("log.dirs")).isEqualTo(files.kafkaLogDir().toString());
    assertThat(files.log4jConfig()).isRegularFile();
  }

  @Test
  void describesOnlyTheLatestStartWithItsErrorsFirst() throws Exception {
    files.markStart("first");
    append("[12:00:00.000] ERROR [main] an old failure (X)\n");
    files.markStart("second");
    append("[12:00:01.000] INFO  [main] starting (X)\n");
    append("[12:00:02.000] ERROR [main] Fatal error during broker startup (X)\n");
    append("Caused by: java.net.BindException: Address already in use\n");
    append("[12:00:03.000] INFO  [main] shutting down (X)\n");

    String description = files.describeLatestStart(2);

    assertThat(description)
        .doesNotContain("an old failure")
        .contains("Fatal error during broker startup", "Address already in use")
        .endsWith("Address already in use\n[12:00:03.000] INFO  [main] shutting down (X)");
  }

  @Test
  void deleteRemovesTheWholeDirectory() {
    files.delete();

    assertThat(files.root()).doesNotExist();
  }

  private void append(String text) throws Exception {
    Files.writeString(files.brokerLog(), text, StandardOpenOption.APPEND);
  }
}
