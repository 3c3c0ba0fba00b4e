// A stand-in for the argot CLI (the real one may not be built): it reads directives from the
// workflow file it is asked to run, so each test file states the behaviour it wants.
//   # fake: succeed | fail | error | garbage | crash | hang | stubborn | noisy | suspend
//   # pidfile: /path   (hang/stubborn: where to write the pid of a grandchild that ignores SIGTERM)
// Documents the conformance runner re-serialises (lost comments) say it with annotations instead:
//   metadata.annotations.fake: <mode>     metadata.annotations.fake-needs: <Kind>/<name>,…
//
// `run FILE -o json` prints the workflow. Server mode fakes `argot server` and the commands that
// talk to it, keeping state in the server's ARGOT_HOME: the server listens on a free port and
// leaves a pointer file naming its home, which the commands find from ARGOT_SERVER.
//   apply -f F: records documents (`# fake: apply-fail` refuses the file, `apply-warn` warns).
//   submit F | --from cronwf/N: creates workflows by mode; a workflow whose fake-needs are not
//     applied ends in Error; `--from` refuses a CronWorkflow whose scheduling was not suspended.
//   suspend mode: a Running Suspend node per `suspend: {}` template; `node set` records outputs,
//     `resume` finishes the node, failing the workflow if a `valueFrom.supplied` output is missing.
//   hang mode: Running until `terminate`. Every call is appended to calls.log in the home.
// FAKE_SERVER=broken in the environment makes `server` exit at once.

import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const YAML_MODULE = pathToFileURL(createRequire(import.meta.url).resolve('yaml')).href;

