//! `rulec serve`: can-interact decisions over HTTP for dialers, messaging services and case tools
//! in any language.
//!
//! - `POST /v1/decide` (`?explain=true`, `?policy=NAME`): a scenario in JSON → the decision
//!   envelope of `rulec eval --format json`, byte for byte; input errors are HTTP 400 with the
//!   platform's error shape.
//! - `POST /v1/batch`: NDJSON in, NDJSON out, streamed, in order, one answer per line.
//! - `GET /v1/rules`, `GET /v1/rules/{id}`, `GET /v1/policies`: the catalog.
//! - `GET /healthz`, `GET /readyz`, `GET /metrics` (Prometheus text), `GET /v1/openapi.json`.
//!
//! The rules (one or more rule directories, checked together) are loaded once and swapped
//! atomically on reload (SIGHUP, or a changed rule file with `watch`): a rule set with errors is
//! refused, the old one keeps serving and `/readyz` says why. Every decision can be appended to a
//! decision log. Bodies are held to the scenario loader's limits, requests to a timeout, and the
//! number in flight to a bound (429 beyond it); a bearer token can be required.

mod api;
mod log;
mod metrics;
mod page;
mod state;
mod watch;

pub use page::week_timeline;

pub use log::DecisionLog;
pub use state::{Config, Service};
pub use watch::watch;

use std::sync::Arc;

/// The HTTP routes over a service.
pub fn router(service: Arc<Service>) -> axum::Router {
    api::router(service)
}

/// What [`router`] serves, as `(method, path)`, `{param}` for a path parameter.
pub fn routes(service: Arc<Service>) -> Vec<(&'static str, &'static str)> {
    api::routes(service)
}

/// The OpenAPI 3.1 document of the API (`GET /v1/openapi.json`).
pub const OPENAPI: &str = api::OPENAPI;

/// Serves until SIGINT or SIGTERM: requests in flight are finished and the decision log is
/// flushed before it returns. SIGHUP reloads the rules.
pub async fn serve(config: Config) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    let service = Arc::new(Service::start(config).map_err(std::io::Error::other)?);
    eprintln!("rulec serve: listening on http://{}", listener.local_addr()?);
    // Kept until the server stops: dropping it stops the watching.
    let _watcher = if service.config.watch { Some(watch(service.clone()).map_err(std::io::Error::other)?) } else { None };
    let reloader = service.clone();
    tokio::spawn(async move {
        #[cfg(unix)]
        {
            let Ok(mut hangup) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()) else { return };
            while hangup.recv().await.is_some() {
                match reloader.reload() {
                    Ok(()) => eprintln!("rulec serve: rules reloaded"),
                    Err(e) => eprintln!("rulec serve: reload refused, the previous rules keep serving: {e}"),
                }
            }
        }
    });
    let result = axum::serve(listener, router(service.clone())).with_graceful_shutdown(shutdown()).await;
    service.flush_log();
    result
}

async fn shutdown() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut term) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            term.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}
