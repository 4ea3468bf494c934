package io.ladder.tasks.math;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Builds the grading corpus {@code src/test/resources/grading/pairs.jsonl}: (gold, pred) pairs
 * over every answer format the grader handles, about half of them equivalent, where pred is a
 * whole model output that (mostly) ends in a {@code \boxed{}} answer. Generated families come
 * first, hand-written tricky cases last. Deterministic (fixed seed), so the committed file can be
 * checked for staleness by {@code GradingCorpusTest}.
 *
 * <p>Regenerate after changing this class, then refresh the reference verdicts:
 *
 * <pre>
 * mvn -o -pl tasks test -Dtest=GradingCorpusTest -Dladder.regenerateCorpus=true
 * build/venv-ref/bin/python scripts/reference/math_verify_verdicts.py
 * </pre>
 */
final class GradingCorpus {
    static final Path PAIRS = Path.of("src/test/resources/grading/pairs.jsonl");

    /** One corpus entry; {@code family} says which format it exercises (for reading reports). */
    record Pair(String family, String gold, String pred) {}

    private final Random rnd = new Random(20240611L);
    private final List<Pair> out = new ArrayList<>();

    static List<Pair> build() {
        GradingCorpus c = new GradingCorpus();
        c.integers();
        c.thousands();
        c.fractions();
        c.decimals();
        c.mixedNumbers();
        c.radicals();
        c.piExpressions();
        c.scientific();
        c.percents();
        c.unitsAndDegrees();
        c.tuples();
        c.sets();
        c.lists();
        c.intervals();
        c.unions();
        c.text();
        c.assignments();
        c.polynomials();
        c.inequalitiesAndMatrices();
        c.compound();
        c.nearMisses();
        c.boxStyles();
        c.noBox();
        c.tricky();
        return c.out;
    }

    static String toJsonl(List<Pair> pairs) {
        Gson gson = new GsonBuilder().disableHtmlEscaping().create();
        StringBuilder sb = new StringBuilder();
        for (Pair p : pairs) {
            JsonObject o = new JsonObject();
            o.addProperty("family", p.family());
            o.addProperty("gold", p.gold());
            o.addProperty("pred", p.pred());
            sb.append(gson.toJson(o)).append('\n');
        }
        return sb.toString();
    }

    public static void main(String[] args) throws IOException {
        Path target = args.length > 0 ? Path.of(args[0]) : PAIRS;
        List<Pair> pairs = build();
        Files.writeString(target, toJsonl(pairs), StandardCharsets.UTF_8);
        System.out.println("wrote " + pairs.size() + " pairs to " + target);
    }

    // ------------------------------------------------------------------ model-output wrapping

    private static final String[] OPENINGS = {
        "Let's work through this carefully.",
        "We set up the problem first.",
        "First, we simplify the given expression.",
        "Consider the conditions in the problem one at a time.",
        "We begin by writing down what we know.",
        "Let $n$ denote the quantity we are looking for.",
    };

    private static final String[] MIDDLES = {
        "Combining the two cases and simplifying gives the result.",
        "After substituting back and checking, everything is consistent.",
        "Collecting like terms, we can solve directly.",
        "This is the only value that satisfies every condition.",
        "Checking each candidate confirms it.",
    };

    /** A plausible model output ending with the boxed answer, in one of several common styles. */
    private String output(String answer) {
        String open = OPENINGS[rnd.nextInt(OPENINGS.length)];
        String mid = MIDDLES[rnd.nextInt(MIDDLES.length)];
        switch (rnd.nextInt(6)) {
            case 0:
                return open + " " + mid + " Therefore, the answer is $\\boxed{" + answer + "}$.";
            case 1:
                return open + "\n\n" + mid + "\n\n**Final Answer**\n\\[\n\\boxed{" + answer + "}\n\\]";
            case 2:
                return open + " " + mid + "\nThe final answer is $\\boxed{" + answer + "}$. I hope it is correct.";
            case 3:
                return open + " " + mid + " So we get \\boxed{" + answer + "}.";
            case 4:
                return open + "\n" + mid + "\n\nAnswer: $\\boxed{" + answer + "}$";
            default:
                return open + " " + mid + " Hence the result is \\(\\boxed{" + answer + "}\\).";
        }
    }

    private void eq(String family, String gold, String predAnswer) {
        out.add(new Pair(family, gold, output(predAnswer)));
    }

    private void raw(String family, String gold, String fullOutput) {
        out.add(new Pair(family, gold, fullOutput));
    }

    private int between(int lo, int hi) {
        return lo + rnd.nextInt(hi - lo + 1);
    }

    private <T> T pick(T[] options) {
        return options[rnd.nextInt(options.length)];
    }

    private static int gcd(int a, int b) {
        return b == 0 ? Math.abs(a) : gcd(b, a % b);
    }

    private static String dec(double v, int places) {
        return new BigDecimal(Double.toString(v)).setScale(places, RoundingMode.HALF_UP).toPlainString();
    }

    private static String dec(BigDecimal v, int places) {
        return v.setScale(places, RoundingMode.HALF_UP).toPlainString();
    }

    // ------------------------------------------------------------------ families

    private void integers() {
        for (int i = 0; i < 40; i++) {
            int n = rnd.nextInt(4) == 0 ? -between(1, 99) : between(0, 2500);
            String g = Integer.toString(n);
            switch (i % 8) {
                case 0 -> eq("integer", g, g);
                case 1 -> eq("integer", g, Integer.toString(n + pick(new Integer[] {1, -1, 10, 2})));
                case 2 -> eq("integer", g, pick(new String[] {"x = ", "n = ", "k="}) + g);
                case 3 -> eq("integer", g, Integer.toString(-n == n ? n + 1 : -n));
                case 4 -> eq("integer", g, g + pick(new String[] {".0", ".00", "\\,", "\\!", " "}));
                case 5 -> eq("integer", g, new StringBuilder(g).reverse().toString().equals(g) ? g + "1" : new StringBuilder(g.replace("-", "")).reverse() + "");
                case 6 -> eq("integer", g, "\\text{" + g + "}");
                default -> eq("integer", g, Integer.toString(n * 10));
            }
        }
    }

