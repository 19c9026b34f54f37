package io.github.outboxrelay.relay.core;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/** Decides whether this relay may claim now; see {@code ExclusiveLease}. */
public interface ClaimGate {

  /** Every relay claims: several relays share the work, without order across them. */
  ClaimGate ALWAYS_OPEN =
      new ClaimGate() {
        @Override
        public boolean isOpen() {
          return true;
        }

        @Override
        public boolean admitClaim(Connection connection) {
          return true;
        }
      };

  /** Why this relay cannot take part in deciding who claims, if it cannot: it does not claim. */
  default Optional<String> problem() {
    return Optional.empty();
  }

  /** A cheap, possibly stale answer, to idle without a round trip while closed. */
  boolean isOpen();

  /**
   * The authoritative answer, given first in the claiming transaction on its connection; what it
   * locks is held until that transaction ends.
   */
  boolean admitClaim(Connection connection) throws SQLException;
}
