package io.github.outboxrelay.faults;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every response the load received, by outcome. Server errors (5xx) and requests that got no
 * response at all (refused, reset, timed out) are kept one by one with their time, so they can be
 * laid beside the faults.
 */
final class ResponseLog {

  /** A request that failed: {@code status} is the HTTP status, or 0 when no response came. */
  record Failure(long epochMillis, String request, int status, String detail) {}

  final AtomicLong requests = new AtomicLong();
  final AtomicLong placed = new AtomicLong();
  final AtomicLong rejected = new AtomicLong();
  final AtomicLong cancelled = new AtomicLong();
  final AtomicLong cancelRefused = new AtomicLong();
  final AtomicLong otherStatus = new AtomicLong();
  private final Map<String, AtomicLong> byStatus = new ConcurrentSkipListMap<>();
  private final ConcurrentLinkedQueue<Failure> serverErrors = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Failure> connectionFailures = new ConcurrentLinkedQueue<>();

  void placeAnswered(int status) {
    requests.incrementAndGet();
    countStatus("POST /orders " + status);
    if (status == 201) {
      placed.incrementAndGet();
    } else if (status == 409) {
      rejected.incrementAndGet();
    } else {
      failed("POST /orders", status);
    }
  }

  void cancelAnswered(int status) {
    requests.incrementAndGet();
    countStatus("POST /orders/{id}/cancel " + status);
    if (status == 200) {
      cancelled.incrementAndGet();
    } else if (status == 409) {
      cancelRefused.incrementAndGet();
    } else {
      failed("POST /orders/{id}/cancel", status);
    }
  }

  private void failed(String request, int status) {
    otherStatus.incrementAndGet();
    if (status >= 500) {
      serverErrors.add(new Failure(System.currentTimeMillis(), request, status, ""));
    }
  }

  private void countStatus(String key) {
    byStatus.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
  }

  /** Responses by request and status, such as "POST /orders 201". */
  Map<String, Long> statusCounts() {
    Map<String, Long> counts = new TreeMap<>();
    byStatus.forEach((key, count) -> counts.put(key, count.get()));
    return counts;
  }

  void noResponse(String request, Exception e) {
    requests.incrementAndGet();
    countStatus(request + " no response");
    connectionFailures.add(new Failure(System.currentTimeMillis(), request, 0, e.toString()));
  }

  List<Failure> serverErrors() {
    return List.copyOf(serverErrors);
  }

  List<Failure> connectionFailures() {
    return List.copyOf(connectionFailures);
  }

  /** Orders refused or lost for any reason other than stock: 5xx, other statuses, no response. */
  long failedOrders() {
    return otherStatus.get() + connectionFailures.size();
  }
}
