package io.vecgate.gateway.milvus;

import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.reader.Filter;
import io.vecgate.protocol.reader.RangeFilter;
import io.vecgate.protocol.reader.TermFilter;
import io.vecgate.space.FieldSpec;
import io.vecgate.space.FieldType;
import io.vecgate.space.SpaceSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Milvus's boolean filter expressions ({@code age >= 18 and color in ["red", "blue"]}, {@code not (x == 1)},
 * {@code id in {ids}} with template values) turned into vecgate's filters. vecgate's filters are ANDed, so an
 * expression becomes a disjunction of conjunctions (its disjunctive normal form): each conjunction is one list of
 * {@link Filter}s, searched on its own, and the caller unites the answers. Negations are pushed down to the
 * comparisons (De Morgan), so {@code not} never reaches the readers except as a term filter's {@code not}.
 *
 * <p>Supported: {@code == != < <= > >=} between a field and a literal (either side), {@code in} and {@code not in}
 * with a list, {@code and}/{@code &&}, {@code or}/{@code ||}, {@code not}/{@code !}, parentheses, a bare bool
 * field, string literals in double or single quotes, {@code {name}} templates. Anything else (arithmetic,
 * {@code like}, JSON paths, functions) is refused with a reason.
 */
final class MilvusExpr {

  /** At most this many conjunctions after normalising (each is a search of its own). */
  static final int MAX_CONJUNCTIONS = 16;

  private MilvusExpr() {}

  /**
   * @param boolFields names of the fields Milvus calls Bool (stored by vecgate as integers 0 and 1)
   * @param templates the values of {@code {name}} placeholders (Milvus's {@code expr_template_values})
   * @return the conjunctions; one empty conjunction for an empty expression (everything matches)
   */
  static List<List<Filter>> toFilters(String expr, SpaceSchema schema, Set<String> boolFields,
                                      Map<String, Object> templates) {
    if (expr == null || expr.isBlank()) {
      return List.of(List.of());
    }
    Node n = new Parser(expr, templates).parseAll();
    List<List<Cmp>> dnf = dnf(n, false);
    List<List<Filter>> out = new ArrayList<>();
    for (List<Cmp> conj : dnf) {
      List<List<Filter>> expanded = List.of(new ArrayList<>());
      for (Cmp c : conj) {
        List<List<Filter>> alternatives = filtersOf(c, schema, boolFields, expr);
        List<List<Filter>> next = new ArrayList<>();
        for (List<Filter> prefix : expanded) {
          for (List<Filter> alt : alternatives) {
            List<Filter> l = new ArrayList<>(prefix);
            l.addAll(alt);
            next.add(l);
          }
        }
        expanded = next;
        if (expanded.size() > MAX_CONJUNCTIONS) {
          break;
        }
      }
      out.addAll(expanded);
      if (out.size() > MAX_CONJUNCTIONS) {
        throw ApiException.badRequest("expr: '" + expr + "' needs more than " + MAX_CONJUNCTIONS
            + " alternative searches once its or/not/!= are expanded; simplify it");
      }
    }
    return out;
  }

  // ---- the syntax tree ----

  sealed interface Node permits And, Or, Not, Cmp {}

  record And(Node a, Node b) implements Node {}

  record Or(Node a, Node b) implements Node {}

  record Not(Node a) implements Node {}

  /** A comparison of a field: op is one of == != < <= > >= in notin; value is a Number, String, Boolean or List. */
  record Cmp(String field, String op, Object value) implements Node {
    Cmp negated() {
      return new Cmp(field, switch (op) {
        case "==" -> "!=";
        case "!=" -> "==";
        case "<" -> ">=";
        case "<=" -> ">";
        case ">" -> "<=";
        case ">=" -> "<";
        case "in" -> "notin";
        case "notin" -> "in";
        default -> throw new IllegalStateException(op);
      }, value);
    }
  }

