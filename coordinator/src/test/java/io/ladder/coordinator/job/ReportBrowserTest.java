package io.ladder.coordinator.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reports of real jobs (two seeds of GRPO, one ExIt run with its self-improvement evaluation)
 * opened in headless Chromium (scripts/check/chromium.sh installs Debian's package when absent):
 * the browser loads every image of the page, the screenshot is not blank, and every plot has ink.
 */
class ReportBrowserTest {
    @TempDir
    static Path tmp;
    static String chromium;

    @BeforeAll
    static void browser() throws Exception {
        Process p = new ProcessBuilder(JobProcess.repo().resolve("scripts/check/chromium.sh").toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(600, TimeUnit.SECONDS) && p.exitValue() == 0, "scripts/check/chromium.sh found no Chromium");
        chromium = out.lines().reduce((a, b) -> b).orElseThrow();
    }

    static Path job(String name, String extra, long seed) throws Exception {
        Path model = tmp.resolve("model");
        if (!Files.isDirectory(model)) {
            JobProcess.tinyModel(model, "--std", "0.1", "--seed", "1234");
        }
        Path config = tmp.resolve(name + ".yaml");
        Files.writeString(config, String.join("\n", "name: " + name, "model: {path: " + model + "}",
                "task: {kind: fixed_digit, digit: 7}", extra,
                "rollout: {group_size: 8, prompts_per_step: 4, prompts_per_call: 4, temperature: 1.0, max_new_tokens: 2}",
                "steps: 6", "eval: {problems: 4, samples: 4, k: [1, 2]}", ""));
        Path run = tmp.resolve(name + "-seed" + seed);
        JobProcess.run(tmp.resolve(name + seed + ".log"), 300, "train", "--config", config.toString(), "--seed",
                Long.toString(seed), "--run-dir", run.toString());
        return run;
    }

    @Test
    void reportsOfRealRunsOpenInChromiumWithEveryPlotDrawn() throws Exception {
        Path g1 = job("grpo", "algorithm: {name: grpo, lr: 0.02}", 4);
        Path g2 = job("grpo", "algorithm: {name: grpo, lr: 0.02}", 5);
        Path ex = job("exit", "algorithm: {name: exit, lr: 0.02, exit: {preset: full, min_buffer: 4, self_improve_steps: 2, "
                + "self_improve_samples: 2}}", 4);
        for (Path run : List.of(g1, ex)) {
            JobProcess.run(tmp.resolve("report.log"), 120, "report", run.toString());
            check(run.resolve("report.html"), 8);
        }
        String exit = Files.readString(ex.resolve("report.html"));
        assertTrue(exit.contains("Learnability S in the buffer") && exit.contains("K-step self-improvement"), "ExIt section");
        Path compare = tmp.resolve("compare.html");
        JobProcess.run(tmp.resolve("compare.log"), 120, "compare", g1.toString(), g2.toString(), ex.toString(), "--out",
                compare.toString());
        check(compare, 2);
        String md = Files.readString(tmp.resolve("compare.log"));
        assertTrue(md.contains("grpo · grpo (2 seeds)") && md.contains("exit · exit (full) (1 seed)"), md);
    }

    /** Loads the page in Chromium: every image decoded by the browser, a screenshot with ink, no blank plot. */
    static void check(Path html, int minImages) throws Exception {
        String page = Files.readString(html);
        List<String> images = new ArrayList<>();
        Matcher m = Pattern.compile("src=\"data:image/png;base64,([^\"]+)\"").matcher(page);
        while (m.find()) {
            images.add(m.group(1));
        }
        assertTrue(images.size() >= minImages, html + ": only " + images.size() + " images");
        assertTrue(!page.contains("src=\"http") && !page.contains("href=\"http"), html + ": needs the network");
        for (String b64 : images) {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(b64)));
            assertTrue(img != null && io.ladder.coordinator.report.RunReportTest.inkFraction(img) > 0.01, html + ": a blank or broken plot");
        }
        // the browser's own verdict: a copy of the page that records how many images it decoded
        Path probe = html.resolveSibling(html.getFileName() + ".probe.html");
        Files.writeString(probe, page.replace("</body>", "<script>window.addEventListener('load', () => { const i = "
                + "[...document.images]; document.body.setAttribute('data-loaded', i.filter(x => x.complete && "
                + "x.naturalWidth > 0).length + '/' + i.length); });</script></body>"));
        String dom = chromium(probe, "--virtual-time-budget=10000", "--dump-dom");
        assertTrue(dom.contains("data-loaded=\"" + images.size() + "/" + images.size() + "\""),
                html + ": the browser did not load every image: " + dom.replaceAll("(?s).*(data-loaded=\"[^\"]*\").*", "$1"));
        Path shot = html.resolveSibling(html.getFileName() + ".png");
        chromium(html, "--window-size=1280,3000", "--screenshot=" + shot);
        BufferedImage screen = ImageIO.read(shot.toFile());
        assertTrue(screen != null && io.ladder.coordinator.report.RunReportTest.inkFraction(screen) > 0.02, html + ": the screenshot is blank");
    }

    static String chromium(Path page, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars"));
        cmd.addAll(List.of(args));
        cmd.add(page.toUri().toString());
        Process p = new ProcessBuilder(cmd).redirectError(tmp.resolve("chromium.err").toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium did not finish");
        return out;
    }
}
