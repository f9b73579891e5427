//! The protocol side: documents as the editor has them, positions in UTF-16, and the requests
//! answered from [`Workspace`].

use crate::analysis::{CompletionKind, SymbolKind as Kind, Workspace};
use rulec_check::CheckOptions;
use rulec_syntax::{SourceFile, Span};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Mutex;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::lsp_types::*;
use tower_lsp_server::{Client, LanguageServer, UriExt};

/// How long the server waits after the last edit before checking again.
const DEBOUNCE: Duration = Duration::from_millis(150);

pub struct Backend {
    client: Client,
    state: Arc<Mutex<State>>,
    /// Bumped by every edit; a check publishes only if no edit came after it started.
    generation: Arc<AtomicU64>,
}

#[derive(Default)]
struct State {
    /// The folder whose rule files are checked together.
    root: Option<PathBuf>,
    /// Open documents by path, as the editor has them (unsaved edits included).
    open: BTreeMap<PathBuf, String>,
    /// The last check, and the files it published diagnostics for.
    workspace: Option<Arc<Workspace>>,
    published: Vec<PathBuf>,
    /// The rule folders of the last check and their problems, last shown.
    setup: Option<Setup>,
}

impl Backend {
    pub fn new(client: Client) -> Backend {
        Backend { client, state: Arc::default(), generation: Arc::default() }
    }

    /// The current check, made now if no check has run yet.
    async fn workspace(&self) -> Arc<Workspace> {
        let mut state = self.state.lock().await;
        if let Some(ws) = &state.workspace {
            return ws.clone();
        }
        // The setup's problems are shown by the scheduled check, which compares with the last shown.
        let ws = Arc::new(check(&state).0);
        state.workspace = Some(ws.clone());
        ws
    }

    /// Checks again after a pause, unless another edit comes first; then publishes.
    fn schedule(&self) {
        let generation = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        let (client, state, counter) = (self.client.clone(), self.state.clone(), self.generation.clone());
        tokio::spawn(async move {
            tokio::time::sleep(DEBOUNCE).await;
            if counter.load(Ordering::SeqCst) != generation {
                return;
            }
            let (ws, stale, setup, previous) = {
                let mut state = state.lock().await;
                let (ws, setup) = check(&state);
                let ws = Arc::new(ws);
                state.workspace = Some(ws.clone());
                let previous = state.setup.replace(setup.clone());
                let paths: Vec<PathBuf> = ws.sources.iter().map(|s| PathBuf::from(&s.path)).collect();
                let stale: Vec<PathBuf> = state.published.iter().filter(|p| !paths.contains(p)).cloned().collect();
                state.published = paths;
                (ws, stale, setup, previous)
            };
            publish_setup(&client, &setup, previous.as_ref()).await;
            for (file, source) in ws.sources.iter().enumerate() {
                let Some(uri) = Uri::from_file_path(&source.path) else { continue };
                client.publish_diagnostics(uri, diagnostics(&ws, file), None).await;
            }
            for path in stale {
                if let Some(uri) = Uri::from_file_path(&path) {
                    client.publish_diagnostics(uri, Vec::new(), None).await;
                }
            }
        });
    }

    async fn locate(&self, uri: &Uri, position: Position) -> Option<(Arc<Workspace>, usize, usize)> {
        let ws = self.workspace().await;
        let path = uri.to_file_path()?;
        let file = ws.file(&path.to_string_lossy())?;
        let offset = offset_of(&ws.sources[file].text, position);
        Some((ws, file, offset))
    }
}

