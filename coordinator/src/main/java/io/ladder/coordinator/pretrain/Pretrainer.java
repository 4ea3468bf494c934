package io.ladder.coordinator.pretrain;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import io.ladder.coordinator.console.Progress;
import io.ladder.learner.AdamW;
import io.ladder.learner.Gradients;
import io.ladder.learner.LrSchedule;
import io.ladder.policy.LlamaConfig;
import io.ladder.policy.LlamaModel;
import io.ladder.policy.NoGrad;
import io.ladder.policy.Policy;
import io.ladder.policy.RandomLlama;
import io.ladder.policy.TextTokenizer;
import io.ladder.proto.ModelArchitecture;
import io.ladder.proto.PretrainSpec;
import io.ladder.tasks.Prompts;
import io.ladder.tasks.arithmetic.PretrainCorpus;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Pretrains a tiny Llama from scratch on the arithmetic world: next-token cross-entropy over
 * whole documents, AdamW with linear warm-up and cosine decay, gradient-norm clipping. Writes a
 * Hugging Face folder (config.json, model.safetensors, tokenizer files) and the loss curve.
 */
public final class Pretrainer {
    private final PretrainSpec spec;
    private final Path out;
    private final PrintStream progress;

    public Pretrainer(PretrainSpec spec, Path out, PrintStream progress) {
        this.spec = spec;
        this.out = out;
        this.progress = progress;
    }

    /**
     * Result of a run: steps done, final smoothed loss, seconds, and whether the wall-clock budget
     * (not the step count) ended it, which makes the model a function of the machine's speed.
     */
    public record Result(int steps, double loss, double seconds, Path modelDir, boolean stoppedByTimeBudget) {}

