package org.diffusion4j.core.training;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.diffusion4j.core.io.AtomicFiles;

/**
 * The content of one training checkpoint and its file format. A checkpoint holds everything a run needs to
 * continue exactly: the configuration, the process description, the step, the parameter manifest (names and
 * shapes, because DJL's own parameter files are positional and unchecked), the weights, the EMA weights, the
 * AdamW moments and update count, and the importance sampler's loss history. Randomness needs no stored state:
 * the trainer seeds each step's generator from (seed, step).
 *
 * <p>Format (big-endian, version 1): magic "D4JTRAIN", int version, UTF-8 config text, UTF-8 process description,
 * long step, int n, n × (name, rank, dims), four length-prefixed DJL {@code NDList} encodings (weights, EMA, m, v),
 * long AdamW updates, then the sampler history (int T, int history, T·history doubles, T ints; T = 0 for uniform
 * sampling). Files are written to a temporary file in the same directory and renamed into place atomically.
 *
 * @param config        the run's configuration
 * @param diffusion     {@code GaussianDiffusion.toString()} of the run, checked on resume
 * @param step          completed optimiser steps
 * @param names         parameter names in DJL order
 * @param shapes        parameter shapes in the same order
 * @param weights       training weights
 * @param ema           EMA weights
 * @param adamUpdates   AdamW's update count k
 * @param adamM         AdamW first moments
 * @param adamV         AdamW second moments
 * @param samplerState  importance sampler history, null for uniform sampling
 */
public record TrainingCheckpoint(TrainerConfig config, String diffusion, long step, List<String> names,
                                 List<Shape> shapes, NDList weights, NDList ema, long adamUpdates, NDList adamM,
                                 NDList adamV, LossSecondMomentResampler.State samplerState) {

    private static final byte[] MAGIC = "D4JTRAIN".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    private static final Pattern FILE_NAME = Pattern.compile("checkpoint-(\\d{10})\\.d4j");

    public TrainingCheckpoint {
        names = List.copyOf(names);
        shapes = List.copyOf(shapes);
    }

    /** The file name of the checkpoint at {@code step} in {@code dir}: checkpoint-0000000123.d4j. */
    public static Path fileFor(Path dir, long step) {
        return dir.resolve(String.format("checkpoint-%010d.d4j", step));
    }

    /** The checkpoints in {@code dir}, oldest first (empty if the directory does not exist). */
    public static List<Path> list(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "checkpoint-*.d4j")) {
            for (Path p : ds) {
                if (FILE_NAME.matcher(p.getFileName().toString()).matches()) {
                    out.add(p);
                }
            }
        }
        out.sort(null);
        return out;
    }

    /** The newest checkpoint in {@code dir}, if any. */
    public static Optional<Path> latest(Path dir) throws IOException {
        List<Path> all = list(dir);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** The step encoded in a checkpoint file name. */
    static long stepOf(Path file) {
        Matcher m = FILE_NAME.matcher(file.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException("file: expected a name checkpoint-NNNNNNNNNN.d4j, got " + file.getFileName());
        }
        return Long.parseLong(m.group(1));
    }

    /** Writes this checkpoint to {@code file} atomically (temporary file in the same directory, then rename). */
    public void write(Path file) throws IOException {
        AtomicFiles.write(file, out -> {
            DataOutputStream data = new DataOutputStream(out);
            writeTo(data);
            data.flush();
        });
    }

    private void writeTo(DataOutputStream out) throws IOException {
        out.write(MAGIC);
        out.writeInt(VERSION);
        writeString(out, config.toText());
        writeString(out, diffusion);
        out.writeLong(step);
        out.writeInt(names.size());
        for (int i = 0; i < names.size(); i++) {
            writeString(out, names.get(i));
            long[] dims = shapes.get(i).getShape();
            out.writeInt(dims.length);
            for (long d : dims) {
                out.writeLong(d);
            }
        }
        for (NDList list : new NDList[] {weights, ema, adamM, adamV}) {
            byte[] bytes = list.encode();
            out.writeInt(bytes.length);
            out.write(bytes);
        }
        out.writeLong(adamUpdates);
        if (samplerState == null) {
            out.writeInt(0);
            out.writeInt(0);
        } else {
            out.writeInt(samplerState.numTimesteps());
            out.writeInt(samplerState.history());
            for (double d : samplerState.losses()) {
                out.writeDouble(d);
            }
            for (int c : samplerState.counts()) {
                out.writeInt(c);
            }
        }
    }

    /**
     * Reads a checkpoint; its arrays are created in {@code manager}.
     *
     * @throws IOException if the file cannot be read, is not a checkpoint, has another version, or is truncated
     */
    public static TrainingCheckpoint read(Path file, NDManager manager) throws IOException {
        try (InputStream is = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(is))) {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IOException(file + ": expected a diffusion4j training checkpoint (magic D4JTRAIN), got "
                        + new String(magic, StandardCharsets.ISO_8859_1));
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException(file + ": expected checkpoint version " + VERSION + ", got " + version);
            }
            TrainerConfig config;
            try {
                config = TrainerConfig.fromText(readString(in));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": " + e.getMessage(), e);
            }
            String diffusion = readString(in);
            long step = in.readLong();
            int n = in.readInt();
            if (n < 0) {
                throw new IOException(file + ": expected a parameter count >= 0, got " + n);
            }
            List<String> names = new ArrayList<>(n);
            List<Shape> shapes = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                names.add(readString(in));
                int rank = in.readInt();
                if (rank < 0 || rank > 16) {
                    throw new IOException(file + ": expected a parameter rank in [0, 16], got " + rank);
                }
                long[] dims = new long[rank];
                for (int k = 0; k < rank; k++) {
                    dims[k] = in.readLong();
                }
                shapes.add(new Shape(dims));
            }
            NDList[] lists = new NDList[4];
            for (int k = 0; k < lists.length; k++) {
                int len = in.readInt();
                if (len < 0) {
                    throw new IOException(file + ": expected a non-negative array block length, got " + len);
                }
                byte[] bytes = new byte[len];
                in.readFully(bytes);
                lists[k] = NDList.decode(manager, bytes);
                if (lists[k].size() != n) {
                    throw new IOException(file + ": expected " + n + " arrays in block " + k + ", got " + lists[k].size());
                }
            }
            long updates = in.readLong();
            int t = in.readInt();
            int history = in.readInt();
            LossSecondMomentResampler.State state = null;
            if (t > 0) {
                double[] losses = new double[Math.multiplyExact(t, history)];
                for (int i = 0; i < losses.length; i++) {
                    losses[i] = in.readDouble();
                }
                int[] counts = new int[t];
                for (int i = 0; i < t; i++) {
                    counts[i] = in.readInt();
                }
                state = new LossSecondMomentResampler.State(t, history, losses, counts);
            }
            return new TrainingCheckpoint(config, diffusion, step, names, shapes, lists[0], lists[1], updates, lists[2],
                    lists[3], state);
        } catch (EOFException e) {
            throw new IOException(file + ": truncated checkpoint", e);
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int len = in.readInt();
        if (len < 0 || len > (1 << 24)) {
            throw new IOException("expected a string length in [0, 2^24], got " + len);
        }
        byte[] b = new byte[len];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
