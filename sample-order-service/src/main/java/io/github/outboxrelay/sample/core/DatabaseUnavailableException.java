package io.github.outboxrelay.sample.core;

import java.sql.SQLException;

/**
 * The database could not be reached, or kept losing the connection, for as long as the {@link
 * TransactionRunner} retries: the client may try again shortly (the API answers 503 with {@code
 * Retry-After}). Its message is for the client: it never quotes the cause, which may name the
 * database's address.
 */
public final class DatabaseUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  static final String MESSAGE = "the database is unavailable; try again shortly";

  DatabaseUnavailableException(SQLException cause) {
    this(MESSAGE, cause);
  }

  private DatabaseUnavailableException(String message, Throwable cause) {
    super(message, cause, false, false);
  }

  /**
   * The same failure, for a client whose request may nevertheless have taken effect: a commit of
   * its was under way when the connection broke, and the database went away before anyone could
   * find out. {@code what} says what may have happened and how to find out; the message does not
   * invite the client to simply send the request again.
   */
  DatabaseUnavailableException mayHaveTakenEffect(String what) {
    return new DatabaseUnavailableException("the database is unavailable; " + what, getCause());
  }
}
