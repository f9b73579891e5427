//! The server driven over JSON-RPC in-process, as an editor drives it: initialize on a folder of
//! rule files, receive the diagnostics of a typo with its range, then hover, completion,
//! definition across files, references, symbols, formatting and the quick fix.

use futures::StreamExt;
use serde_json::{json, Value};
use std::path::PathBuf;
use tower::{Service, ServiceExt};
use tower_lsp_server::jsonrpc::Request;
use tower_lsp_server::lsp_types::Uri;
use tower_lsp_server::{ClientSocket, LspService, UriExt};

const FEDERAL: &str = "jurisdiction federal\n\nset collection_themes: theme {opsCollDebt, opsCollLocateBorrower}\n";

const MA_TYPO: &str = "jurisdiction MA\n\nrule ma.sunday_calls {\n  title \"No calls on Sundays\"\n  cites \"940 CMR 7.04(1)(e)\"\n  binds creditor\n  applies when channel is voic and theme in collection_themes\n  blocks when local day is Sunday\n}\n";

/// A folder with `rules/federal/sets.rules` and `rules/states/MA.rules` (with a typo).
fn folder(name: &str) -> PathBuf {
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("lsp-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("rules/federal")).expect("mkdir");
    std::fs::create_dir_all(root.join("rules/states")).expect("mkdir");
    std::fs::write(root.join("rules/federal/sets.rules"), FEDERAL).expect("write");
    std::fs::write(root.join("rules/states/MA.rules"), MA_TYPO).expect("write");
    root
}

struct Editor {
    service: LspService<rulec_lsp::Backend>,
    socket: ClientSocket,
    next_id: i64,
}

impl Editor {
    async fn request(&mut self, method: &'static str, params: Value) -> Value {
        self.next_id += 1;
        let request = Request::build(method).params(params).id(self.next_id).finish();
        let response = self.service.ready().await.expect("ready").call(request).await.expect("served").expect("a response");
        let (_, result) = response.into_parts();
        result.unwrap_or_else(|e| panic!("{method}: {e:?}"))
    }

    async fn notify(&mut self, method: &'static str, params: Value) {
        let notification = Request::build(method).params(params).finish();
        let response = self.service.ready().await.expect("ready").call(notification).await.expect("served");
        assert!(response.is_none());
    }

    /// The next diagnostics published for `uri`.
    async fn diagnostics_for(&mut self, uri: &str) -> Vec<Value> {
        loop {
            let message = tokio::time::timeout(std::time::Duration::from_secs(20), self.socket.next()).await.expect("diagnostics in time").expect("a message");
            if message.method() == "textDocument/publishDiagnostics" {
                let params = message.params().cloned().unwrap_or_default();
                if params["uri"] == uri {
                    return params["diagnostics"].as_array().cloned().unwrap_or_default();
                }
            }
        }
    }
}

fn uri(path: &PathBuf) -> String {
    Uri::from_file_path(path).expect("a file uri").as_str().to_string()
}

fn position_of(text: &str, needle: &str, plus: usize) -> Value {
    let offset = text.find(needle).expect("in the text") + plus;
    let p = rulec_lsp::position_of(text, offset);
    json!({"line": p.line, "character": p.character})
}

#[tokio::test(flavor = "current_thread")]
async fn an_editor_session() {
    let root = folder("session");
    let (service, socket) = rulec_lsp::service();
    let mut editor = Editor { service, socket, next_id: 0 };
    let ma = root.join("rules/states/MA.rules");
    let ma_uri = uri(&ma);

    let init = editor.request("initialize", json!({"capabilities": {}, "rootUri": uri(&root)})).await;
    assert_eq!(init["capabilities"]["hoverProvider"], true);
    editor.notify("initialized", json!({})).await;

    // The typo, with its range and the did-you-mean, as `rulec lint` reports it.
    let diagnostics = editor.diagnostics_for(&ma_uri).await;
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let typo = &diagnostics[0];
    assert_eq!(typo["code"], "E003");
    assert_eq!(typo["range"]["start"], position_of(MA_TYPO, "voic ", 0));
    assert_eq!(typo["range"]["end"], position_of(MA_TYPO, "voic ", 4));
    assert!(typo["message"].as_str().unwrap_or_default().contains("did you mean `voice`?"), "{typo}");

    // The quick fix writes the suggestion in place.
    let actions = editor
        .request("textDocument/codeAction", json!({"textDocument": {"uri": ma_uri}, "range": typo["range"], "context": {"diagnostics": [typo]}}))
        .await;
    assert_eq!(actions[0]["title"], "Replace with `voice`");
    assert_eq!(actions[0]["edit"]["changes"][&ma_uri][0]["newText"], "voice");

    // Typing the fix clears the diagnostic (the open document wins over the saved file).
    let fixed = MA_TYPO.replace("voic ", "voice ");
    editor.notify("textDocument/didOpen", json!({"textDocument": {"uri": ma_uri, "languageId": "rulec", "version": 1, "text": fixed}})).await;
    assert!(editor.diagnostics_for(&ma_uri).await.is_empty());

    // Hover on the rule id: title, citation, roles, doc.
    let hover = editor.request("textDocument/hover", json!({"textDocument": {"uri": ma_uri}, "position": position_of(&fixed, "ma.sunday_calls", 3)})).await;
    let text = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(text.contains("No calls on Sundays") && text.contains("940 CMR 7.04(1)(e)") && text.contains("creditor"), "{text}");

    // Completion after `channel is `.
    let completion = editor.request("textDocument/completion", json!({"textDocument": {"uri": ma_uri}, "position": position_of(&fixed, "voice and", 0)})).await;
    let labels: Vec<&str> = completion.as_array().map(|a| a.iter().filter_map(|c| c["label"].as_str()).collect()).unwrap_or_default();
    assert!(labels.contains(&"voice") && labels.contains(&"email"), "{labels:?}");

    // The set is defined in another file.
    let definition = editor.request("textDocument/definition", json!({"textDocument": {"uri": ma_uri}, "position": position_of(&fixed, "collection_themes", 2)})).await;
    assert_eq!(definition["uri"], uri(&root.join("rules/federal/sets.rules")));
    assert_eq!(definition["range"]["start"], position_of(FEDERAL, "collection_themes", 0));
    let references = editor
        .request("textDocument/references", json!({"textDocument": {"uri": ma_uri}, "position": position_of(&fixed, "collection_themes", 2), "context": {"includeDeclaration": true}}))
        .await;
    assert_eq!(references.as_array().map(Vec::len), Some(2));

    // The outline, and formatting with the formatter.
    let symbols = editor.request("textDocument/documentSymbol", json!({"textDocument": {"uri": ma_uri}})).await;
    assert_eq!(symbols[0]["name"], "ma.sunday_calls");
    let messy = fixed.replace("  binds creditor", "binds    creditor");
    editor.notify("textDocument/didChange", json!({"textDocument": {"uri": ma_uri, "version": 2}, "contentChanges": [{"text": messy}]})).await;
    let _ = editor.diagnostics_for(&ma_uri).await;
    let edits = editor.request("textDocument/formatting", json!({"textDocument": {"uri": ma_uri}, "options": {"tabSize": 2, "insertSpaces": true}})).await;
    assert_eq!(edits[0]["newText"], fixed.as_str());

    editor.request("shutdown", Value::Null).await;
    let _ = std::fs::remove_dir_all(&root);
}

/// A lender's project: `rulec.toml` names the shipped library, installed outside the project,
/// and the lender's own policies; the policy's mute names a library rule, which resolves as it
/// does in `rulec lint`.
#[tokio::test(flavor = "current_thread")]
async fn a_project_file_names_the_rule_folders() {
    let base = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("lsp-project-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let root = base.join("lender");
    std::fs::create_dir_all(base.join("installed/rules/federal")).expect("mkdir");
    std::fs::create_dir_all(root.join("policies")).expect("mkdir");
    std::fs::write(root.join("rulec.toml"), "rules = [\"../installed/rules\", \"policies\"]\nsuites = [\"tests\"]\n").expect("write");
    std::fs::write(
        base.join("installed/rules/federal/hours.rules"),
        "jurisdiction federal\n\nrule federal.hours {\n  title \"Calls outside 08:00-21:00\"\n  cites \"example\"\n  binds every role\n  blocks when local time is outside 08:00 to 21:00\n}\n",
    )
    .expect("write");
    let policy = "policy lender\n\nuse federal\n\nmute federal.hours {\n  reason \"example\"\n  approved by \"CCO\"\n  until 2099-12-31\n}\n";
    let policy_path = root.join("policies/lender.policy");
    std::fs::write(&policy_path, policy).expect("write");

    let (service, socket) = rulec_lsp::service();
    let mut editor = Editor { service, socket, next_id: 0 };
    editor.request("initialize", json!({"capabilities": {}, "rootUri": uri(&root)})).await;
    editor.notify("initialized", json!({})).await;
    let policy_uri = uri(&policy_path);
    editor.notify("textDocument/didOpen", json!({"textDocument": {"uri": policy_uri, "languageId": "rulec", "version": 1, "text": policy}})).await;
    assert_eq!(editor.diagnostics_for(&policy_uri).await, Vec::<Value>::new(), "the mute resolves against the installed library");

    // A mute of a rule no folder defines is an error, as in `rulec lint`.
    let unknown = policy.replace("mute federal.hours", "mute federal.houers");
    editor.notify("textDocument/didChange", json!({"textDocument": {"uri": policy_uri, "version": 2}, "contentChanges": [{"text": unknown}]})).await;
    let diagnostics = editor.diagnostics_for(&policy_uri).await;
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert!(diagnostics[0]["message"].as_str().unwrap_or_default().contains("federal.hours"), "{diagnostics:?}");
}

#[tokio::test]
async fn a_project_file_with_an_error_is_reported_on_it_and_the_rules_folder_is_checked() {
    let root = folder("broken-project");
    let project = root.join("rulec.toml");
    std::fs::write(&project, "rules = [\"rules\"]\nsuite = [\"tests\"]\n").expect("write");

    let (service, socket) = rulec_lsp::service();
    let mut editor = Editor { service, socket, next_id: 0 };
    editor.request("initialize", json!({"capabilities": {}, "rootUri": uri(&root)})).await;
    editor.notify("initialized", json!({})).await;

    // The misspelt key is shown where it is, as `rulec` says it…
    let diagnostics = editor.diagnostics_for(&uri(&project)).await;
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0]["range"]["start"], json!({"line": 1, "character": 0}), "{diagnostics:?}");
    let message = diagnostics[0]["message"].as_str().unwrap_or_default();
    assert!(message.starts_with("unknown field `suite`"), "{message}");
    assert!(message.ends_with(&format!("the rule files of {} are checked instead", root.join("rules").display())), "{message}");
    // …and the rule files of `rules/` are still checked.
    let ma = uri(&root.join("rules/states/MA.rules"));
    assert_eq!(editor.diagnostics_for(&ma).await.len(), 1, "the typo in MA.rules");

    // A folder the file names that cannot be read is reported on the file too.
    std::fs::write(&project, "rules = [\"rules\", \"missing\"]\n").expect("write");
    let ma_text = std::fs::read_to_string(root.join("rules/states/MA.rules")).expect("read");
    editor.notify("textDocument/didOpen", json!({"textDocument": {"uri": ma, "languageId": "rulec", "version": 1, "text": ma_text}})).await;
    let diagnostics = editor.diagnostics_for(&uri(&project)).await;
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let message = diagnostics[0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("missing") && message.ends_with("its rule files are not checked"), "{message}");
}
