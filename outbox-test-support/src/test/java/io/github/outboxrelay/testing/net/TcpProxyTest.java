package io.github.outboxrelay.testing.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TcpProxyTest {

  private ServerSocket echoServer;
  private TcpProxy proxy;

  @BeforeEach
  void startEchoServerBehindProxy() throws IOException {
    echoServer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread echo =
        new Thread(
            () -> {
              while (!echoServer.isClosed()) {
                try {
                  Socket socket = echoServer.accept();
                  Thread pump = new Thread(() -> echo(socket));
                  pump.setDaemon(true);
                  pump.start();
                } catch (IOException closed) {
                  return;
                }
              }
            });
    echo.setDaemon(true);
    echo.start();
    proxy = TcpProxy.start("127.0.0.1", echoServer.getLocalPort());
  }

  @AfterEach
  void stop() throws IOException {
    proxy.close();
    echoServer.close();
  }

  @Test
  void forwardsBothWays() throws IOException {
    try (Socket client = connect()) {
      assertThat(roundTrip(client, 'a')).isEqualTo('a');
    }
  }

  @Test
  void aStallHoldsBytesUntilResumed() throws IOException {
    try (Socket client = connect()) {
      proxy.stall();
      client.getOutputStream().write('b');
      client.setSoTimeout(300);
      assertThatThrownBy(() -> client.getInputStream().read())
          .isInstanceOf(SocketTimeoutException.class);
      proxy.resume();
      client.setSoTimeout(10_000);
      assertThat(client.getInputStream().read()).isEqualTo('b');
    }
  }

  @Test
  void aCutEndsOpenConnectionsButNotNewOnes() throws IOException {
    try (Socket client = connect()) {
      assertThat(roundTrip(client, 'c')).isEqualTo('c');
      proxy.cutConnections();
      client.setSoTimeout(10_000);
      assertThat(readOrReset(client)).isEqualTo(-1);
    }
    try (Socket again = connect()) {
      assertThat(roundTrip(again, 'd')).isEqualTo('d');
    }
  }

  @Test
  void refusingEndsOpenAndNewConnectionsUntilAcceptingAgain() throws IOException {
    try (Socket open = connect()) {
      proxy.refuseConnections();
      assertThat(readOrReset(open)).isEqualTo(-1);
    }
    try (Socket refused = connect()) {
      refused.getOutputStream().write('e');
      assertThat(readOrReset(refused)).isEqualTo(-1);
    }
    proxy.acceptConnections();
    try (Socket again = connect()) {
      assertThat(roundTrip(again, 'f')).isEqualTo('f');
    }
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket("127.0.0.1", proxy.port());
    socket.setSoTimeout(10_000);
    return socket;
  }

  private static int roundTrip(Socket client, char c) throws IOException {
    client.getOutputStream().write(c);
    return client.getInputStream().read();
  }

  private static int readOrReset(Socket client) {
    try {
      return client.getInputStream().read();
    } catch (IOException reset) {
      return -1;
    }
  }

  private static void echo(Socket socket) {
    try (socket;
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream()) {
      int b;
      while ((b = in.read()) >= 0) {
        out.write(b);
        out.flush();
      }
    } catch (IOException closed) {
      // the proxy closed it
    }
  }
}
