use clap::Parser;
use std::io::Write;
use std::process::ExitCode;
use touchbase::text::sanitize;

fn main() -> ExitCode {
    // A shell asking for completions (`COMPLETE=bash touchbase -- …`) is answered and done.
    touchbase::cli::complete::answer_if_asked();
    let cli = match touchbase::cli::Cli::try_parse() {
        Ok(cli) => cli,
        // A value out of its range or a stray argument is one line, like every other bad
        // input; clap's longer answers (help, a missing argument with its usage) stay.
        Err(e)
            if matches!(
                e.kind(),
                clap::error::ErrorKind::ValueValidation
                    | clap::error::ErrorKind::InvalidValue
                    | clap::error::ErrorKind::UnknownArgument
            ) =>
        {
            let text = e.render().to_string();
            let first = text.lines().next().unwrap_or("error: invalid value");
            let _ = writeln!(std::io::stderr(), "{}", sanitize(first));
            return ExitCode::from(2);
        }
        Err(e) => e.exit(),
    };
    let result = touchbase::cli::run(cli);
    let warnings = touchbase::cli::take_warnings();
    let mut stderr = std::io::stderr().lock();
    match result {
        Ok(code) => {
            for w in warnings {
                let _ = writeln!(stderr, "warning: {}", sanitize(&w));
            }
            code
        }
        Err(err) => {
            // A closed pipe (`touchbase due | head`) is not a failure.
            if err.chain().any(is_broken_pipe) {
                return ExitCode::SUCCESS;
            }
            let chain: Vec<String> = err.chain().map(|c| c.to_string()).collect();
            let line = sanitize(&dedupe(&chain).join(": "));
            for w in warnings.iter().map(|w| sanitize(w)) {
                if !line.contains(&w) {
                    let _ = writeln!(stderr, "warning: {w}");
                }
            }
            let _ = writeln!(stderr, "error: {line}");
            ExitCode::FAILURE
        }
    }
}

fn is_broken_pipe(e: &(dyn std::error::Error + 'static)) -> bool {
    let pipe = Some(std::io::ErrorKind::BrokenPipe);
    e.downcast_ref::<std::io::Error>().map(|e| e.kind()) == pipe
        || e.downcast_ref::<csv::Error>().and_then(|e| match e.kind() {
            csv::ErrorKind::Io(io) => Some(io.kind()),
            _ => None,
        }) == pipe
        || e.downcast_ref::<serde_json::Error>()
            .and_then(|e| e.io_error_kind())
            == pipe
}

/// Drops a cause that only repeats its context (`x: x`), keeping the line short.
fn dedupe(chain: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in chain {
        if !out.last().is_some_and(|prev| prev.contains(c.as_str())) {
            out.push(c.replace('\n', " "));
        }
    }
    out
}
