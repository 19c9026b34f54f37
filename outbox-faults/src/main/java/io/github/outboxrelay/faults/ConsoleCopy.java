package io.github.outboxrelay.faults;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Copies everything the suite prints to {@code suite.log} beside the services' logs. */
final class ConsoleCopy extends OutputStream {

  private final OutputStream console;
  private final OutputStream file;

  private ConsoleCopy(OutputStream console, OutputStream file) {
    this.console = console;
    this.file = file;
  }

  static void install(Path log) throws IOException {
    OutputStream file = new FileOutputStream(log.toFile());
    System.setOut(new PrintStream(new ConsoleCopy(System.out, file), true, StandardCharsets.UTF_8));
  }

  @Override
  public void write(int b) throws IOException {
    console.write(b);
    file.write(b);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    console.write(bytes, offset, length);
    file.write(bytes, offset, length);
  }

  @Override
  public void flush() throws IOException {
    console.flush();
    file.flush();
  }
}
