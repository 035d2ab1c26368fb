//! Fuzz target `markdown`: see `gloss::fuzzing::markdown` (in memory, no files).

fn main() {
    afl::fuzz!(|data: &[u8]| {
        std::hint::black_box(gloss::fuzzing::markdown(data));
    });
}
