// Deploy and cloud CLIs: each call is either `deploy` (changes remote state) or `infra.read`.
// Global options before the subcommand are skipped with each tool's own table of value-taking
// options. An unrecognised subcommand of a cloud CLI is reported as deploy (the careful reading),
// except where the tool runs plugins by name (kubectl, gh), which are `exec {known: false}`.
import type { Action, PathRef, SimpleCommand } from '../types.js';
import { actionBase, execKnown, execScript, execUnknown, has, optValues, parseArgs, pathFrom, resolvePath, type ActionBase, type ParsedArgs, type ReadEnv, type Reader } from './reader.js';

type Base = ActionBase;
const base = actionBase;
const known = execKnown;
const script = execScript;
const unknown = execUnknown;
const deploy = (b: Base, tool: string, subcommand: string): Action => ({ ...b, type: 'deploy', tool, subcommand });
const read = (b: Base, tool: string, subcommand: string): Action => ({ ...b, type: 'infra.read', tool, subcommand });

/** Operand words after global and subcommand options. */
function operands(cmd: SimpleCommand, value: ReadonlySet<string>, start = 1): { p: ParsedArgs; ops: string[] } {
  const p = parseArgs(cmd.argv, value, start);
  return { p, ops: p.operands.map((i) => cmd.argv[i] ?? '') };
}

function argPathOf(cmd: SimpleCommand, i: number, env: ReadEnv): PathRef {
  return pathFrom(cmd, cmd.argv[i] ?? '', i, env);
}

/** A dry run never changes state: `--dry-run`, `--dry-run=client|server` (not `=none`). */
function dryRun(p: ParsedArgs): boolean {
  const v = optValues(p, 'dry-run');
  return v.length > 0 && v.every((x) => x !== 'none' && x !== 'false');
}

// ---------------------------------------------------------------------------------------------
// vercel

const VERCEL_VALUE = new Set(['t', 'token', 'S', 'scope', 'cwd', 'A', 'local-config', 'Q', 'global-config', 'T', 'team', 'e', 'env', 'b', 'build-env', 'm', 'meta', 'regions', 'archive', 'target', 'environment', 'git-branch']);
const VERCEL_DEPLOY = new Set(['deploy', 'redeploy', 'promote', 'rollback', 'remove', 'rm']);
const VERCEL_READ = new Set(['ls', 'list', 'inspect', 'logs', 'whoami', 'help', 'bisect', 'open']);
const VERCEL_GROUP = new Set(['env', 'domains', 'domain', 'dns', 'certs', 'cert', 'project', 'projects', 'secrets', 'secret', 'alias', 'aliases', 'teams', 'team', 'git', 'integration', 'blob', 'target', 'webhooks']);
const VERCEL_LOCAL = new Set(['link', 'login', 'logout', 'init', 'switch', 'telemetry', 'install', 'i']);
const LIST_VERBS = new Set(['ls', 'list', 'inspect', 'get', 'show']);

const vercel: Reader = (cmd, index, env) => {
  const b = base(cmd, index);
  const { ops } = operands(cmd, VERCEL_VALUE);
  const sub = ops[0];
  // `vercel` and `vercel <path>` deploy (to preview, or production with --prod).
  if (sub === undefined) return [deploy(b, 'vercel', 'deploy')];
  if (VERCEL_DEPLOY.has(sub)) return [deploy(b, 'vercel', sub)];
  if (VERCEL_READ.has(sub)) return [read(b, 'vercel', sub)];
  if (sub === 'dev' || sub === 'build') return [script(b)];
  if (VERCEL_LOCAL.has(sub)) return [known(b)];
  if (sub === 'pull') return [read(b, 'vercel', 'pull'), { ...b, type: 'file.write', paths: [resolvePath('.vercel', cmd, env)] }];
  if (VERCEL_GROUP.has(sub)) {
    const action = ops[1] ?? 'ls';
    const subcommand = `${sub} ${action}`;
    if (sub === 'env' && action === 'pull') {
      // Downloads the project's environment (secrets) into a local file.
      return [read(b, 'vercel', subcommand), { ...b, type: 'file.write', paths: [resolvePath(ops[2] ?? '.env.local', cmd, env)] }];
    }
    return LIST_VERBS.has(action) ? [read(b, 'vercel', subcommand)] : [deploy(b, 'vercel', subcommand)];
  }
  return [deploy(b, 'vercel', 'deploy')];
};

// ---------------------------------------------------------------------------------------------
// netlify: `topic:action` subcommands.

const NETLIFY_VALUE = new Set(['d', 'dir', 'f', 'functions', 's', 'site', 'a', 'auth', 'alias', 'm', 'message', 'filter', 'context', 'o', 'p', 'port', 'n', 'name', 'data', 'timeout']);
const NETLIFY_READ = new Set(['status', 'open', 'logs', 'watch', 'help', 'whoami', 'completion', 'list', 'get', 'show', 'info']);

