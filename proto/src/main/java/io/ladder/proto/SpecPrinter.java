package io.ladder.proto;

import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Writes a spec message as YAML in the form {@link SpecLoader} reads: proto field names as keys,
 * enums as lower-case names, every field with a value (scalars at their default included), so a
 * printed spec loads back to the same message.
 */
public final class SpecPrinter {
    private SpecPrinter() {}

    public static String toYaml(Message m) {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        o.setIndent(2);
        o.setSplitLines(false);
        return new Yaml(o).dump(toMap(m));
    }

    private static Map<String, Object> toMap(Message m) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (FieldDescriptor f : m.getDescriptorForType().getFields()) {
            if (f.isRepeated()) {
                if (f.isMapField()) {
                    Map<String, Object> entries = new LinkedHashMap<>();
                    for (Object e : (List<?>) m.getField(f)) {
                        Message entry = (Message) e;
                        FieldDescriptor kf = entry.getDescriptorForType().findFieldByName("key");
                        FieldDescriptor vf = entry.getDescriptorForType().findFieldByName("value");
                        entries.put(String.valueOf(entry.getField(kf)), value(vf, entry.getField(vf)));
                    }
                    out.put(f.getName(), entries);
                } else {
                    List<Object> items = new ArrayList<>();
                    for (Object v : (List<?>) m.getField(f)) {
                        items.add(value(f, v));
                    }
                    out.put(f.getName(), items);
                }
            } else if (!f.hasPresence() || m.hasField(f)) {
                out.put(f.getName(), value(f, m.getField(f)));
            }
        }
        return out;
    }

    private static Object value(FieldDescriptor f, Object v) {
        return switch (f.getJavaType()) {
            case MESSAGE -> toMap((Message) v);
            case ENUM -> {
                EnumValueDescriptor e = (EnumValueDescriptor) v;
                yield e.getNumber() == 0 ? null : e.getName().toLowerCase(Locale.ROOT);
            }
            case BYTE_STRING -> throw new IllegalArgumentException(f.getFullName() + ": bytes fields are not printable");
            default -> v;
        };
    }
}
