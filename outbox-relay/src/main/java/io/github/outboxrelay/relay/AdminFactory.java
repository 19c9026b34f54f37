package io.github.outboxrelay.relay;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.List;

/**
 * Who may use the admin port ({@code admin} in the YAML): HTTP basic credentials, the password from
 * the environment (write-only: never serialized, never logged), and the paths left open on purpose
 * for probes. Without a password the admin port must stay on a loopback address.
 */
public class AdminFactory {

  @NotNull
  @Pattern(regexp = "[^:\\s]{1,64}", message = "must be 1 to 64 characters without ':' or spaces")
  private String user = "admin";

  private String password = "";

  @NotNull
  private List<@Pattern(regexp = "/[^\\s]*", message = "must be a path") String> openPaths =
      List.of("/healthcheck", "/ping");

  @JsonProperty
  public String getUser() {
    return user;
  }

  @JsonProperty
  public void setUser(String user) {
    this.user = user;
  }

  @JsonProperty
  public void setPassword(String password) {
    this.password = password;
  }

  /** The password, or null when none is set; never serialized, never printed. */
  String password() {
    return password == null || password.isEmpty() ? null : password;
  }

  /** Paths anyone may read without credentials (GET and HEAD only), exactly as listed. */
  @JsonProperty
  public List<String> getOpenPaths() {
    return openPaths;
  }

  @JsonProperty
  public void setOpenPaths(List<String> openPaths) {
    this.openPaths = openPaths;
  }
}
