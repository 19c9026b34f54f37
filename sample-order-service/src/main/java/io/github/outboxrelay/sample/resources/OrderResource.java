package io.github.outboxrelay.sample.resources;

import io.github.outboxrelay.sample.api.CancelOrderRequest;
import io.github.outboxrelay.sample.api.OrderView;
import io.github.outboxrelay.sample.api.PlaceOrderRequest;
import io.github.outboxrelay.sample.core.OrderException;
import io.github.outboxrelay.sample.core.OrderService;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** {@code /orders}: place, read and cancel orders. */
@Path("/orders")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class OrderResource {

  static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,128}");
  private static final Pattern CANONICAL_UUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private final OrderService orders;
  private final RequestSpans spans;

  public OrderResource(OrderService orders, RequestSpans spans) {
    this.orders = orders;
    this.spans = spans;
  }

  @POST
  public Response place(
      @Context HttpHeaders headers,
      @NotNull(message = "must be a JSON object") @Valid PlaceOrderRequest request)
      throws SQLException {
    String idempotencyKey = idempotencyKey(headers);
    OrderService.Placement placement =
        spans.inSpan(
            "POST /orders",
            headers,
            () -> orders.place(request, Optional.ofNullable(idempotencyKey)));
    OrderView view = placement.order().view();
    return Response.created(URI.create("/orders/" + view.id()))
        .header("Idempotent-Replayed", placement.replayed())
        .entity(view)
        .build();
  }

  @GET
  @Path("/{id}")
  public OrderView get(@PathParam("id") String id) throws SQLException {
    return orders.get(orderId(id)).view();
  }

  @POST
  @Path("/{id}/cancel")
  public OrderView cancel(
      @Context HttpHeaders headers,
      @PathParam("id") String id,
      @NotNull(message = "must be a JSON object") @Valid CancelOrderRequest request)
      throws SQLException {
    UUID orderId = orderId(id);
    return spans
        .inSpan(
            "POST /orders/{id}/cancel", headers, () -> orders.cancel(orderId, request.version()))
        .view();
  }

  /**
   * At most one key: with two, which request is this a retry of? (@HeaderParam takes the first.)
   */
  private static String idempotencyKey(HttpHeaders headers) {
    List<String> keys = headers.getRequestHeader(IDEMPOTENCY_KEY);
    if (keys == null || keys.isEmpty()) {
      return null;
    }
    if (keys.size() > 1) {
      throw new OrderException(400, IDEMPOTENCY_KEY + " must be given at most once");
    }
    if (!KEY.matcher(keys.get(0)).matches()) {
      throw new OrderException(400, IDEMPOTENCY_KEY + " must be 1 to 128 visible ASCII characters");
    }
    return keys.get(0);
  }

  /**
   * Only the canonical form: {@code UUID.fromString} also reads "1-1-1-1-1" (and "+1-…") as an id,
   * so one order would answer to many URLs. Anything else is not found, without echoing it.
   */
  private static UUID orderId(String id) {
    if (!CANONICAL_UUID.matcher(id).matches()) {
      throw new OrderException(404, "no such order: order ids are UUIDs");
    }
    return UUID.fromString(id);
  }
}
