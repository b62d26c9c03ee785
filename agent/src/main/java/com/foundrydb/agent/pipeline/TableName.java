package com.foundrydb.agent.pipeline;

import java.util.regex.Pattern;

/**
 * A "schema.table" name as users write it. Only plain identifiers are accepted: Debezium's
 * table.include.list is a list of regular expressions, so names that need quoting cannot be
 * expressed there faithfully. The parts are still always quoted when they reach SQL.
 */
public record TableName(String schema, String table) {
  static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

  public static boolean valid(String text) {
    if (text == null) {
      return false;
    }
    String[] parts = text.split("\\.", -1);
    return parts.length == 2 && IDENT.matcher(parts[0]).matches() && IDENT.matcher(parts[1]).matches();
  }

  public static TableName parse(String text) {
    if (!valid(text)) {
      throw new IllegalArgumentException("not a schema.table name: " + text);
    }
    String[] parts = text.split("\\.");
    return new TableName(parts[0], parts[1]);
  }

  @Override
  public String toString() {
    return schema + "." + table;
  }
}
