package org.diffusion4j.core.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Key;
import com.google.inject.multibindings.MapBinder;
import com.google.inject.name.Names;
import org.diffusion4j.core.sampling.SamplerKind;

/**
 * Registers the built-in samplers by name in a {@code Map<String, SamplerFactory>}: "ddpm" (ancestral),
 * "ddim" (η = 0, deterministic), "ddim-eta1" (η = 1) and "dpmpp2m" (DPM-Solver++ 2M). Other modules add entries
 * with their own {@code MapBinder.newMapBinder(binder(), String.class, SamplerFactory.class)}. Each built-in entry
 * points at a binding {@code @Named(name) SamplerFactory} (see {@link #key(String)}), so a user replaces one with
 * {@code Modules.override(new SamplingModule()).with(m -> m.bind(SamplingModule.key("ddim")).toInstance(...))}
 * (a map entry itself cannot be overridden: Guice refuses duplicate map keys).
 */
public final class SamplingModule extends AbstractModule {

    public static final String DDPM = SamplerKind.DDPM.cliName();
    public static final String DDIM = SamplerKind.DDIM.cliName();
    public static final String DDIM_ETA1 = SamplerKind.DDIM_ETA1.cliName();
    public static final String DPMPP_2M = SamplerKind.DPMPP_2M.cliName();

    @Override
    protected void configure() {
        MapBinder<String, SamplerFactory> samplers = MapBinder.newMapBinder(binder(), String.class,
                SamplerFactory.class);
        for (SamplerKind kind : SamplerKind.values()) {
            register(samplers, kind.cliName(), (d, steps, spacing) -> kind.create(d, steps, spacing, false));
        }
    }

    /** The key of the named binding behind a built-in map entry; bind it in an override to replace the sampler. */
    public static Key<SamplerFactory> key(String name) {
        return Key.get(SamplerFactory.class, Names.named(name));
    }

    private void register(MapBinder<String, SamplerFactory> samplers, String name, SamplerFactory factory) {
        bind(key(name)).toInstance(factory);
        samplers.addBinding(name).to(key(name));
    }
}
