fn main() -> std::process::ExitCode {
    quiet_panics_the_mail_parser_survives();
    std::process::ExitCode::from(tix::cli::main())
}

/// The panic hook is process-wide, so the program, not the library, sets
/// it, once: mail import catches panics of the mail parser and quarantines
/// the message, search catches the engine's on a damaged index and
/// rebuilds it, and the hook keeps those off the terminal; every other
/// panic is reported as usual.
fn quiet_panics_the_mail_parser_survives() {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !tix_core::mail::import::panic_is_caught_by_parser()
            && !tix_core::search::panic_is_caught_by_search()
        {
            report(info);
        }
    }));
}
