/**
 * The Node.js release the project runs on, as tooling/node-runtime.txt pins it for
 * tooling/provision-node.sh, and the engines range package.json declares.
 */
import { readRepoFile } from './repo-files';

export const NODE_PINS = 'tooling/node-runtime.txt';

export interface NodePin {
  package: string;
  version: string;
  integrity: string;
}

export function nodePins(): NodePin[] {
  return readRepoFile(NODE_PINS)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^(node-linux-[a-z0-9]+)@(\d+\.\d+\.\d+)\s+(\S+)$/.exec(line);
      if (!match) throw new Error(`${NODE_PINS}: cannot read the pin "${line}"`);
      return { package: match[1] ?? '', version: match[2] ?? '', integrity: match[3] ?? '' };
    });
}

/** The lowest Node.js major package.json's `engines.node` (">=N") accepts. */
export function enginesMajor(): number {
  const range = (JSON.parse(readRepoFile('package.json')) as { engines?: { node?: string } }).engines?.node ?? '';
  const match = /^>=\s*(\d+)(\.\d+){0,2}$/.exec(range.trim());
  if (!match) throw new Error(`package.json: engines.node "${range}" is not of the form ">=N"`);
  return Number(match[1]);
}