    private void thousands() {
        for (int i = 0; i < 24; i++) {
            int n = between(1000, 999999);
            String plain = Integer.toString(n);
            String commas = String.format("%,d", n);
            switch (i % 6) {
                case 0 -> eq("thousands", plain, commas);
                case 1 -> eq("thousands", commas, plain);
                case 2 -> eq("thousands", plain, commas.replace(",", "{,}"));
                case 3 -> eq("thousands", plain, String.format("%,d", n + 1000));
                case 4 -> eq("thousands", plain, "\\$" + commas);
                default -> eq("thousands", plain, commas.substring(0, commas.indexOf(',')));
            }
        }
    }

    private void fractions() {
        for (int i = 0; i < 56; i++) {
            int b = between(2, 29);
            int a = between(1, 3 * b);
            if (gcd(a, b) != 1 || a % b == 0) {
                a = 1;
            }
            boolean neg = rnd.nextInt(5) == 0;
            String s = neg ? "-" : "";
            String gold = s + "\\frac{" + a + "}{" + b + "}";
            BigDecimal value = new BigDecimal(a).divide(new BigDecimal(b), 20, RoundingMode.HALF_UP);
            switch (i % 14) {
                case 0 -> eq("fraction", gold, s + "\\dfrac{" + a + "}{" + b + "}");
                case 1 -> eq("fraction", gold, s + "\\tfrac{" + a + "}{" + b + "}");
                case 2 -> eq("fraction", gold, s + a + "/" + b);
                case 3 -> eq("fraction", gold, s + "\\frac{" + (2 * a) + "}{" + (2 * b) + "}");
                case 4 -> eq("fraction", gold, s + dec(value, 6));
                case 5 -> eq("fraction", gold, s + dec(value, 2));
                case 6 -> eq("fraction", gold, s + "\\frac{" + b + "}{" + a + "}");
                case 7 -> eq("fraction", gold, s + "\\frac{" + (a + 1) + "}{" + b + "}");
                case 8 -> eq("fraction", gold, neg ? "\\frac{-" + a + "}{" + b + "}" : "\\left(\\frac{" + a + "}{" + b + "}\\right)");
                case 9 -> eq("fraction", gold, (neg ? "" : "-") + "\\frac{" + a + "}{" + b + "}");
                case 10 -> eq("fraction", gold, s + dec(value, 8));
                case 11 -> eq("fraction", gold, s + "\\frac{" + a + "}{" + (b + 1) + "}");
                case 12 -> eq("fraction", gold, s + "\\dfrac{" + (3 * a) + "}{" + (3 * b) + "}");
                default -> eq("fraction", gold, s + dec(value, 3));
            }
        }
        // \frac12 shorthand both ways
        String[][] shorthand = {
            {"\\frac{1}{2}", "\\frac12"}, {"\\frac{3}{4}", "\\frac34"}, {"\\frac{2}{3}", "\\tfrac23"},
            {"\\frac{5}{9}", "\\dfrac59"}, {"\\frac{1}{2}", "\\frac21"}, {"\\frac{3}{4}", "\\frac43"},
            {"\\frac34", "0.75"}, {"\\frac{7}{8}", "\\frac7{8}"},
        };
        for (String[] p : shorthand) {
            eq("fraction", p[0], p[1]);
        }
    }

    private void decimals() {
        String[] golds = {"0.25", "3.75", "12.5", "0.125", "2.4", "0.05", "7.2", "1.08", "0.375", "19.99", "4.5", "0.6"};
        for (int i = 0; i < golds.length * 3; i++) {
            String g = golds[i % golds.length];
            BigDecimal v = new BigDecimal(g);
            switch (i / golds.length) {
                case 0 -> eq("decimal", g, toFraction(v));
                case 1 -> eq("decimal", g, pick(new String[] {g + "0", g.startsWith("0") ? g.substring(1) : g + "00"}));
                default -> eq("decimal", g, v.add(new BigDecimal(pick(new String[] {"0.01", "0.1", "-0.05", "1"}))).toPlainString());
            }
        }
    }

    private static String toFraction(BigDecimal v) {
        java.math.BigInteger num = v.unscaledValue();
        java.math.BigInteger den = java.math.BigInteger.TEN.pow(v.scale());
        java.math.BigInteger g = num.gcd(den);
        return "\\frac{" + num.divide(g) + "}{" + den.divide(g) + "}";
    }

    private void mixedNumbers() {
        int[][] m = {{2, 1, 2}, {3, 1, 4}, {1, 2, 3}, {5, 3, 8}, {4, 2, 5}, {7, 1, 3}, {10, 5, 6}, {2, 3, 7}};
        for (int[] x : m) {
            int whole = x[0];
            int a = x[1];
            int b = x[2];
            String improper = "\\frac{" + (whole * b + a) + "}{" + b + "}";
            String mixed = whole + "\\frac{" + a + "}{" + b + "}";
            eq("mixed", improper, mixed);
            eq("mixed", mixed, improper);
            eq("mixed", improper, whole + " \\frac{" + (a + 1) + "}{" + b + "}");
        }
        eq("mixed", "\\frac{7}{2}", "3.5");
        eq("mixed", "-\\frac{7}{2}", "-3\\frac{1}{2}");
        eq("mixed", "\\frac{7}{2}", "3\\tfrac12");
    }

