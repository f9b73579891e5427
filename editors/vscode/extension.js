// Starts `rulec lsp` for .rules and .policy files. Plain JavaScript: no build step beyond
// `npm install` and `vsce package`.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("rulec").get("path", "rulec");
  const server = { command, args: ["lsp"] };
  client = new LanguageClient(
    "rulec",
    "rulec",
    { run: server, debug: server },
    {
      documentSelector: [{ scheme: "file", language: "rulec" }],
      synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/*.{rules,policy}") },
    }
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