const SCRIPT = `#!/usr/bin/env node
import { appendFileSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from '${YAML_MODULE}';

const argv = process.argv.slice(2);
const [cmd] = argv;
const wf = (phase, extra = {}, meta = {}) => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow',
  metadata: { name: 'fake', annotations: { home: process.env.ARGOT_HOME ?? '' }, ...meta }, spec: {}, status: { phase, ...extra } });
const FAILED_NODES = { nodes: {
  a: { id: 'a', name: 'fake', displayName: 'fake', type: 'Steps', phase: 'Failed', message: "child 'b' failed" },
  b: { id: 'b', name: 'fake[0].boom', displayName: 'boom', type: 'Pod', phase: 'Failed', message: 'Error (exit code 1)' } } };
const modeOf = (text, doc) => doc?.metadata?.annotations?.fake ?? /# fake: ([\\w-]+)/.exec(text)?.[1] ?? 'succeed';

if (cmd === 'run') {
  const [, file, flag, format] = argv;
  if (flag !== '-o' || format !== 'json') { console.error('fake argot: bad args ' + argv.join(' ')); process.exit(3); }
  const text = readFileSync(file, 'utf8');
  const mode = modeOf(text);
  const pidfile = /# pidfile: (\\S+)/.exec(text)?.[1];
  const print = (w) => console.log(JSON.stringify(w, null, 4));
  const grandchild = () => {
    const child = spawn(process.execPath, ['-e', 'process.on("SIGTERM", () => {}); setInterval(() => {}, 1000)'], { stdio: 'inherit' });
    if (pidfile) writeFileSync(pidfile, String(child.pid));
  };
  switch (mode) {
    case 'succeed': print(wf('Succeeded')); break;
    case 'fail': print(wf('Failed', FAILED_NODES)); process.exit(1);
    case 'error': print(wf('Error', { message: 'invalid spec: no entrypoint' })); process.exit(1);
    case 'noisy': console.log('warning: something'); print(wf('Succeeded')); console.log('bye'); break;
    case 'garbage': console.log('not json'); console.error('argot: first\\nargot: cannot parse workflow'); process.exit(2);
    case 'crash': process.kill(process.pid, 'SIGKILL'); break;
    case 'hang': case 'suspend': grandchild(); setInterval(() => {}, 1000); break;
    case 'stubborn': grandchild(); process.on('SIGTERM', () => {}); setInterval(() => {}, 1000); break;
  }
} else if (cmd === 'server') {
  if (process.env.FAKE_SERVER === 'broken') { console.error('argot: cannot open the store: disk on fire'); process.exit(1); }
  const home = process.env.ARGOT_HOME;
  const http = createServer((_req, res) => res.end('{}'));
  http.listen(0, '127.0.0.1', () => {
    const port = http.address().port;
    writeFileSync(join(tmpdir(), 'argot-fake-server-' + port), home);
    appendFileSync(join(home, 'calls.log'), 'server\\n');
    console.log('argot server listening on http://127.0.0.1:' + port + ' (data dir ' + home + ')');
  });
  process.once('SIGTERM', () => { rmSync(join(tmpdir(), 'argot-fake-server-' + http.address().port), { force: true }); process.exit(0); });
} else {
  const port = /:(\\d+)/.exec(process.env.ARGOT_SERVER ?? '')?.[1];
  const pointer = join(tmpdir(), 'argot-fake-server-' + port);
  if (!port || !existsSync(pointer)) { console.error('argot: cannot reach the server at ' + process.env.ARGOT_SERVER); process.exit(1); }
  const home = readFileSync(pointer, 'utf8');
  appendFileSync(join(home, 'calls.log'), argv.join(' ') + '\\n');
  const objectsFile = join(home, 'objects.json');
  const objects = existsSync(objectsFile) ? JSON.parse(readFileSync(objectsFile, 'utf8')) : {};
  const saveObjects = () => writeFileSync(objectsFile, JSON.stringify(objects));
  const wfFile = (name) => join(home, 'wf-' + name + '.json');
  const load = (name) => existsSync(wfFile(name)) ? JSON.parse(readFileSync(wfFile(name), 'utf8')) : undefined;
  const save = (w) => writeFileSync(wfFile(w.metadata.name), JSON.stringify(w, null, 4));
  const flag = (name) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
  const flags = (name) => argv.flatMap((a, i) => a === name ? [argv[i + 1]] : []);
  const positional = () => argv.slice(1).filter((a, i, all) => !a.startsWith('-') && !(all[i - 1] ?? '').startsWith('-'));
  const docsOf = (text) => YAML.parseAllDocuments(text).map((d) => d.toJS()).filter(Boolean);
  const finished = (w) => ['Succeeded', 'Failed', 'Error'].includes(w.status.phase);
  const selected = (w) => { const name = flag('--node-field-selector')?.replace('displayName=', ''); return Object.values(w.status.nodes ?? {}).find((n) => n.displayName === name); };
  let counter = readdirSync(home).length;
  const create = (doc, text) => {
    const meta = doc.metadata ?? {};
    const name = meta.name ?? (meta.generateName ?? 'wf-') + 'x' + String(++counter);
    if (load(name)) { console.error('argot: workflow ' + name + ' already exists'); process.exit(1); }
    const mode = modeOf(text, doc);
    const missing = (meta.annotations?.['fake-needs'] ?? /# fake-needs: (\\S+)/.exec(text)?.[1] ?? '').split(',').filter(Boolean).filter((o) => !objects[o]);
    const templates = doc.spec?.templates ?? [];
    let w;
    if (missing.length) w = wf('Error', { message: 'not found: ' + missing.join(', ') }, { name });
    else if (mode === 'suspend') {
      const nodes = Object.fromEntries(templates.filter((t) => t.suspend && !t.suspend.duration).map((t) =>
        [t.name, { id: t.name, name: name + '.' + t.name, displayName: t.name, type: 'Suspend', phase: 'Running', templateName: t.name }]));
      w = wf('Running', { nodes }, { name });
    } else if (mode === 'hang') w = wf('Running', { nodes: { s: { id: 's', name: name + '.sleep', displayName: 'sleep', type: 'Pod', phase: 'Running' } } }, { name });
    else if (mode === 'fail') w = wf('Failed', FAILED_NODES, { name });
    else if (mode === 'error') w = wf('Error', { message: 'invalid spec: no entrypoint' }, { name });
    else w = wf('Succeeded', {}, { name });
    w.spec = doc.spec ?? {};
    save(w);
    return name;
  };
  switch (cmd) {
    case 'apply': {
      const file = flag('-f');
      const text = readFileSync(file, 'utf8');
      if (/# fake: apply-fail/.test(text)) { console.error('argot: ' + file + ':1:1: refused (kind)'); process.exit(1); }
      if (/# fake: apply-warn/.test(text)) console.error(file + ':1:1: Thing is not an Argo resource');
      for (const doc of docsOf(text)) {
        if (doc.kind === 'Workflow') continue;
        objects[doc.kind + '/' + doc.metadata.name] = { doc, suspended: false };
        console.log(doc.kind.toLowerCase() + '/' + doc.metadata.name + ' created');
      }
      saveObjects();
      break;
    }
    case 'cron': {
      const [, sub, name] = argv;
      const key = 'CronWorkflow/' + name;
      if (!objects[key]) { console.error('argot: cron workflow ' + name + ' not found'); process.exit(1); }
      if (sub === 'suspend') objects[key].suspended = true;
      if (sub === 'delete') delete objects[key];
      saveObjects();
      break;
    }
    case 'submit': {
      const from = flag('--from');
      if (from) {
        const cron = objects['CronWorkflow/' + from.replace('cronwf/', '')];
        if (!cron) { console.error('argot: ' + from + ' not found'); process.exit(1); }
        if (!cron.suspended) { console.error('argot: ' + from + ' is still scheduled'); process.exit(1); }
        console.log(create({ metadata: { generateName: cron.doc.metadata.name + '-', annotations: cron.doc.metadata.annotations }, spec: cron.doc.spec.workflowSpec }, ''));
        break;
      }
      const file = positional()[0];
      const text = readFileSync(file, 'utf8');
      if (modeOf(text) === 'garbage') { console.error('argot: first\\nargot: cannot parse workflow'); process.exit(2); }
      if (modeOf(text) === 'crash') process.kill(process.pid, 'SIGKILL');
      const docs = docsOf(text);
      const other = docs.find((d) => d.kind !== 'Workflow');
      if (other) { console.error('argot: expected Workflow documents, found ' + other.kind); process.exit(1); }
      if (modeOf(text) === 'noisy') console.error('warning: something');
      for (const doc of docs) console.log(create(doc, text));
      break;
    }
    case 'wait': {
      const names = positional();
      const tick = () => {
        const all = names.map(load);
        if (all.every((w) => w && finished(w))) {
          for (const w of all) console.log(w.metadata.name + ' ' + w.status.phase);
          process.exit(all.every((w) => w.status.phase === 'Succeeded') ? 0 : 1);
        }
      };
      tick();
      setInterval(tick, 50);
      break;
    }
    case 'get': {
      const w = load(positional()[0]);
      if (!w) { console.error('argot: workflow not found'); process.exit(1); }
      console.log(JSON.stringify(w, null, 4));
      break;
    }
    case 'node': {
      const w = load(argv[2]);
      const node = selected(w);
      if (!node) { console.error('argot: no node matches'); process.exit(1); }
      node.outputs = { parameters: flags('--output-parameter').map((kv) => ({ name: kv.split('=')[0], value: kv.split('=').slice(1).join('=') })) };
      save(w);
      console.log('workflow values set');
      break;
    }
    case 'resume': {
      const w = load(positional()[0]);
      const node = selected(w);
      if (!node || node.phase !== 'Running') { console.error('argot: no running suspend node matches'); process.exit(1); }
      const template = (w.spec.templates ?? []).find((t) => t.name === node.templateName);
      const missing = (template?.outputs?.parameters ?? []).filter((p) => p.valueFrom?.supplied && !node.outputs?.parameters?.some((o) => o.name === p.name));
      node.phase = missing.length ? 'Failed' : 'Succeeded';
      if (missing.length) node.message = 'output ' + missing[0].name + ' not supplied';
      const nodes = Object.values(w.status.nodes);
      if (nodes.some((n) => n.phase === 'Failed')) w.status.phase = 'Failed';
      else if (nodes.every((n) => n.phase === 'Succeeded')) w.status.phase = 'Succeeded';
      save(w);
      break;
    }
    case 'terminate': {
      for (const name of positional()) {
        const w = load(name);
        if (w && !finished(w)) { w.status.phase = 'Failed'; w.status.message = 'Stopped with strategy Terminate'; save(w); }
      }
      break;
    }
    case 'delete': {
      const names = argv.includes('--all') ? readdirSync(home).filter((f) => f.startsWith('wf-')).map((f) => f.slice(3, -5)) : positional();
      for (const name of names) rmSync(wfFile(name), { force: true });
      break;
    }
    default: console.error('fake argot: unknown command ' + cmd); process.exit(3);
  }
}
`;

/** Writes the fake into a fresh directory and returns its path (an executable `.mjs`). */
export async function writeFakeArgot(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'argot-fake-'));
  const path = join(dir, 'argot.mjs');
  await writeFile(path, SCRIPT);
  await chmod(path, 0o755);
  return path;
}

/** Polls until the process is gone (reaped by init after its parent died). */
export async function waitGone(pid: number, timeoutMs = 3_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}
