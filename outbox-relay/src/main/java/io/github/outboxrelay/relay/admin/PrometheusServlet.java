package io.github.outboxrelay.relay.admin;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The relay's metrics in Prometheus's text format at {@link #PATH} on the admin port, written by
 * the Prometheus Java client from its own registry.
 */
public final class PrometheusServlet extends HttpServlet {

  public static final String PATH = "/metrics/prometheus";

  private static final long serialVersionUID = 1L;

  private final transient PrometheusRegistry registry;
  private final transient PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  public PrometheusServlet(PrometheusRegistry registry) {
    this.registry = registry;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    response.setStatus(HttpServletResponse.SC_OK);
    response.setContentType(writer.getContentType());
    writer.write(response.getOutputStream(), registry.scrape());
  }
}
