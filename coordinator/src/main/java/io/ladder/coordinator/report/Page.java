package io.ladder.coordinator.report;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One HTML page of sections (text, tables, PNG figures), rendered from report.html.jinja with
 * every image inline, so the file opens anywhere without a network and can be mailed as is.
 */
public final class Page {
    /** A figure: its PNG and a caption saying how to read it. */
    public record Figure(String title, String caption, byte[] png) {}

    /** A table: header row, then rows of cells. */
    public record Table(List<String> header, List<List<String>> rows) {}

    /** A section: heading, a note, tables and figures. */
    public static final class Section {
        final String title;
        final List<String> notes = new ArrayList<>();
        final List<Table> tables = new ArrayList<>();
        final List<Figure> figures = new ArrayList<>();

        Section(String title) {
            this.title = title;
        }

        public Section note(String text) {
            notes.add(text);
            return this;
        }

        public Section table(Table t) {
            tables.add(t);
            return this;
        }

        public Section figure(Figure f) {
            figures.add(f);
            return this;
        }

        public List<Figure> figures() {
            return figures;
        }

        public String title() {
            return title;
        }
    }

    private final String title;
    private final String subtitle;
    private final List<Section> sections = new ArrayList<>();

    public Page(String title, String subtitle) {
        this.title = title;
        this.subtitle = subtitle;
    }

    public Section section(String title) {
        Section s = new Section(title);
        sections.add(s);
        return s;
    }

    public List<Section> sections() {
        return sections;
    }

    public String html() {
        List<Map<String, Object>> secs = new ArrayList<>();
        for (Section s : sections) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("title", s.title);
            m.put("notes", s.notes);
            List<Map<String, Object>> tables = new ArrayList<>();
            for (Table t : s.tables) {
                tables.add(Map.of("header", t.header(), "rows", t.rows()));
            }
            m.put("tables", tables);
            List<Map<String, Object>> figs = new ArrayList<>();
            for (Figure f : s.figures) {
                figs.add(Map.of("title", f.title(), "caption", f.caption(),
                        "src", "data:image/png;base64," + Base64.getEncoder().encodeToString(f.png())));
            }
            m.put("figures", figs);
            secs.add(m);
        }
        Map<String, Object> ctx = new LinkedHashMap<>();
        ctx.put("title", title);
        ctx.put("subtitle", subtitle);
        ctx.put("sections", secs);
        Jinjava jinja = new Jinjava(JinjavaConfig.newBuilder().withFailOnUnknownTokens(true).build());
        return jinja.render(template(), ctx);
    }

    /** Writes the page to {@code file} through a temporary file, so a reader never sees half a report. */
    public void write(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, html(), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String template() {
        try (InputStream in = Page.class.getResourceAsStream("report.html.jinja")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
