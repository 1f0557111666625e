use clap::Parser;
use launchplan_relay::{AppState, Config};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .init();
    let mut config = Config::parse();
    if let Some(command) = config.command.take() {
        return launchplan_relay::cli::run(&config.data_dir, command);
    }
    let tls = launchplan_relay::tls(&config).await?;
    let (state, stop_connections) = AppState::open(&config)?;
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", config.listen))?;
    let addr = listener.local_addr()?;
    // Signals are ours before anyone hears that we listen: a SIGTERM that comes a moment
    // later must stop the relay cleanly, not kill it.
    let signal = shutdown_signal()?;
    // Once asked to stop, the relay is gone within EXIT_PATIENCE whatever is stuck (an HTTP
    // request that never ends, a storage thread on a failed disk).
    let (stopping, asked) = tokio::sync::oneshot::channel::<()>();
    let stop = async move {
        signal.await;
        let _ = stopping.send(());
    };
    let deadline = async move {
        if asked.await.is_ok() {
            tokio::time::sleep(EXIT_PATIENCE).await;
        } else {
            std::future::pending::<()>().await;
        }
    };
    if !config.app_dir.join("index.html").exists() {
        tracing::warn!(app_dir = %config.app_dir.display(), "no built app here; `cargo xtask run` builds it");
    }
    tracing::info!(data_dir = %config.data_dir.display(), "storage open");
    // Tests and scripts read this line to learn the port.
    let scheme = if tls.is_some() { "https" } else { "http" };
    if let Some(code) = state.owner_setup_code()? {
        // Printed on each start while nobody owns the relay, before the line that says it
        // listens (which scripts wait for); `cargo xtask run` shows it.
        println!("Owner setup (open once, it makes you the owner): {scheme}://{addr}/setup/{code}");
    }
    println!("Launchplan relay listening on {scheme}://{addr}");
    let served = tokio::select! {
        served = launchplan_relay::serve(listener, state, stop_connections, stop, tls) => served,
        () = deadline => Err(anyhow::anyhow!("stopping took longer than {EXIT_PATIENCE:?}")),
    };
    // Exit here, not by returning: dropping the runtime would wait for every blocking task,
    // and a storage call stuck on a failed disk would keep the process alive.
    match served {
        Ok(()) => {
            tracing::info!("stopped cleanly");
            std::process::exit(0)
        }
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), "stopped without flushing everything");
            std::process::exit(1)
        }
    }
}

/// How long the relay may take to stop once asked.
const EXIT_PATIENCE: std::time::Duration = std::time::Duration::from_millis(4500);

/// Resolves on SIGTERM or Ctrl-C. The handlers are installed when this is called, not when
/// the future is first polled.
#[cfg(unix)]
fn shutdown_signal() -> anyhow::Result<impl Future<Output = ()>> {
    use anyhow::Context;
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate()).context("handling SIGTERM")?;
    let mut interrupt = signal(SignalKind::interrupt()).context("handling Ctrl-C")?;
    Ok(async move {
        tokio::select! {
            _ = term.recv() => {}
            _ = interrupt.recv() => {}
        }
    })
}

/// Resolves on Ctrl-C.
#[cfg(not(unix))]
fn shutdown_signal() -> anyhow::Result<impl Future<Output = ()>> {
    use anyhow::Context;
    let mut ctrl_c = tokio::signal::windows::ctrl_c().context("handling Ctrl-C")?;
    Ok(async move {
        ctrl_c.recv().await;
    })
}
