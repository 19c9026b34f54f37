package io.github.outboxrelay.relay;

import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.core.server.ServerFactory;
import io.dropwizard.core.server.SimpleServerFactory;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.jetty.ConnectorFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import io.github.outboxrelay.relay.admin.BasicAuthFilter;
import jakarta.servlet.DispatcherType;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;

/**
 * Who may reach the admin port. With {@code admin.password} set, HTTP basic guards all of it
 * ({@link BasicAuthFilter}). Without, the relay refuses to start unless every admin connector binds
 * a loopback address: the admin port can requeue, skip and pause events, and run Dropwizard's
 * tasks, so it is never open to the network without credentials.
 */
final class AdminAccess {

  private AdminAccess() {}

  static void secure(Environment environment, ServerFactory server, AdminFactory admin) {
    if (admin.password() != null) {
      environment
          .admin()
          .addFilter(
              "basic-auth",
              new BasicAuthFilter(
                  admin.getUser(),
                  admin.password(),
                  new HashSet<>(admin.getOpenPaths()),
                  environment.getObjectMapper()))
          .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
      return;
    }
    List<String> exposed =
        adminBindHosts(server).stream().filter(host -> !isLoopback(host)).toList();
    if (!exposed.isEmpty()) {
      throw new IllegalStateException(
          "The admin port is bound to "
              + exposed
              + ", beyond this host, without credentials. Set admin.password"
              + " (RELAY_ADMIN_PASSWORD in the shipped config) to guard it with HTTP basic, or"
              + " bind it to 127.0.0.1.");
    }
  }

  /** The admin connectors' bind hosts; null (every interface) as "0.0.0.0". */
  static List<String> adminBindHosts(ServerFactory server) {
    List<ConnectorFactory> connectors = new ArrayList<>();
    if (server instanceof DefaultServerFactory defaults) {
      connectors.addAll(defaults.getAdminConnectors());
    } else if (server instanceof SimpleServerFactory simple) {
      connectors.add(simple.getConnector());
    }
    List<String> hosts = new ArrayList<>();
    for (ConnectorFactory connector : connectors) {
      String host =
          connector instanceof HttpConnectorFactory http ? http.getBindHost() : "an unknown host";
      hosts.add(host == null || host.isBlank() ? "0.0.0.0" : host);
    }
    return hosts;
  }

  static boolean isLoopback(String host) {
    try {
      for (InetAddress address : InetAddress.getAllByName(host)) {
        if (!address.isLoopbackAddress()) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