    private void radicals() {
        int[] squareFree = {2, 3, 5, 6, 7, 10, 11, 13, 14, 15};
        for (int i = 0; i < 48; i++) {
            int m = squareFree[rnd.nextInt(squareFree.length)];
            int k = between(2, 9);
            int d = between(2, 7);
            String gold;
            switch (i % 3) {
                case 0 -> gold = k + "\\sqrt{" + m + "}";
                case 1 -> gold = "\\frac{\\sqrt{" + m + "}}{" + d + "}";
                default -> gold = "\\frac{" + k + "\\sqrt{" + m + "}}{" + d + "}";
            }
            double val = (i % 3 == 0 ? k : i % 3 == 1 ? 1.0 / d : (double) k / d) * Math.sqrt(m);
            switch ((i / 3) % 8) {
                case 0 -> eq("radical", gold, i % 3 == 0 ? "\\sqrt{" + (k * k * m) + "}" : i % 3 == 1 ? "\\frac{1}{" + d + "}\\sqrt{" + m + "}" : "\\frac{" + k + "}{" + d + "}\\sqrt{" + m + "}");
                case 1 -> eq("radical", gold, i % 3 == 0 ? k + "\\sqrt" + m : i % 3 == 1 ? "\\frac{\\sqrt" + m + "}{" + d + "}" : "\\dfrac{" + k + "\\sqrt{" + m + "}}{" + d + "}");
                case 2 -> eq("radical", gold, dec(val, 6));
                case 3 -> eq("radical", gold, dec(val, 2));
                case 4 -> eq("radical", gold, gold.replace("\\sqrt{" + m + "}", "\\sqrt{" + (m + 1 == 4 ? 5 : m + 1) + "}"));
                case 5 -> eq("radical", gold, i % 3 == 0 ? (k + 1) + "\\sqrt{" + m + "}" : "\\frac{\\sqrt{" + m + "}}{" + (d + 1) + "}");
                case 6 -> eq("radical", gold, i % 3 == 1 ? "\\frac{" + m + "}{" + d + "\\sqrt{" + m + "}}" : "\\sqrt{" + m + "} \\cdot " + (i % 3 == 0 ? k : "\\frac{" + k + "}{" + d + "}"));
                default -> eq("radical", gold, i % 3 == 0 ? k + "\\cdot" + m : "\\sqrt{\\frac{" + m + "}{" + (d * d) + "}}" + (i % 3 == 2 ? "\\cdot " + k : ""));
            }
        }
    }

    private void piExpressions() {
        for (int i = 0; i < 36; i++) {
            int k = between(2, 20);
            int m = between(2, 9);
            if (gcd(k, m) != 1) {
                m = k + 1;
            }
            String gold = i % 2 == 0 ? k + "\\pi" : "\\frac{" + k + "\\pi}{" + m + "}";
            double val = i % 2 == 0 ? k * Math.PI : k * Math.PI / m;
            switch ((i / 2) % 9) {
                case 0 -> eq("pi", gold, i % 2 == 0 ? "\\pi " + k : "\\frac{" + k + "}{" + m + "}\\pi");
                case 1 -> eq("pi", gold, i % 2 == 0 ? k + " \\pi" : "\\frac{" + k + "\\cdot\\pi}{" + m + "}");
                case 2 -> eq("pi", gold, dec(val, 6));
                case 3 -> eq("pi", gold, dec(val, 2));
                case 4 -> eq("pi", gold, i % 2 == 0 ? (k + 1) + "\\pi" : "\\frac{" + m + "\\pi}{" + k + "}");
                case 5 -> eq("pi", gold, gold + "+1");
                case 6 -> eq("pi", gold, i % 2 == 0 ? k + "\\times\\pi" : "\\pi\\cdot\\frac{" + k + "}{" + m + "}");
                case 7 -> eq("pi", gold, i % 2 == 0 ? Integer.toString(k) : "\\frac{" + k + "}{" + m + "}");
                default -> eq("pi", gold, i % 2 == 0 ? dec(k * 3.14, 2) : "\\frac{" + (2 * k) + "\\pi}{" + (2 * m) + "}");
            }
        }
        eq("pi", "\\pi", "3.14159");
        eq("pi", "\\pi", "3.141593");
        eq("pi", "2\\pi r", "2r\\pi");
        eq("pi", "\\pi r^2", "\\pi r^{2}");
        eq("pi", "4+2\\pi", "2\\pi+4");
        eq("pi", "4+2\\pi", "2(2+\\pi)");
        eq("pi", "4+2\\pi", "4-2\\pi");
        eq("pi", "\\frac{\\pi}{4}", "45^\\circ");
    }

    private void scientific() {
        String[][] s = {
            {"1500", "1.5\\times10^3", "1.5\\times10^4"},
            {"0.035", "3.5 \\times 10^{-2}", "3.5 \\times 10^{-3}"},
            {"2500000", "2.5 \\cdot 10^{6}", "2.5 \\cdot 10^{5}"},
            {"0.0004", "4\\times 10^{-4}", "4\\times 10^{4}"},
            {"3.2\\times10^{5}", "320000", "32000"},
            {"6\\times 10^{-3}", "0.006", "0.06"},
            {"10^6", "1,000,000", "100,000"},
            {"2^{10}", "1024", "1000"},
        };
        for (String[] x : s) {
            eq("scientific", x[0], x[1]);
            eq("scientific", x[0], x[2]);
        }
    }