/// Every rule file of the workspace's rule folders ([`rule_dirs`]), with open documents in
/// place of their saved text, checked together; and what was wrong with the folders themselves.
fn check(state: &State) -> (Workspace, Setup) {
    let mut files: BTreeMap<PathBuf, String> = BTreeMap::new();
    let mut setup = Setup::default();
    if let Some(root) = &state.root {
        setup = rule_dirs(root);
        for dir in setup.dirs.clone() {
            let sources = match rulec_eval::read_rule_dir(&dir) {
                Ok(sources) => sources,
                Err(e) => {
                    setup.problems.push(SetupProblem { line: None, column: None, message: format!("{e}; its rule files are not checked") });
                    continue;
                }
            };
            for source in sources {
                let path = Path::new(&source.path);
                let path = if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir().map(|d| d.join(path)).unwrap_or_else(|_| path.to_path_buf()) };
                files.insert(path, source.text);
            }
        }
    }
    for (path, text) in &state.open {
        files.insert(path.clone(), text.clone());
    }
    let sources = files.into_iter().map(|(p, t)| SourceFile::new(p.to_string_lossy().into_owned(), t)).collect();
    (Workspace::new(sources, &CheckOptions::default()), setup)
}

/// The rule folders of a workspace and what went wrong finding or reading them.
#[derive(Default, Clone, PartialEq)]
struct Setup {
    dirs: Vec<PathBuf>,
    /// The workspace's `rulec.toml`, when it has one: its problems are shown on it.
    project: Option<PathBuf>,
    problems: Vec<SetupProblem>,
}

#[derive(Clone, PartialEq)]
struct SetupProblem {
    line: Option<usize>,
    column: Option<usize>,
    message: String,
}

/// The rule folders of a workspace, as `rulec` finds them there: the `rules` of the project
/// file `rulec.toml` at the root (read by `rulec_project`, as the command line reads it; a
/// lender's policies and a copy of the shipped library, wherever it is installed, resolve each
/// other's ids as in `rulec lint`), else `rules/` when the root has one, else the root. A
/// project file with an error is reported on the file and the default folders are used.
fn rule_dirs(root: &Path) -> Setup {
    let default = vec![if root.join("rules").is_dir() { root.join("rules") } else { root.to_path_buf() }];
    let path = root.join(rulec_project::FILE_NAME);
    if !path.is_file() {
        return Setup { dirs: default, ..Setup::default() };
    }
    match rulec_project::load(&path) {
        Ok(project) => Setup { dirs: project.rules.unwrap_or(default), project: Some(path), problems: Vec::new() },
        Err(e) => {
            let message = format!("{}; the rule files of {} are checked instead", e.message, default[0].display());
            Setup { dirs: default, project: Some(path), problems: vec![SetupProblem { line: e.line, column: e.column, message }] }
        }
    }
}

/// Shows the setup's problems: as diagnostics of `rulec.toml` when there is one (an empty list
/// clears them), else as a message, once per change.
async fn publish_setup(client: &Client, setup: &Setup, previous: Option<&Setup>) {
    if let Some(project) = &setup.project {
        let Some(uri) = Uri::from_file_path(project) else { return };
        let diagnostics = setup
            .problems
            .iter()
            .map(|p| {
                let at = Position::new(p.line.map_or(0, |l| l.saturating_sub(1)) as u32, p.column.map_or(0, |c| c.saturating_sub(1)) as u32);
                Diagnostic { range: Range::new(at, at), severity: Some(DiagnosticSeverity::ERROR), source: Some("rulec".into()), message: p.message.clone(), ..Diagnostic::default() }
            })
            .collect();
        client.publish_diagnostics(uri, diagnostics, None).await;
    } else if previous.is_none_or(|p| p.problems != setup.problems) {
        for problem in &setup.problems {
            client.show_message(MessageType::WARNING, format!("rulec: {}", problem.message)).await;
        }
    }
}

fn diagnostics(ws: &Workspace, file: usize) -> Vec<Diagnostic> {
    let text = &ws.sources[file].text;
    ws.diagnostics(file)
        .map(|d| {
            let d = &d.diagnostic;
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                message.push_str(&format!("\nhelp: {help}"));
            }
            Diagnostic {
                range: range_of(text, d.span),
                severity: Some(if d.is_error() { DiagnosticSeverity::ERROR } else { DiagnosticSeverity::WARNING }),
                code: Some(NumberOrString::String(d.code.to_string())),
                source: Some("rulec".to_string()),
                message,
                data: d.fix.as_ref().map(|f| serde_json::json!({"start": f.span.start, "end": f.span.end, "replacement": f.replacement})),
                ..Diagnostic::default()
            }
        })
        .collect()
}

