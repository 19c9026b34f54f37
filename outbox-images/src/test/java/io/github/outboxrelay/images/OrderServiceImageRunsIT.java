package io.github.outboxrelay.images;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.outboxrelay.testing.postgres.PostgresExtension;
import io.github.outboxrelay.testing.process.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample order service's image, run as a container (see {@link ContainerRun}): it migrates its
 * schema, takes an order over HTTP and writes the order and its event in one transaction.
 */
class OrderServiceImageRunsIT {

  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();

  @TempDir Path root;
  private ContainerRun service;

  @AfterEach
  void stopTheService() throws InterruptedException {
    if (service != null) {
      service.close();
    }
  }

  @Test
  void itPlacesAnOrderAndWritesItsEvent() throws Exception {
    service = ContainerRun.unpack(ContainerImagesIT.ORDER_SERVICE, root);
    int[] ports = ServiceProcess.freePorts(2);
    Map<String, String> settings = new HashMap<>();
    settings.put("OUTBOX_JDBC_URL", postgres.jdbcUrl());
    settings.put("OUTBOX_DB_USER", postgres.server().user());
    if (postgres.server().password() != null) {
      settings.put("OUTBOX_DB_PASSWORD", postgres.server().password());
    }
    settings.put("ORDER_SERVICE_PORT", "" + ports[0]);
    settings.put("ORDER_SERVICE_ADMIN_PORT", "" + ports[1]);
    service.start(settings);

    assertThat(
            service.awaitReady(
                "http://127.0.0.1:" + ports[1] + "/healthcheck", Duration.ofSeconds(90)))
        .as(service.log())
        .isTrue();
    postgres.execute("INSERT INTO products (id, name, stock) VALUES ('widget', 'Widget', 5)");
    HttpResponse<String> placed =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[0] + "/orders"))
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"customerId\":\"c-1\",\"productId\":\"widget\",\"quantity\":2}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(placed.statusCode()).as(placed.body() + "\n" + service.log()).isEqualTo(201);
    assertThat(postgres.queryForLong("SELECT count(*) FROM outbox WHERE type = 'OrderPlaced'"))
        .isEqualTo(1);
    assertThat(postgres.queryForLong("SELECT stock FROM products WHERE id = 'widget'"))
        .isEqualTo(3);
  }
}
