import { describe, it, expect } from 'vitest';
import { readers } from '../../src/actions/deploy.js';
import type { Action, SimpleCommand } from '../../src/types.js';
import { sc, ENV } from '../helpers/sc.js';

function read(argv: string[], over: Partial<SimpleCommand> = {}): Action[] {
  const reader = readers[argv[0]!];
  if (!reader) throw new Error(`no reader for ${argv[0]}`);
  return reader(sc(argv, over), 2, ENV);
}
const one = (argv: string[]): Action => {
  const as = read(argv);
  expect(as).toHaveLength(1);
  return as[0]!;
};
const types = (as: Action[]) => as.map((a) => a.type);
const dep = (tool: string, subcommand: string) => ({ type: 'deploy', tool, subcommand });
const rd = (tool: string, subcommand: string) => ({ type: 'infra.read', tool, subcommand });
const KNOWN = { type: 'exec', known: true };

describe('vercel / netlify / fly / firebase', () => {
  it('vercel deploys', () => {
    expect(one(['vercel'])).toEqual({ cmd: 2, program: 'vercel', type: 'deploy', tool: 'vercel', subcommand: 'deploy' });
    expect(one(['vercel', '--prod'])).toMatchObject(dep('vercel', 'deploy'));
    expect(one(['vercel', 'deploy', '--prebuilt', '--token', 'abc'])).toMatchObject(dep('vercel', 'deploy'));
    expect(one(['vercel', '--scope', 'team', 'rm', 'old-app'])).toMatchObject(dep('vercel', 'rm'));
    expect(one(['vercel', 'env', 'add', 'KEY', 'production'])).toMatchObject(dep('vercel', 'env add'));
  });
  it('vercel reads', () => {
    expect(one(['vercel', 'ls'])).toMatchObject(rd('vercel', 'ls'));
    expect(one(['vercel', 'inspect', 'url'])).toMatchObject(rd('vercel', 'inspect'));
    expect(one(['vercel', 'logs', 'url'])).toMatchObject(rd('vercel', 'logs'));
    expect(one(['vercel', 'env', 'ls'])).toMatchObject(rd('vercel', 'env ls'));
    expect(one(['vercel', 'dev'])).toMatchObject({ type: 'exec', script: true });
  });
  it('vercel env pull also writes the env file', () => {
    const as = read(['vercel', 'env', 'pull', '.env.local']);
    expect(types(as)).toEqual(['infra.read', 'file.write']);
  });
  it('netlify deploy with or without --prod', () => {
    expect(one(['netlify', 'deploy'])).toMatchObject(dep('netlify', 'deploy'));
    expect(one(['netlify', 'deploy', '--prod', '--dir', 'dist'])).toMatchObject(dep('netlify', 'deploy'));
    expect(one(['netlify', 'env:set', 'K', 'v'])).toMatchObject(dep('netlify', 'env:set'));
    expect(one(['netlify', 'status'])).toMatchObject(rd('netlify', 'status'));
    expect(one(['netlify', 'env:list'])).toMatchObject(rd('netlify', 'env:list'));
    expect(one(['netlify', 'build'])).toMatchObject({ type: 'exec', script: true });
  });
  it('fly', () => {
    expect(one(['fly', 'deploy'])).toMatchObject(dep('fly', 'deploy'));
    expect(one(['flyctl', '-a', 'web', 'scale', 'count', '3'])).toMatchObject(dep('fly', 'scale count'));
    expect(one(['fly', 'apps', 'destroy', 'web'])).toMatchObject(dep('fly', 'apps destroy'));
    expect(one(['fly', 'secrets', 'set', 'K=v'])).toMatchObject(dep('fly', 'secrets set'));
    expect(one(['fly', 'secrets', 'list'])).toMatchObject(rd('fly', 'secrets list'));
    expect(one(['fly', 'status', '-a', 'web'])).toMatchObject(rd('fly', 'status'));
    expect(one(['fly', 'logs'])).toMatchObject(rd('fly', 'logs'));
    expect(one(['fly', 'scale', 'show'])).toMatchObject(rd('fly', 'scale show'));
  });
  it('firebase', () => {
    expect(one(['firebase', 'deploy', '--only', 'hosting'])).toMatchObject(dep('firebase', 'deploy'));
    expect(one(['firebase', 'functions:delete', 'fn'])).toMatchObject(dep('firebase', 'functions:delete'));
    expect(one(['firebase', 'hosting:channel:deploy', 'preview'])).toMatchObject(dep('firebase', 'hosting:channel:deploy'));
    expect(one(['firebase', 'projects:list'])).toMatchObject(rd('firebase', 'projects:list'));
    expect(one(['firebase', 'functions:log'])).toMatchObject(rd('firebase', 'functions:log'));
    expect(one(['firebase', 'emulators:start'])).toMatchObject({ type: 'exec', script: true });
  });
});

