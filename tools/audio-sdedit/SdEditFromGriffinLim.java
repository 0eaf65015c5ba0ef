import ai.djl.ndarray.*;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.*;
import org.diffusion4j.audio.data.VocoderDataset;
import org.diffusion4j.audio.mel.*;
import org.diffusion4j.audio.metrics.*;
import org.diffusion4j.audio.model.WaveGradDenoiser;
import org.diffusion4j.audio.refine.MelConsistencyRefiner;
import org.diffusion4j.audio.schedule.InferenceSchedule;
import org.diffusion4j.audio.vocode.*;
import org.diffusion4j.core.random.NoiseSource;
import org.diffusion4j.core.sampling.SamplingOptions;

/**
 * Can the vocoder network improve on Griffin-Lim when it only has to finish the job? SDEdit (Meng et al. 2022) from
 * Griffin-Lim's output: each held-out clip's mel is inverted by Griffin-Lim (32 iterations, seed 0) and refined
 * with PRE rounds of {@code MelConsistencyRefiner} (momentum 0); that signal g is noised to the level of timestep t of the
 * model's STEPS-step schedule, x_t = sqrt(abar_t)*g + sqrt(1 - abar_t)*eps (eps seeded), the vocoder runs the
 * remaining t+1 steps from there (core's SamplingOptions.initial, lmnt's clamped DDPM step), and the result gets
 * POST more rounds. Printed beside Griffin-Lim with PRE and with PRE + POST rounds (the same refinement budget
 * without the network). Means over the 6 held-out clips: log-mel, MCD-13, MR-STFT.
 *
 * <p>Run from the repository root after {@code mvn -B -q -DskipTests package}:
 * {@code java -cp "samples/target/diffusion4j-samples.jar:samples/target/lib/*" tools/audio-sdedit/SdEditFromGriffinLim.java
 * STEPS T1,T2,... PRE POST [MODEL_DIR]}, e.g. {@code 50 2,5,10,20 100 100}.
 */
public class SdEditFromGriffinLim {
  static final int SR = 22050;
  public static void main(String[] a) throws Exception {
    if (a.length < 4) {
      throw new IllegalArgumentException("usage: STEPS T1,T2,... PRE POST [MODEL_DIR]");
    }
    MelSpectrogram mel = MelSpectrogram.wavegrad(SR);
    VocoderDataset data = VocoderDataset.load(Path.of("sdk-audio/data/espeak-30/heldout.txt"), mel, false);
    int steps = Integer.parseInt(a[0]);
    int[] starts = Arrays.stream(a[1].split(",")).mapToInt(Integer::parseInt).toArray();
    int pre = Integer.parseInt(a[2]), post = Integer.parseInt(a[3]);
    LogMelDistance lsd = LogMelDistance.wavegrad(SR);
    MelCepstralDistortion mcd = MelCepstralDistortion.wavegrad(SR);
    MultiResolutionStftDistance mr = new MultiResolutionStftDistance();
    GriffinLim gl = GriffinLim.wavegrad(SR);
    // plain alternation (momentum 0), as measured in docs/benchmarks.md
    MelRecipe recipe = MelRecipe.wavegrad(SR);
    MelConsistencyRefiner rPre = new MelConsistencyRefiner(recipe, pre, 0), rPost = new MelConsistencyRefiner(recipe, post, 0);
    MelConsistencyRefiner rBoth = new MelConsistencyRefiner(recipe, pre + post, 0);
    double[][] sums = new double[starts.length + 2][3];
    try (NDManager m = NDManager.newBaseManager()) {
      VocoderModel vm = VocoderModel.load(Path.of(a.length > 4 ? a[4] : "sdk-audio/models/wavegrad-small"), m);
      InferenceSchedule s = vm.schedule(steps);
      double[] b = s.betas(); double[] ab = new double[b.length]; double p = 1;
      for (int i = 0; i < b.length; i++) { p *= 1 - b[i]; ab[i] = p; }
      for (int q = 0; q < starts.length; q++) System.out.printf(Locale.ROOT, "start %d: sqrt(abar) %.5f%n", starts[q], Math.sqrt(ab[starts[q]]));
      for (VocoderDataset.Item it : data.items()) {
        float[][] c = it.mel();
        int bands = c.length, frames = c[0].length, samples = frames * 300;
        float[] g0 = gl.reconstruct(c, 0);
        float[] g = rPre.refine(c, g0);
        List<float[]> outs = new ArrayList<>();
        outs.add(g);
        outs.add(rBoth.refine(c, g0));
        float[] flat = new float[bands * frames];
        for (int j = 0; j < bands; j++) System.arraycopy(c[j], 0, flat, j * frames, frames);
        for (int start : starts) {
          try (NDManager scope = m.newSubManager()) {
            NDArray melA = scope.create(flat, new Shape(1, bands, frames));
            WaveGradDenoiser den = new WaveGradDenoiser(vm.model(), new ParameterStore(scope, false), b, false);
            float[] eps = new float[samples];
            NoiseSource ns = NoiseSource.seeded(7);
            for (int i = 0; i < samples; i++) eps[i] = (float) ns.nextGaussian();
            float[] xt = new float[samples];
            double sa = Math.sqrt(ab[start]), sb = Math.sqrt(1 - ab[start]);
            for (int i = 0; i < samples; i++) xt[i] = (float) (sa * g[i] + sb * eps[i]);
            SamplingOptions opt = SamplingOptions.builder(scope).seed(0).conditioning(new NDList(melA))
                .initial(start, scope.create(xt, new Shape(1, samples))).build();
            float[] y = WaveGradVocoder.sampler(s).sample(den, new Shape(1, samples), opt).toFloatArray();
            outs.add(rPost.refine(c, y));
          }
        }
        for (int q = 0; q < outs.size(); q++) {
          float[] gg = Arrays.copyOf(outs.get(q), it.audio().length);
          double[] v = {lsd.distance(it.audio(), gg), mcd.distortion(it.audio(), gg), mr.distance(it.audio(), gg)};
          for (int k = 0; k < 3; k++) sums[q][k] += v[k] / data.size();
        }
      }
    }
    String[] names = new String[starts.length + 2];
    names[0] = "GL+refine " + pre; names[1] = "GL+refine " + (pre + post);
    for (int q = 0; q < starts.length; q++) names[q + 2] = "GL+refine " + pre + " -> SDEdit from t=" + starts[q] + " -> refine " + post;
    for (int q = 0; q < names.length; q++)
      System.out.printf(Locale.ROOT, "%-50s log-mel %.4f  MCD %.3f  MR-STFT %.4f%n", names[q], sums[q][0], sums[q][1], sums[q][2]);
  }
}