const netlify: Reader = (cmd, index) => {
  const b = base(cmd, index);
  const { ops } = operands(cmd, NETLIFY_VALUE);
  const sub = ops[0];
  if (sub === undefined) return [known(b)];
  const [topic = '', ...rest] = sub.split(':');
  const action = rest[rest.length - 1] ?? '';
  if (topic === 'deploy') return [deploy(b, 'netlify', sub)];
  if (topic === 'build' || topic === 'dev' || topic === 'serve' || (topic === 'functions' && (action === 'serve' || action === 'invoke' || action === 'build'))) return [script(b)];
  if (['login', 'logout', 'switch', 'link', 'unlink', 'completion'].includes(topic)) return [known(b)];
  if (topic === 'api') {
    const method = ops[1] ?? '';
    return /^(get|list)/i.test(method) ? [read(b, 'netlify', `api ${method}`)] : [deploy(b, 'netlify', `api ${method}`)];
  }
  if (NETLIFY_READ.has(topic) && rest.length === 0) return [read(b, 'netlify', sub)];
  if (NETLIFY_READ.has(action) || topic === 'status' || topic === 'open' || topic === 'logs') return [read(b, 'netlify', sub)];
  return [deploy(b, 'netlify', sub)];
};

// ---------------------------------------------------------------------------------------------
// fly / flyctl

const FLY_VALUE = new Set(['a', 'app', 'c', 'config', 't', 'access-token', 'o', 'org', 'r', 'region', 'i', 'image', 'dockerfile', 'strategy', 'vm-size', 'vm-memory', 'vm-cpus', 'env', 'e', 'build-arg', 'build-secret', 'label', 'n', 'instance', 'machine', 'process-group', 'count', 'C', 'command', 'u', 'user', 'name', 'size', 'memory']);
const FLY_READ_VERBS = new Set(['status', 'logs', 'list', 'ls', 'show', 'info', 'releases', 'history', 'version', 'doctor', 'regions', 'platform', 'dig', 'ping', 'open', 'dashboard', 'whoami', 'view', 'top', 'checks', 'config', 'vms']);
const FLY_LOCAL = new Set(['auth', 'proxy', 'help', 'completion', 'docs', 'agent', 'wireguard', 'wg', 'ext', 'extensions']);

const fly: Reader = (cmd, index) => {
  const b = base(cmd, index);
  const { ops } = operands(cmd, FLY_VALUE);
  const sub = ops[0];
  if (sub === undefined) return [known(b)];
  if (FLY_LOCAL.has(sub)) return [known(b)];
  if (sub === 'ssh' || sub === 'console') return [deploy(b, 'fly', ops.slice(0, 2).join(' '))];
  const second = ops[1];
  // Group commands (`secrets list`, `apps create`, `machine stop`) are judged by their verb.
  const GROUPS = ['apps', 'app', 'machine', 'machines', 'm', 'secrets', 'volumes', 'volume', 'vol', 'ips', 'certs', 'scale', 'postgres', 'pg', 'redis', 'config', 'releases', 'regions', 'orgs', 'tokens', 'image', 'checks', 'services', 'consul', 'storage', 'mysql', 'tigris', 'litefs-cloud', 'lfsc'];
  if (GROUPS.includes(sub) && second !== undefined && !second.startsWith('-')) {
    const subcommand = `${sub} ${second}`;
    return FLY_READ_VERBS.has(second) ? [read(b, 'fly', subcommand)] : [deploy(b, 'fly', subcommand)];
  }
  if (FLY_READ_VERBS.has(sub)) return [read(b, 'fly', sub)];
  return [deploy(b, 'fly', sub)];
};

// ---------------------------------------------------------------------------------------------
// firebase: `topic:action[:more]`.

const FIREBASE_VALUE = new Set(['P', 'project', 'only', 'except', 'm', 'message', 'token', 'account', 'c', 'config', 'import', 'export-on-exit', 'inspect-functions', 'host', 'port', 'p', 'site', 'expires', 'data', 'd', 'instance', 'o', 'output', 'f', 'force']);
const FIREBASE_READ = new Set(['list', 'get', 'log', 'logs', 'sdkconfig', 'info', 'indexes', 'profile', 'open', 'export', 'describe', 'show', 'versions', 'ls']);

const firebase: Reader = (cmd, index) => {
  const b = base(cmd, index);
  const { ops } = operands(cmd, FIREBASE_VALUE);
  const sub = ops[0];
  if (sub === undefined) return [known(b)];
  const parts = sub.split(':');
  const topic = parts[0] ?? '';
  const last = parts[parts.length - 1] ?? '';
  if (sub === 'deploy') return [deploy(b, 'firebase', 'deploy')];
  if (topic === 'serve' || topic === 'emulators' || sub === 'functions:shell' || sub === 'experimental:functions:shell') return [script(b)];
  if (['init', 'login', 'logout', 'use', 'help', 'target', 'setup', 'experiments', 'open'].includes(topic) && !(topic === 'target' && parts.length > 1)) {
    return topic === 'open' ? [read(b, 'firebase', sub)] : [known(b)];
  }
  if (topic === 'target') return [known(b)];
  if (parts.length > 1 && FIREBASE_READ.has(last)) return [read(b, 'firebase', sub)];
  return [deploy(b, 'firebase', sub)];
};