    private void percents() {
        int[] ps = {25, 40, 15, 80, 5, 60, 12, 75};
        for (int i = 0; i < ps.length; i++) {
            int p = ps[i];
            String pct = p + "\\%";
            eq("percent", pct, Integer.toString(p));
            eq("percent", Integer.toString(p), pct);
            eq("percent", pct, p + " percent");
            eq("percent", pct, Integer.toString(p + 5) + "\\%");
            eq("percent", pct, i % 2 == 0 ? dec(p / 100.0, 2) : toFraction(new BigDecimal(p).movePointLeft(2)));
            eq("percent", Integer.toString(p), dec(p / 100.0, 2));
        }
        eq("percent", "12.5\\%", "0.125");
        eq("percent", "12.5\\%", "12.5");
        eq("percent", "2.5\\%", "2.5\\%");
        eq("percent", "33\\%", "\\frac{1}{3}");
    }

    private void unitsAndDegrees() {
        String[][] u = {
            {"30", "30^\\circ"}, {"45", "45^{\\circ}"}, {"60", "60 degrees"}, {"120", "120^\\circ"},
            {"90^\\circ", "90"}, {"30", "35^\\circ"}, {"72", "72\\text{ degrees}"}, {"150", "30^\\circ"},
            {"5", "5\\text{ cm}"}, {"12", "12 \\text{cm}^2"}, {"8", "8 meters"}, {"100", "100\\text{ m}"},
            {"7", "7\\mbox{ inches}"}, {"20", "\\$20"}, {"20", "\\$20.00"}, {"15", "15\\text{ dollars}"},
            {"3", "3 \\text{ hours}"}, {"42", "42\\ \\text{km}"}, {"9", "9\\text{ square units}"},
            {"6", "7\\text{ cm}"}, {"50", "\\$5"}, {"250", "250 \\mathrm{g}"}, {"16\\text{ cm}", "16"},
            {"4", "4 \\text{ feet}"}, {"18", "81\\text{ meters}"}, {"2", "2\\text{ minutes}"},
            {"36", "36 \\text{ km}^2"}, {"64", "46^\\circ"}, {"10", "10 \\, \\text{cm}"},
        };
        for (String[] x : u) {
            eq("units", x[0], x[1]);
        }
    }

    private void tuples() {
        for (int i = 0; i < 36; i++) {
            int a = between(-9, 9);
            int b = between(-9, 9);
            if (a == b) {
                b = a + 3;
            }
            String gold = "(" + a + ", " + b + ")";
            switch (i % 9) {
                case 0 -> eq("tuple", gold, "(" + a + "," + b + ")");
                case 1 -> eq("tuple", gold, "\\left(" + a + ", " + b + "\\right)");
                case 2 -> eq("tuple", gold, "(" + b + ", " + a + ")");
                case 3 -> eq("tuple", gold, a + ", " + b);
                case 4 -> eq("tuple", gold, "(" + a + ", " + (b + 1) + ")");
                case 5 -> eq("tuple", gold, "[" + a + ", " + b + "]");
                case 6 -> eq("tuple", gold, "(" + a + ".0, " + b + ")");
                case 7 -> eq("tuple", gold, b + ", " + a);
                default -> eq("tuple", gold, "(" + a + ", " + b + ", 0)");
            }
        }
        String[][] t = {
            {"(1, 2, 3)", "(1,2,3)"}, {"(1, 2, 3)", "(3, 2, 1)"}, {"(1, 2, 3)", "1, 2, 3"},
            {"\\left(\\frac{1}{2}, \\frac{\\sqrt{3}}{2}\\right)", "(0.5, \\frac{\\sqrt3}{2})"},
            {"\\left(\\frac{1}{2}, \\frac{\\sqrt{3}}{2}\\right)", "(\\frac{\\sqrt{3}}{2}, \\frac{1}{2})"},
            {"(2, -1, 4)", "\\left( 2, -1, 4 \\right)"}, {"(2, -1, 4)", "(2, 1, 4)"},
            {"(3, \\pi)", "(3, \\pi)"}, {"(3, \\pi)", "(3, 3.14)"},
        };
        for (String[] x : t) {
            eq("tuple", x[0], x[1]);
        }
    }

    private void sets() {
        for (int i = 0; i < 24; i++) {
            int a = between(-5, 2);
            int b = a + between(1, 4);
            int c = b + between(1, 4);
            String gold = "\\{" + a + ", " + b + ", " + c + "\\}";
            switch (i % 6) {
                case 0 -> eq("set", gold, "\\{" + c + ", " + a + ", " + b + "\\}");
                case 1 -> eq("set", gold, "\\left\\{" + b + ", " + c + ", " + a + "\\right\\}");
                case 2 -> eq("set", gold, "\\{" + a + ", " + b + "\\}");
                case 3 -> eq("set", gold, c + ", " + b + ", " + a);
                case 4 -> eq("set", gold, "\\{" + a + ", " + b + ", " + (c + 1) + "\\}");
                default -> eq("set", gold, "\\{" + a + ", " + b + ", " + c + ", " + (c + 2) + "\\}");
            }
        }
        eq("set", "\\{1, 2\\}", "\\{2, 1\\}");
        eq("set", "\\{1, 2\\}", "(1, 2)");
        eq("set", "\\{1, 2\\}", "[1, 2]");
        eq("set", "\\{\\frac{1}{2}, 3\\}", "\\{3, 0.5\\}");
        eq("set", "\\{-\\sqrt{2}, \\sqrt{2}\\}", "\\pm\\sqrt{2}");
        eq("set", "\\{-\\sqrt{2}, \\sqrt{2}\\}", "\\sqrt{2}");
    }

