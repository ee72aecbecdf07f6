use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = touchbase::cli::Cli::parse();
    match touchbase::cli::run(cli) {
        Ok(code) => code,
        Err(err) => {
            // A closed pipe (`touchbase due | head`) is not a failure.
            if err.chain().any(is_broken_pipe) {
                return ExitCode::SUCCESS;
            }
            let chain: Vec<String> = err.chain().map(|c| c.to_string()).collect();
            let _ = writeln!(std::io::stderr(), "error: {}", dedupe(&chain).join(": "));
            ExitCode::FAILURE
        }
    }
}

fn is_broken_pipe(e: &(dyn std::error::Error + 'static)) -> bool {
    let pipe = Some(std::io::ErrorKind::BrokenPipe);
    e.downcast_ref::<std::io::Error>().map(|e| e.kind()) == pipe
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