describe('kubectl', () => {
  it('mutations are deploys', () => {
    for (const [argv, sub] of [
      [['kubectl', 'apply', '-f', 'k8s/'], 'apply'],
      [['kubectl', '--context', 'prod', 'apply', '-f', 'x.yaml'], 'apply'],
      [['kubectl', '-n', 'web', 'delete', 'pod', 'x'], 'delete'],
      [['kubectl', 'scale', 'deploy/web', '--replicas=0'], 'scale'],
      [['kubectl', 'rollout', 'restart', 'deploy/web'], 'rollout restart'],
      [['kubectl', 'rollout', 'undo', 'deploy/web'], 'rollout undo'],
      [['kubectl', 'patch', 'svc', 'x', '-p', '{"a":1}'], 'patch'],
      [['kubectl', 'exec', '-it', 'pod', '--', 'sh'], 'exec'],
      [['kubectl', 'drain', 'node1'], 'drain'],
      [['kubectl', 'set', 'image', 'deploy/web', 'web=img:2'], 'set'],
      [['kubectl', 'create', 'secret', 'generic', 's'], 'create'],
      [['kubectl', 'config', 'use-context', 'prod'], 'config use-context'],
    ] as const) {
      expect(one([...argv])).toMatchObject(dep('kubectl', sub));
    }
  });
  it('reads are infra.read, global flags skipped', () => {
    expect(one(['kubectl', 'get', 'pods', '-n', 'x'])).toEqual({ cmd: 2, program: 'kubectl', type: 'infra.read', tool: 'kubectl', subcommand: 'get' });
    expect(one(['kubectl', '-n', 'web', 'get', 'pods'])).toMatchObject(rd('kubectl', 'get'));
    expect(one(['kubectl', '--kubeconfig', '/tmp/k', 'describe', 'node'])).toMatchObject(rd('kubectl', 'describe'));
    expect(one(['kubectl', 'logs', '-f', 'pod/x', '-c', 'app'])).toMatchObject(rd('kubectl', 'logs'));
    expect(one(['kubectl', 'config', 'view'])).toMatchObject(rd('kubectl', 'config view'));
    expect(one(['kubectl', 'auth', 'can-i', 'delete', 'pods'])).toMatchObject(rd('kubectl', 'auth can-i'));
    expect(one(['kubectl', 'rollout', 'status', 'deploy/web'])).toMatchObject(rd('kubectl', 'rollout status'));
    expect(one(['kubectl', 'diff', '-f', 'x.yaml'])).toMatchObject(rd('kubectl', 'diff'));
  });
  it('--dry-run=client|server is a read; =none is not', () => {
    expect(one(['kubectl', 'apply', '-f', 'x.yaml', '--dry-run=client'])).toMatchObject(rd('kubectl', 'apply'));
    expect(one(['kubectl', 'delete', 'ns', 'x', '--dry-run=server'])).toMatchObject(rd('kubectl', 'delete'));
    expect(one(['kubectl', 'apply', '-f', 'x.yaml', '--dry-run=none'])).toMatchObject(dep('kubectl', 'apply'));
  });
  it('kubectl cp of a local file reads it', () => {
    expect(types(read(['kubectl', 'cp', '.env', 'web-1:/tmp/.env']))).toEqual(['file.read', 'deploy']);
  });
  it('plugins are not understood', () => {
    expect(one(['kubectl', 'neat', 'x'])).toMatchObject({ type: 'exec', known: false });
  });
});

