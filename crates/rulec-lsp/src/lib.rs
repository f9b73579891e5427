//! `rulec lsp`: the language server for `.rules` and `.policy` files.
//!
//! An editor talks to it over stdio (JSON-RPC, the Language Server Protocol). The server checks
//! the workspace's rule files together as they are typed (open documents in place of their saved
//! text), with the same codes and messages as `rulec lint`, and answers hovers, completions,
//! definitions, references, document symbols, formatting and quick fixes from
//! [`analysis::Workspace`], which knows nothing of the protocol.
//!
//! ```no_run
//! # async fn run() {
//! rulec_lsp::serve_stdio().await;
//! # }
//! ```

pub mod analysis;
mod server;

pub use server::{offset_of, position_of, Backend};
use tower_lsp_server::{ClientSocket, LspService, Server};

/// The service and the socket of server-to-client messages (diagnostics), for running the
/// server over any transport or driving it in-process in tests.
pub fn service() -> (LspService<Backend>, ClientSocket) {
    LspService::new(Backend::new)
}

/// Serves the protocol on standard input and output until the editor exits.
pub async fn serve_stdio() {
    let (service, socket) = service();
    Server::new(tokio::io::stdin(), tokio::io::stdout(), socket).serve(service).await;
}