// ---------------------------------------------------------------------------------------------
// kubectl

const KUBECTL_VALUE = new Set([
  'n', 'namespace', 'context', 'cluster', 'user', 's', 'server', 'kubeconfig', 'token', 'as',
  'as-group', 'as-uid', 'certificate-authority', 'client-certificate', 'client-key',
  'request-timeout', 'tls-server-name', 'v', 'vmodule', 'cache-dir', 'password', 'username',
  'profile', 'profile-output', 'log-file', 'log-dir', 'log-file-max-size', 'log-flush-frequency',
  'f', 'filename', 'o', 'output', 'l', 'selector', 'c', 'container', 'field-selector', 'sort-by',
  'tail', 'since', 'since-time', 'p', 'patch', 'type', 'image', 'replicas', 'port', 'target-port',
  'template', 'k', 'kustomize', 'timeout', 'grace-period', 'current-replicas', 'resource-version',
  'min', 'max', 'cpu-percent', 'name', 'L', 'label-columns', 'field-manager', 'subresource', 'raw',
  'env', 'e', 'for', 'limits', 'requests', 'overrides', 'serviceaccount', 'protocol',
  'external-ip', 'load-balancer-ip', 'session-affinity', 'generator', 'restart', 'labels',
  'pod-running-timeout', 'chunk-size', 'max-log-requests', 'prefix', 'pod', 'address', 'revision',
  'to-revision', 'dry-run-strategy', 'api-group', 'show-managed-fields', 'w',
]);
const KUBECTL_DEPLOY = new Set(['apply', 'create', 'delete', 'scale', 'patch', 'edit', 'replace', 'set', 'label', 'annotate', 'drain', 'cordon', 'uncordon', 'taint', 'exec', 'cp', 'run', 'expose', 'autoscale', 'attach', 'debug', 'certificate', 'rolling-update']);
const KUBECTL_READ = new Set(['get', 'describe', 'logs', 'top', 'explain', 'version', 'api-resources', 'api-versions', 'cluster-info', 'diff', 'events', 'wait', 'kustomize', 'port-forward', 'proxy', 'completion', 'options', 'help']);
const KUBECTL_CONFIG_READ = new Set(['view', 'get-contexts', 'current-context', 'get-clusters', 'get-users']);

const kubectl: Reader = (cmd, index, env) => {
  const b = base(cmd, index);
  const { p, ops } = operands(cmd, KUBECTL_VALUE);
  const sub = ops[0];
  if (sub === undefined) return [known(b)];
  const second = ops[1] ?? '';
  if (sub === 'rollout') return ['status', 'history'].includes(second) ? [read(b, 'kubectl', `rollout ${second}`)] : [deploy(b, 'kubectl', `rollout ${second}`.trim())];
  if (sub === 'config') return KUBECTL_CONFIG_READ.has(second) ? [read(b, 'kubectl', `config ${second}`)] : [deploy(b, 'kubectl', `config ${second}`.trim())];
  if (sub === 'auth') return second === 'reconcile' ? [deploy(b, 'kubectl', 'auth reconcile')] : [read(b, 'kubectl', `auth ${second}`.trim())];
  if (sub === 'apply' && second === 'view-last-applied') return [read(b, 'kubectl', 'apply view-last-applied')];
  if (KUBECTL_READ.has(sub)) return [read(b, 'kubectl', sub)];
  if (KUBECTL_DEPLOY.has(sub)) {
    if (dryRun(p)) return [read(b, 'kubectl', sub)];
    const out: Action[] = [deploy(b, 'kubectl', sub)];
    if (sub === 'cp') {
      // `kubectl cp ./local pod:/path` reads the local file; `pod:/path ./local` writes it.
      const idx = p.operands.slice(1);
      const local = (i: number) => !/^[^/]+:/.test(cmd.argv[i] ?? '');
      const src = idx[0];
      const dst = idx[idx.length - 1];
      if (idx.length >= 2 && src !== undefined && dst !== undefined) {
        if (local(src)) out.unshift({ ...b, type: 'file.read', paths: [argPathOf(cmd, src, env)] });
        if (local(dst)) out.push({ ...b, type: 'file.write', paths: [argPathOf(cmd, dst, env)], overwrite: true });
      }
    }
    return out;
  }
  // `kubectl foo` runs the kubectl-foo plugin.
  return [unknown(b)];
};

// ---------------------------------------------------------------------------------------------
// helm

