package org.diffusion4j.audio.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.diffusion4j.audio.data.VocoderDataset;
import org.diffusion4j.audio.metrics.F0FrameError;
import org.diffusion4j.audio.metrics.GriffinLim;
import org.diffusion4j.audio.refine.MelConsistencyRefiner;
import org.diffusion4j.audio.metrics.LogMelDistance;
import org.diffusion4j.audio.metrics.MelCepstralDistortion;
import org.diffusion4j.audio.metrics.MultiResolutionStftDistance;
import org.diffusion4j.audio.schedule.InferenceSchedule;
import org.diffusion4j.audio.vocode.WaveGradVocoder;

/**
 * Copy-synthesis evaluation on held-out clips: every clip's mel is turned back into audio by each method
 * (Griffin-Lim, and the vocoder with each schedule), the output is trimmed to the clip's length, and the four
 * metrics of {@code docs/audio.md} are computed against the clip, with the real-time factor
 * RTF = synthesis seconds / audio seconds, one clip at a time, batch 1: wall clock, and process CPU time (all
 * threads of the JVM and libtorch), which on a shared, loaded machine is the better measure of the work done.
 */
public final class VocoderEvaluation {

    /** The metrics of one method on one clip. */
    public record Row(String method, String clip, double logMel, double mcd, double mrStft, double ffe,
                      double seconds, double cpuSeconds, double audioSeconds) {
    }

    /** A method's means over the clips and its overall RTF. */
    public record Summary(String method, int clips, double logMel, double mcd, double mrStft, double ffe, double rtf,
                          double cpuRtf) {
    }

    private final List<VocoderDataset.Item> heldOut;
    private final int sampleRate;
    private final LogMelDistance logMel;
    private final MelCepstralDistortion mcd;
    private final MultiResolutionStftDistance mrStft = new MultiResolutionStftDistance();
    private final F0FrameError ffe;

    public VocoderEvaluation(VocoderDataset heldOut) {
        this(heldOut.items(), heldOut.melSpectrogram());
    }

    /** Evaluates on the given clips (e.g. {@link #cut} of a data set) with the model's mel front end. */
    public VocoderEvaluation(List<VocoderDataset.Item> clips, org.diffusion4j.audio.mel.MelSpectrogram mel) {
        Objects.requireNonNull(clips, "clips");
        Objects.requireNonNull(mel, "mel");
        if (clips.isEmpty()) {
            throw new IllegalArgumentException("clips: expected at least one clip, got none");
        }
        this.heldOut = List.copyOf(clips);
        this.sampleRate = mel.recipe().sampleRate();
        // lmnt's criterion and the Griffin-Lim baseline's: the model's mel recipe at hop 150
        this.logMel = new LogMelDistance(mel.recipe().withHop(150));
        this.mcd = MelCepstralDistortion.wavegrad(sampleRate);
        this.ffe = F0FrameError.defaults(sampleRate);
    }

    /** Synthesises audio from a clip's mel; at least as many samples as the clip. */
    @FunctionalInterface
    public interface Method {
        float[] synthesise(VocoderDataset.Item clip);
    }

    /**
     * The first {@code limit} clips, each cut to its first {@code maxFrames}·hop samples with the mel recomputed
     * from the cut: bounds the cost of long schedules (train-1000) on a CPU. Clips already shorter stay whole.
     */
    public static List<VocoderDataset.Item> cut(VocoderDataset data, int maxFrames, int limit) {
        if (maxFrames < 1 || limit < 1) {
            throw new IllegalArgumentException("maxFrames/limit: expected >= 1, got " + maxFrames + "/" + limit);
        }
        int hop = data.melSpectrogram().recipe().hop();
        List<VocoderDataset.Item> out = new ArrayList<>();
        for (VocoderDataset.Item it : data.items().subList(0, Math.min(limit, data.size()))) {
            if (it.audio().length <= maxFrames * hop) {
                out.add(it);
            } else {
                float[] head = Arrays.copyOf(it.audio(), maxFrames * hop);
                out.add(new VocoderDataset.Item(it.name(), head, data.melSpectrogram().compute(head)));
            }
        }
        return out;
    }

