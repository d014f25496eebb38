//! Asking on the terminal before a change that cannot be undone (`delete`, `forget` without
//! `--yes`): the question on stderr, the answer from stdin, and a refusal when stdin is not a
//! terminal.

use cartctl_aws::Result;

/// Asks `question` on the terminal (y/N); `refusal` is the error when stdin is not a terminal
/// (nothing can be asked), `nothing` says what was not done when the answer is no. Both are
/// exit 2, before any change.
pub async fn confirm(question: &str, refusal: &str, nothing: &str) -> Result<()> {
    use std::io::{BufRead, IsTerminal, Write};
    if !std::io::stdin().is_terminal() {
        return Err(cartctl_aws::Error::invalid(
            "--yes",
            refusal,
            "pass --yes (stdin is not a terminal, so cartctl cannot ask)",
        ));
    }
    let question = format!("{question} [y/N] ");
    let io = |e: std::io::Error| cartctl_aws::Error::Io {
        context: "reading the answer".into(),
        source: e,
    };
    let answer = tokio::task::spawn_blocking(move || {
        let mut err = std::io::stderr();
        let _ = write!(err, "{question}");
        let _ = err.flush();
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).map(|_| line)
    })
    .await
    .map_err(|e| io(std::io::Error::other(e)))?
    .map_err(io)?;
    if matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
        Ok(())
    } else {
        Err(cartctl_aws::Error::invalid(
            "--yes",
            format!("not confirmed; {nothing}"),
            "answer y, or pass --yes",
        ))
    }
}
