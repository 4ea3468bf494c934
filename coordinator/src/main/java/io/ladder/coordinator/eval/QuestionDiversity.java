package io.ladder.coordinator.eval;

import io.ladder.tasks.TextEmbedding;
import java.util.ArrayList;
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
 * <p>The embedding is {@link TextEmbedding} (the paper uses a sentence encoder; none can be
 * downloaded here).
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
            emb.add(TextEmbedding.of(q));
        }
        return new Result(questions.size(), new HashSet<>(questions).size(), vendi(emb));
    }

    /** exp(H(λ)), λ the eigenvalues of K/n with K_ij = ⟨e_i, e_j⟩ and K_ii = 1. */
    static double vendi(List<Map<String, Double>> emb) {
        int n = emb.size();
        double[][] k = new double[n][n];
        for (int i = 0; i < n; i++) {
            k[i][i] = 1.0 / n;
            for (int j = i + 1; j < n; j++) {
                k[i][j] = k[j][i] = TextEmbedding.dot(emb.get(i), emb.get(j)) / n;
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
