package io.github.outboxrelay.writer.internal;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Table names come from configuration and are spliced into SQL, so they must be plain, unquoted
 * identifiers: nothing a value could smuggle through. Values are always bound parameters. Shared by
 * the writer and the relay so that both accept the same names. Not API.
 */
public final class SqlIdentifiers {

  /** PostgreSQL's limit (NAMEDATALEN - 1), less room for the suffixes of the index names. */
  public static final int MAX_TABLE_NAME_LENGTH = 48;

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** PostgreSQL's fully reserved key words (documentation, appendix C), which need quoting. */
  private static final Set<String> RESERVED =
      Set.of(
          "all",
          "analyse",
          "analyze",
          "and",
          "any",
          "array",
          "as",
          "asc",
          "asymmetric",
          "both",
          "case",
          "cast",
          "check",
          "collate",
          "column",
          "constraint",
          "create",
          "current_catalog",
          "current_date",
          "current_role",
          "current_time",
          "current_timestamp",
          "current_user",
          "default",
          "deferrable",
          "desc",
          "distinct",
          "do",
          "else",
          "end",
          "except",
          "false",
          "fetch",
          "for",
          "foreign",
          "from",
          "grant",
          "group",
          "having",
          "in",
          "initially",
          "intersect",
          "into",
          "lateral",
          "leading",
          "limit",
          "localtime",
          "localtimestamp",
          "not",
          "null",
          "offset",
          "on",
          "only",
          "or",
          "order",
          "placing",
          "primary",
          "references",
          "returning",
          "select",
          "session_user",
          "some",
          "symmetric",
          "system_user",
          "table",
          "then",
          "to",
          "trailing",
          "true",
          "union",
          "unique",
          "user",
          "using",
          "variadic",
          "when",
          "where",
          "window",
          "with");

  private SqlIdentifiers() {}

  /**
   * A table name as the writer and the relay accept it, optionally schema-qualified: {@code outbox}
   * or {@code messaging.outbox}, each part a plain, unquoted SQL identifier that is not a reserved
   * key word.
   *
   * @return the name, unchanged
   * @throws IllegalArgumentException naming the property and the rule broken
   */
  public static String requireQualifiedTable(String name, String property) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(property + " must not be null or blank");
    }
    String[] parts = name.split("\\.", -1);
    if (parts.length > 2) {
      throw new IllegalArgumentException(
          property + " '" + name + "' must be 'table' or 'schema.table'");
    }
    for (String part : parts) {
      requireIdentifier(part, property, name);
    }
    return name;
  }

  /** An unqualified table name, as the migration's placeholder needs. */
  public static String requireTable(String name, String property) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(property + " must not be null or blank");
    }
    requireIdentifier(name, property, name);
    return name;
  }

  private static void requireIdentifier(String part, String property, String whole) {
    if (!IDENTIFIER.matcher(part).matches()) {
      throw new IllegalArgumentException(
          property
              + " '"
              + whole
              + "' is not a plain SQL identifier: use letters, digits and '_', not starting with"
              + " a digit");
    }
    if (part.length() > MAX_TABLE_NAME_LENGTH) {
      throw new IllegalArgumentException(
          property
              + " '"
              + whole
              + "' has a part longer than "
              + MAX_TABLE_NAME_LENGTH
              + " characters");
    }
    if (RESERVED.contains(part.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException(
          property + " '" + whole + "' uses the reserved SQL key word '" + part + "'");
    }
  }
}
