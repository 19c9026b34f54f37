package io.github.outboxrelay.relay.db;

import java.sql.Connection;
import java.sql.SQLException;

/** Opens a fresh, unpooled connection, for a thread that holds one for hours. */
@FunctionalInterface
public interface ConnectionSource {
  Connection open() throws SQLException;
}
