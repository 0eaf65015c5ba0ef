import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.diffusion4j.audio.data.VocoderDataset;
import org.diffusion4j.audio.metrics.MelCepstralDistortion;
import org.diffusion4j.audio.metrics.MultiResolutionStftDistance;
import org.diffusion4j.audio.schedule.InferenceSchedule;
import org.diffusion4j.audio.vocode.VocoderModel;
import org.diffusion4j.audio.vocode.WaveGradVocoder;

/**
 * Where a vocoder's MCD comes from, per held-out clip: MCD and MR-STFT of the vocoded clip as it is, and with
 * every frame whose conditioning mel is silent (all bands below 0.05 on the compressed scale, i.e. under about
 * -95 dB) set to exact zero, which is what a perfect noise gate driven by the input mel would give; then the mean
 * first cepstral coefficient c1 (spectral tilt) of the reference and of the vocoded clip over the frames whose
 * reference c1 is above 5 (voiced, low-pass frames).
 *
 * <p>Run from the repository root with the samples jar's class path:
 * {@code java -cp "$CP" tools/audio-mcd-breakdown/McdBreakdown.java MODEL_DIR [STEPS]}.
 */
public class McdBreakdown {
    public static void main(String[] args) throws Exception {
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        try (NDManager manager = NDManager.newBaseManager()) {
            VocoderModel vm = VocoderModel.load(Path.of(args[0]), manager);
            VocoderDataset held = VocoderDataset.load(Path.of("sdk-audio/data/espeak-30/heldout.txt"), vm.melSpectrogram(), false);
            WaveGradVocoder vocoder = new WaveGradVocoder(vm.model(), manager);
            InferenceSchedule schedule = vm.schedule(steps);
            MelCepstralDistortion mcd = MelCepstralDistortion.wavegrad(vm.recipe().sampleRate());
            MultiResolutionStftDistance mr = new MultiResolutionStftDistance();
            int hop = vm.recipe().hop();
            System.out.println("clip       silent frames  MCD as is  MCD gated  MR-STFT as is  MR-STFT gated  c1 ref  c1 vocoded (voiced frames)");
            for (VocoderDataset.Item it : held.items()) {
                float[] ref = it.audio();
                float[] gen = Arrays.copyOf(vocoder.vocode(it.mel(), schedule, 0), ref.length);
                float[] gated = gen.clone();
                float[][] mel = it.mel();
                int silent = 0;
                for (int t = 0; t < mel[0].length; t++) {
                    float max = 0;
                    for (float[] band : mel) {
                        max = Math.max(max, band[t]);
                    }
                    if (max < 0.05f) {
                        silent++;
                        for (int i = Math.max(0, t * hop - hop / 2); i < Math.min(gated.length, t * hop + hop / 2); i++) {
                            gated[i] = 0;
                        }
                    }
                }
                double[][] cr = mcd.cepstra(ref);
                double[][] cg = mcd.cepstra(gen);
                double sr = 0;
                double sg = 0;
                int voiced = 0;
                for (int t = 0; t < cr.length; t++) {
                    if (cr[t][0] > 5) {
                        sr += cr[t][0];
                        sg += cg[t][0];
                        voiced++;
                    }
                }
                System.out.printf(Locale.ROOT, "%-10s %6d of %4d %10.2f %10.2f %14.3f %14.3f %7.2f %7.2f (%d)%n", it.name(), silent,
                        mel[0].length, mcd.distortion(ref, gen), mcd.distortion(ref, gated), mr.distance(ref, gen),
                        mr.distance(ref, gated), sr / voiced, sg / voiced, voiced);
            }
        }
    }
}