// ---------------------------------------------------------------- positions

/// The byte offset of an editor position (lines, and UTF-16 code units within them).
pub fn offset_of(text: &str, position: Position) -> usize {
    let mut line_start = 0;
    for _ in 0..position.line {
        match text[line_start..].find('\n') {
            Some(i) => line_start += i + 1,
            None => return text.len(),
        }
    }
    let line_end = text[line_start..].find('\n').map_or(text.len(), |i| line_start + i);
    let mut units = 0u32;
    for (i, c) in text[line_start..line_end].char_indices() {
        if units >= position.character {
            return line_start + i;
        }
        units += c.len_utf16() as u32;
    }
    line_end
}

/// The editor position of a byte offset.
pub fn position_of(text: &str, offset: usize) -> Position {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() as u32;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let character = before[line_start..].chars().map(|c| c.len_utf16() as u32).sum();
    Position { line, character }
}

fn range_of(text: &str, span: Span) -> Range {
    Range { start: position_of(text, span.start), end: position_of(text, span.end) }
}

fn location(ws: &Workspace, file: usize, span: Span) -> Option<Location> {
    let source = &ws.sources[file];
    Some(Location { uri: Uri::from_file_path(&source.path)?, range: range_of(&source.text, span) })
}

// ---------------------------------------------------------------- requests

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        #[allow(deprecated)]
        let root = params
            .workspace_folders
            .and_then(|f| f.into_iter().next())
            .and_then(|f| f.uri.to_file_path().map(|p| p.into_owned()))
            .or_else(|| params.root_uri.and_then(|u| u.to_file_path().map(|p| p.into_owned())));
        self.state.lock().await.root = root;
        Ok(InitializeResult {
            server_info: Some(ServerInfo { name: "rulec".into(), version: Some(env!("CARGO_PKG_VERSION").into()) }),
            capabilities: ServerCapabilities {
                text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                completion_provider: Some(CompletionOptions { trigger_characters: Some(vec![" ".into(), "{".into(), ".".into()]), ..Default::default() }),
                definition_provider: Some(OneOf::Left(true)),
                references_provider: Some(OneOf::Left(true)),
                document_symbol_provider: Some(OneOf::Left(true)),
                document_formatting_provider: Some(OneOf::Left(true)),
                code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
                ..ServerCapabilities::default()
            },
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        self.schedule();
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        if let Some(path) = params.text_document.uri.to_file_path() {
            self.state.lock().await.open.insert(path.into_owned(), params.text_document.text);
            self.schedule();
        }
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        // Full sync: the last change holds the whole text.
        if let (Some(path), Some(change)) = (params.text_document.uri.to_file_path(), params.content_changes.into_iter().last()) {
            self.state.lock().await.open.insert(path.into_owned(), change.text);
            self.schedule();
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        if let Some(path) = params.text_document.uri.to_file_path() {
            self.state.lock().await.open.remove(path.as_ref());
            self.schedule();
        }
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let at = &params.text_document_position_params;
        let Some((ws, file, offset)) = self.locate(&at.text_document.uri, at.position).await else { return Ok(None) };
        Ok(ws.hover(file, offset).map(|(span, text)| Hover {
            contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: text }),
            range: Some(range_of(&ws.sources[file].text, span)),
        }))
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let at = &params.text_document_position;
        let Some((ws, file, offset)) = self.locate(&at.text_document.uri, at.position).await else { return Ok(None) };
        let items = ws
            .completions(file, offset)
            .into_iter()
            .map(|c| CompletionItem {
                label: c.label,
                detail: Some(c.detail),
                kind: Some(match c.kind {
                    CompletionKind::Keyword => CompletionItemKind::KEYWORD,
                    CompletionKind::Field => CompletionItemKind::FIELD,
                    CompletionKind::Value => CompletionItemKind::ENUM_MEMBER,
                    CompletionKind::Set => CompletionItemKind::CONSTANT,
                    CompletionKind::Rule => CompletionItemKind::REFERENCE,
                    CompletionKind::Placeholder => CompletionItemKind::VARIABLE,
                }),
                ..CompletionItem::default()
            })
            .collect();
        Ok(Some(CompletionResponse::Array(items)))
    }

    async fn goto_definition(&self, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
        let at = &params.text_document_position_params;
        let Some((ws, file, offset)) = self.locate(&at.text_document.uri, at.position).await else { return Ok(None) };
        Ok(ws.definition(file, offset).and_then(|(f, span)| location(&ws, f, span)).map(GotoDefinitionResponse::Scalar))
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let at = &params.text_document_position;
        let Some((ws, file, offset)) = self.locate(&at.text_document.uri, at.position).await else { return Ok(None) };
        Ok(Some(ws.references(file, offset).into_iter().filter_map(|(f, span)| location(&ws, f, span)).collect()))
    }

    async fn document_symbol(&self, params: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
        let ws = self.workspace().await;
        let Some(file) = params.text_document.uri.to_file_path().and_then(|p| ws.file(&p.to_string_lossy())) else { return Ok(None) };
        let text = &ws.sources[file].text;
        #[allow(deprecated)]
        let symbols = ws
            .symbols(file)
            .into_iter()
            .map(|s| DocumentSymbol {
                name: s.name,
                detail: (!s.detail.is_empty()).then_some(s.detail),
                kind: match s.kind {
                    Kind::Rule => SymbolKind::FUNCTION,
                    Kind::Set => SymbolKind::ENUM,
                    Kind::Mute => SymbolKind::EVENT,
                },
                tags: None,
                deprecated: None,
                range: range_of(text, s.span),
                selection_range: range_of(text, s.name_span),
                children: None,
            })
            .collect();
        Ok(Some(DocumentSymbolResponse::Nested(symbols)))
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        let ws = self.workspace().await;
        let Some(file) = params.text_document.uri.to_file_path().and_then(|p| ws.file(&p.to_string_lossy())) else { return Ok(None) };
        let source = &ws.sources[file];
        // A file with syntax errors is left as it is (the diagnostics say why).
        let Ok(formatted) = rulec_fmt::format_source(source) else { return Ok(None) };
        if formatted == source.text {
            return Ok(Some(Vec::new()));
        }
        Ok(Some(vec![TextEdit { range: range_of(&source.text, Span::new(0, source.text.len())), new_text: formatted }]))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let ws = self.workspace().await;
        let uri = params.text_document.uri;
        let Some(file) = uri.to_file_path().and_then(|p| ws.file(&p.to_string_lossy())) else { return Ok(None) };
        let text = &ws.sources[file].text;
        let actions = params
            .context
            .diagnostics
            .into_iter()
            .filter_map(|d| {
                let data = d.data.as_ref()?;
                let (start, end) = (data.get("start")?.as_u64()? as usize, data.get("end")?.as_u64()? as usize);
                let replacement = data.get("replacement")?.as_str()?.to_string();
                let edit = TextEdit { range: range_of(text, Span::new(start, end)), new_text: replacement.clone() };
                Some(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!("Replace with `{replacement}`"),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![d]),
                    edit: Some(WorkspaceEdit { changes: Some([(uri.clone(), vec![edit])].into_iter().collect()), ..WorkspaceEdit::default() }),
                    is_preferred: Some(true),
                    ..CodeAction::default()
                }))
            })
            .collect();
        Ok(Some(actions))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units() {
        let text = "a\n€x — y\nz";
        let offset = text.find('y').expect("y");
        let position = position_of(text, offset);
        assert_eq!(position, Position { line: 1, character: 5 });
        assert_eq!(offset_of(text, position), offset);
        assert_eq!(offset_of(text, Position { line: 9, character: 0 }), text.len());
    }
}