const HELM_VALUE = new Set([
  'n', 'namespace', 'kube-context', 'kubeconfig', 'kube-apiserver', 'kube-as-user', 'kube-as-group',
  'kube-ca-file', 'kube-token', 'kube-tls-server-name', 'registry-config', 'repository-cache',
  'repository-config', 'burst-limit', 'qps', 'f', 'values', 'set', 'set-string', 'set-file',
  'set-json', 'set-literal', 'version', 'timeout', 'o', 'output', 'repo', 'description',
  'post-renderer', 'post-renderer-args', 'username', 'password', 'ca-file', 'cert-file', 'key-file',
  'keyring', 'history-max', 'max', 'revision', 'name-template', 'l', 'selector', 'api-versions',
  'kube-version', 'output-dir', 's', 'show-only', 'filter', 'offset', 'd', 'destination',
]);
const HELM_DEPLOY = new Set(['install', 'upgrade', 'uninstall', 'delete', 'del', 'un', 'rollback', 'test', 'push']);
const HELM_READ = new Set(['list', 'ls', 'status', 'get', 'template', 'show', 'inspect', 'history', 'hist', 'lint', 'search', 'version', 'env', 'verify', 'completion', 'help']);

const helm: Reader = (cmd, index) => {
  const b = base(cmd, index);
  const { p, ops } = operands(cmd, HELM_VALUE);
  const sub = ops[0];
  if (sub === undefined) return [known(b)];
  if (HELM_DEPLOY.has(sub)) return dryRun(p) ? [read(b, 'helm', sub)] : [deploy(b, 'helm', sub)];
  if (HELM_READ.has(sub)) return [read(b, 'helm', sub)];
  if (sub === 'plugin' && (ops[1] === 'install' || ops[1] === 'update')) return [{ ...b, type: 'package.add', manager: 'helm', packages: ops.slice(2), global: true }];
  if (sub === 'dependency' || sub === 'dep') return ops[1] === 'update' || ops[1] === 'build' ? [{ ...b, type: 'package.install', manager: 'helm', global: false }] : [read(b, 'helm', `dependency ${ops[1] ?? ''}`.trim())];
  // repo, registry, pull, package, create, plugin list: local or fetch-only.
  return [known(b)];
};

// ---------------------------------------------------------------------------------------------
// terraform / tofu: options are single-dash words; `-chdir=dir` comes first.

const TF_DEPLOY = new Set(['apply', 'destroy', 'import', 'taint', 'untaint', 'force-unlock', 'refresh', 'test', 'push']);
const TF_READ = new Set(['plan', 'show', 'validate', 'fmt', 'init', 'output', 'providers', 'graph', 'version', 'console', 'get', 'metadata', 'modules', 'query']);
const TF_STATE_DEPLOY = new Set(['rm', 'mv', 'push', 'replace-provider']);

const terraform: Reader = (cmd, index) => {
  const b = base(cmd, index);
  const tool = cmd.argv[0]?.endsWith('tofu') ? 'tofu' : 'terraform';
  const rest = cmd.argv.slice(1);
  const words = rest.filter((w) => !w.startsWith('-'));
  const sub = words[0];
  if (sub === undefined || rest.some((w) => w === '-help' || w === '--help' || w === '-h')) return [known(b)];
  const second = words[1] ?? '';
  if (sub === 'state') return TF_STATE_DEPLOY.has(second) ? [deploy(b, tool, `state ${second}`)] : [read(b, tool, `state ${second}`.trim())];
  if (sub === 'workspace' || sub === 'env') return second === 'delete' ? [deploy(b, tool, 'workspace delete')] : [read(b, tool, `workspace ${second}`.trim())];
  if (TF_DEPLOY.has(sub)) return [deploy(b, tool, sub)];
  if (TF_READ.has(sub)) return [read(b, tool, sub)];
  if (sub === 'login' || sub === 'logout') return [known(b)];
  return [deploy(b, tool, sub)];
};

// ---------------------------------------------------------------------------------------------
// pulumi

const PULUMI_VALUE = new Set(['C', 'cwd', 's', 'stack', 'color', 'v', 'verbose', 'tracing', 'tracing-header', 'profiling', 'memprofilerate', 'm', 'message', 'target', 't', 'config-file', 'c', 'config', 'secrets-provider', 'exclude', 'replace', 'parallel', 'p', 'policy-pack', 'policy-pack-config', 'suppress-permalink', 'plan', 'save-plan', 'import-file', 'file', 'f', 'backend-url']);
const PULUMI_DEPLOY = new Set(['up', 'update', 'destroy', 'refresh', 'import', 'cancel', 'watch']);
const PULUMI_READ = new Set(['preview', 'pre', 'whoami', 'version', 'about', 'logs', 'schema', 'console', 'help', 'gen-completion', 'convert', 'query']);
const PULUMI_STACK_READ = new Set(['ls', 'output', 'history', 'export', 'graph', 'select', 'tag', 'unselect']);