describe('helm / terraform / pulumi', () => {
  it('helm', () => {
    expect(one(['helm', 'install', 'web', './chart'])).toMatchObject(dep('helm', 'install'));
    expect(one(['helm', '-n', 'x', 'upgrade', '--install', 'web', './chart', '-f', 'v.yaml'])).toMatchObject(dep('helm', 'upgrade'));
    expect(one(['helm', 'uninstall', 'web'])).toMatchObject(dep('helm', 'uninstall'));
    expect(one(['helm', 'rollback', 'web', '2'])).toMatchObject(dep('helm', 'rollback'));
    expect(one(['helm', 'upgrade', 'web', './chart', '--dry-run'])).toMatchObject(rd('helm', 'upgrade'));
    expect(one(['helm', 'list', '-A'])).toMatchObject(rd('helm', 'list'));
    expect(one(['helm', '--kube-context', 'prod', 'status', 'web'])).toMatchObject(rd('helm', 'status'));
    expect(one(['helm', 'template', 'web', './chart'])).toMatchObject(rd('helm', 'template'));
  });
  it('terraform / tofu', () => {
    expect(one(['terraform', 'apply', '-auto-approve'])).toMatchObject(dep('terraform', 'apply'));
    expect(one(['terraform', '-chdir=infra', 'apply'])).toMatchObject(dep('terraform', 'apply'));
    expect(one(['terraform', 'destroy'])).toMatchObject(dep('terraform', 'destroy'));
    expect(one(['terraform', 'state', 'rm', 'aws_s3_bucket.b'])).toMatchObject(dep('terraform', 'state rm'));
    expect(one(['terraform', 'workspace', 'delete', 'old'])).toMatchObject(dep('terraform', 'workspace delete'));
    expect(one(['tofu', 'import', 'a.b', 'id'])).toMatchObject(dep('tofu', 'import'));
    expect(one(['terraform', 'plan'])).toMatchObject(rd('terraform', 'plan'));
    expect(one(['terraform', '-chdir=infra', 'plan', '-out=tf.plan'])).toMatchObject(rd('terraform', 'plan'));
    expect(one(['terraform', 'state', 'list'])).toMatchObject(rd('terraform', 'state list'));
    expect(one(['terraform', 'init', '-upgrade'])).toMatchObject(rd('terraform', 'init'));
    expect(one(['terraform', 'fmt', '-recursive'])).toMatchObject(rd('terraform', 'fmt'));
    expect(one(['tofu', 'validate'])).toMatchObject(rd('tofu', 'validate'));
  });
  it('pulumi', () => {
    expect(one(['pulumi', 'up', '--yes'])).toMatchObject(dep('pulumi', 'up'));
    expect(one(['pulumi', '-C', 'infra', '--stack', 'prod', 'destroy'])).toMatchObject(dep('pulumi', 'destroy'));
    expect(one(['pulumi', 'refresh'])).toMatchObject(dep('pulumi', 'refresh'));
    expect(one(['pulumi', 'stack', 'rm', 'dev'])).toMatchObject(dep('pulumi', 'stack rm'));
    expect(one(['pulumi', 'preview'])).toMatchObject(rd('pulumi', 'preview'));
    expect(one(['pulumi', 'stack', 'ls'])).toMatchObject(rd('pulumi', 'stack ls'));
    expect(one(['pulumi', 'config', 'get', 'x'])).toMatchObject(rd('pulumi', 'config get'));
  });
});

