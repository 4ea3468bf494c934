package io.ladder.policy.chat;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.filter.AdvancedFilter;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jinjava.javax.el.CompositeELResolver;

/**
 * A model's own chat template (the Jinja source in tokenizer_config.json or
 * chat_template.jinja), rendered the way transformers' {@code apply_chat_template} renders it:
 * trim_blocks and lstrip_blocks on, {@code messages}, {@code tools}, {@code add_generation_prompt}
 * and the tokenizer's special tokens ({@code bos_token}, {@code eos_token}, ...) in scope,
 * {@code raise_exception}, {@code strftime_now} and transformers' {@code tojson}. Python's string
 * and dict methods come from {@link PythonMethods}. The rendered text is tokenized without adding
 * special tokens again, as transformers does: the template writes BOS itself when it wants one.
 */
public final class ChatTemplate {
    private static final String CONTINUE_TAG = "CONTINUE_FINAL_MESSAGE_TAG ";

    private final String source;
    private final String template;
    private final String jinjavaSource; // the template with Jinja's `not` precedence made explicit
    private final Map<String, Object> specialTokens;
    private final Jinjava jinja;

    /**
     * @param source        where the template came from, for error messages
     * @param specialTokens {@code bos_token}, {@code eos_token}, ... as named in tokenizer_config.json
     */
    public ChatTemplate(String source, String template, Map<String, Object> specialTokens) {
        this.source = source;
        this.template = template;
        this.jinjavaSource = JinjaSyntax.rewrite(template);
        this.specialTokens = new LinkedHashMap<>(specialTokens);
        this.jinja = newEngine();
        // Fail on load, not at the first rollout, when the template does not even parse.
        try {
            render(List.of(message("user", "x")), true, null, Map.of());
        } catch (ChatTemplateException e) {
            if (e.parseError) {
                throw e;
            }
            // a template may legitimately refuse this probe (e.g. it requires a system turn)
        }
    }

    public String source() {
        return source;
    }

    public String text() {
        return template;
    }