    private void lists() {
        for (int i = 0; i < 30; i++) {
            int a = between(-6, 6);
            int b = a + between(1, 5);
            String gold = a + ", " + b;
            switch (i % 10) {
                case 0 -> eq("list", gold, b + ", " + a);
                case 1 -> eq("list", gold, a + " \\text{ and } " + b);
                case 2 -> eq("list", gold, b + " and " + a);
                case 3 -> eq("list", gold, "x = " + a + ", x = " + b);
                case 4 -> eq("list", gold, Integer.toString(a));
                case 5 -> eq("list", gold, a + ", " + b + ", " + (b + 1));
                case 6 -> eq("list", gold, a + ", " + (b + 2));
                case 7 -> eq("list", gold, "\\{" + b + ", " + a + "\\}");
                case 8 -> eq("list", gold, a + " \\text{ or } " + b);
                default -> eq("list", gold, b + ", " + b);
            }
        }
        for (int i = 0; i < 8; i++) {
            int k = between(2, 9);
            String pm = i % 2 == 0 ? "\\pm " + k : "\\pm\\sqrt{" + k + "}";
            String both = i % 2 == 0 ? k + ", -" + k : "\\sqrt{" + k + "}, -\\sqrt{" + k + "}";
            eq("list", both, pm);
            eq("list", pm, i % 4 < 2 ? both : (i % 2 == 0 ? Integer.toString(k) : "\\sqrt{" + k + "}"));
        }
        eq("list", "\\frac{1 \\pm \\sqrt{5}}{2}", "\\frac{1+\\sqrt5}{2}, \\frac{1-\\sqrt5}{2}");
        eq("list", "\\frac{1 \\pm \\sqrt{5}}{2}", "\\frac{1+\\sqrt5}{2}");
        eq("list", "1, 2, 3, 4", "4, 3, 2, 1");
        eq("list", "1, 2, 3, 4", "1, 2, 3");
        eq("list", "-2, 1, 3", "x=-2, x=1, x=3");
    }

    private void intervals() {
        String[][] brackets = {{"[", ")"}, {"(", "]"}, {"[", "]"}, {"(", ")"}};
        for (int i = 0; i < 32; i++) {
            int a = between(-8, 3);
            int b = a + between(1, 9);
            String[] br = brackets[i % 4];
            String gold = br[0] + a + ", " + b + br[1];
            switch ((i / 4) % 8) {
                case 0 -> eq("interval", gold, br[0] + a + "," + b + br[1]);
                case 1 -> eq("interval", gold, "\\left" + br[0] + " " + a + ", " + b + " \\right" + br[1]);
                case 2 -> eq("interval", gold, brackets[(i + 1) % 4][0] + a + ", " + b + brackets[(i + 1) % 4][1]);
                case 3 -> eq("interval", gold, "x \\in " + gold);
                case 4 -> eq("interval", gold, br[0] + a + ", " + (b + 1) + br[1]);
                case 5 -> eq("interval", gold, br[0] + b + ", " + a + br[1]);
                case 6 -> eq("interval", gold, br[0] + a + ".0, " + b + br[1]);
                default -> eq("interval", gold, br[0] + (a - 1) + ", " + b + br[1]);
            }
        }
        String[][] inf = {
            {"(-\\infty, 3]", "(-\\infty,3]"}, {"(-\\infty, 3]", "(-\\infty, 3)"},
            {"[2, \\infty)", "[2,\\infty)"}, {"[2, \\infty)", "(2, \\infty)"},
            {"(0, \\infty)", "\\left(0, \\infty\\right)"}, {"(-\\infty, \\infty)", "\\mathbb{R}"},
            {"(-\\infty, \\infty)", "(-\\infty, 0)"}, {"[-1, \\infty)", "[-1, +\\infty)"},
            {"(\\frac{1}{2}, 3]", "(0.5, 3]"}, {"(\\frac{1}{2}, 3]", "(\\frac{1}{3}, 3]"},
            {"\\infty", "\\infty"}, {"\\infty", "-\\infty"}, {"-\\infty", "-\\infty"},
        };
        for (String[] x : inf) {
            eq("interval", x[0], x[1]);
        }
    }

    private void unions() {
        String[][] u = {
            {"(-\\infty, 2) \\cup (3, \\infty)", "(3, \\infty) \\cup (-\\infty, 2)"},
            {"(-\\infty, 2) \\cup (3, \\infty)", "(-\\infty, 2] \\cup [3, \\infty)"},
            {"(-\\infty, 2) \\cup (3, \\infty)", "(-\\infty,2)\\cup(3,\\infty)"},
            {"(-\\infty, -1] \\cup [1, \\infty)", "(-\\infty,-1]\\cup[1,\\infty)"},
            {"(-\\infty, -1] \\cup [1, \\infty)", "[1, \\infty) \\cup (-\\infty, -1]"},
            {"(-\\infty, -1] \\cup [1, \\infty)", "(-\\infty, -1) \\cup (1, \\infty)"},
            {"[0, 1) \\cup (1, 2]", "[0,1)\\cup(1,2]"},
            {"[0, 1) \\cup (1, 2]", "[0, 2]"},
            {"(-3, 0) \\cup (0, 3)", "(0, 3) \\cup (-3, 0)"},
            {"(-3, 0) \\cup (0, 3)", "(-3, 3)"},
            {"(-\\infty, 0) \\cup (0, \\infty)", "(-\\infty, 0) \\cup (0, \\infty)"},
            {"(-\\infty, \\frac{1}{2}) \\cup (4, \\infty)", "\\left(-\\infty, \\frac12\\right) \\cup \\left(4, \\infty\\right)"},
            {"(-\\infty, \\frac{1}{2}) \\cup (4, \\infty)", "(-\\infty, 2) \\cup (4, \\infty)"},
            {"[0, 1] \\cup [1, 2]", "[0, 2]"},
            {"(-5, -2] \\cup [2, 5)", "(-5,-2]\\cup[2,5)"},
            {"(-5, -2] \\cup [2, 5)", "[2,5)\\cup(-5,-2]"},
        };
        for (String[] x : u) {
            eq("union", x[0], x[1]);
        }
    }

