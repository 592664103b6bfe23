// Opens each YAML file given in yaml-language-server (the engine of VS Code's YAML
// extension), as an editor would, and prints the diagnostics it publishes for each as
// one JSON object: {"<path>": [{"line": 1, "message": "…"}], …}. Each file names its
// schema with a `# yaml-language-server: $schema=…` modeline.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const server = require.resolve("yaml-language-server/bin/yaml-language-server");
const files = process.argv.slice(2).map((f) => resolve(f));
const child = spawn(process.execPath, [server, "--stdio"], { stdio: ["pipe", "pipe", "inherit"] });

let nextId = 1;
const pending = new Map();
const diagnostics = new Map();
let lastPublish = Date.now();

function send(message) {
  const body = JSON.stringify({ jsonrpc: "2.0", ...message });
  child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

function request(method, params) {
  const id = nextId++;
  send({ id, method, params });
  return new Promise((done) => pending.set(id, done));
}

const settings = { yaml: { validate: true, hover: false, completion: false, schemaStore: { enable: false } } };

let buffer = Buffer.alloc(0);
child.stdout.on("data", (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const end = buffer.indexOf("\r\n\r\n");
    if (end < 0) return;
    const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, end).toString())[1]);
    if (buffer.length < end + 4 + length) return;
    const message = JSON.parse(buffer.subarray(end + 4, end + 4 + length).toString());
    buffer = buffer.subarray(end + 4 + length);
    if (message.id !== undefined && message.method === undefined) {
      pending.get(message.id)?.(message.result);
    } else if (message.method === "workspace/configuration") {
      send({ id: message.id, result: message.params.items.map((i) => settings[i.section] ?? settings.yaml) });
    } else if (message.id !== undefined) {
      send({ id: message.id, result: null });
    } else if (message.method === "textDocument/publishDiagnostics") {
      diagnostics.set(message.params.uri, message.params.diagnostics);
      lastPublish = Date.now();
    }
  }
});

await request("initialize", { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } } });
send({ method: "initialized", params: {} });
send({ method: "workspace/didChangeConfiguration", params: { settings } });
for (const file of files) {
  send({
    method: "textDocument/didOpen",
    params: { textDocument: { uri: pathToFileURL(file).href, languageId: "yaml", version: 1, text: readFileSync(file, "utf8") } },
  });
}
// Diagnostics come once the schema is loaded; wait until every file has some and the
// server has been quiet for a while, or give up after 30 s.
const started = Date.now();
while (Date.now() - started < 30000) {
  await new Promise((done) => setTimeout(done, 200));
  const all = files.every((f) => diagnostics.has(pathToFileURL(f).href));
  if (all && Date.now() - lastPublish > 1500) break;
}
const result = {};
for (const file of files) {
  const found = diagnostics.get(pathToFileURL(file).href);
  result[file] = found === undefined ? null : found.map((d) => ({ line: d.range.start.line + 1, message: d.message }));
}
process.stdout.write(JSON.stringify(result) + "\n");
child.kill();
process.exit(0);