    public static Map<String, Object> message(String role, String content) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", role);
        m.put("content", content);
        return m;
    }

    /** Renders a conversation as transformers does ({@code continue_final_message} off). */
    public String render(List<Map<String, Object>> messages, boolean addGenerationPrompt,
                         List<Map<String, Object>> tools, Map<String, Object> extra) {
        Map<String, Object> ctx = new HashMap<>(specialTokens);
        ctx.putAll(extra);
        ctx.put("messages", messages);
        ctx.put("tools", tools);
        ctx.put("documents", null);
        ctx.put("add_generation_prompt", addGenerationPrompt);
        ctx.put("strftime_now", true); // so that `strftime_now is defined` holds, as in transformers
        RenderResult r = jinja.renderForResult(jinjavaSource, ctx);
        for (TemplateError e : r.getErrors()) {
            if (e.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw failure(e);
            }
        }
        return r.getOutput();
    }

    /**
     * Renders a conversation whose last message (an assistant turn) stays open for the model
     * to continue: transformers' {@code continue_final_message=True}.
     */
    public String renderContinuing(List<Map<String, Object>> messages, List<Map<String, Object>> tools) {
        List<Map<String, Object>> copy = new ArrayList<>(messages);
        Map<String, Object> last = new LinkedHashMap<>(copy.get(copy.size() - 1));
        String finalText = String.valueOf(last.get("content"));
        last.put("content", finalText + CONTINUE_TAG);
        copy.set(copy.size() - 1, last);
        String out = render(copy, false, tools, Map.of());
        String tag = CONTINUE_TAG.strip();
        if (!out.contains(finalText.strip()) || !out.contains(tag)) {
            throw new ChatTemplateException(source + ": the final message does not appear in the rendered chat,"
                    + " so it cannot be continued", false);
        }
        int at = out.lastIndexOf(tag);
        return out.startsWith(CONTINUE_TAG, at) ? out.substring(0, at) : out.substring(0, at).stripTrailing();
    }

    private ChatTemplateException failure(TemplateError e) {
        // raise_exception's own message is what the template author wrote for the user
        for (Throwable t = e.getException(); t != null; t = t.getCause()) {
            if (t instanceof TemplateRaise) {
                return new ChatTemplateException(source + ": the chat template refused the conversation: "
                        + t.getMessage(), false);
            }
        }
        boolean parse = e.getReason() == TemplateError.ErrorReason.SYNTAX_ERROR
                && (e.getItem() == TemplateError.ErrorItem.TAG || e.getItem() == TemplateError.ErrorItem.TEMPLATE);
        String where = e.getLineno() > 0 ? " (line " + e.getLineno() + ")" : "";
        return new ChatTemplateException(source + ": chat template error" + where + ": "
                + firstLine(e.getMessage()), parse);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static Jinjava newEngine() {
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new PythonMethods());
        resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_WRITE);
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                .withLstripBlocks(true)
                .withNestedInterpretationEnabled(false) // message text is data, never template code
                .withMaxRenderDepth(1)
                .withElResolver(resolver)
                .withLegacyOverrides(LegacyOverrides.newBuilder()
                        .withUseTrimmingForNotesAndExpressions(true) // {{- ... -}} trims like Jinja
                        .withParseWhitespaceControlStrictly(true)
                        .withUseNaturalOperatorPrecedence(true)
                        .withUsePyishObjectMapper(true)
                        .withKeepNullableLoopValues(true)
                        .withEvaluateMapKeys(true)
                        .build())
                .build();
        Jinjava j = new Jinjava(config);
        j.getGlobalContext().registerFilter(new ToJson());
        j.getGlobalContext().registerTag(new Generation());
        j.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception",
                ChatTemplate.class, "raiseException", String.class));
        j.getGlobalContext().registerFunction(new ELFunctionDefinition("", "strftime_now",
                ChatTemplate.class, "strftimeNow", String.class));
        return j;
    }

    /**
     * transformers' {@code {% generation %}...{% endgeneration %}}: marks the assistant's tokens
     * for an assistant mask; renders its body unchanged.
     */
    private static final class Generation implements com.hubspot.jinjava.lib.tag.Tag {
        @Override
        public String getName() {
            return "generation";
        }

        @Override
        public String getEndTagName() {
            return "endgeneration";
        }

        @Override
        public String interpret(com.hubspot.jinjava.tree.TagNode tagNode, JinjavaInterpreter interpreter) {
            StringBuilder sb = new StringBuilder();
            for (com.hubspot.jinjava.tree.Node child : tagNode.getChildren()) {
                sb.append(child.render(interpreter).getValue());
            }
            return sb.toString();
        }
    }

    /** Thrown by a template's {@code raise_exception(message)}. */
    static final class TemplateRaise extends RuntimeException {
        TemplateRaise(String message) {
            super(message);
        }
    }

    public static Object raiseException(String message) {
        throw new TemplateRaise(message);
    }

    /** Python's {@code datetime.now().strftime(fmt)} for the directives chat templates use. */
    public static String strftimeNow(String format) {
        ZonedDateTime now = ZonedDateTime.now();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 == format.length()) {
                sb.append(c);
                continue;
            }
            char d = format.charAt(++i);
            switch (d) {
                case 'd' -> sb.append(String.format("%02d", now.getDayOfMonth()));
                case 'm' -> sb.append(String.format("%02d", now.getMonthValue()));
                case 'Y' -> sb.append(now.getYear());
                case 'y' -> sb.append(String.format("%02d", now.getYear() % 100));
                case 'b' -> sb.append(now.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                case 'B' -> sb.append(now.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
                case 'a' -> sb.append(now.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                case 'A' -> sb.append(now.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
                case 'H' -> sb.append(String.format("%02d", now.getHour()));
                case 'M' -> sb.append(String.format("%02d", now.getMinute()));
                case 'S' -> sb.append(String.format("%02d", now.getSecond()));
                case 'j' -> sb.append(String.format("%03d", now.getDayOfYear()));
                case '%' -> sb.append('%');
                default -> throw new IllegalArgumentException("strftime directive %" + d + " is not supported");
            }
        }
        return sb.toString();
    }

    /** transformers' tojson: json.dumps(x, ensure_ascii=False, indent=, separators=, sort_keys=). */
    private static final class ToJson implements AdvancedFilter {
        @Override
        public String getName() {
            return "tojson";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            Object indent = kwargs.getOrDefault("indent", args.length > 1 ? args[1] : null);
            Object separators = kwargs.get("separators");
            Object sortKeys = kwargs.getOrDefault("sort_keys", false);
            String itemSep = null;
            String keySep = null;
            if (separators instanceof List<?> seps && seps.size() == 2) {
                itemSep = String.valueOf(seps.get(0));
                keySep = String.valueOf(seps.get(1));
            }
            Integer ind = indent == null ? null : ((Number) indent).intValue();
            return PyJson.dumps(var, ind, itemSep, keySep, Boolean.TRUE.equals(sortKeys));
        }
    }
}
