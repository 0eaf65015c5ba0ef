package org.diffusion4j.core.weights;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A Python pickle reader (protocols 2 to 5, the opcodes {@code torch.save} and plain Python containers emit) that
 * builds Java values: {@code None} → null, bool, int (Long, or BigInteger beyond 64 bits), float (Double), str,
 * bytes (byte[]), tuple/list ({@code List}), dict ({@code LinkedHashMap}). Classes and functions named by the
 * stream ({@code GLOBAL}) are resolved by the caller's {@code globals} function; names it does not know become
 * {@link Opaque} objects, so a checkpoint may carry objects this reader does not understand (optimizer state, a
 * user's config class) as long as nobody needs their value. Persistent ids ({@code BINPERSID}) go to the caller's
 * {@code persistentLoad}. Nothing is executed: this is a data reader, not Python's unpickler.
 */
final class Unpickler {

    /** A callable the stream may apply to arguments ({@code REDUCE}/{@code NEWOBJ}). */
    interface PythonCallable {
        Object call(List<Object> args) throws IOException;
    }

    /** A global (class or function) this reader does not interpret. */
    record Opaque(String name) {
    }

    /**
     * What calling an {@link Opaque} global gave: its name and arguments. It is a map so that the items a pickle
     * stream sets on dict subclasses (a config {@code AttrDict}, say) land somewhere harmless.
     */
    static final class OpaqueObject extends LinkedHashMap<Object, Object> {
        private static final long serialVersionUID = 1L;
        final String name;
        final transient List<Object> args;

        OpaqueObject(String name, List<Object> args) {
            this.name = name;
            this.args = args;
        }

        @Override
        public String toString() {
            return name + args + super.toString();
        }
    }

    private static final Object MARK = new Object();

    private final ByteBuffer in;
    private final Function<String, Object> globals;
    private final Function<Object, Object> persistentLoad;
    private final Deque<Object> stack = new ArrayDeque<>();
    private final Map<Long, Object> memo = new HashMap<>();

    Unpickler(byte[] data, Function<String, Object> globals, Function<Object, Object> persistentLoad) {
        this.in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        this.globals = globals;
        this.persistentLoad = persistentLoad;
    }

    Object load() throws IOException {
        try {
            while (true) {
                int op = in.get() & 0xff;
                switch (op) {
                    case 0x80 -> in.get(); // PROTO n
                    case 0x95 -> in.getLong(); // FRAME length (protocol 4): frames are just a hint
                    case '.' -> {
                        return value(pop());
                    }
                    case '(' -> stack.push(MARK);
                    case ')' -> stack.push(new ArrayList<>());
                    case ']' -> stack.push(new ArrayList<>());
                    case '}' -> stack.push(new LinkedHashMap<>());
                    case 't', 'l' -> stack.push(popToMark());
                    case 0x85 -> stack.push(listOf(pop()));
                    case 0x86 -> {
                        Object b = pop();
                        Object a = pop();
                        stack.push(listOf(a, b));
                    }
                    case 0x87 -> {
                        Object c = pop();
                        Object b = pop();
                        Object a = pop();
                        stack.push(listOf(a, b, c));
                    }
                    case 'a' -> {
                        Object v = value(pop());
                        asList(peek()).add(v);
                    }
                    case 'e' -> {
                        List<Object> items = popToMark();
                        asList(peek()).addAll(items);
                    }
                    case 's' -> {
                        Object v = value(pop());
                        Object k = value(pop());
                        asMap(peek()).put(k, v);
                    }
                    case 'u' -> {
                        List<Object> kv = popToMark();
                        Map<Object, Object> d = asMap(peek());
                        for (int i = 0; i + 1 < kv.size(); i += 2) {
                            d.put(kv.get(i), kv.get(i + 1));
                        }
                    }
                    case 'N' -> stack.push(NULL);
                    case 0x88 -> stack.push(Boolean.TRUE);
                    case 0x89 -> stack.push(Boolean.FALSE);
                    case 'K' -> stack.push((long) (in.get() & 0xff));
                    case 'M' -> stack.push((long) (in.getShort() & 0xffff));
                    case 'J' -> stack.push((long) in.getInt());
                    case 0x8a -> stack.push(longFrom(in.get() & 0xff));
                    case 0x8b -> stack.push(longFrom(in.getInt()));
                    case 'G' -> stack.push(ByteBuffer.wrap(bytes(8)).order(ByteOrder.BIG_ENDIAN).getDouble());
                    case 'X' -> stack.push(new String(bytes(in.getInt()), StandardCharsets.UTF_8));
                    case 0x8c -> stack.push(new String(bytes(in.get() & 0xff), StandardCharsets.UTF_8));
                    case 0x8d -> stack.push(new String(bytes(Math.toIntExact(in.getLong())), StandardCharsets.UTF_8));
                    case 'U' -> stack.push(new String(bytes(in.get() & 0xff), StandardCharsets.ISO_8859_1));
                    case 'T' -> stack.push(new String(bytes(in.getInt()), StandardCharsets.ISO_8859_1));
                    case 'C' -> stack.push(bytes(in.get() & 0xff));
                    case 'B' -> stack.push(bytes(in.getInt()));
                    case 0x8e -> stack.push(bytes(Math.toIntExact(in.getLong())));
                    case 'c' -> stack.push(resolve(line() + "." + line()));
                    case 0x93 -> {
                        String name = (String) pop();
                        String module = (String) pop();
                        stack.push(resolve(module + "." + name));
                    }
                    case 'q' -> memo.put((long) (in.get() & 0xff), peek());
                    case 'r' -> memo.put(in.getInt() & 0xffffffffL, peek());
                    case 0x94 -> memo.put((long) memo.size(), peek());
                    case 'h' -> stack.push(memoGet(in.get() & 0xff));
                    case 'j' -> stack.push(memoGet(in.getInt() & 0xffffffffL));
                    case 'R' -> {
                        List<Object> args = asList(pop());
                        stack.push(apply(pop(), args));
                    }
                    case 0x81 -> {
                        List<Object> args = asList(pop());
                        stack.push(apply(pop(), args));
                    }
                    case 'b' -> pop(); // BUILD: object state (e.g. a state_dict's _metadata) is not needed
                    case 'Q' -> stack.push(nullToMarker(persistentLoad.apply(pop())));
                    case '0' -> pop();
                    case '1' -> popToMark();
                    case '2' -> stack.push(peek());
                    case 0x8f -> stack.push(new ArrayList<>()); // EMPTY_SET
                    case 0x90 -> {
                        List<Object> items = popToMark();
                        asList(peek()).addAll(items);
                    }
                    case 0x91 -> stack.push(popToMark()); // FROZENSET
                    default -> throw new IOException(String.format("pickle: unsupported opcode 0x%02x at byte %d",
                            op, in.position() - 1));
                }
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw new IOException("pickle: truncated stream (no STOP opcode before the end)", e);
        } catch (ClassCastException | java.util.NoSuchElementException e) {
            throw new IOException("pickle: malformed stream at byte " + in.position() + ": " + e.getMessage(), e);
        }
    }

    /** Stands for Python's None on the stack (ArrayDeque takes no nulls). */
    private static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };

    private static Object nullToMarker(Object o) {
        return o == null ? NULL : o;
    }

    /** Replaces the None marker by null in a value taken off the stack. */
    static Object value(Object o) {
        return o == NULL ? null : o;
    }

    private Object resolve(String qualifiedName) {
        Object g = globals.apply(qualifiedName);
        return g != null ? g : new Opaque(qualifiedName);
    }

    private Object apply(Object callable, List<Object> args) throws IOException {
        List<Object> plain = new ArrayList<>(args.size());
        for (Object a : args) {
            plain.add(value(a));
        }
        if (callable instanceof PythonCallable c) {
            return nullToMarker(c.call(plain));
        }
        if (callable instanceof Opaque o) {
            return new OpaqueObject(o.name(), plain);
        }
        throw new IOException("pickle: cannot call " + callable);
    }

    private Object memoGet(long key) throws IOException {
        Object v = memo.get(key);
        if (v == null) {
            throw new IOException("pickle: memo key " + key + " used before it was set");
        }
        return v;
    }

    private Object pop() {
        return stack.pop();
    }

    private Object peek() {
        return stack.peek();
    }

    private List<Object> popToMark() throws IOException {
        List<Object> items = new ArrayList<>();
        while (true) {
            if (stack.isEmpty()) {
                throw new IOException("pickle: MARK expected on the stack");
            }
            Object o = stack.pop();
            if (o == MARK) {
                break;
            }
            items.add(0, value(o));
        }
        return items;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> asList(Object o) {
        return (List<Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> asMap(Object o) {
        return (Map<Object, Object>) o;
    }

    private static List<Object> listOf(Object... items) {
        List<Object> l = new ArrayList<>(items.length);
        for (Object i : items) {
            l.add(value(i));
        }
        return l;
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }

    private String line() {
        StringBuilder sb = new StringBuilder();
        while (true) {
            byte b = in.get();
            if (b == '\n') {
                return sb.toString();
            }
            sb.append((char) (b & 0xff));
        }
    }

    /** LONG1/LONG4: a little-endian two's-complement integer of n bytes. */
    private Object longFrom(int n) {
        if (n == 0) {
            return 0L;
        }
        byte[] le = bytes(n);
        byte[] be = new byte[n];
        for (int i = 0; i < n; i++) {
            be[i] = le[n - 1 - i];
        }
        BigInteger v = new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }
}