    /** Griffin-Lim from the same mel (seeded phases). */
    public static Method griffinLim(GriffinLim gl, long seed) {
        return clip -> gl.reconstruct(clip.mel(), seed);
    }

    /** The WaveGrad vocoder with one schedule (seeded start and step noise). */
    public static Method wavegrad(WaveGradVocoder vocoder, InferenceSchedule schedule, long seed) {
        return clip -> vocoder.vocode(clip.mel(), schedule, seed);
    }

    /**
     * Another method's output refined towards the clip's mel ({@link MelConsistencyRefiner}); its time counts in
     * the row's RTF.
     */
    public static Method refined(Method base, MelConsistencyRefiner refiner) {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(refiner, "refiner");
        return clip -> refiner.refine(clip.mel(), base.synthesise(clip));
    }

    /** Runs one method over every held-out clip. */
    public List<Row> run(String name, Method method) {
        List<Row> rows = new ArrayList<>();
        for (VocoderDataset.Item it : heldOut) {
            long c0 = processCpuNanos();
            long t0 = System.nanoTime();
            float[] out = method.synthesise(it);
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpu = (processCpuNanos() - c0) / 1e9;
            float[] ref = it.audio();
            if (out.length < ref.length) {
                throw new IllegalStateException(name + " returned " + out.length + " samples for " + it.name() + " ("
                        + ref.length + " samples)");
            }
            float[] gen = Arrays.copyOf(out, ref.length);
            rows.add(new Row(name, it.name(), logMel.distance(ref, gen), mcd.distortion(ref, gen),
                    mrStft.distance(ref, gen), ffe.error(ref, gen), seconds, cpu, ref.length / (double) sampleRate));
        }
        return rows;
    }

    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        throw new IllegalStateException("process CPU time is not available on this JVM (" + os.getClass().getName() + ")");
    }

    /** Means over a method's rows; RTF is total synthesis time over total audio time. */
    public static Summary summarise(List<Row> rows) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("rows: expected at least one row, got none");
        }
        double[] s = new double[7];
        for (Row r : rows) {
            s[0] += r.logMel();
            s[1] += r.mcd();
            s[2] += r.mrStft();
            s[3] += r.ffe();
            s[4] += r.seconds();
            s[5] += r.audioSeconds();
            s[6] += r.cpuSeconds();
        }
        int n = rows.size();
        return new Summary(rows.get(0).method(), n, s[0] / n, s[1] / n, s[2] / n, s[3] / n, s[4] / s[5], s[6] / s[5]);
    }

    /** A markdown table of summaries, with each method's change against the first (the baseline). */
    public static String markdown(List<Summary> summaries) {
        StringBuilder sb = new StringBuilder();
        sb.append("| method | log-mel | MCD-13 (dB) | MR-STFT | FFE | RTF (wall) | RTF (CPU) | MCD vs baseline | MR-STFT vs baseline |\n");
        sb.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        Summary base = summaries.get(0);
        for (Summary s : summaries) {
            sb.append(String.format(Locale.ROOT, "| %s | %.4f | %.3f | %.4f | %.3f | %.3f | %.3f | %+.1f%% | %+.1f%% |%n",
                    s.method(), s.logMel(), s.mcd(), s.mrStft(), s.ffe(), s.rtf(), s.cpuRtf(),
                    100 * (s.mcd() / base.mcd() - 1), 100 * (s.mrStft() / base.mrStft() - 1)));
        }
        return sb.toString();
    }

    /** One line per clip, for logs. */
    public static String perClip(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%-14s %-8s log-mel %.4f  MCD %.3f  MR-STFT %.4f  FFE %.3f  RTF %.3f (CPU %.3f)%n",
                    r.method(), r.clip(), r.logMel(), r.mcd(), r.mrStft(), r.ffe(), r.seconds() / r.audioSeconds(),
                    r.cpuSeconds() / r.audioSeconds()));
        }
        return sb.toString();
    }
}
