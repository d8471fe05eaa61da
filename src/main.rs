//! The `credsweep` binary: parse → validate → [`credsweep::commands::run`] → exit code.
use std::process::ExitCode;

use clap::Parser;
use credsweep::{cli::Cli, commands::exit};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = cli.into_config().and_then(|cfg| credsweep::commands::run(&cfg));
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            // One line: the error and its causes, never a backtrace and never file content.
            eprintln!("credsweep: error: {}", credsweep::sanitize::sanitize(&credsweep::reason::one_line(&e)));
            ExitCode::from(exit::ERROR)
        }
    }
}
