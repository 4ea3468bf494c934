package io.ladder.coordinator.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;

/**
 * How diverse a question set is, as the SOAR paper measures it: the Vendi score, exp of the
 * Shannon entropy of the eigenvalues of K/n, where K is the cosine-similarity matrix of the
 * questions' embeddings (1 for n copies of one question, n for n orthogonal ones); and the count
 * of distinct questions.
 *
 * <p>The embedding (the paper uses a sentence encoder; none can be downloaded here) is a bag of
 * character 1- to 3-grams of the question's <em>shape</em>, its text with every digit written as
 * 0 (operators, brackets, digit counts: what makes an arithmetic problem a different kind of
 * problem), plus one feature per number it mentions (its content), counted and L2-normalised.
 * Two questions that differ only in their numbers are similar but not identical.
 */
public final class QuestionDiversity {
    /** The figures of one question set. */
    public record Result(int questions, int distinct, double vendi) {}

    private QuestionDiversity() {}

    public static Result of(List<String> questions) {
        if (questions.isEmpty()) {
            return new Result(0, 0, 0);
        }
        List<Map<String, Double>> emb = new ArrayList<>();
        for (String q : questions) {
            emb.add(embed(q));
        }
        return new Result(questions.size(), new HashSet<>(questions).size(), vendi(emb));
    }

    /** The embedding described in the class comment, L2-normalised (an empty question: the zero vector). */
    static Map<String, Double> embed(String question) {
        Map<String, Double> f = new HashMap<>();
        String shape = question.strip().replaceAll("\\d", "0");
        for (int n = 1; n <= 3; n++) {
            for (int i = 0; i + n <= shape.length(); i++) {
                f.merge("s:" + shape.substring(i, i + n), 1.0, Double::sum);
            }
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\d+").matcher(question);
        while (m.find()) {
            f.merge("n:" + m.group(), 1.0, Double::sum);
        }
        double norm = Math.sqrt(f.values().stream().mapToDouble(v -> v * v).sum());
        if (norm > 0) {
            f.replaceAll((k, v) -> v / norm);
        }
        return f;
    }

    /** exp(H(λ)), λ the eigenvalues of K/n with K_ij = ⟨e_i, e_j⟩ and K_ii = 1. */
    static double vendi(List<Map<String, Double>> emb) {
        int n = emb.size();
        double[][] k = new double[n][n];
        for (int i = 0; i < n; i++) {
            k[i][i] = 1.0 / n;
            for (int j = i + 1; j < n; j++) {
                double dot = 0;
                Map<String, Double> a = emb.get(i).size() <= emb.get(j).size() ? emb.get(i) : emb.get(j);
                Map<String, Double> b = a == emb.get(i) ? emb.get(j) : emb.get(i);
                for (Map.Entry<String, Double> e : a.entrySet()) {
                    Double o = b.get(e.getKey());
                    if (o != null) {
                        dot += e.getValue() * o;
                    }
                }
                k[i][j] = k[j][i] = dot / n;
            }
        }
        double[] lambda = new EigenDecomposition(new Array2DRowRealMatrix(k, false)).getRealEigenvalues();
        double h = 0;
        for (double l : lambda) {
            if (l > 1e-12) {
                h -= l * Math.log(l);
            }
        }
        return Math.exp(h);
    }
}
