//! The relay's command line besides serving: tokens for scripts, made on the data directory
//! of a stopped relay (sled lets one process at a time open it; a running relay's owner
//! uses the API instead).

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use launchplan_shared::domain::Role;
use launchplan_shared::{DocumentId, MemberId};
use std::time::Duration;

use crate::api::now_ms;
use crate::auth::Auth;
use crate::storage::Storage;

#[derive(Debug, Clone, clap::Subcommand)]
pub enum Command {
    /// Prints an invitation link path (`/join/<code>`) to a workspace, good once.
    Invite {
        /// The workspace's document id.
        #[arg(long)]
        workspace: DocumentId,
        /// owner, admin, editor, content-editor, viewer or finance.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// How long the link stays good: 7d, 12h, 30m, 45s.
        #[arg(long, default_value = "7d", value_parser = parse_duration)]
        expires: Duration,
    },
    /// Tokens for scripts and integrations (`Authorization: Bearer <token>`).
    Token {
        #[command(subcommand)]
        action: TokenAction,
    },
}

#[derive(Debug, Clone, clap::Subcommand)]
pub enum TokenAction {
    /// Makes a token and prints it, once.
    Create {
        /// What the token is for, shown in lists.
        #[arg(long)]
        label: String,
        /// The account it acts as; without it, a new account named after the label.
        #[arg(long)]
        account: Option<MemberId>,
    },
    /// Lists every token (never its secret).
    List,
    /// Revokes a token by its id.
    Revoke { id: String },
}

fn parse_role(text: &str) -> Result<Role, String> {
    Ok(match text {
        "owner" => Role::Owner,
        "admin" => Role::Admin,
        "editor" => Role::Editor,
        "content-editor" => Role::ContentEditor,
        "viewer" => Role::Viewer,
        "finance" => Role::Finance,
        other => {
            return Err(format!(
                "no role {other:?}: owner, admin, editor, content-editor, viewer or finance"
            ));
        }
    })
}

fn parse_duration(text: &str) -> Result<Duration, String> {
    let (number, unit) = text.split_at(text.len().saturating_sub(1));
    let number: u64 =
        number.parse().map_err(|_| format!("not a duration: {text:?} (say 7d, 12h, 30m or 45s)"))?;
    let seconds = match unit {
        "d" => number * 24 * 3600,
        "h" => number * 3600,
        "m" => number * 60,
        "s" => number,
        _ => return Err(format!("not a duration: {text:?} (say 7d, 12h, 30m or 45s)")),
    };
    Ok(Duration::from_secs(seconds))
}

/// Runs `command` on the relay's data directory `data_dir`, printing what it made.
pub fn run(data_dir: &Path, command: Command) -> anyhow::Result<()> {
    let storage = Storage::open(data_dir, Arc::default()).with_context(|| {
        format!(
            "opening {} (is the relay running on it? stop it first, or use its API: POST /api/v1/tokens)",
            data_dir.display()
        )
    })?;
    let auth = Auth::open(&storage)?;
    let now = now_ms();
    match command {
        Command::Invite { workspace, role, expires } => {
            let (invite, code) = auth.create_invite(workspace, role, None, expires, now)?;
            println!("/join/{code}");
            println!(
                "Good once, until {} ms since the epoch; the relay keeps only its hash.",
                invite.expires_ms
            );
        }
        Command::Token { action: TokenAction::Create { label, account } } => {
            let label = label.trim();
            anyhow::ensure!(!label.is_empty(), "a token needs a label");
            let account = match account {
                Some(account) => {
                    anyhow::ensure!(auth.account(account)?.is_some(), "no account {account} on this relay");
                    account
                }
                None => auth.create_account(label, false, now)?,
            };
            let (info, token) = auth.create_token(account, label, None, now)?;
            println!("token {} for account {account} ({}):\n{token}", info.id, info.label);
            println!("It is shown only now: the relay keeps its hash.");
        }
        Command::Token { action: TokenAction::List } => {
            for info in auth.tokens(None)? {
                println!("{}\t{}\t{}", info.id, info.account, info.label);
            }
        }
        Command::Token { action: TokenAction::Revoke { id } } => {
            anyhow::ensure!(auth.revoke_token(&id, None, None, now)?, "no token {id}");
            println!("token {id} revoked");
        }
    }
    // Every write above flushed itself.
    Ok(())
}
