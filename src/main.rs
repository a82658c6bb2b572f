fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(tix::cli::main())
}
