//! Fuzz target `site_yaml`: see `gloss::fuzzing::Workspace::site_yaml`.

fn main() {
    // Made once, before AFL's fork server starts; every run rewrites its files.
    let ws = gloss::fuzzing::Workspace::new().expect("cannot make the fuzz workspace");
    afl::fuzz!(|data: &[u8]| {
        std::hint::black_box(ws.site_yaml(data));
    });
}