describe('aws / gcloud / az', () => {
  it('aws reads', () => {
    expect(one(['aws', 's3', 'ls'])).toEqual({ cmd: 2, program: 'aws', type: 'infra.read', tool: 'aws', subcommand: 's3 ls' });
    expect(one(['aws', '--profile', 'p', 's3', 'ls', 's3://b'])).toMatchObject(rd('aws', 's3 ls'));
    expect(one(['aws', 'sts', 'get-caller-identity'])).toMatchObject(rd('aws', 'sts get-caller-identity'));
    expect(one(['aws', 'ec2', 'describe-instances', '--region', 'eu-west-1'])).toMatchObject(rd('aws', 'ec2 describe-instances'));
    expect(one(['aws', '--region', 'us-east-1', 'lambda', 'list-functions'])).toMatchObject(rd('aws', 'lambda list-functions'));
    expect(one(['aws', 's3api', 'head-object', '--bucket', 'b', '--key', 'k'])).toMatchObject(rd('aws', 's3api head-object'));
    expect(one(['aws', 'ec2', 'help'])).toMatchObject(rd('aws', 'ec2 help'));
  });
  it('aws mutations', () => {
    expect(one(['aws', 's3', 'rm', 's3://b/k', '--recursive'])).toMatchObject(dep('aws', 's3 rm'));
    expect(one(['aws', 's3', 'mb', 's3://new'])).toMatchObject(dep('aws', 's3 mb'));
    expect(one(['aws', 'ec2', 'terminate-instances', '--instance-ids', 'i-1'])).toMatchObject(dep('aws', 'ec2 terminate-instances'));
    expect(one(['aws', 'lambda', 'update-function-code', '--function-name', 'f'])).toMatchObject(dep('aws', 'lambda update-function-code'));
  });
  it('aws s3 cp of a local file reads it', () => {
    const as = read(['aws', 's3', 'cp', '.env', 's3://bucket/']);
    expect(types(as)).toEqual(['file.read', 'deploy']);
    expect(types(read(['aws', 's3', 'sync', 's3://b/', './local']))).toEqual(['deploy', 'file.write']);
  });
  it('gcloud: the last verb decides', () => {
    expect(one(['gcloud', 'compute', 'instances', 'list'])).toMatchObject(rd('gcloud', 'compute instances list'));
    expect(one(['gcloud', '--project', 'p', 'compute', 'instances', 'describe', 'vm1', '--zone', 'z'])).toMatchObject(rd('gcloud', 'compute instances describe'));
    expect(one(['gcloud', 'run', 'deploy', 'svc', '--image', 'x'])).toMatchObject(dep('gcloud', 'run deploy'));
    expect(one(['gcloud', 'run', 'services', 'list'])).toMatchObject(rd('gcloud', 'run services list'));
    expect(one(['gcloud', 'compute', 'instances', 'delete', 'vm1'])).toMatchObject(dep('gcloud', 'compute instances delete'));
    expect(one(['gcloud', 'projects', 'add-iam-policy-binding', 'p'])).toMatchObject(dep('gcloud', 'projects add-iam-policy-binding'));
    expect(one(['gcloud', 'container', 'clusters', 'get-credentials', 'c'])).toMatchObject(rd('gcloud', 'container clusters get-credentials'));
    expect(one(['gcloud', 'auth', 'login'])).toMatchObject(KNOWN);
  });
  it('az', () => {
    expect(one(['az', 'group', 'list'])).toMatchObject(rd('az', 'group list'));
    expect(one(['az', 'vm', 'show', '-g', 'rg', '-n', 'vm'])).toMatchObject(rd('az', 'vm show'));
    expect(one(['az', 'group', 'delete', '-n', 'rg', '--yes'])).toMatchObject(dep('az', 'group delete'));
    expect(one(['az', 'webapp', 'up'])).toMatchObject(dep('az', 'webapp up'));
    expect(one(['az', 'vm', 'start', '-n', 'x'])).toMatchObject(dep('az', 'vm start'));
  });
});

