package io.ladder.tasks;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ladder's text embedding, where the papers use a sentence encoder (none can be downloaded here):
 * a bag of character 1- to 3-grams of the text's <em>shape</em>, the text with every digit written
 * as 0 (operators, brackets, digit counts, wording: what makes two texts different kinds of
 * text), plus one feature per number it mentions (its content); counted and L2-normalised, as
 * a sparse vector. Two arithmetic problems that differ only in their numbers are similar but not
 * identical. Used for SOAR's question-set diversity (Vendi score) and ExIt's diversity bonus.
 */
public final class TextEmbedding {
    private static final Pattern NUMBER = Pattern.compile("\\d+");

    private TextEmbedding() {}

    /** The embedding of one text (the zero vector for an empty one). */
    public static Map<String, Double> of(String text) {
        Map<String, Double> f = new HashMap<>();
        String shape = text.strip().replaceAll("\\d", "0");
        for (int n = 1; n <= 3; n++) {
            for (int i = 0; i + n <= shape.length(); i++) {
                f.merge("s:" + shape.substring(i, i + n), 1.0, Double::sum);
            }
        }
        Matcher m = NUMBER.matcher(text);
        while (m.find()) {
            f.merge("n:" + m.group(), 1.0, Double::sum);
        }
        double norm = Math.sqrt(f.values().stream().mapToDouble(v -> v * v).sum());
        if (norm > 0) {
            f.replaceAll((k, v) -> v / norm);
        }
        return f;
    }

    /** ⟨a, b⟩ of two sparse vectors. */
    public static double dot(Map<String, Double> a, Map<String, Double> b) {
        Map<String, Double> small = a.size() <= b.size() ? a : b;
        Map<String, Double> large = small == a ? b : a;
        double s = 0;
        for (Map.Entry<String, Double> e : small.entrySet()) {
            Double o = large.get(e.getKey());
            if (o != null) {
                s += e.getValue() * o;
            }
        }
        return s;
    }

    /** The mean of sparse vectors. */
    public static Map<String, Double> centroid(List<Map<String, Double>> vectors) {
        Map<String, Double> c = new HashMap<>();
        for (Map<String, Double> v : vectors) {
            v.forEach((k, x) -> c.merge(k, x / vectors.size(), Double::sum));
        }
        return c;
    }

    /** ||a − b||. */
    public static double distance(Map<String, Double> a, Map<String, Double> b) {
        return Math.sqrt(Math.max(0, dot(a, a) - 2 * dot(a, b) + dot(b, b)));
    }
}