    private void text() {
        String[][] t = {
            {"\\text{Monday}", "\\text{Monday}"}, {"\\text{Monday}", "Monday"}, {"\\text{Monday}", "\\text{monday}"},
            {"\\text{Monday}", "\\text{Tuesday}"}, {"\\text{Monday}", "\\textbf{Monday}"},
            {"\\text{even}", "\\text{odd}"}, {"\\text{even}", "even"}, {"\\text{odd}", "\\mathrm{odd}"},
            {"\\text{Yes}", "\\text{yes}"}, {"\\text{Yes}", "\\text{No}"}, {"\\text{no solution}", "\\text{No solution}"},
            {"\\text{(B)}", "B"}, {"\\text{(B)}", "(B)"}, {"B", "\\textbf{(B)}"}, {"B", "\\text{(C)}"},
            {"(C)", "C"}, {"(C)", "(D)"}, {"A", "a"}, {"\\text{(E)}", "E"}, {"D", "\\text{D}"},
            {"\\text{Alice}", "\\text{Bob}"}, {"\\text{Alice}", "Alice"}, {"\\text{circle}", "\\text{Circle}"},
            {"\\text{circle}", "\\text{ellipse}"}, {"\\text{right}", "\\text{Right}"},
        };
        for (String[] x : t) {
            eq("text", x[0], x[1]);
        }
    }

    private void assignments() {
        for (int i = 0; i < 14; i++) {
            int n = between(-20, 40);
            String v = pick(new String[] {"x", "y", "a", "n", "k", "t"});
            String other = v.equals("x") ? "y" : "x";
            switch (i % 7) {
                case 0 -> eq("assignment", Integer.toString(n), v + " = " + n);
                case 1 -> eq("assignment", v + " = " + n, Integer.toString(n));
                case 2 -> eq("assignment", v + "=" + n, v + " = " + n);
                case 3 -> eq("assignment", v + " = " + n, other + " = " + n);
                case 4 -> eq("assignment", Integer.toString(n), v + " = " + (n + 1));
                case 5 -> eq("assignment", v + " = " + n, Integer.toString(n + 2));
                default -> eq("assignment", Integer.toString(n), v + " = " + (n - 3) + " + 3 = " + n);
            }
        }
        String[][] e = {
            {"y = 2x + 3", "2x+3"}, {"y = 2x + 3", "y = 3 + 2x"}, {"y = 2x + 3", "y=2x-3"},
            {"2x + 3", "y = 2x + 3"}, {"y = -\\frac{1}{2}x + 4", "y = -0.5x + 4"},
            {"x^2 + y^2 = 25", "x^2+y^2=25"}, {"x^2 + y^2 = 25", "y^2 + x^2 = 25"},
            {"x^2 + y^2 = 25", "x^2 + y^2 = 5"}, {"x = 3, y = -2", "(3, -2)"},
            {"x = 3, y = -2", "x=3, y=-2"}, {"x = 3, y = -2", "x = -2, y = 3"},
        };
        for (String[] x : e) {
            eq("assignment", x[0], x[1]);
        }
    }

    private void polynomials() {
        String[][] p = {
            {"x^2 + 2x + 1", "(x+1)^2"}, {"x^2 + 2x + 1", "(x-1)^2"}, {"x^2 - 1", "(x-1)(x+1)"},
            {"2x + 1", "1 + 2x"}, {"2x + 1", "2y + 1"}, {"3a - 2b", "-2b + 3a"}, {"3a - 2b", "3a + 2b"},
            {"\\frac{x}{2}", "\\frac{1}{2}x"}, {"\\frac{x}{2}", "0.5x"}, {"x^3", "x \\cdot x^2"},
            {"x^3", "3x"}, {"\\frac{1}{x+1}", "(x+1)^{-1}"}, {"ab", "ba"}, {"2\\sqrt{x}", "\\sqrt{4x}"},
            {"n(n+1)", "n^2 + n"}, {"n(n+1)", "n^2 + 1"}, {"\\frac{n(n+1)}{2}", "\\frac{n^2+n}{2}"},
        };
        for (String[] x : p) {
            eq("expression", x[0], x[1]);
        }
    }

    private void inequalitiesAndMatrices() {
        String[][] x = {
            {"x > 3", "(3, \\infty)"}, {"x > 3", "[3, \\infty)"}, {"x > 3", "3 < x"}, {"x > 3", "x \\geq 3"},
            {"x > 3", "y > 3"}, {"1 < x \\le 2", "(1, 2]"}, {"1 < x \\le 2", "(1, 2)"},
            {"-2 \\le x \\le 2", "[-2, 2]"}, {"-2 \\le x \\le 2", "x \\in [-2, 2]"},
            {"x \\neq 1", "(-\\infty, 1) \\cup (1, \\infty)"}, {"x \\neq 1", "(-\\infty, 1]"},
            {"x \\le -1", "(-\\infty, -1]"},
            {"\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}", "\\begin{pmatrix}1\\\\2\\end{pmatrix}"},
            {"\\begin{pmatrix} 1/2 \\\\ 3 \\end{pmatrix}", "\\begin{pmatrix} \\frac12 \\\\ 3 \\end{pmatrix}"},
            {"\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}", "\\begin{pmatrix} 2 \\\\ 1 \\end{pmatrix}"},
            {"\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", "\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}"},
            {"\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", "\\begin{pmatrix} 1 & 3 \\\\ 2 & 4 \\end{pmatrix}"},
            {"\\begin{pmatrix} -\\frac{1}{3} \\\\ \\frac{2}{3} \\\\ \\frac{2}{3} \\end{pmatrix}", "\\begin{pmatrix} -1/3 \\\\ 2/3 \\\\ 2/3 \\end{pmatrix}"},
            {"\\begin{pmatrix} -\\frac{1}{3} \\\\ \\frac{2}{3} \\\\ \\frac{2}{3} \\end{pmatrix}", "\\begin{pmatrix} \\frac{1}{3} \\\\ \\frac{2}{3} \\\\ \\frac{2}{3} \\end{pmatrix}"},
            {"\\begin{pmatrix} 0.5 & 2 \\\\ 3 & 4 \\end{pmatrix}", "\\begin{pmatrix} \\frac{1}{2} & 2 \\\\ 3 & 4 \\end{pmatrix}"},
        };
        for (String[] p : x) {
            eq(p[0].contains("matrix") ? "matrix" : "inequality", p[0], p[1]);
        }
    }