  private static List<List<Cmp>> dnf(Node n, boolean negate) {
    return switch (n) {
      case Not x -> dnf(x.a(), !negate);
      case Cmp c -> List.of(List.of(negate ? c.negated() : c));
      case And x -> negate ? or(dnf(x.a(), true), dnf(x.b(), true)) : and(dnf(x.a(), false), dnf(x.b(), false));
      case Or x -> negate ? and(dnf(x.a(), true), dnf(x.b(), true)) : or(dnf(x.a(), false), dnf(x.b(), false));
    };
  }

  private static List<List<Cmp>> or(List<List<Cmp>> a, List<List<Cmp>> b) {
    List<List<Cmp>> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static List<List<Cmp>> and(List<List<Cmp>> a, List<List<Cmp>> b) {
    List<List<Cmp>> out = new ArrayList<>();
    for (List<Cmp> x : a) {
      for (List<Cmp> y : b) {
        List<Cmp> l = new ArrayList<>(x);
        l.addAll(y);
        out.add(l);
        if (out.size() > MAX_CONJUNCTIONS * 4) {
          throw ApiException.badRequest("expr: too many alternatives once expanded; simplify it");
        }
      }
    }
    return out;
  }

  // ---- comparisons to vecgate filters ----

  /** The alternatives (ORed) of one comparison, each a list of ANDed filters. */
  private static List<List<Filter>> filtersOf(Cmp c, SpaceSchema schema, Set<String> boolFields, String expr) {
    FieldSpec f = schema.field(c.field());
    if (f == null || f.isVector()) {
      throw ApiException.badRequest("expr: unknown scalar field '" + c.field() + "' in '" + expr + "'");
    }
    boolean bool = boolFields.contains(f.name());
    boolean text = f.type() == FieldType.STRING || f.type() == FieldType.KEYWORD;
    boolean integral = f.type() == FieldType.INTEGER || f.type() == FieldType.LONG;
    if (c.op().equals("in") || c.op().equals("notin")) {
      if (!(c.value() instanceof List<?> values) || values.isEmpty()) {
        throw ApiException.badRequest("expr: '" + c.field() + " in' needs a non-empty list, got " + c.value());
      }
      List<String> terms = new ArrayList<>();
      for (Object v : values) {
        terms.add(termValue(f, bool, text, integral, v));
      }
      if (!text && !integral && !bool) {
        if (c.op().equals("notin")) {
          throw ApiException.badRequest("expr: 'not in' on the float field '" + f.name() + "' is not supported");
        }
        List<List<Filter>> alts = new ArrayList<>();
        for (String t : terms) {
          double d = Double.parseDouble(t);
          alts.add(List.of(range(f.name(), null, d, null, d)));
        }
        return alts;
      }
      return List.of(List.of(term(f.name(), terms, c.op().equals("in") ? "or" : "not")));
    }
    if (c.value() instanceof List) {
      throw ApiException.badRequest("expr: '" + c.field() + " " + c.op() + "' takes one value, not a list");
    }
    if (text) {
      String v = termValue(f, false, true, false, c.value());
      return switch (c.op()) {
        case "==" -> List.of(List.of(term(f.name(), List.of(v), "or")));
        case "!=" -> List.of(List.of(term(f.name(), List.of(v), "not")));
        default -> throw ApiException.badRequest("expr: '" + c.op() + "' on the varchar field '" + f.name()
            + "' is not supported; use ==, !=, in or not in");
      };
    }
    double d = Double.parseDouble(termValue(f, bool, false, integral, c.value()));
    return switch (c.op()) {
      case "==" -> List.of(List.of(range(f.name(), null, d, null, d)));
      case "!=" -> List.of(List.of(range(f.name(), d, null, null, null)), List.of(range(f.name(), null, null, d, null)));
      case "<" -> List.of(List.of(range(f.name(), null, null, d, null)));
      case "<=" -> List.of(List.of(range(f.name(), null, null, null, d)));
      case ">" -> List.of(List.of(range(f.name(), d, null, null, null)));
      case ">=" -> List.of(List.of(range(f.name(), null, d, null, null)));
      default -> throw new IllegalStateException(c.op());
    };
  }

  private static String termValue(FieldSpec f, boolean bool, boolean text, boolean integral, Object v) {
    if (bool) {
      if (!(v instanceof Boolean b)) {
        throw ApiException.badRequest("expr: the bool field '" + f.name() + "' compares with true or false, got " + v);
      }
      return b ? "1" : "0";
    }
    if (text) {
      if (!(v instanceof String s)) {
        throw ApiException.badRequest("expr: the varchar field '" + f.name() + "' compares with strings, got " + v);
      }
      return s;
    }
    if (!(v instanceof Number n)) {
      throw ApiException.badRequest("expr: the numeric field '" + f.name() + "' compares with numbers, got " + v);
    }
    if (integral) {
      if (n instanceof Double) {
        throw ApiException.badRequest("expr: the integer field '" + f.name() + "' compares with integers, got " + v);
      }
      return Long.toString(n.longValue());
    }
    return Double.toString(n.doubleValue());
  }

  private static Filter range(String field, Double gt, Double gte, Double lt, Double lte) {
    RangeFilter.Builder r = RangeFilter.newBuilder().setField(field);
    if (gt != null) r.setGt(gt);
    if (gte != null) r.setGte(gte);
    if (lt != null) r.setLt(lt);
    if (lte != null) r.setLte(lte);
    return Filter.newBuilder().setRange(r).build();
  }

  private static Filter term(String field, List<String> values, String operator) {
    return Filter.newBuilder().setTerm(TermFilter.newBuilder().setField(field).addAllValues(values)
        .setOperator(operator)).build();
  }

  // ---- the parser: or > and > not > comparison ----

  private static final class Parser {
    private final String s;
    private final Map<String, Object> templates;
    private int pos;

    Parser(String s, Map<String, Object> templates) {
      this.s = s;
      this.templates = templates;
    }

    Node parseAll() {
      Node n = or();
      skip();
      if (pos < s.length()) {
        throw error("unexpected '" + s.substring(pos) + "'");
      }
      return n;
    }

    private Node or() {
      Node n = and();
      while (word("or") || sym("||")) {
        n = new Or(n, and());
      }
      return n;
    }

    private Node and() {
      Node n = not();
      while (word("and") || sym("&&")) {
        n = new And(n, not());
      }
      return n;
    }

    private Node not() {
      if (word("not") || symNotEq("!")) {
        return new Not(not());
      }
      return primary();
    }

    private Node primary() {
      if (sym("(")) {
        Node n = or();
        expect(")");
        return n;
      }
      skip();
      int start = pos;
      Object left = operand();
      skip();
      String op = compareOp();
      if (op == null) {
        if (left instanceof Ident id) {
          return new Cmp(id.name(), "==", Boolean.TRUE);
        }
        throw error("expected a comparison after '" + s.substring(start, pos).trim() + "'");
      }
      Object right = operand();
      if (left instanceof Ident id && !(right instanceof Ident)) {
        return new Cmp(id.name(), op, right);
      }
      if (right instanceof Ident id && !(left instanceof Ident) && !op.equals("in") && !op.equals("notin")) {
        return new Cmp(id.name(), flip(op), left);
      }
      throw error("a comparison needs one field and one value");
    }

    private static String flip(String op) {
      return switch (op) {
        case "<" -> ">";
        case "<=" -> ">=";
        case ">" -> "<";
        case ">=" -> "<=";
        default -> op;
      };
    }

    private String compareOp() {
      for (String op : new String[] {"==", "!=", "<=", ">=", "<", ">"}) {
        if (sym(op)) {
          return op;
        }
      }
      if (word("in")) {
        return "in";
      }
      int save = pos;
      if (word("not") && word("in")) {
        return "notin";
      }
      pos = save;
      if (word("like")) {
        throw error("'like' is not supported");
      }
      return null;
    }

    private record Ident(String name) {}

    private Object operand() {
      skip();
      if (pos >= s.length()) {
        throw error("unexpected end");
      }
      char c = s.charAt(pos);
      if (c == '"' || c == '\'') {
        return string(c);
      }
      if (c == '[') {
        pos++;
        List<Object> items = new ArrayList<>();
        skip();
        if (sym("]")) {
          return items;
        }
        do {
          items.add(literal(operand()));
        } while (sym(","));
        expect("]");
        return items;
      }
      if (c == '{') {
        int end = s.indexOf('}', pos);
        if (end < 0) {
          throw error("unclosed template '{'");
        }
        String name = s.substring(pos + 1, end).trim();
        pos = end + 1;
        if (!templates.containsKey(name)) {
          throw error("no value given for the template {" + name + "}");
        }
        return templates.get(name);
      }
      if (c == '-' || c == '+' || Character.isDigit(c) || c == '.') {
        int start = pos++;
        while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '.'
            || (s.charAt(pos) == '-' || s.charAt(pos) == '+') && Character.toLowerCase(s.charAt(pos - 1)) == 'e')) {
          pos++;
        }
        String num = s.substring(start, pos);
        try {
          return num.matches("[-+]?\\d+") ? (Object) Long.parseLong(num) : (Object) Double.parseDouble(num);
        } catch (NumberFormatException e) {
          throw error("'" + num + "' is not a number");
        }
      }
      if (Character.isLetter(c) || c == '_') {
        int start = pos;
        while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
          pos++;
        }
        String w = s.substring(start, pos);
        if (pos < s.length() && (s.charAt(pos) == '[' || s.charAt(pos) == '(')) {
          throw error("JSON paths, arrays and functions ('" + w + s.charAt(pos) + "') are not supported");
        }
        return switch (w.toLowerCase(java.util.Locale.ROOT)) {
          case "true" -> Boolean.TRUE;
          case "false" -> Boolean.FALSE;
          default -> new Ident(w);
        };
      }
      throw error("unexpected '" + c + "'");
    }

    private Object literal(Object o) {
      if (o instanceof Ident id) {
        throw error("a list holds values, not the field '" + id.name() + "'");
      }
      return o;
    }

    private String string(char quote) {
      StringBuilder b = new StringBuilder();
      pos++;
      while (pos < s.length() && s.charAt(pos) != quote) {
        char c = s.charAt(pos++);
        if (c == '\\' && pos < s.length()) {
          c = s.charAt(pos++);
        }
        b.append(c);
      }
      if (pos >= s.length()) {
        throw error("unclosed string");
      }
      pos++;
      return b.toString();
    }

    private void skip() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
    }

    private boolean sym(String t) {
      skip();
      if (s.startsWith(t, pos)) {
        pos += t.length();
        return true;
      }
      return false;
    }

    /** {@code !} as not, but not the start of {@code !=}. */
    private boolean symNotEq(String t) {
      skip();
      if (s.startsWith(t, pos) && !s.startsWith("!=", pos)) {
        pos += t.length();
        return true;
      }
      return false;
    }

    private boolean word(String w) {
      skip();
      int end = pos + w.length();
      if (s.regionMatches(true, pos, w, 0, w.length())
          && (end >= s.length() || !Character.isLetterOrDigit(s.charAt(end)) && s.charAt(end) != '_')) {
        pos = end;
        return true;
      }
      return false;
    }

    private void expect(String t) {
      if (!sym(t)) {
        throw error("expected '" + t + "'");
      }
    }

    private ApiException error(String what) {
      return ApiException.badRequest("expr: " + what + " at position " + pos + " of '" + s + "'");
    }
  }
}
