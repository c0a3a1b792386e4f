//! The `vetted` binary: the command line is the library's (`vetted::cli`), so the tests and the
//! benchmarks drive the code users run.

fn main() -> std::process::ExitCode {
    vetted::cli::main()
}