    /** Typical closed-form answers of competition problems, rewritten or slightly wrong. */
    private void compound() {
        String[][] c = {
            {"\\frac{1+\\sqrt{5}}{2}", "\\frac{\\sqrt{5}+1}{2}", "\\frac{1}{2}+\\frac{\\sqrt5}{2}", "\\frac{\\sqrt{5}-1}{2}", "1.618034", "1.62"},
            {"3\\sqrt{3}-1", "-1+3\\sqrt{3}", "\\sqrt{27}-1", "3\\sqrt{3}+1", "4.196152", "3\\sqrt{2}-1"},
            {"2+\\sqrt{3}", "\\sqrt{3}+2", "\\frac{1}{2-\\sqrt{3}}", "2-\\sqrt{3}", "3.732051", "\\sqrt{7}"},
            {"1-\\frac{\\sqrt{2}}{2}", "\\frac{2-\\sqrt{2}}{2}", "1-\\frac{1}{\\sqrt{2}}", "\\frac{\\sqrt{2}}{2}-1", "0.292893", "0.29"},
            {"\\frac{\\pi}{3}-\\frac{\\sqrt{3}}{4}", "\\frac{4\\pi-3\\sqrt{3}}{12}", "-\\frac{\\sqrt3}{4}+\\frac{\\pi}{3}", "\\frac{\\pi}{3}+\\frac{\\sqrt{3}}{4}", "0.613986", "\\frac{\\pi}{3}-\\frac{\\sqrt{3}}{2}"},
            {"6\\sqrt{2}+2", "2+6\\sqrt2", "2(3\\sqrt{2}+1)", "6\\sqrt{2}-2", "10.485281", "8\\sqrt{2}"},
            {"\\sqrt{2}+\\sqrt{3}", "\\sqrt{3}+\\sqrt{2}", "\\sqrt{5+2\\sqrt{6}}", "\\sqrt{5}", "3.146264", "\\sqrt{6}"},
            {"\\frac{25\\pi}{4}", "6.25\\pi", "\\frac{25}{4}\\pi", "\\frac{25\\pi}{2}", "19.634954", "25\\pi"},
            {"\\frac{\\sqrt{6}}{3}", "\\sqrt{\\frac{2}{3}}", "\\frac{2}{\\sqrt{6}}", "\\frac{\\sqrt{6}}{2}", "0.816497", "\\frac{\\sqrt{3}}{3}"},
            {"2^{12}", "4096", "4^6", "2^{11}", "4096.0", "12^2"},
            {"\\frac{3}{8}", "0.375", "\\frac{6}{16}", "\\frac{8}{3}", "37.5\\%", "0.38"},
            {"-\\frac{5}{3}", "-1\\frac{2}{3}", "\\frac{-5}{3}", "\\frac{5}{3}", "-1.666667", "-1.67"},
            {"\\frac{9}{2}", "4.5", "4\\frac12", "\\frac{2}{9}", "\\frac{18}{4}", "9/3"},
            {"100\\sqrt{3}", "\\sqrt{30000}", "173.205081", "10\\sqrt{3}", "173.2", "100\\sqrt{2}"},
        };
        for (String[] x : c) {
            for (int i = 1; i < x.length; i++) {
                eq("compound", x[0], x[i]);
            }
        }
    }

    /** Realistic wrong answers next to right ones: the grader must not be lenient. */
    private void nearMisses() {
        for (int i = 0; i < 100; i++) {
            int a = between(2, 60);
            int b = between(2, 12);
            switch (i % 10) {
                case 0 -> eq("near-miss", Integer.toString(a * b), Integer.toString(a * b + 1));
                case 1 -> eq("near-miss", Integer.toString(a), "-" + a);
                case 2 -> eq("near-miss", "\\frac{" + a + "}{" + (a + b) + "}", "\\frac{" + (a + b) + "}{" + a + "}");
                case 3 -> eq("near-miss", a + "\\sqrt{" + b + "}", b + "\\sqrt{" + a + "}");
                case 4 -> eq("near-miss", "(" + b + ", " + (a + b) + "]", "[" + b + ", " + (a + b) + "]");
                case 5 -> eq("near-miss", "\\{" + a + ", " + (a + b) + "\\}", "\\{" + a + ", " + (a + b + 1) + "\\}");
                case 6 -> eq("near-miss", a + "." + b, a + "." + (b + 1));
                case 7 -> eq("near-miss", a + "\\pi", a + "\\sqrt{\\pi}");
                case 8 -> eq("near-miss", Integer.toString(a * 1000 + b), Integer.toString(a * 100 + b));
                default -> eq("near-miss", a + ".5\\%", a + ".5");
            }
        }
    }

