/**
 * A Dockerfile read into stages and instructions (continuation lines joined, comments dropped,
 * global ARG defaults substituted into FROM), enough for the deploy tests' static checks.
 */
export interface Instruction {
  keyword: string;
  args: string;
  /** 1-based line where the instruction starts. */
  line: number;
}

export interface Stage {
  name: string | undefined;
  base: string;
  line: number;
  instructions: Instruction[];
}

export function parseDockerfile(text: string): Stage[] {
  const instructions: Instruction[] = [];
  let pending: { text: string; line: number } | undefined;
  text.split('\n').forEach((rawLine, index) => {
    const line = rawLine.trimEnd();
    if (pending === undefined && (line.trim() === '' || line.trimStart().startsWith('#'))) return;
    if (pending !== undefined && line.trimStart().startsWith('#')) return; // comments inside a continuation
    const continued = line.endsWith('\\');
    const body = continued ? line.slice(0, -1) : line;
    pending =
      pending === undefined
        ? { text: body, line: index + 1 }
        : { text: `${pending.text} ${body.trim()}`, line: pending.line };
    if (!continued) {
      const match = /^\s*(\S+)\s*(.*)$/.exec(pending.text);
      if (match?.[1] !== undefined)
        instructions.push({ keyword: match[1].toUpperCase(), args: (match[2] ?? '').trim(), line: pending.line });
      pending = undefined;
    }
  });

  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const [image = '', as, name] = instruction.args.split(/\s+/);
      const base = image.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_w, arg: string) => globalArgs[arg] ?? '');
      stages.push({
        base,
        name: as?.toUpperCase() === 'AS' ? name : undefined,
        line: instruction.line,
        instructions: [],
      });
    } else if (stages.length === 0) {
      if (instruction.keyword === 'ARG') {
        const [key = '', value = ''] = instruction.args.split('=');
        globalArgs[key] = value;
      }
    } else {
      stages[stages.length - 1]?.instructions.push(instruction);
    }
  }
  return stages;
}

/** The arguments of an exec-form (JSON array) CMD or ENTRYPOINT; undefined for the shell form. */
export function execForm(instruction: Instruction): string[] | undefined {
  try {
    const value: unknown = JSON.parse(instruction.args);
    return Array.isArray(value) && value.every((v): v is string => typeof v === 'string') ? value : undefined;
  } catch {
    return undefined;
  }
}

export interface CopyInstruction {
  from: string | undefined;
  sources: string[];
  destination: string;
}

/** COPY's `--from` stage, sources and destination (other flags are ignored). */
export function parseCopy(instruction: Instruction): CopyInstruction {
  const words = instruction.args.split(/\s+/);
  const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length);
  const paths = words.filter((w) => !w.startsWith('--'));
  return { from, sources: paths.slice(0, -1), destination: paths[paths.length - 1] ?? '' };
}
