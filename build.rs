//! Compiles `ui/app.slint` into Rust. Element debug info (needed by the headless UI tests'
//! `ElementHandle` queries) is kept out of release builds.
fn main() {
    let debug_info = std::env::var("PROFILE").as_deref() != Ok("release");
    let config = slint_build::CompilerConfiguration::new().with_debug_info(debug_info);
    slint_build::compile_with_config("ui/app.slint", config).expect("Slint UI failed to compile");
}