const pulumi: Reader = (cmd, index) => {
  const b = base(cmd, index);
  const { ops } = operands(cmd, PULUMI_VALUE);
  const sub = ops[0];
  if (sub === undefined) return [known(b)];
  const second = ops[1] ?? '';
  if (PULUMI_DEPLOY.has(sub)) return [deploy(b, 'pulumi', sub)];
  if (PULUMI_READ.has(sub)) return [read(b, 'pulumi', sub)];
  if (sub === 'stack') {
    if (second === 'tag') return ['set', 'rm'].includes(ops[2] ?? '') ? [deploy(b, 'pulumi', `stack tag ${ops[2]}`)] : [read(b, 'pulumi', 'stack tag')];
    if (second === '' || PULUMI_STACK_READ.has(second)) return [read(b, 'pulumi', `stack ${second}`.trim())];
    return [deploy(b, 'pulumi', `stack ${second}`)];
  }
  if (sub === 'config') {
    // Config lives in Pulumi.<stack>.yaml inside the project: a local edit, not cloud state.
    return second === '' || second === 'get' ? [read(b, 'pulumi', `config ${second}`.trim())] : [known(b)];
  }
  if (sub === 'state') return [deploy(b, 'pulumi', `state ${second}`.trim())];
  if (sub === 'env') return ['ls', 'get', 'open', 'version', 'diff'].includes(second) || second === '' ? [read(b, 'pulumi', `env ${second}`.trim())] : [deploy(b, 'pulumi', `env ${second}`)];
  if (sub === 'plugin') return second === 'install' ? [{ ...b, type: 'package.add', manager: 'pulumi', packages: ops.slice(2), global: true }] : [known(b)];
  if (['login', 'logout', 'new', 'install', 'policy', 'org', 'package', 'template', 'ai'].includes(sub)) return [known(b)];
  return [deploy(b, 'pulumi', sub)];
};

// ---------------------------------------------------------------------------------------------
// aws: `aws [global] service operation [args]`.

const AWS_VALUE = new Set([
  'profile', 'region', 'output', 'endpoint-url', 'query', 'ca-bundle', 'cli-read-timeout',
  'cli-connect-timeout', 'color', 'cli-binary-format', 'cli-input-json', 'cli-input-yaml',
  'page-size', 'max-items', 'starting-token',
  // s3 transfer options, so their values are not taken for paths.
  'exclude', 'include', 'acl', 'storage-class', 'content-type', 'cache-control', 'sse',
  'sse-kms-key-id', 'grants', 'expires', 'metadata', 'metadata-directive', 'website-redirect',
  'content-encoding', 'content-language', 'content-disposition', 'source-region', 'expected-size',
  'sse-c', 'sse-c-key', 'sse-c-copy-source', 'sse-c-copy-source-key', 'request-payer',
  'checksum-algorithm', 'expires-in', 'index-document', 'error-document',
]);
const AWS_READ_OP = /^(describe|list|get|head|search|lookup|filter|batch-get|simulate|estimate|preview|validate|detect|check)-|^(wait|query|scan|tail|help|ls|presign|assume-role|assume-role-with-web-identity|assume-role-with-saml|decode-authorization-message)$/;

const aws: Reader = (cmd, index, env) => {
  const b = base(cmd, index);
  const { p, ops } = operands(cmd, AWS_VALUE);
  const service = ops[0];
  if (service === undefined) return [known(b)];
  if (service === 'help') return [read(b, 'aws', 'help')];
  const op = ops[1] ?? '';
  const subcommand = `${service} ${op}`.trim();
  if (ops.includes('help')) return [read(b, 'aws', subcommand)];
  if (service === 'configure') return op === 'list' || op === 'get' || op === 'list-profiles' || op === 'export-credentials' ? [read(b, 'aws', subcommand)] : [deploy(b, 'aws', subcommand)];
  if ((service === 'sso' && (op === 'login' || op === 'logout')) || service === 'login' || service === 'logout') return [known(b)];
  if (AWS_READ_OP.test(op)) return [read(b, 'aws', subcommand)];
  const out: Action[] = [deploy(b, 'aws', subcommand)];
  if (service === 's3' && (op === 'cp' || op === 'mv' || op === 'sync')) {
    // A local source is read (and uploaded); a local destination is written.
    const idx = p.operands.slice(2);
    const isLocal = (i: number) => !/^s3:\/\//i.test(cmd.argv[i] ?? '') && cmd.argv[i] !== '-';
    const src = idx[0];
    const dst = idx[1];
    if (src !== undefined && isLocal(src)) out.unshift({ ...b, type: 'file.read', paths: [argPathOf(cmd, src, env)] });
    if (dst !== undefined && isLocal(dst)) out.push({ ...b, type: 'file.write', paths: [argPathOf(cmd, dst, env)] });
  }
  return out;
};

// ---------------------------------------------------------------------------------------------
// gcloud / az: the last verb among the command words (before the first flag) decides.

