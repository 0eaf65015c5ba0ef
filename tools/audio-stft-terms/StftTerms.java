import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.diffusion4j.audio.data.VocoderDataset;
import org.diffusion4j.audio.metrics.GriffinLim;
import org.diffusion4j.audio.metrics.MultiResolutionStftDistance;
import org.diffusion4j.audio.schedule.InferenceSchedule;
import org.diffusion4j.audio.vocode.VocoderModel;
import org.diffusion4j.audio.vocode.WaveGradVocoder;

/**
 * The two terms of the MR-STFT distance, per resolution, for Griffin-Lim (32 iterations, seed 0) and for a vocoder
 * (its N-step schedule, seed 0), averaged over the held-out clips: spectral convergence (relative Frobenius error of
 * the magnitudes, dominated by the loud bins) and log-magnitude distance (every bin alike, so dominated by quiet
 * ones). A vocoder whose error is noise in silences or at high frequencies has a small SC and a large LM; one whose
 * loud harmonics are wrong has a large SC too.
 *
 * <p>Run from the repository root with the samples jar's class path:
 * {@code java -cp "$CP" tools/audio-stft-terms/StftTerms.java MODEL_DIR [STEPS]}.
 */
public class StftTerms {
    public static void main(String[] args) throws Exception {
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        try (NDManager manager = NDManager.newBaseManager()) {
            VocoderModel vm = VocoderModel.load(Path.of(args[0]), manager);
            VocoderDataset held = VocoderDataset.load(Path.of("sdk-audio/data/espeak-30/heldout.txt"), vm.melSpectrogram(), false);
            WaveGradVocoder vocoder = new WaveGradVocoder(vm.model(), manager);
            InferenceSchedule schedule = vm.schedule(steps);
            GriffinLim gl = GriffinLim.defaults(vm.recipe());
            MultiResolutionStftDistance mr = new MultiResolutionStftDistance();
            double[][] sums = new double[2][6];   // [method][resolution * 2 + term]
            for (VocoderDataset.Item it : held.items()) {
                float[] ref = it.audio();
                float[][] outputs = {
                    Arrays.copyOf(gl.reconstruct(it.mel(), 0), ref.length),
                    Arrays.copyOf(vocoder.vocode(it.mel(), schedule, 0), ref.length)};
                for (int m = 0; m < 2; m++) {
                    for (int r = 0; r < 3; r++) {
                        MultiResolutionStftDistance.Terms t = mr.terms(ref, outputs[m], r);
                        sums[m][2 * r] += t.spectralConvergence();
                        sums[m][2 * r + 1] += t.logMagnitude();
                    }
                }
            }
            System.out.println("method                 FFT 512: SC  LM    FFT 1024: SC  LM    FFT 2048: SC  LM");
            String[] names = {"griffin-lim-32", schedule.name()};
            int n = held.size();
            for (int m = 0; m < 2; m++) {
                System.out.printf(Locale.ROOT, "%-22s %10.3f %5.3f %11.3f %5.3f %11.3f %5.3f%n", names[m], sums[m][0] / n,
                        sums[m][1] / n, sums[m][2] / n, sums[m][3] / n, sums[m][4] / n, sums[m][5] / n);
            }
        }
    }
}
