//! The relay's command line besides serving: tokens for scripts, made on the data directory
//! of a stopped relay (sled lets one process at a time open it; a running relay's owner
//! uses the API instead).

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use launchplan_shared::MemberId;

use crate::api::now_ms;
use crate::auth::Auth;
use crate::storage::Storage;

#[derive(Debug, Clone, clap::Subcommand)]
pub enum Command {
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
