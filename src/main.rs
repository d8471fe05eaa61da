//! The `credsweep` binary: parse → validate → [`credsweep::run`] → exit code.
use std::process::ExitCode;

use clap::Parser;
use credsweep::{cli::Cli, exit};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = cli.into_config().and_then(|cfg| credsweep::run(&cfg));
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            // One line: the error and its causes, never a backtrace and never file content.
            let msg = e.chain().map(|c| c.to_string()).collect::<Vec<_>>().join(": ");
            eprintln!("credsweep: error: {}", credsweep::report::human::sanitize(&msg));
            ExitCode::from(exit::ERROR)
        }
    }
}