    private void boxStyles() {
        raw("box-style", "5", "We get $x = 5$, so the answer is \\fbox{5}.");
        raw("box-style", "5", "The answer is \\boxed 5");
        raw("box-style", "12", "Counting gives \\boxed 12 in total");
        raw("box-style", "\\frac{1}{2}", "Thus $p = \\boxed{\\frac{1}{2}}$.");
        raw("box-style", "\\{1,2\\}", "The solution set is $\\boxed{\\{1, 2\\}}$.");
        raw("box-style", "\\boxed{7}", "The total is \\boxed{7}.");
        raw("box-style", "\\boxed{\\frac{3}{4}}", "Final: \\boxed{0.75}");
        raw("box-style", "\\boxed{\\frac{3}{4}}", "Final: \\boxed{\\frac{4}{3}}");
        raw("box-style", "3, 5", "The roots are $\\boxed{3}$ and $\\boxed{5}$.");
        raw("box-style", "3, 5", "So $a = \\boxed{3}$ and $b = \\boxed{5}$.");
        raw("box-style", "5", "First we found \\boxed{3} for part one, and after a much longer computation that uses it as an input, the final result is \\boxed{5}.");
        raw("box-style", "3", "First we found \\boxed{3} for part one, and after a much longer computation that uses it as an input, the final result is \\boxed{5}.");
        raw("box-style", "\\frac{\\sqrt{3}}{2}", "Hence $\\sin 60^\\circ = \\boxed{\\frac{\\sqrt{3}}{2}}$.");
        raw("box-style", "2", "The answer: $\\boxed{\\boxed{2}}$");
        raw("box-style", "10", "$$\\boxed{10}$$");
        raw("box-style", "10", "\\boxed{ 10 }");
        raw("box-style", "(1, 2)", "So the point is $\\boxed{\\left( 1, 2 \\right)}$.");
        raw("box-style", "11", "The answer is \\boxed{11}. Wait, let me double check: yes, \\boxed{11}.");
    }

    private void noBox() {
        raw("no-box", "42", "Let me think. We need to find the number of ways, which is 6 times 7, so 42.");
        raw("no-box", "42", "We multiply the two counts to get");
        raw("no-box", "\\frac{1}{2}", "The probability is one half, since the two outcomes are symmetric.");
        raw("no-box", "17", "I am not able to determine the value from the given information.");
        raw("no-box", "8", "After simplifying we find that the answer is 9.");
        raw("no-box", "3", "Checking divisors of 12 we find 1, 2, 3, 4, 6, 12; the smallest odd prime among them is");
        raw("no-box", "25", "Therefore the final answer is \\boxed{25");
        raw("no-box", "\\sqrt{2}", "We conclude that $x = \\sqrt{2}$, as required.");
        raw("no-box", "100", "The sum of the first ten odd numbers, as we saw, equals ten squared.");
        raw("no-box", "7", "");
    }

    /** Hand-written cases that pin down the subtle decisions (see the report in the test). */
    private void tricky() {
        String[][] t = {
            // separators: a list is not a number, and a decimal comma is not a decimal point
            {"12", "1,2"}, {"1,2", "12"}, {"1.5", "1,5"}, {"1,5", "1.5"}, {"1,234", "1234"}, {"12,34", "1234"},
            {"1000", "1 000"}, {"1000000", "1{,}000{,}000"},
            // tuples versus intervals versus sets
            {"(1,2)", "[1,2]"}, {"(1,2)", "\\{1,2\\}"}, {"[1,2]", "\\{1,2\\}"}, {"(2,1)", "2,1"},
            {"(2,1)", "1,2"}, {"1,2", "(2,1)"}, {"3", "\\{3\\}"}, {"3", "(3)"}, {"2", "\\pm 2"},
            // float tolerance: 6 decimal places, and integers must match exactly
            {"\\frac{1}{3}", "0.33"}, {"\\frac{1}{3}", "0.333333"}, {"\\frac{2}{3}", "0.666667"},
            {"\\frac{2}{3}", "0.666666"}, {"3", "3.0000001"}, {"3.0", "3.0000001"}, {"-2", "-2.0"},
            {"\\sqrt{2}", "1.4142"}, {"\\sqrt{2}", "1.41421356"},
            // percent
            {"10\\%", "0.1"}, {"10\\%", "10"}, {"10", "0.1"}, {"0.25", "25\\%"}, {"50\\%", "\\frac{1}{2}"},
            // degrees are not radians
            {"90^\\circ", "\\frac{\\pi}{2}"},
            // trailing punctuation and spacing inside the box
            {"5", "5."}, {"4", "4\\;"}, {"4", "4\\,"}, {"-3", "- 3"},
            // exact forms
            {"\\frac{\\sqrt{3}}{3}", "\\frac{1}{\\sqrt{3}}"}, {"2\\sqrt{2}", "\\sqrt{8}"}, {"\\sqrt[3]{8}", "2"},
            {"\\sqrt{3}", "3^{1/2}"}, {"2^{-1}", "0.5"}, {"\\frac{22}{7}", "\\pi"}, {"e^2", "7.389056"},
            {"\\frac{1}{3}+\\frac{1}{6}", "\\frac12"}, {"3\\cdot 4", "12"}, {"-\\frac{1}{2}", "\\frac{1}{-2}"},
            // units the reference does not know
            {"5", "5 dollars"},
            // empty set
            {"\\emptyset", "\\varnothing"}, {"\\emptyset", "\\{\\}"},
        };
        for (String[] x : t) {
            eq("tricky", x[0], x[1]);
        }
    }
}