const GCLOUD_VALUE = new Set(['project', 'account', 'configuration', 'format', 'verbosity', 'impersonate-service-account', 'billing-project', 'flags-file', 'flatten', 'trace-token', 'access-token-file', 'subscription', 'output', 'o', 'query']);
const READ_VERBS = new Set(['list', 'describe', 'show', 'get', 'read', 'ls', 'cat', 'tail', 'wait', 'exists', 'browse', 'print-access-token', 'print-identity-token', 'print-settings', 'check-name-availability', 'download', 'logs', 'log', 'versions', 'info']);
const WRITE_VERBS = new Set([
  'create', 'delete', 'deploy', 'update', 'set', 'patch', 'resize', 'start', 'stop', 'reset',
  'import', 'remove', 'add', 'restart', 'up', 'upload', 'cp', 'mv', 'rm', 'rsync', 'submit', 'call',
  'ssh', 'scp', 'connect', 'execute', 'invoke', 'purge', 'restore', 'swap', 'scale', 'assign',
  'grant', 'revoke', 'rotate', 'renew', 'enable', 'disable', 'attach', 'detach', 'apply', 'cancel',
  'approve', 'reject', 'move', 'rename', 'copy', 'sync', 'publish', 'push', 'install', 'undelete',
  'suspend', 'resume', 'promote', 'failover', 'export', 'unset', 'tag', 'untag', 'clone', 'migrate',
  'upgrade', 'rollback', 'reboot', 'redeploy', 'regenerate', 'trigger', 'run-command', 'abandon',
  'activate', 'deactivate', 'lock', 'unlock', 'release', 'reserve', 'terminate', 'delete-all',
]);
const LOCAL_VERBS = new Set(['login', 'logout', 'init', 'version', 'help', 'info', 'configure', 'interactive', 'feedback', 'topic', 'cheat-sheet', 'activate-service-account', 'application-default', 'find', 'survey']);

function verbKind(w: string): 'read' | 'write' | 'local' | undefined {
  if (LOCAL_VERBS.has(w)) return 'local';
  if (READ_VERBS.has(w) || /^(get|list|describe|show|check|test|print)-/.test(w)) return 'read';
  if (WRITE_VERBS.has(w) || /^(add|remove|set|create|delete|update|reset|enable|disable|start|stop|attach|detach|import|export|move|abandon|recreate|resume|suspend|rollback|deploy)-/.test(w)) return 'write';
  return undefined;
}

