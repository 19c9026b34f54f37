package io.github.outboxrelay.testing.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on 127.0.0.1 that can stall or cut the connections through it, to put a network fault
 * between a client and a real server without root-only tools (iptables, tc). A stall stops
 * forwarding bytes in both directions while the connections stay open, as a dead link between two
 * hosts does: the client sees no error, only silence, until its own timeouts fire.
 */
public final class TcpProxy implements AutoCloseable {

  private static final int BUFFER_BYTES = 64 * 1024;

  private final ServerSocket server;
  private final InetSocketAddress target;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final Object gate = new Object();
  private boolean stalled;
  private volatile boolean refusing;
  private volatile boolean closed;

  private TcpProxy(ServerSocket server, InetSocketAddress target) {
    this.server = server;
    this.target = target;
  }

  /** Listens on a free port of 127.0.0.1 and forwards every connection to {@code host:port}. */
  public static TcpProxy start(String host, int port) throws IOException {
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    TcpProxy proxy = new TcpProxy(server, new InetSocketAddress(host, port));
    daemon("tcp-proxy-accept-" + server.getLocalPort(), proxy::acceptLoop).start();
    return proxy;
  }

  /** The port clients connect to. */
  public int port() {
    return server.getLocalPort();
  }

  /** Stops forwarding: bytes already read wait, the rest waits in the sockets' buffers. */
  public void stall() {
    synchronized (gate) {
      stalled = true;
    }
  }

  /** Forwards again whatever waited, and everything after it. */
  public void resume() {
    synchronized (gate) {
      stalled = false;
      gate.notifyAll();
    }
  }

  /**
   * Until {@link #acceptConnections()}, closes each new connection at once, as a server that is
   * down or restarting does, and cuts the open ones: the client sees errors at once, not silence.
   */
  public void refuseConnections() {
    refusing = true;
    cutConnections();
  }

  /** Forwards new connections again after {@link #refuseConnections()}. */
  public void acceptConnections() {
    refusing = false;
  }

  /** Closes every connection open through the proxy now (clients see a reset); new ones work. */
  public void cutConnections() {
    for (Socket socket : sockets) {
      closeQuietly(socket);
    }
  }

  @Override
  public void close() {
    closed = true;
    resume();
    closeQuietly(server);
    cutConnections();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      if (refusing) {
        closeQuietly(client);
        continue;
      }
      Socket upstream = new Socket();
      try {
        upstream.connect(target, 5_000);
      } catch (IOException refused) {
        closeQuietly(client); // as the server itself would: the client sees the connection fail
        closeQuietly(upstream);
        continue;
      }
      sockets.add(client);
      sockets.add(upstream);
      if (closed || refusing) {
        // Closed or refusing while this connection was being made, so cutConnections() may have
        // missed it: no client may get a working connection once the proxy refuses them. (A
        // DatabaseOutageIT order went through on such a connection under load.)
        closeQuietly(client);
        closeQuietly(upstream);
        sockets.remove(client);
        sockets.remove(upstream);
        continue;
      }
      String name = "tcp-proxy-" + port() + "-" + client.getPort();
      daemon(name + "-up", () -> pump(client, upstream)).start();
      daemon(name + "-down", () -> pump(upstream, client)).start();
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[BUFFER_BYTES];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int read;
      while ((read = in.read(buffer)) >= 0) {
        awaitOpen();
        out.write(buffer, 0, read);
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // one side closed or was cut: close the other so the peer sees it too
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      sockets.remove(from);
      sockets.remove(to);
    }
  }

  private void awaitOpen() throws InterruptedException {
    synchronized (gate) {
      while (stalled && !closed) {
        gate.wait();
      }
    }
  }

  private static Thread daemon(String name, Runnable task) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    return thread;
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // already closed
    }
  }
}
