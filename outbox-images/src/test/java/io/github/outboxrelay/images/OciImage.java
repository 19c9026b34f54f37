package io.github.outboxrelay.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * An OCI image as a tarball in the OCI image layout (index.json, blobs/sha256/…), as Jib writes it:
 * its config and its layers' files, read as a container runtime would.
 */
final class OciImage {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One file of a layer, with its mode bits. */
  record Entry(String path, long size, int mode, boolean directory) {}

  private final JsonNode config;
  private final List<byte[]> layers;

  private OciImage(JsonNode config, List<byte[]> layers) {
    this.config = config;
    this.layers = layers;
  }

  static OciImage read(Path tarball) throws IOException {
    Map<String, byte[]> files = new HashMap<>();
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new BufferedInputStream(Files.newInputStream(tarball)))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        if (entry.isFile()) {
          files.put(entry.getName(), tar.readAllBytes());
        }
      }
    }
    JsonNode index = JSON.readTree(require(files, "index.json"));
    JsonNode manifest = JSON.readTree(blob(files, index.path("manifests").path(0)));
    JsonNode config = JSON.readTree(blob(files, manifest.path("config")));
    List<byte[]> layers = new ArrayList<>();
    for (JsonNode layer : manifest.path("layers")) {
      layers.add(blob(files, layer));
    }
    return new OciImage(config, layers);
  }

  /** The image's run configuration: Entrypoint, Cmd, User, ExposedPorts, Env, … */
  JsonNode config() {
    return config.path("config");
  }

  String architecture() {
    return config.path("architecture").asText() + "/" + config.path("os").asText();
  }

  /** Every path of the image's file system, as the layers leave it (later layers win). */
  Map<String, Entry> files() throws IOException {
    Map<String, Entry> files = new LinkedHashMap<>();
    for (byte[] layer : layers) {
      try (TarArchiveInputStream tar = layer(layer)) {
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
          String path = "/" + stripSlash(entry.getName());
          files.put(path, new Entry(path, entry.getSize(), entry.getMode(), entry.isDirectory()));
        }
      }
    }
    return files;
  }

  /** Unpacks the layers into {@code root}, modes and all, as a container runtime would. */
  void unpack(Path root) throws IOException {
    for (byte[] layer : layers) {
      try (TarArchiveInputStream tar = layer(layer)) {
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
          Path target = root.resolve(stripSlash(entry.getName())).normalize();
          if (!target.startsWith(root)) {
            throw new IOException("layer entry outside the root: " + entry.getName());
          }
          if (entry.isDirectory()) {
            Files.createDirectories(target);
          } else if (entry.isFile()) {
            Files.createDirectories(target.getParent());
            Files.copy(tar, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          } else {
            throw new IOException("unexpected layer entry type: " + entry.getName());
          }
          Files.setPosixFilePermissions(target, permissions(entry.getMode()));
        }
      }
    }
  }

  private static TarArchiveInputStream layer(byte[] gzipped) throws IOException {
    return new TarArchiveInputStream(
        new GzipCompressorInputStream(new java.io.ByteArrayInputStream(gzipped)));
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ … OTHERS_EXECUTE
    for (int i = 0; i < bits.length; i++) {
      if ((mode & (1 << (8 - i))) != 0) {
        permissions.add(bits[i]);
      }
    }
    return permissions;
  }

  private static String stripSlash(String name) {
    String path = name.startsWith("./") ? name.substring(2) : name;
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  private static byte[] blob(Map<String, byte[]> files, JsonNode descriptor) throws IOException {
    String digest = descriptor.path("digest").asText();
    if (!digest.startsWith("sha256:")) {
      throw new IOException("no sha256 digest in " + descriptor);
    }
    return require(files, "blobs/sha256/" + digest.substring("sha256:".length()));
  }

  private static byte[] require(Map<String, byte[]> files, String name) throws IOException {
    byte[] content = files.get(name);
    if (content == null) {
      throw new IOException("the image tarball has no " + name);
    }
    return content;
  }
}