describe('docker / podman / gh / cdk / serverless', () => {
  it('docker push is a deploy; everything else is a known program', () => {
    expect(one(['docker', 'push', 'ghcr.io/x/y:1'])).toMatchObject(dep('docker', 'push'));
    expect(one(['docker', '--context', 'remote', 'push', 'x'])).toMatchObject(dep('docker', 'push'));
    expect(one(['podman', 'push', 'x'])).toMatchObject(dep('podman', 'push'));
    expect(one(['docker', 'buildx', 'build', '--push', '-t', 'x', '.'])).toMatchObject(dep('docker', 'buildx build --push'));
    for (const argv of [['docker', 'run', '--rm', 'alpine'], ['docker', 'build', '-t', 'x', '.'], ['docker', 'ps'], ['docker', 'images'], ['docker', 'logs', 'c'], ['docker', 'login', 'ghcr.io']]) {
      expect(one(argv)).toEqual({ cmd: 2, program: 'docker', ...KNOWN });
    }
  });
  it('gh mutations', () => {
    expect(one(['gh', 'release', 'create', 'v1.0.0'])).toMatchObject(dep('gh', 'release create'));
    expect(one(['gh', 'repo', 'delete', 'me/x', '--yes'])).toMatchObject(dep('gh', 'repo delete'));
    expect(one(['gh', 'secret', 'set', 'TOKEN', '-b', 'x'])).toMatchObject(dep('gh', 'secret set'));
    expect(one(['gh', 'workflow', 'run', 'deploy.yml'])).toMatchObject(dep('gh', 'workflow run'));
    expect(one(['gh', '-R', 'me/x', 'repo', 'archive'])).toMatchObject(dep('gh', 'repo archive'));
  });
  it('gh api: non-GET or fields mutate', () => {
    expect(one(['gh', 'api', 'repos/me/x'])).toMatchObject(rd('gh', 'api'));
    expect(one(['gh', 'api', '-X', 'DELETE', 'repos/me/x'])).toMatchObject(dep('gh', 'api'));
    expect(one(['gh', 'api', 'repos/me/x/issues', '-f', 'title=x'])).toMatchObject(dep('gh', 'api'));
    expect(one(['gh', 'api', '--method', 'GET', 'search/issues', '-f', 'q=x'])).toMatchObject(rd('gh', 'api'));
  });
  it('other gh is a read', () => {
    expect(one(['gh', 'pr', 'list'])).toMatchObject(rd('gh', 'pr list'));
    expect(one(['gh', 'pr', 'view', '12'])).toMatchObject(rd('gh', 'pr view'));
    expect(one(['gh', 'run', 'view', '1'])).toMatchObject(rd('gh', 'run view'));
    expect(one(['gh', 'release', 'list'])).toMatchObject(rd('gh', 'release list'));
  });
  it('gh gist create sends the files', () => {
    expect(types(read(['gh', 'gist', 'create', '.env', '--public']))).toEqual(['file.read', 'net.send']);
  });
  it('cdk', () => {
    expect(one(['cdk', 'deploy', '--all'])).toMatchObject(dep('cdk', 'deploy'));
    expect(one(['cdk', '--profile', 'p', 'destroy', 'Stack'])).toMatchObject(dep('cdk', 'destroy'));
    expect(one(['cdk', 'synth'])).toMatchObject(rd('cdk', 'synth'));
    expect(one(['cdk', 'diff'])).toMatchObject(rd('cdk', 'diff'));
    expect(one(['cdk', 'ls'])).toMatchObject(rd('cdk', 'ls'));
  });
  it('serverless / sls', () => {
    expect(one(['serverless', 'deploy', '--stage', 'prod'])).toMatchObject(dep('serverless', 'deploy'));
    expect(one(['sls', 'remove'])).toMatchObject(dep('serverless', 'remove'));
    expect(one(['sls', 'deploy', 'function', '-f', 'hello'])).toMatchObject(dep('serverless', 'deploy function'));
    expect(one(['sls', 'info'])).toMatchObject(rd('serverless', 'info'));
    expect(one(['sls', 'invoke', 'local', '-f', 'x'])).toMatchObject({ type: 'exec', script: true });
  });
});
