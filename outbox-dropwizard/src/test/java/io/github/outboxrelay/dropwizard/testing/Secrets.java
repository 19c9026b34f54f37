package io.github.outboxrelay.dropwizard.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/** Known secret values a test gives a service, and the check that none of them shows. */
public final class Secrets {

  /** A database password with every character YAML, JSON, shells or URLs treat specially. */
  public static final String AWKWARD_PASSWORD =
      "{@dbPw9Kx: \"q'\\ #ü€😀 & ${HOME} $${X} *a !t |\n- x: [y]}";

  /** What identifies {@link #AWKWARD_PASSWORD} even where it is escaped or cut. */
  public static final String AWKWARD_PASSWORD_MARKER = "dbPw9Kx";

  /** What every Dropwizard admin port serves, errors included; add the service's own tasks. */
  public static final List<String> ADMIN_REQUESTS =
      List.of(
          "GET /healthcheck",
          "GET /metrics",
          "GET /threads",
          "POST /tasks/gc",
          "POST /tasks/log-level?logger=nonsense&level=nonsense",
          "POST /tasks/no-such-task",
          "GET /no-such-page");

  private Secrets() {}

  /**
   * Fails if {@code text} holds any of {@code secrets}, as written or escaped in a JSON string.
   * Give each secret's distinctive part as a secret of its own too, to catch other escapings.
   */
  public static void assertNoneIn(String where, String text, List<String> secrets) {
    for (String secret : secrets) {
      String json = new String(JsonStringEncoder.getInstance().quoteAsString(secret));
      assertThat(text).as("%s must not show a secret", where).doesNotContain(secret);
      assertThat(text).as("%s must not show a secret (JSON-escaped)", where).doesNotContain(json);
    }
  }

  /**
   * Sends each request ({@code "GET /healthcheck"}, {@code "POST /tasks/gc"}) to the port and fails
   * if an answer, of any status, shows a secret.
   */
  public static void assertNoneServed(int port, List<String> requests, List<String> secrets)
      throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    for (String request : requests) {
      String[] methodAndPath = request.split(" ", 2);
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + methodAndPath[1]))
                  .method(methodAndPath[0], HttpRequest.BodyPublishers.ofString("{\"x\":"))
                  .header("Content-Type", "application/json")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertNoneIn(
          request + " (" + response.statusCode() + ")",
          response.headers() + response.body(),
          secrets);
    }
  }
}
