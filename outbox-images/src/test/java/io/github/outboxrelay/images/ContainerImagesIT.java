package io.github.outboxrelay.images;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the built tarballs hold, read from their OCI manifest and config: what runs, as whom, on
 * which ports, and that the runtime, the jar and the configuration are in the layers.
 */
class ContainerImagesIT {

  static final Path RELAY = Path.of("target/outbox-relay-image.tar");
  static final Path ORDER_SERVICE = Path.of("target/sample-order-service-image.tar");
  private static final Path KUBERNETES = Path.of("../docs/kubernetes/outbox-relay.yaml");
  private static final int EXECUTABLE = 0111;

  @Test
  void theRelayImageRunsTheJarAsANonRootUserWithItsConfiguration() throws Exception {
    OciImage image = OciImage.read(RELAY);
    JsonNode config = image.config();

    assertThat(image.architecture()).isEqualTo("amd64/linux");
    assertThat(strings(config.path("Entrypoint")))
        .containsExactly(
            "/opt/java/bin/java",
            "-XX:MaxRAMPercentage=75",
            "-XX:+ExitOnOutOfMemoryError",
            "-jar",
            "/app/outbox-relay.jar");
    assertThat(strings(config.path("Cmd"))).containsExactly("server", "/config/relay.yml");
    assertThat(config.path("User").asText()).isEqualTo("65532:65532");
    assertThat(fieldNames(config.path("ExposedPorts"))).containsExactly("8181/tcp");
    assertThat(strings(config.path("Env"))).contains("RELAY_ADMIN_HOST=0.0.0.0");
    assertRuntimeAndApplication(image, "/app/outbox-relay.jar", "/config/relay.yml");
  }

  @Test
  void theOrderServiceImageRunsItsJarTheSameWay() throws Exception {
    OciImage image = OciImage.read(ORDER_SERVICE);
    JsonNode config = image.config();

    assertThat(strings(config.path("Entrypoint")))
        .endsWith("-jar", "/app/sample-order-service.jar")
        .contains("-XX:MaxRAMPercentage=75");
    assertThat(strings(config.path("Cmd"))).containsExactly("server", "/config/order-service.yml");
    assertThat(config.path("User").asText()).isEqualTo("65532:65532");
    assertThat(fieldNames(config.path("ExposedPorts"))).containsExactly("8080/tcp");
    assertThat(strings(config.path("Env"))).contains("ORDER_SERVICE_HOST=0.0.0.0");
    assertRuntimeAndApplication(
        image, "/app/sample-order-service.jar", "/config/order-service.yml");
  }

  @Test
  void theKubernetesManifestsMatchTheImage() throws Exception {
    JsonNode config = OciImage.read(RELAY).config();
    YAMLMapper yaml = new YAMLMapper();
    JsonNode deployment = null;
    try (var parser = yaml.createParser(KUBERNETES.toFile())) {
      for (JsonNode document : yaml.readValues(parser, JsonNode.class).readAll()) {
        if (document.path("kind").asText().equals("Deployment")) {
          deployment = document;
        }
      }
    }
    assertThat(deployment).as("a Deployment in %s", KUBERNETES).isNotNull();
    assertThat(deployment.path("spec").path("replicas").asInt())
        .as("active and standby")
        .isEqualTo(2);
    JsonNode pod = deployment.path("spec").path("template").path("spec");
    JsonNode container = pod.path("containers").path(0);
    String exposed = fieldNames(config.path("ExposedPorts")).get(0);
    assertThat(container.path("ports").path(0).path("containerPort").asText() + "/tcp")
        .isEqualTo(exposed);
    assertThat(pod.path("securityContext").path("runAsUser").asText())
        .isEqualTo(config.path("User").asText().split(":")[0]);
    // The probes read paths the relay leaves open without credentials (admin.openPaths).
    assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/healthcheck");
    assertThat(container.path("livenessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/ping");
    String relayYaml = Files.readString(Path.of("../config/relay.yml"));
    for (JsonNode variable : container.path("env")) {
      assertThat(relayYaml)
          .as("config/relay.yml reads %s", variable.path("name").asText())
          .contains("${" + variable.path("name").asText());
    }
    assertThat(container.path("env").findValues("secretKeyRef")).hasSize(2);
  }

  private static void assertRuntimeAndApplication(OciImage image, String jar, String yaml)
      throws Exception {
    Map<String, OciImage.Entry> files = image.files();
    assertThat(files.get(jar)).as(jar).isNotNull();
    assertThat(files.get(jar).size())
        .as("the runnable jar, dependencies and all")
        .isGreaterThan(20_000_000);
    assertThat(files.get(yaml)).as(yaml).isNotNull();
    assertThat(files.get("/opt/java/bin/java").mode() & EXECUTABLE).isEqualTo(EXECUTABLE);
    assertThat(files.get("/lib64/ld-linux-x86-64.so.2")).as("the dynamic loader").isNotNull();
    assertThat(files.get("/tmp").mode() & 0777).as("a writable /tmp").isEqualTo(0777);
    assertThat(files.get("/etc/passwd")).as("the non-root user's name").isNotNull();
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return values;
  }

  private static List<String> fieldNames(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