    public Result run() throws IOException {
        Files.createDirectories(out);
        ModelArchitecture a = spec.getModel();
        writeGenerationConfig(out);
        PretrainCorpus corpus = new PretrainCorpus(spec.getCorpus());
        SplittableRandom rng = new SplittableRandom(spec.getSeed());
        LrSchedule schedule = new LrSchedule(spec.getLr(), spec.getWarmupSteps(), spec.getSteps(), spec.getMinLrRatio());
        long start = System.nanoTime();
        double budgetNanos = spec.getTimeBudgetMinutes() > 0 ? spec.getTimeBudgetMinutes() * 60e9 : Double.MAX_VALUE;
        int step = 0;
        int skipped = 0;
        boolean outOfTime = false;
        double smooth = Double.NaN;
        try (NDManager root = Policy.newManager();
             // config.json is written now, so the tokenizer can be loaded with it
             LlamaModel model = new RandomLlama().layers(a.getLayers()).hidden(a.getHidden()).heads(a.getHeads())
                     .kvHeads(a.getKvHeads()).intermediate(a.getIntermediate()).maxPositions(a.getMaxPositions())
                     .tied(!a.getUntied()).seed(spec.getSeed()).std(a.getInitStd()).specialTokens(templateTokens(spec))
                     .initialize(out, root)) {
            LlamaConfig cfg = model.config;
            try (TextTokenizer tok = TextTokenizer.load(out, cfg);
                 BufferedWriter curve = Files.newBufferedWriter(out.resolve("loss_curve.jsonl"));
                 Progress bar = Progress.start("pretraining", spec.getSteps(), "steps", progress)) {
                Policy policy = new Policy(model, tok, out);
                Map<String, NDArray> params = model.parameters();
                params.values().forEach(p -> p.setRequiresGradient(true));
                AdamW opt = new AdamW(0.9, 0.95, 1e-8, spec.getWeightDecay(), model.manager());
                int eos = tok.eosIds().iterator().next();
                Packer packer = spec.hasPackLength() ? new Packer(spec.getPackLength(), () -> document(corpus, rng, tok, eos)) : null;
                for (step = 0; step < spec.getSteps(); step++) {
                    if (System.nanoTime() - start > budgetNanos) {
                        progress.printf("time budget of %.1f min reached at step %d (the model now depends on this"
                                + " machine's speed)%n", spec.getTimeBudgetMinutes(), step);
                        outOfTime = true;
                        break;
                    }
                    List<int[]> firsts = new ArrayList<>();
                    List<int[]> rests = new ArrayList<>();
                    for (int[] row : packer != null ? packer.rows(spec.getBatchSize()) : unpacked(corpus, rng, tok, eos)) {
                        firsts.add(new int[] {row[0]});
                        rests.add(java.util.Arrays.copyOfRange(row, 1, row.length));
                    }
                    double lr = schedule.at(step);
                    double loss;
                    double norm;
                    Gradients.COLLECTOR.lock();
                    try (NDManager sm = model.manager().newSubManager()) {
                        Gradients.zero(model);
                        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                            Policy.Scores s = policy.score(sm, firsts, rests, 1.0, false);
                            NDArray nll = s.logprobs().sum().neg().div(s.mask().sum()); // mean token NLL
                            gc.backward(nll);
                            loss = nll.getFloat();
                        }
                        try (NoGrad ignored = new NoGrad()) {
                            Map<String, NDArray> grads = Gradients.of(model, sm);
                            norm = Gradients.globalNorm(grads);
                            if (Double.isFinite(loss) && Double.isFinite(norm)) {
                                Gradients.clip(grads, norm, spec.getMaxGradNorm());
                                opt.update(params, grads, lr, step + 1, sm);
                            } else {
                                skipped++;
                            }
                        }
                    } finally {
                        Gradients.COLLECTOR.unlock();
                    }
                    curve.write(String.format("{\"step\":%d,\"loss\":%.5f,\"lr\":%.6g,\"grad_norm\":%.4f}%n", step + 1, loss, lr, norm));
                    smooth = Double.isNaN(smooth) ? loss : 0.95 * smooth + 0.05 * loss;
                    bar.extra(String.format(java.util.Locale.ROOT, "loss %.4f  lr %.2e", smooth, lr));
                    bar.advance(1);
                }
                bar.close();
                params.values().forEach(p -> p.setRequiresGradient(false));
                opt.close();
                model.save(out, "float32");
                if (skipped > 0) {
                    progress.printf("%d updates skipped for non-finite loss or gradients%n", skipped);
                }
            }
        }
        return new Result(step, smooth, (System.nanoTime() - start) / 1e9, out, outOfTime);
    }

    /** A step's rows, one document each: BOS, the document, EOS. */
    private List<int[]> unpacked(PretrainCorpus corpus, SplittableRandom rng, TextTokenizer tok, int eos) {
        List<int[]> rows = new ArrayList<>(spec.getBatchSize());
        for (int i = 0; i < spec.getBatchSize(); i++) {
            rows.add(document(corpus, rng, tok, eos));
        }
        return rows;
    }

    private static int[] document(PretrainCorpus corpus, SplittableRandom rng, TextTokenizer tok, int eos) {
        int[] ids = tok.encode(corpus.next(rng).text(), true);
        int[] doc = java.util.Arrays.copyOf(ids, ids.length + 1);
        doc[ids.length] = eos; // every document ends with EOS
        return doc;
    }

    /**
     * Documents back to back in rows of a fixed length: a document that overflows a row goes on in
     * the next, and what is left of it when a step's last row is full starts the next step's first
     * row, so every drawn token is trained on exactly once and none is padding.
     */
    static final class Packer {
        private final int length;
        private final java.util.function.Supplier<int[]> documents;
        private int[] current = new int[0]; // the document being packed, and how much of it is in rows already
        private int used;

        Packer(int length, java.util.function.Supplier<int[]> documents) {
            this.length = length;
            this.documents = documents;
        }

        List<int[]> rows(int count) {
            List<int[]> rows = new ArrayList<>(count);
            for (int r = 0; r < count; r++) {
                int[] row = new int[length];
                int filled = 0;
                while (filled < length) {
                    if (used == current.length) {
                        current = documents.get();
                        used = 0;
                    }
                    int take = Math.min(length - filled, current.length - used);
                    System.arraycopy(current, used, row, filled, take);
                    filled += take;
                    used += take;
                }
                rows.add(row);
            }
            return rows;
        }
    }

    /** Whole-token texts of the model's vocabulary: the arithmetic prompts', and the tool world's when its corpus has transcripts. */
    static List<String> templateTokens(PretrainSpec spec) {
        List<String> t = new ArrayList<>(Prompts.TEMPLATE_TOKENS);
        if (spec.getCorpus().hasTools()) {
            t.addAll(io.ladder.tasks.env.tools.ToolPrompts.TEMPLATE_TOKENS);
        }
        return t;
    }

    /** SHA-256 of a file, hex: the fingerprint of a model.safetensors. */
    public static String sha256(Path file) throws IOException {
        java.security.MessageDigest md;
        try {
            md = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has SHA-256
        }
        try (var in = new java.security.DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return java.util.HexFormat.of().formatHex(md.digest());
    }

    /** SHA-256 of the resolved spec (every default filled in): which recipe a base model came from. */
    public static String specFingerprint(PretrainSpec spec) {
        try {
            byte[] canonical = com.google.protobuf.util.JsonFormat.printer().includingDefaultValueFields().print(spec)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            return io.ladder.policy.WeightVersion.sha256Hex(canonical);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e); // a PretrainSpec has no Any fields
        }
    }

    private static void writeGenerationConfig(Path dir) throws IOException {
        JsonObject g = new JsonObject();
        g.addProperty("bos_token_id", 256);
        g.addProperty("eos_token_id", 257);
        g.addProperty("pad_token_id", 258);
        g.addProperty("do_sample", true);
        g.addProperty("temperature", 1.0);
        g.addProperty("top_p", 1.0);
        Gson gson = new GsonBuilder().setPrettyPrinting().create();
        Files.writeString(dir.resolve("generation_config.json"), gson.toJson(g) + "\n");
    }
}