function cloudWords(argv: string[], value: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('-')) {
      if (out.length) break;
      const name = a.replace(/^--?/, '');
      if (!name.includes('=') && value.has(name)) i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

function cloudCli(tool: string): Reader {
  return (cmd, index) => {
    const b = base(cmd, index);
    const ws = cloudWords(cmd.argv, GCLOUD_VALUE);
    if (ws.length === 0) return [known(b)];
    let last = -1;
    let kind: 'read' | 'write' | 'local' | undefined;
    ws.forEach((w, i) => {
      const k = verbKind(w);
      if (k) {
        last = i;
        kind = k;
      }
    });
    if (kind === 'local') return [known(b)];
    const subcommand = ws.slice(0, last === -1 ? ws.length : last + 1).join(' ');
    if (kind === 'read') return [read(b, tool, subcommand)];
    return [deploy(b, tool, subcommand)];
  };
}

// ---------------------------------------------------------------------------------------------
// docker / podman: only pushing to a registry changes remote state.

const DOCKER_VALUE = new Set(['H', 'host', 'c', 'context', 'config', 'l', 'log-level', 'tlscacert', 'tlscert', 'tlskey', 'url', 'connection', 'root', 'runroot', 'storage-driver', 'cgroup-manager', 'runtime', 'tmpdir', 'identity', 'module', 'events-backend', 'hooks-dir', 'network-cmd-path']);
const BUILD_VALUE = new Set(['t', 'tag', 'f', 'file', 'build-arg', 'target', 'platform', 'o', 'output', 'label', 'cache-from', 'cache-to', 'secret', 'ssh', 'progress', 'network', 'builder', 'iidfile', 'metadata-file', 'add-host', 'allow', 'annotation', 'attest', 'build-context', 'cgroup-parent', 'shm-size', 'ulimit', 'provenance', 'sbom', 'set', 'p', 'project-name', 'project-directory', 'env-file', 'profile']);

const docker: Reader = (cmd, index) => {
  const b = base(cmd, index);
  const tool = cmd.argv[0]?.endsWith('podman') ? 'podman' : 'docker';
  const g = parseArgs(cmd.argv, DOCKER_VALUE, 1, true);
  const at = g.operands[0];
  if (at === undefined) return [known(b)];
  const sub = cmd.argv[at] ?? '';
  const p = parseArgs(cmd.argv, BUILD_VALUE, at + 1);
  const ops = p.operands.map((i) => cmd.argv[i] ?? '');
  const second = ops[0] ?? '';
  if (sub === 'push') return [deploy(b, tool, 'push')];
  if ((sub === 'image' || sub === 'manifest' || sub === 'compose' || sub === 'trust') && (second === 'push' || second === 'sign')) return [deploy(b, tool, `${sub} ${second}`)];
  const building = sub === 'build' || (sub === 'buildx' && (second === 'build' || second === 'bake')) || (sub === 'image' && second === 'build');
  if (building) {
    const pushes = has(p, 'push') || optValues(p, 'o', 'output').some((o) => /type=(registry|image,.*push=true)/.test(o));
    if (pushes) return [deploy(b, tool, `${sub === 'build' ? 'build' : `${sub} ${second}`} --push`)];
  }
  return [known(b)];
};

// ---------------------------------------------------------------------------------------------
// gh

const GH_VALUE = new Set([
  'R', 'repo', 'X', 'method', 'f', 'raw-field', 'F', 'field', 'H', 'header', 'input', 'q', 'jq',
  't', 'template', 'b', 'body', 'body-file', 'T', 'title', 'B', 'base', 'head', 'l', 'label', 'a',
  'assignee', 'm', 'milestone', 'p', 'project', 'r', 'reviewer', 'n', 'notes', 'notes-file',
  'target', 'L', 'limit', 's', 'state', 'json', 'hostname', 'env', 'e', 'org', 'o', 'visibility',
  'd', 'description', 'homepage', 'ref', 'w', 'workflow', 'c', 'commit', 'A', 'author', 'S', 'search',
  'cache', 'u', 'user', 'i', 'branch', 'app', 'source-repo', 'discussion-category', 'name', 'desc',
  'filename', 'k', 'key', 'subject', 'title-prefix', 'match-title', 'remote', 'clone', 'color',
]);
const GH_DEPLOY: Record<string, string[]> = {
  release: ['create', 'delete', 'upload', 'edit', 'delete-asset'],
  repo: ['delete', 'create', 'edit', 'archive', 'unarchive', 'rename'],
  secret: ['set', 'delete', 'remove'],
  variable: ['set', 'delete'],
  workflow: ['run', 'enable', 'disable'],
  run: ['rerun', 'cancel', 'delete'],
  pr: ['merge'],
  issue: ['delete', 'transfer'],
  label: ['delete'],
  'ssh-key': ['add', 'delete'],
  'gpg-key': ['add', 'delete'],
  cache: ['delete'],
  codespace: ['create', 'delete', 'ssh', 'cp', 'stop'],
  cs: ['create', 'delete', 'ssh', 'cp', 'stop'],
};
const GH_BUILTIN = new Set(['auth', 'browse', 'codespace', 'cs', 'gist', 'issue', 'org', 'pr', 'project', 'release', 'repo', 'cache', 'run', 'workflow', 'alias', 'api', 'attestation', 'completion', 'config', 'extension', 'ext', 'extensions', 'gpg-key', 'label', 'ruleset', 'search', 'secret', 'ssh-key', 'status', 'variable', 'help', 'version', 'preview', 'agent-task', 'copilot']);

const gh: Reader = (cmd, index, env) => {
  const b = base(cmd, index);
  const { p, ops } = operands(cmd, GH_VALUE);
  const sub = ops[0];
  if (sub === undefined) return [known(b)];
  const second = ops[1] ?? '';
  const subcommand = `${sub} ${second}`.trim();
  const reads: PathRef[] = [];
  for (const v of optValues(p, 'body-file', 'notes-file', 'input')) if (v !== '-') reads.push(resolvePath(v, cmd, env));
  // pr/issue create: -F is --body-file.
  if ((sub === 'pr' || sub === 'issue') && ['create', 'comment', 'edit'].includes(second)) {
    for (const v of optValues(p, 'F')) if (v !== '-') reads.push(resolvePath(v, cmd, env));
  }
  const withReads = (a: Action[]): Action[] => (reads.length ? [{ ...b, type: 'file.read', paths: reads }, ...a] : a);
  if (sub === 'api') {
    const method = optValues(p, 'X', 'method')[0]?.toUpperCase();
    const fields = optValues(p, 'f', 'raw-field', 'F', 'field');
    for (const f of optValues(p, 'F', 'field')) {
      const eq = f.indexOf('=');
      if (eq !== -1 && f[eq + 1] === '@' && f.slice(eq + 2) !== '-') reads.push(resolvePath(f.slice(eq + 2), cmd, env));
    }
    const mutates = method !== undefined ? method !== 'GET' && method !== 'HEAD' : fields.length > 0 || has(p, 'input');
    return withReads([mutates ? deploy(b, 'gh', 'api') : read(b, 'gh', 'api')]);
  }
  if (sub === 'gist' && second === 'create') {
    // Uploads files to GitHub (public with --public): a send of their content.
    const files = p.operands.slice(2).filter((i) => cmd.argv[i] !== '-').map((i) => argPathOf(cmd, i, env));
    const out: Action[] = [];
    if (files.length) out.push({ ...b, type: 'file.read', paths: files });
    out.push({ ...b, type: 'net.send', host: 'github.com', how: 'gh gist create' });
    return withReads(out);
  }
  if (sub === 'auth' && second === 'token') {
    // Prints the stored token: reading the credential store.
    return [{ ...b, type: 'file.read', paths: [resolvePath('~/.config/gh/hosts.yml', cmd, env)] }, read(b, 'gh', subcommand)];
  }
  if (sub === 'release' && (second === 'upload' || second === 'create')) {
    const files = p.operands.slice(3).map((i) => argPathOf(cmd, i, env));
    reads.push(...files);
  }
  if ((sub === 'extension' || sub === 'ext' || sub === 'extensions') && (second === 'install' || second === 'upgrade')) {
    return [{ ...b, type: 'package.add', manager: 'gh', packages: ops.slice(2), global: true }];
  }
  if (sub === 'repo' && second === 'deploy-key' && ['add', 'delete'].includes(ops[2] ?? '')) return withReads([deploy(b, 'gh', `repo deploy-key ${ops[2]}`)]);
  if (GH_DEPLOY[sub]?.includes(second)) return withReads([deploy(b, 'gh', subcommand)]);
  if (!GH_BUILTIN.has(sub)) return [unknown(b)];
  return withReads([read(b, 'gh', subcommand)]);
};

// ---------------------------------------------------------------------------------------------
// cdk, serverless

const CDK_VALUE = new Set(['a', 'app', 'c', 'context', 'profile', 'o', 'output', 'r', 'role-arn', 'plugin', 'ca-bundle-path', 'proxy', 'require-approval', 'toolkit-stack-name', 'toolkit-bucket-name', 'method', 'm', 'parameters', 'outputs-file', 'O', 'notification-arns', 'tags', 't', 'concurrency', 'build', 'language', 'l', 'change-set-name', 'exclude', 'e']);
const CDK_DEPLOY = new Set(['deploy', 'destroy', 'bootstrap', 'import', 'watch', 'rollback', 'gc', 'refactor', 'drift']);
const CDK_READ = new Set(['synth', 'synthesize', 'diff', 'ls', 'list', 'doctor', 'docs', 'doc', 'notices', 'context', 'metadata', 'acknowledge', 'ack', 'version', 'help']);

const cdk: Reader = (cmd, index) => {
  const b = base(cmd, index);
  const { ops } = operands(cmd, CDK_VALUE);
  const sub = ops[0];
  if (sub === undefined) return [known(b)];
  if (CDK_DEPLOY.has(sub)) return [deploy(b, 'cdk', sub)];
  if (CDK_READ.has(sub)) return [read(b, 'cdk', sub)];
  if (sub === 'init' || sub === 'migrate' || sub === 'flags' || sub === 'cli-telemetry') return [known(b)];
  return [deploy(b, 'cdk', sub)];
};

const SLS_VALUE = new Set(['s', 'stage', 'r', 'region', 'c', 'config', 'aws-profile', 'f', 'function', 'p', 'path', 'd', 'data', 't', 'type', 'app', 'org', 'param', 'n', 'name', 'u', 'template-url', 'template', 'template-path', 'raw', 'startTime']);

const serverless: Reader = (cmd, index) => {
  const b = base(cmd, index);
  const { ops } = operands(cmd, SLS_VALUE);
  const sub = ops[0];
  if (sub === undefined) return [known(b)];
  const second = ops[1] ?? '';
  if (sub === 'deploy') return second === 'list' ? [read(b, 'serverless', 'deploy list')] : [deploy(b, 'serverless', `deploy ${second}`.trim())];
  if (sub === 'invoke') return second === 'local' ? [script(b)] : [deploy(b, 'serverless', 'invoke')];
  if (sub === 'offline' || sub === 'dev') return [script(b)];
  if (['remove', 'rollback'].includes(sub)) return [deploy(b, 'serverless', `${sub} ${second}`.trim())];
  if (sub === 'config' && second === 'credentials') return [deploy(b, 'serverless', 'config credentials')];
  if (['info', 'logs', 'print', 'package', 'metrics', 'doctor', 'help', 'version', 'usage'].includes(sub)) return [read(b, 'serverless', sub)];
  if (['login', 'logout', 'create', 'install', 'plugin', 'config', 'support', 'reconcile'].includes(sub)) return [known(b)];
  return [deploy(b, 'serverless', sub)];
};

export const readers: Record<string, Reader> = {
  vercel,
  netlify,
  fly,
  flyctl: fly,
  firebase,
  kubectl,
  helm,
  terraform,
  tofu: terraform,
  pulumi,
  aws,
  gcloud: cloudCli('gcloud'),
  az: cloudCli('az'),
  docker,
  podman: docker,
  gh,
  cdk,
  serverless,
  sls: serverless,
};
